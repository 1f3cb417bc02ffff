"""A likeness's screening profile: which extra category its talent may relax (a politician: political
endorsement for their own campaign; an adult performer: sexual content and fetish).

Who may do what:

* only the talent themselves claims a profile (not an agency acting for them, not an estate: a
  deceased person runs no campaign and performs no more), never for a minor's likeness, and only
  after a verification in the last 30 minutes, with a statement of who they are;
* a moderator approves or rejects the claim; only then does the likeness's profile change;
* the talent (or anyone who may consent for the likeness) may go back to the general profile at any
  time, without a claim: it narrows, and every category the new profile cannot relax is blocked again.

Relaxing the category itself stays a separate, deliberate step on the rules page (``controls_update``,
which again needs a recent verification and the talent's own hand).
"""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import User

from ..models import Likeness, ScreeningProfileClaim
from ..screening import PROFILES, relaxable_categories
from ..screening.categories import PROFILE_GENERAL
from .audit import audit_record
from .evaluation import is_minor, is_ward
from .holdings import _require_recent_verification
from .representation import acting_as, may_consent


def _check_claimable(likeness: Likeness, actor: User) -> None:
    if acting_as(likeness, actor) != "talent" or likeness.managed_by == Likeness.Manager.ESTATE:
        raise Forbidden("Only the talent themselves can claim a screening profile.", code="talent_only")
    if is_ward(likeness) or is_minor(likeness):
        raise Forbidden("A minor's likeness has no screening profile: nothing can be relaxed for it.", code="minor_no_relaxation")


def screening_profile_claim(*, likeness: Likeness, actor: User, profile: str, statement: str) -> ScreeningProfileClaim:
    """The talent claims a profile; a moderator decides (``screening_profile_decide``)."""
    if profile not in PROFILES or profile == PROFILE_GENERAL:
        raise InvalidInput(f"A profile to claim is one of {', '.join(p for p in PROFILES if p != PROFILE_GENERAL)}.")
    statement = (statement or "").strip()
    if len(statement) < 20 or len(statement) > 2000:
        raise InvalidInput("Say who you are in 20 to 2000 characters (the campaign you run, or where you perform), so a moderator can check it.")
    _check_claimable(likeness, actor)
    with transaction.atomic():
        locked = Likeness.objects.select_for_update().get(pk=likeness.pk)
        _check_claimable(locked, actor)
        if locked.screening_profile == profile:
            raise Conflict(f"Your likeness already has the profile “{PROFILES[profile]}”.")
        if ScreeningProfileClaim.objects.filter(likeness=locked, status=ScreeningProfileClaim.Status.PENDING).exists():
            raise Conflict("A profile claim for this likeness is already waiting for a moderator.")
        _require_recent_verification(locked)
        try:
            with transaction.atomic():
                claim = ScreeningProfileClaim.objects.create(likeness=locked, profile=profile, statement=statement, requested_by=actor)
        except IntegrityError:
            raise Conflict("A profile claim for this likeness is already waiting for a moderator.") from None
        audit_record(actor=actor, action="screening_profile.claimed", obj=locked, data={"profile": profile, "claim": claim.pk})
    return claim


def screening_profile_decide(*, claim_id: int, actor: User, approve: bool, reason: str = "") -> ScreeningProfileClaim:
    """A moderator approves (the likeness takes the profile) or rejects (with a reason) a claim."""
    if not getattr(actor, "is_moderator", False):
        raise Forbidden("Only a moderator can decide a profile claim.")
    reason = (reason or "").strip()[:500]
    if not approve and not reason:
        raise InvalidInput("Tell the talent why the claim is rejected.")
    claim = ScreeningProfileClaim.objects.filter(pk=claim_id).first()
    if claim is None:
        raise InvalidInput("No such profile claim.")
    with transaction.atomic():
        likeness = Likeness.objects.select_for_update().get(pk=claim.likeness_id)
        claim = ScreeningProfileClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ScreeningProfileClaim.Status.PENDING:
            raise Conflict(f"This claim was already {claim.get_status_display().lower()}.")
        if claim.requested_by_id == actor.pk:
            raise Forbidden("A moderator cannot decide their own claim.")
        if approve and (is_ward(likeness) or is_minor(likeness)):
            raise Conflict("The likeness is a minor's: no profile can be approved for it.")
        claim.status = ScreeningProfileClaim.Status.APPROVED if approve else ScreeningProfileClaim.Status.REJECTED
        claim.decided_by, claim.decided_at, claim.reason = actor, timezone.now(), reason
        claim.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        before = likeness.screening_profile
        if approve:
            _set_profile(likeness, claim.profile)
        audit_record(actor=actor, action=f"screening_profile.{claim.status}", obj=likeness,
                     data={"claim": claim.pk, "profile": claim.profile, "before": before, "reason": reason})
    return claim


def _set_profile(likeness: Likeness, profile: str) -> None:
    """Set the profile; drop every relaxation the new profile does not allow (under the caller's lock)."""
    allowed = relaxable_categories(is_minor=is_minor(likeness), profile=profile)
    likeness.screening_profile = profile
    likeness.allowed_categories = [c for c in likeness.allowed_categories or [] if c in allowed]
    likeness.save(update_fields=["screening_profile", "allowed_categories"])


def screening_profile_reset(*, likeness: Likeness, actor: User) -> Likeness:
    """Back to the general profile: the talent (or the estate) may, at any time; it only narrows."""
    if not may_consent(likeness, actor):
        raise Forbidden("Only the talent (or the estate of a deceased person) can change the screening profile.", code="consent_only")
    with transaction.atomic():
        locked = Likeness.objects.select_for_update().get(pk=likeness.pk)
        before = {"screening_profile": locked.screening_profile, "allowed_categories": list(locked.allowed_categories or [])}
        _set_profile(locked, PROFILE_GENERAL)
        ScreeningProfileClaim.objects.filter(likeness=locked, status=ScreeningProfileClaim.Status.PENDING).update(
            status=ScreeningProfileClaim.Status.REJECTED, decided_at=timezone.now(), reason="Withdrawn by the talent."
        )
        audit_record(actor=actor, action="screening_profile.reset", obj=locked,
                     data={"before": before, "after": {"screening_profile": PROFILE_GENERAL, "allowed_categories": locked.allowed_categories}})
    return locked
