from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.errors import Forbidden, InvalidInput
from accounts.web import form_errors_as_page

from . import services
from .models import IPAsset, Likeness, PermissionLevel, Verification
from .screening import CATEGORY_LABELS, SENSITIVE_CATEGORIES
from .selectors import (
    access_likeness_owned,
    consent_current_for,
    consent_document_current,
    likeness_list_owned,
    verification_passed_for,
)
from .services.verification import REJECTION_NEXT_STEPS


def _talent_only(user):
    if user.kind != "talent":
        raise Forbidden("This page is for talent accounts.")


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def likeness_new(request):
    from accounts.errors import DomainError
    from accounts.web import status_for

    from .forms import LikenessCreateForm

    _talent_only(request.user)
    form = LikenessCreateForm(request.POST or None, auto_id="%s")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                likeness = services.likeness_create(owner=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error("date_of_birth" if exc.code in ("date_of_birth", "minor_needs_guardian") else None, exc.message)
                status = status_for(exc)
            else:
                messages.success(request, f"{likeness.name} created. Next: verify with a short clip.")
                return redirect("licensing:likeness", likeness.pk)
    return render(request, "licensing/likeness_new.html", {"likenesses": likeness_list_owned(user=request.user), "form": form}, status=status)


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
        elif action == "controls":
            services.controls_update(holding=likeness, actor=request.user, **_controls_from(request.POST))
        elif action in ("allow", "deny"):
            from .api import user_by_email

            services.access_entry_set(holding=likeness, actor=request.user, user=user_by_email(request.POST.get("email", "")), kind=action)
        elif action == "remove_entry":
            from .api import user_by_email

            services.access_entry_remove(holding=likeness, actor=request.user, user=user_by_email(request.POST.get("email", "")))
        elif action in ("approve_request", "decline_request"):
            from .selectors import access_use_request

            req = access_use_request(user=request.user, request_id=request.POST.get("request"))
            services.use_request_decide(request=req, actor=request.user, approve=action == "approve_request")
        elif action == "withdraw_consent":
            if request.POST.get("confirm") != "on":
                raise InvalidInput("Tick the box to confirm: withdrawing consent revokes everything.")
            services.consent_withdraw(
                user=request.user, likeness=likeness, ip_address=request.META.get("REMOTE_ADDR"),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        elif action == "details":
            from datetime import date

            raw = (request.POST.get("date_of_birth") or "").strip()
            try:
                dob = date.fromisoformat(raw) if raw else None
            except ValueError:
                raise InvalidInput("The date of birth is a date like 1990-05-17.")
            services.likeness_details_update(likeness=likeness, actor=request.user, managed_by=request.POST.get("managed_by") or None, date_of_birth=dob)
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
            "permission_levels": PermissionLevel.choices,
            "categories": [(c, CATEGORY_LABELS[c]) for c in SENSITIVE_CATEGORIES],
            "access_entries": likeness.access_entries.select_related("user").order_by("kind", "user__email"),
            "use_requests": likeness.use_requests.filter(status="pending").select_related("requester"),
            "managers": Likeness.Manager.choices,
            "last_review": likeness.verifications.filter(status=Verification.Status.PASSED).order_by("-completed_at").first(),
            "next_steps": REJECTION_NEXT_STEPS,
            "challenge_steps": services.challenge_instructions(pending.challenge) if pending else [],
            "misuse_reports": likeness.misuse_reports.order_by("-created_at")[:50],
            "consent_on_current": likeness.consents.filter(document=consent_document_current(), action="accepted").exists(),
        },
    )


def _controls_from(post) -> dict:
    def lines(name):
        return [line.strip() for line in (post.get(name) or "").splitlines() if line.strip()]

    def number(name, label):
        try:
            return int(post.get(name, ""))
        except ValueError:
            raise InvalidInput(f"{label} must be a whole number.")

    return {
        "permission_level": post.get("permission_level", ""),
        "allowed_categories": post.getlist("allowed_categories"),
        "blocked_words": lines("blocked_words"),
        "content_rules": lines("content_rules"),
        "require_brief_approval": post.get("require_brief_approval") == "on",
        "require_output_approval": post.get("require_output_approval") == "on",
        "approval_window_hours": number("approval_window_hours", "The approval window"),
        "notice_period_days": number("notice_period_days", "The notice period"),
    }


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def moderation(request):
    """Moderators: passed liveness checks to confirm or reject."""
    from .selectors import access_verification_for_review, verifications_to_review

    if request.method == "POST":
        v = access_verification_for_review(user=request.user, verification_id=request.POST.get("verification"))
        services.verification_review(
            verification=v, moderator=request.user, approve=request.POST.get("action") == "approve", note=request.POST.get("note", ""),
            clear_match=request.POST.get("clear_match") == "on",
        )
        messages.success(request, "Decision recorded; the talent has been told.")
        return redirect("licensing:moderation")
    return render(request, "licensing/moderation.html", {"queue": verifications_to_review(user=request.user)})


@login_required
@form_errors_as_page
def verification_media(request, verification_id):
    """A moderator looks at the reference photos a verification produced."""
    from .selectors import access_verification_for_review

    v = access_verification_for_review(user=request.user, verification_id=verification_id)
    ref = v.likeness.references.order_by("created_at").first()
    if ref is None:
        from accounts.errors import NotFound

        raise NotFound("No media kept for this verification.")
    from django.http import FileResponse

    return FileResponse(ref.image.open("rb"))


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def studio_assets(request):
    """Studios: characters, worlds and brand assets, opted in one by one."""
    from accounts.models import Organisation

    from .selectors import access_ip_asset_managed, access_studio, ip_assets_for

    studios = Organisation.objects.filter(kind="studio", memberships__user=request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            studio = access_studio(user=request.user, studio_id=request.POST.get("studio"))
            services.ip_asset_create(studio=studio, actor=request.user, kind=request.POST.get("kind", ""), name=request.POST.get("name", ""), description=request.POST.get("description", ""))
        else:
            asset = access_ip_asset_managed(user=request.user, asset_id=request.POST.get("asset"))
            if action == "opt_in":
                services.ip_asset_opt_in(asset=asset, actor=request.user)
            elif action == "revoke":
                services.ip_asset_revoke(asset=asset, actor=request.user, reason=request.POST.get("reason", ""))
            elif action == "controls":
                services.controls_update(holding=asset, actor=request.user, **_controls_from(request.POST))
            elif action == "grant":
                from .api import user_by_email

                def number(name, label, default):
                    try:
                        return int(request.POST.get(name) or default)
                    except ValueError:
                        raise InvalidInput(f"{label} must be a whole number.")

                services.licence_grant(
                    holding=asset, actor=request.user, licensee=user_by_email(request.POST.get("email", "")),
                    commercial_use=request.POST.get("commercial_use") == "on",
                    duration_days=number("duration_days", "The term", 30), generation_quota=number("generation_quota", "The quota", 10),
                    derivatives=request.POST.get("derivatives") or "none",
                )
            else:
                raise InvalidInput("Unknown action.")
        return redirect("licensing:studio-assets")
    return render(
        request,
        "licensing/studio_assets.html",
        {"studios": studios, "assets": ip_assets_for(user=request.user), "kinds": IPAsset.Kind.choices, "permission_levels": PermissionLevel.choices},
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
