"""The talent's control room, split into pages: overview (status, publish, revoke, who manages
it), verification, consent, who may use it, content rules. Offers, approvals, every use and
earnings live in the apps that own them and share the control room's navigation."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from accounts.errors import Forbidden, InvalidInput, get_or_not_found
from accounts.web import form_errors_as_page, form_submit, page

from .. import services
from ..forms import (
    AccessEntryForm,
    ConsentForm,
    DetailsForm,
    LikenessCreateForm,
    PermissionForm,
    ProfileClaimForm,
    RevokeForm,
    RulesForm,
    VerificationUploadForm,
    WithdrawConsentForm,
)
from ..models import Verification
from ..selectors import (
    access_likeness_managed,
    access_likeness_owned,
    access_use_request,
    consent_current_for,
    consent_document_current,
    likeness_list_owned,
    likenesses_managed_for,
    verification_passed_for,
)


def _talent_only(user):
    if user.kind != "talent":
        raise Forbidden("This page is for talent accounts.")


def _room(likeness, section: str, **extra) -> dict:
    """What every control-room page shows: the likeness, its checklist and the section nav."""
    verified = verification_passed_for(likeness)
    consent = consent_current_for(likeness)
    return {
        "likeness": likeness,
        "section": section,
        "verified": verified,
        "consent_current": consent,
        "has_offers": likeness.offers.filter(is_active=True).exists() if hasattr(likeness, "offers") else False,
        "misuse_reports": likeness.misuse_reports.order_by("-created_at")[:50],
        "consent_document": consent_document_current(),
        "consent_on_current": likeness.consents.filter(document=consent_document_current(), action="accepted").exists(),
        **extra,
    }


def _acting_for(likeness, user):
    """Shown on a page an agency (or estate) member uses for someone else's likeness: who they
    act for, and as what; None for the talent's own pages."""
    role = services.acting_as(likeness, user)
    return None if likeness.owner_id == user.pk else {"role": role, "owner": likeness.owner}


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def likeness_new(request):
    _talent_only(request.user)
    form = LikenessCreateForm(request.POST or None)
    if request.method == "POST":
        done = form_submit(
            request, form, lambda d: services.likeness_create(owner=request.user, **d),
            success=lambda lk: f"“{lk.name}” created. Next: verify that it is you with a short clip.",
            redirect_to=lambda lk: f"/talent/likenesses/{lk.pk}/verification/",
        )
        if done:
            return done
    ctx = {"likenesses": likeness_list_owned(user=request.user), "managed": likenesses_managed_for(user=request.user), "form": form}
    return page(request, "licensing/likeness_new.html", ctx, [form])


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def likeness_detail(request, likeness_id):
    """Overview: where the likeness stands, publish, revoke, and who manages it."""
    likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
    action = request.POST.get("action") if request.method == "POST" else None
    revoke_form = RevokeForm(request.POST if action == "revoke" else None, prefix="revoke")
    details_form = DetailsForm(
        request.POST if action == "details" else None,
        initial={"managed_by": likeness.managed_by, "date_of_birth": likeness.date_of_birth},
        prefix="details",
    )
    here = f"/talent/likenesses/{likeness.pk}/"
    if action == "publish":
        services.likeness_publish(likeness=likeness, actor=request.user)
        messages.success(request, f"“{likeness.name}” is listed: buyers can find it in the marketplace.")
        return redirect(here)
    if action == "revoke":
        done = form_submit(
            request, revoke_form, lambda d: services.likeness_revoke(likeness=likeness, actor=request.user, reason=d["reason"]),
            success="Revoked: no new generations are allowed and every licence on it has ended (with its notice period).", redirect_to=here,
        )
        if done:
            return done
    elif action == "details":
        done = form_submit(
            request, details_form,
            lambda d: services.likeness_details_update(likeness=likeness, actor=request.user, managed_by=d["managed_by"], date_of_birth=d["date_of_birth"]),
            success="Saved who manages this likeness.", redirect_to=here,
        )
        if done:
            return done
    elif action is not None:
        raise InvalidInput("Unknown action.")
    ctx = _room(likeness, "overview", revoke_form=revoke_form, details_form=details_form)
    return page(request, "licensing/talent/overview.html", ctx, [revoke_form, details_form])


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def likeness_verification(request, likeness_id):
    likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
    here = f"/talent/likenesses/{likeness.pk}/verification/"
    pending = likeness.verifications.filter(status=Verification.Status.PENDING).order_by("-created_at").first()
    action = request.POST.get("action") if request.method == "POST" else None
    form = VerificationUploadForm(request.POST if action == "submit" else None, request.FILES if action == "submit" else None)
    if action == "start":
        services.verification_start(user=request.user, likeness=likeness)
        messages.success(request, "Here is your phrase: record yourself saying it, or take photos holding it up.")
        return redirect(here)
    if action == "submit":
        if pending is None:
            raise InvalidInput("Start a verification first to get a challenge phrase.")

        def submit(d):
            v = services.verification_submit(verification=pending, user=request.user, files=d["files"])
            if v.status == Verification.Status.FAILED:
                raise InvalidInput(f"Verification failed: {v.failure_reason} Start again with a new phrase.")
            return v

        done = form_submit(request, form, submit, success="Verified: it is you. Next: sign the consent document.", redirect_to=here)
        if done:
            return done
        pending = likeness.verifications.filter(status=Verification.Status.PENDING).order_by("-created_at").first()
    elif action is not None:
        raise InvalidInput("Unknown action.")
    from ..services.verification import REJECTION_NEXT_STEPS

    ctx = _room(
        likeness, "verification", form=form, pending_verification=pending, references=likeness.references.order_by("created_at"),
        challenge_steps=services.challenge_instructions(pending.challenge) if pending else [],
        last_review=likeness.verifications.filter(status=Verification.Status.PASSED).order_by("-completed_at").first(),
        next_steps=REJECTION_NEXT_STEPS,
    )
    return page(request, "licensing/talent/verification.html", ctx, [form])


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def likeness_consent(request, likeness_id):
    likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
    here = f"/talent/likenesses/{likeness.pk}/consent/"
    doc = consent_document_current()
    action = request.POST.get("action") if request.method == "POST" else None
    form = ConsentForm(request.POST if action == "consent" else None, initial={"version": doc.version if doc else None})
    withdraw = WithdrawConsentForm(request.POST if action == "withdraw" else None, prefix="withdraw")
    meta = {"ip_address": request.META.get("REMOTE_ADDR"), "user_agent": request.META.get("HTTP_USER_AGENT", "")}
    if action == "consent":
        done = form_submit(
            request, form, lambda d: services.consent_accept(user=request.user, likeness=likeness, document_version=d["version"], **meta),
            success="Consent recorded. Next: add an offer, then publish.", redirect_to=here,
        )
        if done:
            return done
    elif action == "withdraw":
        done = form_submit(
            request, withdraw, lambda d: services.consent_withdraw(user=request.user, likeness=likeness, **meta),
            success="Consent withdrawn: your likeness and every licence on it are revoked.", redirect_to=here,
        )
        if done:
            return done
    elif action is not None:
        raise InvalidInput("Unknown action.")
    ctx = _room(likeness, "consent", form=form, withdraw_form=withdraw, consent_document=doc)
    return page(request, "licensing/talent/consent.html", ctx, [form, withdraw])


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def likeness_access(request, likeness_id):
    """Who may use it: the permission level, allow and deny lists, and requests to use it."""
    from ..api import user_by_email

    likeness = access_likeness_managed(user=request.user, likeness_id=likeness_id)
    if likeness.guardian_id is not None and request.method == "GET":
        return redirect(f"/talent/likenesses/{likeness.pk}/named/")  # a minor's: the people the guardian names
    here = f"/talent/likenesses/{likeness.pk}/access/"
    action = request.POST.get("action") if request.method == "POST" else None
    level_form = PermissionForm(request.POST if action == "level" else None, initial={"permission_level": likeness.permission_level}, prefix="level")
    entry_form = AccessEntryForm(request.POST if action == "entry" else None, prefix="entry")
    if action == "level":
        done = form_submit(
            request, level_form,
            lambda d: services.controls_update(holding=likeness, actor=request.user, permission_level=d["permission_level"]),
            success="Saved who may use your likeness.", redirect_to=here,
        )
        if done:
            return done
    elif action == "entry":
        def add(d):
            who = user_by_email(d["email"])
            services.access_entry_set(holding=likeness, actor=request.user, user=who, kind=d["kind"])
            return d

        done = form_submit(
            request, entry_form, add,
            success=lambda d: f"{d['email']} is {'allowed' if d['kind'] == 'allow' else 'never allowed'} to use your likeness.", redirect_to=here,
        )
        if done:
            return done
    elif action == "remove":
        entry = get_or_not_found(likeness.access_entries.select_related("user"), "No such entry.", pk=request.POST.get("entry") or 0)
        services.access_entry_remove(holding=likeness, actor=request.user, user=entry.user)
        messages.success(request, f"Removed {entry.user.email} from your lists.")
        return redirect(here)
    elif action in ("approve_request", "decline_request"):
        req = access_use_request(user=request.user, request_id=request.POST.get("request"))
        services.use_request_decide(request=req, actor=request.user, approve=action == "approve_request")
        messages.success(request, f"{'Approved' if action == 'approve_request' else 'Declined'} {req.requester.email}'s request.")
        return redirect(here)
    elif action is not None:
        raise InvalidInput("Unknown action.")
    ctx = _room(
        likeness, "access", level_form=level_form, entry_form=entry_form, acting_for=_acting_for(likeness, request.user),
        access_entries=likeness.access_entries.select_related("user").order_by("kind", "user__email"),
        use_requests=likeness.use_requests.filter(status="pending").select_related("requester"),
    )
    return page(request, "licensing/talent/access.html", ctx, [level_form, entry_form])


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def likeness_rules(request, likeness_id):
    """Content rules: sensitive categories, blocked words, rules in the talent's own words, and
    whether briefs and outputs wait for their approval."""
    likeness = access_likeness_managed(user=request.user, likeness_id=likeness_id)
    from ..services.evaluation import is_minor, is_ward

    relaxable = services.relaxable_for(likeness)
    here = f"/talent/likenesses/{likeness.pk}/rules/"
    profile_post = request.method == "POST" and request.POST.get("action") == "profile"
    form = RulesForm(None if profile_post else (request.POST or None), initial=RulesForm.initial_for(likeness), relaxable=relaxable)
    profile_form = ProfileClaimForm(request.POST if profile_post else None, initial={"profile": likeness.screening_profile or "general"})
    if not services.may_consent(likeness, request.user):
        # an agency manages the rules, but only the talent (or the estate) relaxes a category or claims a profile
        form.fields["allowed_categories"].disabled = True
        form.fields["allowed_categories"].help_text = "Only the talent can relax a sensitive category."
        if profile_post:
            raise Forbidden("Only the talent (or the estate) can claim a screening profile.")
    if profile_post:
        def claim(d):
            if d["profile"] == "general":
                services.screening_profile_reset(likeness=likeness, actor=request.user)
                return "Your screening profile is general again: only the categories every talent may relax stay relaxable."
            services.screening_profile_claim(likeness=likeness, actor=request.user, profile=d["profile"], statement=d["statement"])
            return "Your profile claim is waiting for a moderator; you will be able to relax the category once it is approved."

        done = form_submit(request, profile_form, claim, success=lambda text: text, redirect_to=here)
        if done:
            return done
    elif request.method == "POST":
        done = form_submit(
            request, form, lambda d: services.controls_update(holding=likeness, actor=request.user, **d),
            success="Saved your content rules: they apply to every brief from now on.", redirect_to=here,
        )
        if done:
            return done
    from ..screening import PROFILES
    from ..selectors import screening_profile_claim_latest

    ctx = _room(
        likeness, "rules", form=form, profile_form=profile_form, profile_name=PROFILES.get(likeness.screening_profile or "general"),
        profile_claim=screening_profile_claim_latest(likeness=likeness), ward=is_ward(likeness) or is_minor(likeness),
        acting_for=_acting_for(likeness, request.user),
    )
    return page(request, "licensing/talent/rules.html", ctx, [form, profile_form])


@login_required
@form_errors_as_page
def reference_image(request, likeness_id, reference_id):
    """A reference photo, for its own talent only."""
    likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
    ref = get_or_not_found(likeness.references.all(), "No such image.", pk=reference_id)
    return FileResponse(ref.image.open("rb"))
