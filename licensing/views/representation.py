"""Who acts for a likeness, in the browser: the talent lets an agency manage it (and takes that
back); an estate sends its proof of authority; a moderator accepts or rejects the proof; an
agency member sees the talent they manage. What an agent may then do (offers, content rules,
approvals, who may use it) is on the control room's own pages, under `access_likeness_managed`."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.http import require_http_methods

from accounts.errors import Conflict, InvalidInput
from accounts.web import form_errors_as_page, form_submit, page

from .. import services
from ..forms import EstateProofForm, EstateReviewForm, ManagementGrantForm, ManagementRevokeForm
from ..selectors import (
    access_estate_proof_for_review,
    access_likeness_owned,
    estate_proofs_to_review,
    likenesses_managed_for,
    management_grants_of,
)
from .talent import _room, _talent_only


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def likeness_representation(request, likeness_id):
    """The talent: which agency manages this likeness (grant, revoke at any time); an estate's
    proof of authority (send it, see the moderator's answer)."""
    likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
    here = f"/talent/likenesses/{likeness.pk}/representation/"
    action = request.POST.get("action") if request.method == "POST" else None
    grant_form = ManagementGrantForm(request.POST if action == "grant" else None, prefix="grant")
    revoke_form = ManagementRevokeForm(request.POST if action == "revoke" else None, likeness=likeness, prefix="revoke")
    proof_form = EstateProofForm(request.POST if action == "proof" else None, request.FILES if action == "proof" else None, user=request.user, prefix="proof")
    if action == "grant":
        done = form_submit(
            request, grant_form, lambda d: services.management_grant(likeness=likeness, talent=request.user, agency=d["agency"]),
            success=lambda g: f"{g.agency.name} now manages the offers, content rules and approvals of “{likeness.name}”. You can take it back at any time.",
            redirect_to=here,
        )
        if done:
            return done
    elif action == "revoke":
        done = form_submit(
            request, revoke_form, lambda d: services.management_revoke(grant=d["grant"], talent=request.user),
            success=lambda g: f"{g.agency.name} no longer manages “{likeness.name}”: its members lost access at once.", redirect_to=here,
        )
        if done:
            return done
        # a stale button (the grant already ended): the page again, with the reason, a 409
        raise Conflict(" ".join(e for errs in revoke_form.errors.values() for e in errs) or "This agency no longer manages this likeness.")
    elif action == "proof":
        done = form_submit(
            request, proof_form,
            lambda d: services.estate_authority_submit(likeness=likeness, estate=d["estate"], actor=request.user, document=d["document"]),
            success="Proof of authority sent. A moderator reviews it; until then nobody can consent for this likeness.", redirect_to=here,
        )
        if done:
            return done
    elif action is not None:
        raise InvalidInput("Unknown action.")
    ctx = _room(
        likeness, "representation", grant_form=grant_form, revoke_form=revoke_form, proof_form=proof_form,
        grants=management_grants_of(likeness=likeness),
        proofs=likeness.estate_authorities.select_related("estate").order_by("-created_at"),
        may_send_proof=proof_form.fields["estate"].queryset.exists(),
    )
    return page(request, "licensing/talent/representation.html", ctx, [grant_form, proof_form])


@login_required
@form_errors_as_page
def likenesses_managed(request):
    """An agency (or estate) member: the talent they act for, with the pages they may use."""
    _talent_only(request.user)
    from ..services import acting_as

    rows = [(lk, acting_as(lk, request.user)) for lk in likenesses_managed_for(user=request.user)]
    return page(request, "licensing/managed.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def estate_proofs(request):
    """Moderators: estates' proofs of authority, accepted or rejected with a reason."""
    queue = estate_proofs_to_review(user=request.user)
    target = request.POST.get("authority") if request.method == "POST" else None
    forms = []
    response = None
    for authority in queue:
        bound = target == str(authority.pk)
        form = EstateReviewForm(request.POST if bound else None, prefix=f"p{authority.pk.hex[:8]}")
        if bound:
            response = form_submit(
                request, form,
                lambda d, a=authority: services.estate_authority_review(authority=a, moderator=request.user, accept=d["decision"] == "accept", note=d["note"]),
                success=lambda a: f"{'Accepted' if a.status == 'accepted' else 'Rejected'} the proof of {a.estate.name} for “{a.likeness.name}”; the estate has been told.",
                redirect_to="/moderation/estates/",
            )
        forms.append((authority, form))
    if response:
        return response
    if target is not None and not any(str(a.pk) == target for a, _ in forms):
        raise InvalidInput("This proof was already reviewed, or does not exist.")
    return page(request, "licensing/estate_proofs.html", {"rows": forms}, [f for _, f in forms])


@login_required
@form_errors_as_page
def estate_proof_document(request, authority_id):
    """The proof's document, for moderators only (never under a public media URL)."""
    authority = access_estate_proof_for_review(user=request.user, authority_id=authority_id)
    name = authority.document.name.rsplit("/", 1)[-1]
    return FileResponse(authority.document.open("rb"), as_attachment=True, filename=f"estate-proof-{name}")
