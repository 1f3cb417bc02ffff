"""The rights core's records. Knows nothing of marketplace or generation: they meet here through
licences and usage records."""
import uuid

from django.conf import settings
from django.db import models

from .screening.categories import PROFILES


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


class Likeness(RightsControls):
    class Manager(models.TextChoices):
        SELF = "self", "The person themselves"
        AGENT = "agent", "An agency acting for them"
        ESTATE = "estate", "An estate (the person is deceased)"

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
            models.CheckConstraint(
                condition=models.Q(likeness__isnull=False, ip_asset__isnull=True) | models.Q(likeness__isnull=True, ip_asset__isnull=False),
                name="access_entry_one_holding",
            ),
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


class ReferenceImage(models.Model):
    """A photo of the talent that conditions generation. Only usable once verification passed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    likeness = models.ForeignKey(Likeness, on_delete=models.CASCADE, related_name="references")
    image = models.FileField(upload_to="references/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    face_hash = models.CharField(max_length=16, blank=True, db_index=True)  # perceptual hash of the aligned face (licensing.faces)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)


class Verification(models.Model):
    """A liveness check: a random sequence of head movements shown on screen (`challenge`, e.g.
    "front left front right"), a short clip performing it, checked frame by frame."""

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
    review_status = models.CharField(
        max_length=16, default="unreviewed", choices=[("unreviewed", "Waiting for a moderator"), ("approved", "Approved"), ("rejected", "Rejected")]
    )
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True)
    media_sha256 = models.CharField(max_length=64, blank=True, db_index=True)  # the clip: one clip, one verification
    # another talent's verified likeness whose face this one matches: listing waits for a moderator
    face_match = models.ForeignKey("Likeness", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)


class ConsentDocument(models.Model):
    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField(auto_now_add=True)
    # until then, consent to the previous version still counts (talent are told and see the date)
    grace_until = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")


class ConsentRecord(models.Model):
    """Append-only: who consented to which text (by hash), when and from where."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents")
    likeness = models.ForeignKey(Likeness, on_delete=models.PROTECT, related_name="consents")
    document = models.ForeignKey(ConsentDocument, on_delete=models.PROTECT, related_name="records")
    document_sha256 = models.CharField(max_length=64)
    action = models.CharField(max_length=16, default="accepted", choices=[("accepted", "Accepted"), ("withdrawn", "Withdrawn")])
    role = models.CharField(
        max_length=16, default="self",
        choices=[("self", "The person themselves"), ("guardian", "Parent or guardian of a minor"), ("estate", "The estate of a deceased person")],
    )
    accepted_at = models.DateTimeField(auto_now_add=True)  # when this record was made (acceptance or withdrawal)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)


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
            models.CheckConstraint(
                condition=models.Q(likeness__isnull=False, ip_asset__isnull=True) | models.Q(likeness__isnull=True, ip_asset__isnull=False),
                name="licence_one_holding",
            ),
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
