"""The rights core's records. Knows nothing of marketplace or generation: they meet here through
licences and usage records."""
import uuid

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Append-only: every decision and transition writes one, in the same transaction."""

    id = models.BigAutoField(primary_key=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]


class Likeness(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LISTED = "listed", "Listed"
        REVOKED = "revoked", "Revoked"

    STATUS_TRANSITIONS = {
        Status.DRAFT: {Status.LISTED, Status.REVOKED},
        Status.LISTED: {Status.DRAFT, Status.REVOKED},
        Status.REVOKED: set(),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="likenesses")
    name = models.CharField(max_length=120)
    bio = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class ReferenceImage(models.Model):
    """A photo of the talent that conditions generation. Only usable once verification passed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    likeness = models.ForeignKey(Likeness, on_delete=models.CASCADE, related_name="references")
    image = models.FileField(upload_to="references/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)


class Verification(models.Model):
    """A liveness check: a random challenge phrase shown on screen, media uploaded against it,
    faces searched for in every frame/photo."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for media"
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verifications")
    likeness = models.ForeignKey(Likeness, on_delete=models.CASCADE, related_name="verifications")
    challenge = models.CharField(max_length=120)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    frames_checked = models.PositiveIntegerField(default=0)
    frames_with_face = models.PositiveIntegerField(default=0)
    failure_reason = models.CharField(max_length=255, blank=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)


class ConsentDocument(models.Model):
    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField(auto_now_add=True)


class ConsentRecord(models.Model):
    """Append-only: who consented to which text (by hash), when and from where."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents")
    likeness = models.ForeignKey(Likeness, on_delete=models.PROTECT, related_name="consents")
    document = models.ForeignKey(ConsentDocument, on_delete=models.PROTECT, related_name="records")
    document_sha256 = models.CharField(max_length=64)
    accepted_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)


class LicenceTerms(models.Model):
    """Immutable once written (changing an offer's terms writes a new row): licences point at the
    exact terms they were sold under. Modelled on the PIL; deepened by the rights-core issue."""

    class Derivatives(models.TextChoices):
        NONE = "none", "Not allowed"
        ALLOWED = "allowed", "Allowed"
        APPROVAL = "approval", "Need approval"

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
        }


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
    likeness = models.ForeignKey(Likeness, on_delete=models.PROTECT, related_name="licences")
    licensee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="licences")
    terms = models.ForeignKey(LicenceTerms, on_delete=models.PROTECT, related_name="licences")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    quota_used = models.PositiveIntegerField(default=0)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(quota_used__gte=0), name="licence_quota_non_negative"),
        ]

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

    class Meta:
        constraints = [models.UniqueConstraint(fields=["licence", "reference"], name="uniq_usage_per_licence")]
