"""Moderators: passed liveness checks to confirm or reject."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.http import require_http_methods

from accounts.errors import InvalidInput, NotFound
from accounts.web import form_errors_as_page, form_submit, page

from .. import services
from ..forms import ReviewForm
from ..selectors import access_verification_for_review, verifications_to_review


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def moderation(request):
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        v = access_verification_for_review(user=request.user, verification_id=request.POST.get("verification"))
        decision = request.POST.get("action")
        if decision not in ("approve", "reject"):
            raise InvalidInput("Choose confirm or reject.")
        done = form_submit(
            request, form,
            lambda d: services.verification_review(verification=v, moderator=request.user, approve=decision == "approve", note=d["note"]),
            success=f"{'Confirmed' if decision == 'approve' else 'Rejected'} the verification of {v.likeness.name}.",
            redirect_to="/moderation/verifications/",
        )
        if done:
            return done
    return page(request, "licensing/moderation.html", {"queue": verifications_to_review(user=request.user), "form": form}, [form])


@login_required
@form_errors_as_page
def verification_media(request, verification_id):
    """A moderator looks at the reference photos a verification produced."""
    v = access_verification_for_review(user=request.user, verification_id=verification_id)
    ref = v.likeness.references.order_by("created_at").first()
    if ref is None:
        raise NotFound("No media kept for this verification.")
    return FileResponse(ref.image.open("rb"))
