"""Likenesses and IP assets: creating, publishing, the holder's controls, who may use them."""
from __future__ import annotations

from datetime import date, timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import Membership, Organisation, User

from ..models import (
    PERMISSION_ORDER,
    AccessEntry,
    Approval,
    IPAsset,
    Licence,
    Likeness,
    PermissionLevel,
    RefundDue,
    UseRequest,
    Verification,
    holding_filter,
)
from ..selectors import consent_current_for, verification_approved_for, verification_passed_for
from .audit import audit_record
from .licences import licence_transition


def likeness_create(
    *, owner: User, name: str, bio: str = "", date_of_birth: date | None = None, as_guardian: bool = False, ward_email: str = ""
) -> Likeness:
    """A new likeness. The date of birth is required (the person's own, or the ward's when a
    parent or guardian creates it). A person under 18 cannot create their own: their parent or
    guardian does (`as_guardian`), and holds it until the person takes it over at 18."""
    from .evaluation import age_on

    name = (name or "").strip()
    if not name:
        raise InvalidInput("A likeness needs a name.")
    if len(name) > 120:
        raise InvalidInput("The name is longer than 120 characters.")
    if owner.kind != User.Kind.TALENT:
        raise Forbidden("Only talent accounts can list a likeness.")
    if date_of_birth is None:
        raise InvalidInput("Give the date of birth of the person whose likeness this is.", code="date_of_birth")
    today = timezone.now().date()
    if date_of_birth > today:
        raise InvalidInput("The date of birth is in the future.", code="date_of_birth")
    age = age_on(date_of_birth, today)
    if age > 130:
        raise InvalidInput("The date of birth is more than 130 years ago.", code="date_of_birth")
    minor = age < 18
    if minor and not as_guardian:
        raise Forbidden(
            "A person under 18 cannot list their own likeness: their parent or guardian creates it from their own account.",
            code="minor_needs_guardian",
        )
    if as_guardian and not minor:
        raise InvalidInput("Only a minor's likeness is created by a guardian; an adult creates their own.", code="date_of_birth")
    ward_email = (ward_email or "").strip().lower()[:254]
    with transaction.atomic():
        likeness = Likeness.objects.create(
            owner=owner,
            name=name,
            bio=(bio or "")[:2000],
            date_of_birth=date_of_birth,
            guardian=owner if minor else None,
            ward_email=ward_email if minor else "",
            # a minor's likeness is only ever used by people the guardian names
            permission_level=PermissionLevel.APPROVED if minor else PermissionLevel.EVERYONE,
        )
        audit_record(actor=owner, action="likeness.created", obj=likeness, data={"name": name, "guardian": minor})
    return likeness


def _likeness_transition(*, likeness: Likeness, to: str, actor: User | None, reason: str = "") -> Likeness:
    likeness = Likeness.objects.select_for_update().get(pk=likeness.pk)
    if to not in Likeness.STATUS_TRANSITIONS[likeness.status]:
        raise Conflict(f"A {likeness.status} likeness cannot become {to}.")
    before = likeness.status
    likeness.status = to
    likeness.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=f"likeness.{to}", obj=likeness, data={"from": before, "reason": reason})
    return likeness


def likeness_publish(*, likeness: Likeness, actor: User) -> Likeness:
    from .evaluation import is_ward
    from .representation import estate_accepted

    _require_holder(likeness, actor)
    with transaction.atomic():
        likeness = Likeness.objects.select_for_update().get(pk=likeness.pk)
        if likeness.managed_by == Likeness.Manager.ESTATE and estate_accepted(likeness) is None:
            raise Conflict("A deceased person's likeness is listed only once a moderator accepted the estate's proof of authority.", code="estate_unproven")
        if is_ward(likeness):
            raise Conflict(
                "A minor's likeness is never listed publicly. Name the people who may use it (allow list) and grant them personal licences.",
                code="minor_not_listed",
            )
        missing = []
        if not verification_passed_for(likeness):
            missing.append("a passed liveness verification")
        elif not verification_approved_for(likeness):
            missing.append("a moderator's approval of the verification (it is in the queue; you will get an e-mail)")
        if not consent_current_for(likeness):
            missing.append("consent to the current consent document")
        if not likeness.references.exists():
            missing.append("at least one verified reference image")
        if missing:
            raise Conflict("Before publishing, this likeness needs " + ", ".join(missing) + ".", reasons=missing)
        return _likeness_transition(likeness=likeness, to=Likeness.Status.LISTED, actor=actor)


def likeness_revoke(*, likeness: Likeness, actor: User, reason: str = "") -> Likeness:
    from .representation import may_consent

    if actor is not None and not (may_consent(likeness, actor) or actor.is_moderator):
        raise Forbidden("Only the talent (or the estate of a deceased person) can revoke this likeness.", code="consent_only")
    return _likeness_revoke(likeness=likeness, actor=actor, reason=reason)


def _likeness_revoke(*, likeness: Likeness, actor: User, reason: str = "") -> Likeness:
    """Revoke a likeness: no new brief or job from the moment this commits (the policy engine
    refuses a revoked party, and job starts re-check under the same row locks); every licence on
    it is revoked with its notice period and a pro-rata refund due; generation is told (on
    commit) to cancel queued work, and released outputs read as revoked on the verify page."""
    with transaction.atomic():
        likeness = _likeness_transition(likeness=likeness, to=Likeness.Status.REVOKED, actor=actor, reason=reason)
        licences_revoke_for_holding(holding=likeness, actor=actor, reason=reason or "likeness revoked")
        Approval.objects.filter(likeness=likeness, status=Approval.Status.PENDING).update(
            status=Approval.Status.REJECTED, reason="revoked", decided_at=timezone.now()
        )
    return likeness


def licences_revoke_for_holding(*, holding, actor: User | None, reason: str) -> list[Licence]:
    revoked = []
    for licence in Licence.objects.select_for_update().select_related("terms").filter(
        **holding_filter(holding), status__in=[Licence.Status.ACTIVE, Licence.Status.SUSPENDED, Licence.Status.PENDING]
    ).order_by("pk"):
        revoked.append(licence_revoke(licence=licence, actor=actor, reason=reason, notice_days=holding.notice_period_days))
    return revoked


def licence_revoke(*, licence: Licence, actor: User | None, reason: str, notice_days: int | None = None) -> Licence:
    """Revoke one licence: generation stops now; what was already published may stay up until the
    notice period ends; the unused part of a paid term is owed back (a RefundDue for the money
    side). The caller holds the licence's lock or this takes it."""
    with transaction.atomic():
        was_active = Licence.objects.filter(pk=licence.pk, status__in=[Licence.Status.ACTIVE, Licence.Status.SUSPENDED]).exists()
        licence = licence_transition(licence=licence, to=Licence.Status.REVOKED, actor=actor, reason=reason)
        now = timezone.now()
        if notice_days is None:
            notice_days = licence.holding.notice_period_days
        Licence.objects.filter(pk=licence.pk).update(revoked_at=now, notice_ends_at=now + timedelta(days=notice_days))
        if was_active and licence.starts_at and licence.ends_at and licence.ends_at > now:
            due, created = RefundDue.objects.get_or_create(
                licence=licence,
                defaults={
                    "remaining_seconds": int((licence.ends_at - now).total_seconds()),
                    "total_seconds": max(int((licence.ends_at - licence.starts_at).total_seconds()), 1),
                    "reason": reason[:255],
                },
            )
            if created:
                # the money side pays it as soon as this commits (the periodic sweep is the safety net)
                transaction.on_commit(lambda: send_task("marketplace.tasks.revocation_refund_settle", due.pk))
        ids = [str(licence.pk)]
        transaction.on_commit(lambda: _tell_generation_revoked(ids))
        from accounts.notifications import Kind, notify

        notify(user=licence.licensee, kind=Kind.REVOCATION, title=f"Your licence for {licence.holding.name} was revoked",
               body=f"No new generations from now; what you published may stay up for {notice_days} days. {reason}".strip(), url="/licences/")
    licence.refresh_from_db()
    return licence


def _tell_generation_revoked(licence_ids: list[str]) -> None:
    """Revocation is an event generation acts on (cancel queued jobs, including remixes down the
    chain). Sent by task name: licensing never imports generation."""
    send_task("generation.tasks.revocation_sweep", licence_ids)


def send_task(name: str, *args) -> None:
    """Tell an app above licensing that something happened, by task name (licensing imports
    neither generation nor marketplace)."""
    from celery import current_app

    task = current_app.tasks.get(name)
    if task is None:  # the apps' task modules are imported lazily (autodiscovery): import them now
        current_app.loader.import_default_modules()
        task = current_app.tasks.get(name)
    if task is not None:
        task.delay(*args)


def notices_end_due(*, now=None) -> list[str]:
    """Run on a schedule: a revoked licence whose notice period has ended takes its last effect.
    Until then its published outputs could stay up; now generation takes them down (told by task
    name). Each licence is handled once; returns the ids handled."""
    now = now or timezone.now()
    done = []
    for pk in Licence.objects.filter(status=Licence.Status.REVOKED, notice_ends_at__lte=now, notice_ended_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            locked = Licence.objects.select_for_update().get(pk=pk)
            if locked.notice_ended_at is not None:
                continue
            Licence.objects.filter(pk=pk).update(notice_ended_at=now)
            audit_record(actor=None, action="licence.notice_ended", obj=locked, data={"notice_ends_at": locked.notice_ends_at.isoformat()})
            done.append(str(pk))
    if done:
        send_task("generation.tasks.notice_ended", done)
    return done


# --- the holder's controls ------------------------------------------------------------------------

REVERIFY_WINDOW = timedelta(minutes=30)


def _require_recent_verification(likeness: Likeness) -> None:
    if not Verification.objects.filter(
        likeness=likeness, status=Verification.Status.PASSED, completed_at__gte=timezone.now() - REVERIFY_WINDOW
    ).exclude(review_status="rejected").exists():
        raise Conflict("This change widens who may use your likeness or what they may make: verify again first (it takes a minute).", code="reverify")


def _wider(before: dict, after: dict) -> bool:
    order = [p.value for p in PERMISSION_ORDER]
    if order.index(after["permission_level"]) > order.index(before["permission_level"]):
        return True
    if set(after["allowed_categories"]) - set(before["allowed_categories"]):
        return True
    if set(before["blocked_words"]) - set(after["blocked_words"]) or set(before["content_rules"]) - set(after["content_rules"]):
        return True
    return (before["require_brief_approval"] and not after["require_brief_approval"]) or (
        before["require_output_approval"] and not after["require_output_approval"]
    )


CONTROL_FIELDS = (
    "permission_level", "allowed_categories", "blocked_words", "content_rules",
    "require_brief_approval", "require_output_approval", "approval_window_hours", "notice_period_days",
)


def relaxable_for(holding) -> frozenset[str]:
    """The categories this holding's holder may relax (``screening.relaxable_categories``): for a
    likeness by its age and screening profile, for an IP asset violence, weapons and drugs only.
    The one answer the rules pages offer and ``controls_update`` enforces."""
    from ..screening import relaxable_categories
    from .evaluation import is_minor

    if isinstance(holding, Likeness):
        return relaxable_categories(is_minor=is_minor(holding), profile=holding.screening_profile)
    return relaxable_categories(is_minor=False, kind="ip_asset")


def _check_relaxable(holding, after: dict) -> None:
    """Only the categories ``relaxable_for`` allows this holder may be relaxed: never minors,
    stalking or deceptive claims; nothing for someone under 18; political endorsement only for a
    politician, sexual content only for an adult performer."""
    from ..screening import CATEGORY_LABELS

    allowed = relaxable_for(holding)
    refused = [c for c in after["allowed_categories"] if c not in allowed]
    if refused:
        names = ", ".join(CATEGORY_LABELS.get(c, c) for c in refused)
        raise InvalidInput(f"These categories cannot be relaxed here: {names}.")


def _require_holder(holding, actor: User) -> None:
    """The holder, or for a likeness anyone who may manage it (an agency granted by the talent,
    an estate with accepted authority)."""
    from .evaluation import _owner_ids
    from .representation import may_manage

    if isinstance(holding, Likeness):
        if not may_manage(holding, actor):
            raise Forbidden("Only the talent, or someone they let manage this likeness, can change this.")
        return
    if actor.pk not in _owner_ids(holding):
        raise Forbidden("Only the rights holder can change this.")


def controls_update(*, holding, actor: User, **changes) -> object:
    """Change who may use a holding and how. Widening anything on a likeness (a higher permission
    level, a relaxed category, a removed rule, dropping an approval) needs a fresh verification.
    Only the holder can: a buyer never relaxes anything."""
    from ..screening import SENSITIVE_CATEGORIES

    _require_holder(holding, actor)
    if "screening_profile" in changes:
        raise InvalidInput(
            "The screening profile is claimed by the talent and approved by a moderator (screening_profile_claim), "
            "or reset to general (screening_profile_reset); it is not one of these controls."
        )
    unknown = set(changes) - set(CONTROL_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown settings: {', '.join(sorted(unknown))}.")
    if "permission_level" in changes and changes["permission_level"] not in PermissionLevel.values:
        raise InvalidInput(f"Permission level must be one of {', '.join(PermissionLevel.values)}.")
    bad = set(changes.get("allowed_categories", ())) - set(SENSITIVE_CATEGORIES)
    if bad:
        raise InvalidInput(f"Unknown content categories: {', '.join(sorted(bad))}.")
    for key in ("blocked_words", "content_rules"):
        if key in changes:
            cleaned = [w.strip() for w in changes[key] if isinstance(w, str) and w.strip()]
            if len(cleaned) > 200 or any(len(w) > 300 for w in cleaned):
                raise InvalidInput("At most 200 entries of at most 300 characters each.")
            changes[key] = list(dict.fromkeys(cleaned))
    if "approval_window_hours" in changes and not 1 <= int(changes["approval_window_hours"]) <= 24 * 30:
        raise InvalidInput("The approval window is between 1 hour and 30 days.")
    if "notice_period_days" in changes and not 0 <= int(changes["notice_period_days"]) <= 365:
        raise InvalidInput("The notice period is between 0 and 365 days.")
    model = type(holding)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=holding.pk)
        before = {f: getattr(locked, f) for f in CONTROL_FIELDS}
        after = {**before, **changes}
        _check_relaxable(locked, after)
        if isinstance(locked, Likeness):
            _ward_controls_check(locked, after)
        if isinstance(locked, Likeness) and set(after["allowed_categories"]) - set(before["allowed_categories"]):
            from .representation import may_consent

            if not may_consent(locked, actor):
                raise Forbidden("Only the talent (or the estate of a deceased person) can relax a content category.", code="consent_only")
        if isinstance(locked, Likeness) and _wider(before, after):
            _require_recent_verification(locked)
        for key, value in changes.items():
            setattr(locked, key, value)
        locked.save(update_fields=list(changes))
        from .representation import on_behalf

        extra = on_behalf(locked, actor) if isinstance(locked, Likeness) else {}
        audit_record(actor=actor, action="controls.updated", obj=locked, data={"before": before, "after": after, **extra})
    return locked


def _ward_controls_check(likeness: Likeness, after: dict) -> None:
    """A minor's likeness: no sensitive category can be relaxed, and only named people may use it."""
    from .evaluation import is_ward

    if not is_ward(likeness):
        return
    if after["allowed_categories"]:
        raise Forbidden("No content category can be relaxed for a minor's likeness.", code="minor_no_relaxation")
    if after["permission_level"] not in (PermissionLevel.ONLY_ME, PermissionLevel.APPROVED):
        raise Forbidden("A minor's likeness is only used by people the guardian names (only me / people I approve).", code="minor_named_only")


def _on_behalf(holding, actor: User) -> dict:
    from .representation import on_behalf

    return on_behalf(holding, actor) if isinstance(holding, Likeness) else {}


def access_entry_set(*, holding, actor: User, user: User, kind: str) -> AccessEntry:
    _require_holder(holding, actor)
    if kind not in AccessEntry.Kind.values:
        raise InvalidInput("An entry is 'allow' or 'deny'.")
    with transaction.atomic():
        entry, _ = AccessEntry.objects.update_or_create(**holding_filter(holding), user=user, defaults={"kind": kind})
        audit_record(actor=actor, action=f"access.{kind}", obj=holding, data={"user": user.pk, **_on_behalf(holding, actor)})
    return entry


def access_entry_remove(*, holding, actor: User, user: User) -> None:
    _require_holder(holding, actor)
    with transaction.atomic():
        AccessEntry.objects.filter(**holding_filter(holding), user=user).delete()
        audit_record(actor=actor, action="access.removed", obj=holding, data={"user": user.pk, **_on_behalf(holding, actor)})


def use_request_create(*, likeness: Likeness, requester: User, message: str = "") -> UseRequest:
    if likeness.owner_id == requester.pk:
        raise Conflict("You do not need to ask to use your own likeness.")
    if likeness.status != Likeness.Status.LISTED:
        raise Conflict("This likeness is not listed.")
    with transaction.atomic():
        if UseRequest.objects.filter(likeness=likeness, requester=requester, status=UseRequest.Status.PENDING).exists():
            raise Conflict("You already have a request waiting for an answer.")
        req = UseRequest.objects.create(likeness=likeness, requester=requester, message=(message or "")[:2000])
        audit_record(actor=requester, action="use_request.created", obj=req)
    return req


def use_request_decide(*, request: UseRequest, actor: User, approve: bool) -> UseRequest:
    if request.likeness.owner_id != actor.pk:
        raise Forbidden("Only the talent can answer this request.")
    with transaction.atomic():
        locked = UseRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != UseRequest.Status.PENDING:
            raise Conflict(f"This request is already {locked.status}.")
        locked.status = UseRequest.Status.APPROVED if approve else UseRequest.Status.DECLINED
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        if approve:
            AccessEntry.objects.update_or_create(likeness=locked.likeness, user=locked.requester, defaults={"kind": AccessEntry.Kind.ALLOW})
        audit_record(actor=actor, action=f"use_request.{locked.status}", obj=locked)
        email = locked.requester.email
        subject = f"Rightscast: your request to use {locked.likeness.name} was {locked.status}"
        transaction.on_commit(lambda: send_mail(subject, subject, None, [email], fail_silently=True))
    return locked


def likeness_details_update(*, likeness: Likeness, actor: User, managed_by: str | None = None, agency=None, date_of_birth=None) -> Likeness:
    _require_holder(likeness, actor)
    if managed_by is not None and managed_by not in Likeness.Manager.values:
        raise InvalidInput(f"Managed by must be one of {', '.join(Likeness.Manager.values)}.")
    if date_of_birth is not None and date_of_birth > timezone.now().date():
        raise InvalidInput("The date of birth is in the future.")
    with transaction.atomic():
        locked = Likeness.objects.select_for_update().get(pk=likeness.pk)
        if date_of_birth is not None and date_of_birth != locked.date_of_birth:
            from .evaluation import age_on

            if verification_approved_for(locked):
                raise Conflict("A moderator checked the date of birth against the verification; ask a moderator to correct it.", code="dob_locked")
            if (age_on(date_of_birth, timezone.now().date()) < 18) != (locked.guardian_id is not None):
                raise Conflict("Whether the person is a minor decides who holds the likeness: create it again with the right date of birth.", code="dob_locked")
        if managed_by is not None:
            locked.managed_by = managed_by
        if agency is not None:
            locked.agency = agency
        if date_of_birth is not None:
            locked.date_of_birth = date_of_birth
        locked.save(update_fields=["managed_by", "agency", "date_of_birth", "updated_at"])
        audit_record(actor=actor, action="likeness.details_updated", obj=locked, data={"managed_by": locked.managed_by})
    return locked


# --- IP assets ------------------------------------------------------------------------------------

def _studio_member(actor: User, studio: Organisation) -> None:
    if studio.kind != Organisation.Kind.STUDIO or not Membership.objects.filter(user=actor, organisation=studio).exists():
        raise Forbidden("Only members of the studio can manage its IP.")


def ip_asset_create(*, studio: Organisation, actor: User, kind: str, name: str, description: str = "") -> IPAsset:
    _studio_member(actor, studio)
    if kind not in IPAsset.Kind.values:
        raise InvalidInput(f"Kind must be one of {', '.join(IPAsset.Kind.values)}.")
    name = (name or "").strip()
    if not name or len(name) > 160:
        raise InvalidInput("An IP asset needs a name of at most 160 characters.")
    with transaction.atomic():
        asset = IPAsset.objects.create(studio=studio, kind=kind, name=name, description=(description or "")[:4000])
        audit_record(actor=actor, action="ip_asset.created", obj=asset)
    return asset


def ip_asset_opt_in(*, asset: IPAsset, actor: User) -> IPAsset:
    """The owner's explicit opt-in: IP is never available by default."""
    _studio_member(actor, asset.studio)
    with transaction.atomic():
        locked = IPAsset.objects.select_for_update().get(pk=asset.pk)
        if locked.status == IPAsset.Status.REVOKED:
            raise Conflict("This IP asset has been revoked.")
        locked.opted_in_at = timezone.now()
        locked.opted_in_by = actor
        locked.status = IPAsset.Status.LISTED
        locked.save(update_fields=["opted_in_at", "opted_in_by", "status"])
        audit_record(actor=actor, action="ip_asset.opted_in", obj=locked)
    return locked


def ip_asset_revoke(*, asset: IPAsset, actor: User, reason: str = "") -> IPAsset:
    _studio_member(actor, asset.studio)
    with transaction.atomic():
        locked = IPAsset.objects.select_for_update().get(pk=asset.pk)
        if locked.status == IPAsset.Status.REVOKED:
            raise Conflict("This IP asset is already revoked.")
        locked.status = IPAsset.Status.REVOKED
        locked.save(update_fields=["status"])
        audit_record(actor=actor, action="ip_asset.revoked", obj=locked, data={"reason": reason})
        licences_revoke_for_holding(holding=locked, actor=actor, reason=reason or "IP asset revoked")
        Approval.objects.filter(ip_asset=locked, status=Approval.Status.PENDING).update(
            status=Approval.Status.REJECTED, reason="revoked", decided_at=timezone.now()
        )
    return locked


def licence_grant(*, holding, actor: User, licensee: User, **terms) -> Licence:
    """A holder grants a licence directly, without a sale (a studio licensing a character to a
    brand it works with). Active at once; the same checks as a sale apply."""
    from .evaluation import sale_refusals
    from .licences import licence_create, terms_create

    _require_holder(holding, actor)
    if licensee.pk == actor.pk:
        raise Conflict("You cannot grant a licence to yourself.")
    with transaction.atomic():
        terms_row = terms_create(**terms)
        refusals = sale_refusals(holding=holding, buyer=licensee, terms=terms_row, direct=True)
        if refusals:
            raise Conflict("This licence cannot be granted: " + " ".join(refusals), reasons=refusals)
        licence = licence_create(licensee=licensee, terms=terms_row, **holding_filter(holding))
        licence = licence_transition(licence=licence, to=Licence.Status.ACTIVE, actor=actor, reason="granted by the rights holder")
    return licence
