"""What moderators see: screening refusals, screening profile claims and misuse reports."""
import uuid

from django.conf import settings
from django.db import models

from ..screening.categories import PROFILES
from .holdings import IPAsset, Likeness
from .licences import Licence


class ScreeningRefusal(models.Model):
    """One refusal of a brief by the content screen, for one party: what was attempted (category),
    against whom, at which stage. The party reads the exact rule in its every-use view; moderators
    see counts per category; a moderator may mark a refusal as wrong, which puts it on the review
    list for the screening training set. ``rule`` and ``detail`` may hold a party's private words:
    never shown to the requester."""

    class Stage(models.TextChoices):
        SUBMIT = "submit", "When the brief was sent"
        JOB_START = "job_start", "When the job was about to start"
        RELEASE = "release", "Before the output was released"
        RECHECK = "recheck", "On a later re-check"

    id = models.BigAutoField(primary_key=True)
    reference = models.CharField(max_length=64, db_index=True)  # the brief's id
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.SUBMIT)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    likeness = models.ForeignKey(Likeness, null=True, blank=True, on_delete=models.PROTECT, related_name="screening_refusals")
    ip_asset = models.ForeignKey(IPAsset, null=True, blank=True, on_delete=models.PROTECT, related_name="screening_refusals")
    party = models.CharField(max_length=255)
    category = models.CharField(max_length=32, db_index=True)  # a screening category, or "holder_rule"
    kind = models.CharField(max_length=16)  # category | blocked_word | rule | guard
    rule = models.CharField(max_length=300)
    detail = models.CharField(max_length=500, blank=True)
    prompt = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    marked_wrong_at = models.DateTimeField(null=True, blank=True)
    marked_wrong_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review_note = models.CharField(max_length=500, blank=True)


class ScreeningProfileClaim(models.Model):
    """A talent's claim to a screening profile (politician, adult performer), which lets them relax
    one more category. Claimed by the talent themselves (never an agent, never for a minor), after a
    recent verification, with a statement a moderator checks; the likeness's profile changes only
    when a moderator approves. Going back to the general profile needs no claim."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a moderator"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    id = models.BigAutoField(primary_key=True)
    likeness = models.ForeignKey(Likeness, on_delete=models.PROTECT, related_name="profile_claims")
    profile = models.CharField(max_length=24, choices=[(k, v) for k, v in PROFILES.items() if k != "general"])
    statement = models.TextField(max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["likeness"], condition=models.Q(status="pending"), name="one_pending_profile_claim"),
        ]


class MisuseReport(models.Model):
    """Someone (signed in or not) says a likeness or an output is misused. Checked automatically
    against the watermark and credentials (generation does that and writes `auto_check`), then
    handled by a moderator: a state, a due date, actions taken, an answer to the reporter."""

    class Kind(models.TextChoices):
        MY_LIKENESS = "my_likeness", "Someone used my likeness"
        BREAKS_TERMS = "breaks_terms", "This output breaks its terms"
        OTHER = "other", "Other misuse"

    class Status(models.TextChoices):
        NEW = "new", "New"
        INVESTIGATING = "investigating", "Investigating"
        ACTIONED = "actioned", "Actioned"
        DISMISSED = "dismissed", "Dismissed"

    STATUS_TRANSITIONS = {
        Status.NEW: {Status.INVESTIGATING, Status.ACTIONED, Status.DISMISSED},
        Status.INVESTIGATING: {Status.ACTIONED, Status.DISMISSED},
        Status.ACTIONED: {Status.INVESTIGATING},  # reopened
        Status.DISMISSED: {Status.INVESTIGATING},  # reopened
    }

    class Action(models.TextChoices):
        TAKEDOWN = "takedown", "Output taken down"
        LICENCE_SUSPENSION = "licence_suspension", "Licence suspended"
        ACCOUNT_SUSPENSION = "account_suspension", "Account suspended"
        REFERRAL = "referral", "Referred to the authorities"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reporter_email = models.EmailField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    description = models.TextField(max_length=4000)
    link = models.URLField(max_length=1000, blank=True)
    evidence = models.FileField(upload_to="reports/%Y/%m/", blank=True)  # private: served through access_* only
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    generation_id = models.CharField(max_length=64, blank=True)  # as the reporter gave it, or as the check found it
    likeness = models.ForeignKey(Likeness, null=True, blank=True, on_delete=models.PROTECT, related_name="misuse_reports")
    licence = models.ForeignKey(Licence, null=True, blank=True, on_delete=models.PROTECT, related_name="misuse_reports")
    auto_check = models.JSONField(default=dict, blank=True)  # made here? which generation, licence, still valid?
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW, db_index=True)
    due_at = models.DateTimeField()
    actions = models.JSONField(default=list, blank=True)  # [{"action", "by", "at", "note"}]
    answer = models.TextField(max_length=4000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
