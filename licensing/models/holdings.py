"""What is held and who may touch it: likenesses and IP assets with the controls their holders set,
their allow and deny lists, requests to use them, and who manages them (agencies, estates)."""
import uuid

from django.conf import settings
from django.db import models


class PermissionLevel(models.TextChoices):
    ONLY_ME = "only_me", "Only me"
    APPROVED = "approved", "People I approve"
    VERIFIED_BRANDS = "verified_brands", "Verified brands"
    EVERYONE = "everyone", "Everyone"


PERMISSION_ORDER = [PermissionLevel.ONLY_ME, PermissionLevel.APPROVED, PermissionLevel.VERIFIED_BRANDS, PermissionLevel.EVERYONE]


class RightsControls(models.Model):
    """What a rights holder says about every use of what they hold: who may use it, what content
    is off limits, what needs their approval, and how long a licence runs on after revocation."""

    permission_level = models.CharField(max_length=16, choices=PermissionLevel.choices, default=PermissionLevel.EVERYONE)
    allowed_categories = models.JSONField(default=list, blank=True)  # sensitive categories relaxed by the holder
    blocked_words = models.JSONField(default=list, blank=True)
    content_rules = models.JSONField(default=list, blank=True)  # free-text rules, screened semantically
    require_brief_approval = models.BooleanField(default=False)
    require_output_approval = models.BooleanField(default=False)
    approval_window_hours = models.PositiveIntegerField(default=72)
    notice_period_days = models.PositiveIntegerField(default=7)

    class Meta:
        abstract = True


class HoldingStatus(models.TextChoices):
    """Where a likeness or an IP asset stands: one set of states, and of moves between them, for both."""

    DRAFT = "draft", "Draft"
    LISTED = "listed", "Listed"
    REVOKED = "revoked", "Revoked"


HOLDING_STATUS_TRANSITIONS = {
    HoldingStatus.DRAFT: {HoldingStatus.LISTED, HoldingStatus.REVOKED},
    HoldingStatus.LISTED: {HoldingStatus.DRAFT, HoldingStatus.REVOKED},
    HoldingStatus.REVOKED: set(),
}


class Likeness(RightsControls):
    class Manager(models.TextChoices):
        SELF = "self", "The person themselves"
        AGENT = "agent", "An agency acting for them"
        ESTATE = "estate", "An estate (the person is deceased)"

    Status = HoldingStatus
    STATUS_TRANSITIONS = HOLDING_STATUS_TRANSITIONS

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="likenesses")
    name = models.CharField(max_length=120)
    bio = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    managed_by = models.CharField(max_length=16, choices=Manager.choices, default=Manager.SELF)
    agency = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="likenesses")
    date_of_birth = models.DateField(null=True, blank=True)  # required by likeness_create; null only on rows made before
    # A minor's likeness: the parent or guardian's account holds it (owner == guardian) until the
    # person, once 18, takes it over. While a guardian is set, nothing about it is commercial.
    guardian = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="wards")
    ward_email = models.EmailField(blank=True)  # where the person is asked to take over at 18
    takeover_requested_at = models.DateTimeField(null=True, blank=True)
    # who the person is, for the content screen: a politician may relax political endorsement (own
    # campaign), an adult performer sexual content (licensing.screening.relaxable_categories)
    screening_profile = models.CharField(max_length=24, default="general", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name

    @property
    def under_guardianship(self) -> bool:
        return self.guardian_id is not None


class IPAsset(RightsControls):
    """A character, a world or a brand asset owned by a studio. Never available until its owner
    opts it in."""

    class Kind(models.TextChoices):
        CHARACTER = "character", "Character"
        WORLD = "world", "World"
        BRAND_ASSET = "brand_asset", "Brand asset"

    Status = HoldingStatus
    STATUS_TRANSITIONS = HOLDING_STATUS_TRANSITIONS

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    studio = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="ip_assets")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True, max_length=4000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    opted_in_at = models.DateTimeField(null=True, blank=True)
    opted_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


def holding_filter(holding) -> dict:
    """The lookup naming a holding on the rows that point at one: {"likeness": …} or {"ip_asset": …}."""
    return {"likeness": holding} if isinstance(holding, Likeness) else {"ip_asset": holding}


def one_holding_constraint(name: str, *, as_xor: bool = False) -> models.CheckConstraint:
    """The check on a row that points at a holding through the nullable pair `likeness`, `ip_asset`:
    it names exactly one of them, never both, never neither. `as_xor` writes the same rule as the
    showcase's constraint was first written (generation migration 0010), so its state is unchanged."""
    if as_xor:
        condition = models.Q(likeness__isnull=False) ^ models.Q(ip_asset__isnull=False)
    else:
        condition = models.Q(likeness__isnull=False, ip_asset__isnull=True) | models.Q(likeness__isnull=True, ip_asset__isnull=False)
    return models.CheckConstraint(condition=condition, name=name)


class AccessEntry(models.Model):
    """A rights holder's allow or deny list entry for one user."""

    class Kind(models.TextChoices):
        ALLOW = "allow", "Allowed"
        DENY = "deny", "Denied"

    likeness = models.ForeignKey(Likeness, null=True, blank=True, on_delete=models.CASCADE, related_name="access_entries")
    ip_asset = models.ForeignKey(IPAsset, null=True, blank=True, on_delete=models.CASCADE, related_name="access_entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["likeness", "user"], condition=models.Q(likeness__isnull=False), name="uniq_access_likeness"),
            models.UniqueConstraint(fields=["ip_asset", "user"], condition=models.Q(ip_asset__isnull=False), name="uniq_access_ip"),
            one_holding_constraint("access_entry_one_holding"),
        ]


class UseRequest(models.Model):
    """Someone asks to be allowed to use a likeness (for 'people I approve')."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    likeness = models.ForeignKey(Likeness, on_delete=models.CASCADE, related_name="use_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="use_requests")
    message = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["likeness", "requester"], condition=models.Q(status="pending"), name="uniq_pending_use_request"),
        ]


class ManagementGrant(models.Model):
    """A talent lets an agency's members manage a likeness's offers, rules and approvals (never
    consent, relaxing categories or revocation). Revocable at any time (`revoked_at`)."""

    likeness = models.ForeignKey(Likeness, on_delete=models.PROTECT, related_name="management_grants")
    agency = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="management_grants")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["likeness", "agency"], condition=models.Q(revoked_at__isnull=True), name="uniq_active_management_grant"),
        ]


class EstateAuthority(models.Model):
    """An estate's proof that it administers a deceased person's likeness: an uploaded document
    (kept private: moderators only), reviewed by a moderator."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a moderator"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    likeness = models.ForeignKey(Likeness, on_delete=models.PROTECT, related_name="estate_authorities")
    estate = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="estate_authorities")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    document = models.FileField(upload_to="estate-proofs/%Y/%m/")
    document_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
