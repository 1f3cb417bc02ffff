"""Licences: their immutable terms, the licence itself and its history, every use made under one,
the holder's approvals, and refunds due."""
import uuid

from django.conf import settings
from django.db import models

from .holdings import IPAsset, Likeness, one_holding_constraint

CHANNELS = ("organic_social", "paid_social", "web", "tv", "out_of_home", "print")


class LicenceTerms(models.Model):
    """Immutable once written (changing an offer's terms writes a new row): licences point at the
    exact terms they were sold under. Modelled on the PIL; deepened by the rights-core issue."""

    class Derivatives(models.TextChoices):
        NONE = "none", "Not allowed"
        ALLOWED = "allowed", "Allowed"
        APPROVAL = "approval", "Need approval"
        RECIPROCAL = "reciprocal", "Allowed on the same terms (reciprocal)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    commercial_use = models.BooleanField(default=True)
    channels = models.JSONField(default=list, blank=True)
    territories = models.JSONField(default=list, blank=True)  # ISO 3166 alpha-2; empty = worldwide
    duration_days = models.PositiveIntegerField(default=30)
    generation_quota = models.PositiveIntegerField(default=10)
    derivatives = models.CharField(max_length=16, choices=Derivatives.choices, default=Derivatives.NONE)
    revenue_share_bps = models.PositiveIntegerField(default=0)
    attribution = models.BooleanField(default=True)
    content_standards = models.TextField(blank=True, max_length=2000)
    exclusivity_category = models.CharField(max_length=80, blank=True)  # e.g. "soft drinks": no competitor in it during the term
    sublicensable = models.BooleanField(default=False)
    ai_training = models.BooleanField(default=False)
    # Which registered model renders generations under these terms ('' : the deployment's own);
    # checked against `licensing.renderers` when the terms are written.
    model_name = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    def as_dict(self) -> dict:
        return {
            "commercial_use": self.commercial_use,
            "channels": list(self.channels),
            "territories": list(self.territories),
            "duration_days": self.duration_days,
            "generation_quota": self.generation_quota,
            "derivatives": self.derivatives,
            "revenue_share_bps": self.revenue_share_bps,
            "attribution": self.attribution,
            "content_standards": self.content_standards,
            "exclusivity_category": self.exclusivity_category,
            "sublicensable": self.sublicensable,
            "ai_training": self.ai_training,
            **({"model_name": self.model_name} if self.model_name else {}),
        }

    def plain_language(self) -> list[str]:
        """The terms as a buyer reads them."""
        lines = [
            "Commercial use allowed." if self.commercial_use else "Personal, non-commercial use only.",
            f"Runs for {self.duration_days} days from purchase, {self.generation_quota} generations.",
            "Channels: " + (", ".join(c.replace("_", " ") for c in self.channels) if self.channels else "any channel") + ".",
            "Territories: " + (", ".join(self.territories) if self.territories else "worldwide") + ".",
            {
                "none": "No derivatives or remixes.",
                "allowed": "Remixes allowed.",
                "approval": "Remixes need the rights holder's approval.",
                "reciprocal": "Remixes allowed, on these same terms.",
            }[self.derivatives],
        ]
        if self.revenue_share_bps:
            lines.append(f"Remixes pay {self.revenue_share_bps / 100:g}% of their revenue up the chain.")
        if self.exclusivity_category:
            lines.append(f"Exclusive in {self.exclusivity_category}: no competing brand during the term.")
        lines.append("Sublicensing allowed." if self.sublicensable else "No sublicensing.")
        lines.append("May be used to train AI models." if self.ai_training else "Not for AI training.")
        if self.attribution:
            lines.append("Attribution required.")
        if self.content_standards:
            lines.append("Content standards: " + self.content_standards)
        return lines


class Indemnity(models.TextChoices):
    NONE = "none", "No indemnity"
    STANDARD = "standard", "Standard indemnity, capped"
    EXTENDED = "extended", "Extended indemnity, uncapped"


class Licence(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending payment"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    STATUS_TRANSITIONS = {
        Status.PENDING: {Status.ACTIVE, Status.REVOKED},
        Status.ACTIVE: {Status.SUSPENDED, Status.EXPIRED, Status.REVOKED},
        Status.SUSPENDED: {Status.ACTIVE, Status.EXPIRED, Status.REVOKED},
        Status.EXPIRED: set(),
        Status.REVOKED: set(),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    likeness = models.ForeignKey(Likeness, null=True, blank=True, on_delete=models.PROTECT, related_name="licences")
    ip_asset = models.ForeignKey(IPAsset, null=True, blank=True, on_delete=models.PROTECT, related_name="licences")
    licensee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="licences")
    terms = models.ForeignKey(LicenceTerms, on_delete=models.PROTECT, related_name="licences")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    quota_used = models.PositiveIntegerField(default=0)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    notice_ends_at = models.DateTimeField(null=True, blank=True)  # published outputs may stay up until then
    notice_ended_at = models.DateTimeField(null=True, blank=True)  # when the notice's end took effect (outputs taken down)
    # The buyer's indemnity bought with the licence (the rights holder answers for claims that the
    # use infringes): recorded here so every output's credentials can state it.
    indemnity = models.CharField(max_length=16, choices=Indemnity.choices, default=Indemnity.NONE)
    indemnity_cap_minor = models.PositiveBigIntegerField(null=True, blank=True)
    indemnity_currency = models.CharField(max_length=3, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(quota_used__gte=0), name="licence_quota_non_negative"),
            one_holding_constraint("licence_one_holding"),
        ]

    @property
    def holding(self):
        return self.likeness or self.ip_asset

    @property
    def quota_left(self) -> int:
        return max(self.terms.generation_quota - self.quota_used, 0)


class LicenceTransition(models.Model):
    id = models.BigAutoField(primary_key=True)
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class UsageRecord(models.Model):
    """One metered use of a licence: a generation made under it. Generation writes it through
    `usage_record`; the money side and the talent's views read it. `reference` is the brief's id
    (licensing never imports generation). A work made under several licences (a talent and a
    character) has one record per licence. `parent` is the record of the remix parent's use, so the
    remix chain, and every ancestor owed a share, is a walk up `parent`."""

    id = models.BigAutoField(primary_key=True)
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="usage")
    reference = models.CharField(max_length=64, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    created_at = models.DateTimeField(auto_now_add=True)
    # The use was given back before anything was rendered (a job cancelled or refused while
    # queued): its quota unit returned and the release meters ran (the fee went back to credit).
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["licence", "reference"], name="uniq_usage_per_licence")]


class Approval(models.Model):
    """A rights holder's say before a brief runs or before an output is released. Lapses at its
    deadline."""

    class Kind(models.TextChoices):
        BRIEF = "brief", "Brief, before generation"
        OUTPUT = "output", "Output, before release"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        LAPSED = "lapsed", "Lapsed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    reference = models.CharField(max_length=64, db_index=True)  # the brief's id
    likeness = models.ForeignKey(Likeness, null=True, blank=True, on_delete=models.PROTECT, related_name="approvals")
    ip_asset = models.ForeignKey(IPAsset, null=True, blank=True, on_delete=models.PROTECT, related_name="approvals")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    deadline = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "reference", "likeness"], condition=models.Q(likeness__isnull=False), name="uniq_approval_likeness"),
            models.UniqueConstraint(fields=["kind", "reference", "ip_asset"], condition=models.Q(ip_asset__isnull=False), name="uniq_approval_ip"),
        ]


class RefundDue(models.Model):
    """Revocation's message to the money side: this licence ended early; refund the unused part
    (remaining/total of its term). Written once per licence; the money side records handling."""

    id = models.BigAutoField(primary_key=True)
    licence = models.OneToOneField(Licence, on_delete=models.PROTECT, related_name="refund_due")
    remaining_seconds = models.PositiveBigIntegerField()
    total_seconds = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
