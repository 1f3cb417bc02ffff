from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.errors import Forbidden, InvalidInput
from accounts.web import form_errors_as_page

from . import services
from .models import Verification
from .selectors import (
    access_likeness_owned,
    consent_current_for,
    consent_document_current,
    likeness_list_owned,
    verification_passed_for,
)


def _talent_only(user):
    if user.kind != "talent":
        raise Forbidden("This page is for talent accounts.")


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def likeness_new(request):
    _talent_only(request.user)
    if request.method == "POST":
        likeness = services.likeness_create(owner=request.user, name=request.POST.get("name", ""), bio=request.POST.get("bio", ""))
        return redirect("licensing:likeness", likeness.pk)
    return render(request, "licensing/likeness_new.html", {"likenesses": likeness_list_owned(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def likeness_detail(request, likeness_id):
    """The talent's control room for one likeness: verify, consent, offers, publish, revoke."""
    likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start_verification":
            services.verification_start(user=request.user, likeness=likeness)
        elif action == "submit_verification":
            pending = likeness.verifications.filter(status=Verification.Status.PENDING).order_by("-created_at").first()
            if pending is None:
                raise InvalidInput("Start a verification first to get a challenge phrase.")
            v = services.verification_submit(verification=pending, user=request.user, files=request.FILES.getlist("files"))
            if v.status == Verification.Status.FAILED:
                raise InvalidInput(f"Verification failed: {v.failure_reason} Start again with a new phrase.")
        elif action == "consent":
            if request.POST.get("agree") != "on":
                raise InvalidInput("Tick the box to agree to the consent document.")
            try:
                version = int(request.POST.get("version", ""))
            except ValueError:
                raise InvalidInput("The consent form is missing its document version.")
            services.consent_accept(
                user=request.user,
                likeness=likeness,
                document_version=version,
                ip_address=request.META.get("REMOTE_ADDR"),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        elif action == "publish":
            services.likeness_publish(likeness=likeness, actor=request.user)
        elif action == "revoke":
            services.likeness_revoke(likeness=likeness, actor=request.user, reason=request.POST.get("reason", ""))
        else:
            raise InvalidInput("Unknown action.")
        return redirect("licensing:likeness", likeness.pk)

    pending = likeness.verifications.filter(status=Verification.Status.PENDING).order_by("-created_at").first()
    return render(
        request,
        "licensing/likeness_detail.html",
        {
            "likeness": likeness,
            "verified": verification_passed_for(likeness),
            "pending_verification": pending,
            "consent_current": consent_current_for(likeness),
            "consent_document": consent_document_current(),
            "references": likeness.references.order_by("created_at"),
        },
    )


@login_required
@form_errors_as_page
def reference_image(request, likeness_id, reference_id):
    """A reference photo, for its own talent only."""
    from django.http import FileResponse

    from accounts.errors import get_or_not_found

    likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
    ref = get_or_not_found(likeness.references.all(), "No such image.", pk=reference_id)
    return FileResponse(ref.image.open("rb"))
