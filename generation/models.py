"""Briefs (what a licensee asked for, and the policy's answer) and jobs (the render)."""
import uuid

from django.conf import settings
from django.db import models

from licensing.models import Licence, one_holding_constraint


class Brief(models.Model):
    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for the rights holder's approval"
        ACCEPTED = "accepted", "Accepted"
        REFUSED = "refused", "Refused by policy"
        REJECTED = "rejected", "Rejected by the rights holder"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="briefs")
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="briefs")  # the lead party (the talent)
    extra_licences = models.ManyToManyField(Licence, blank=True, related_name="briefs_as_extra")  # characters, worlds, other parties
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="remixes")  # remix parent
    prompt = models.TextField(max_length=2000)
    prompt_sha256 = models.CharField(max_length=64, blank=True)
    seed = models.BigIntegerField()
    channel = models.CharField(max_length=32, blank=True)
    territory = models.CharField(max_length=2, blank=True)
    media = models.CharField(max_length=8, choices=[("image", "Image"), ("video", "Video")], default="image")
    status = models.CharField(max_length=20, choices=Status.choices)
    decision = models.JSONField(default=dict)  # {"allowed": bool, "reasons": [...], "needs_approval_from": [...]}
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Variants (A/B tests): the briefs of one request for N variants share a group; each is its own
    # generation (own job, mark, credentials and unit of quota). The brand marks winners.
    variant_group = models.UUIDField(null=True, blank=True, db_index=True)
    variant_index = models.PositiveSmallIntegerField(default=0)
    is_winner = models.BooleanField(default=False)
    # A remix renders from its parent's output, moved this far towards the prompt (0 < s <= 1).
    remix_strength = models.FloatField(null=True, blank=True)

    def licences(self) -> list[Licence]:
        # .all() so a prefetch_related("extra_licences") is used (lists of briefs stay one query)
        return [self.licence, *sorted(self.extra_licences.all(), key=lambda lic: str(lic.pk))]


class GenerationJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHING = "finishing", "Finishing"
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
        RELEASED = "released", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        QUARANTINED = "quarantined", "Quarantined (never released)"

    STATUS_TRANSITIONS = {
        Status.QUEUED: {Status.RUNNING, Status.CANCELLED, Status.FAILED},
        # back to QUEUED: the worker holding it stopped (its lease ran out); it runs again, once
        Status.RUNNING: {Status.FINISHING, Status.FAILED, Status.CANCELLED, Status.QUARANTINED, Status.QUEUED},
        Status.FINISHING: {Status.AWAITING_APPROVAL, Status.RELEASED, Status.QUARANTINED, Status.FAILED, Status.QUEUED},
        Status.AWAITING_APPROVAL: {Status.RELEASED, Status.QUARANTINED},
        Status.RELEASED: set(),
        Status.FAILED: set(),
        Status.CANCELLED: set(),
        Status.QUARANTINED: set(),
    }
    TERMINAL = {Status.RELEASED, Status.FAILED, Status.CANCELLED, Status.QUARANTINED}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brief = models.OneToOneField(Brief, on_delete=models.PROTECT, related_name="job")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    step = models.PositiveIntegerField(default=0)
    total_steps = models.PositiveIntegerField(default=0)
    mark_id = models.BigIntegerField(unique=True)  # the watermark payload naming this generation
    output = models.FileField(upload_to="outputs/%Y/%m/", blank=True)
    output_sha256 = models.CharField(max_length=64, blank=True)
    output_mime = models.CharField(max_length=32, blank=True)
    model_name = models.CharField(max_length=200, blank=True)
    device = models.CharField(max_length=32, blank=True)
    c2pa_signed = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    lease_expires_at = models.DateTimeField(null=True, blank=True)  # a running job's worker renews this as it works
    worker = models.CharField(max_length=200, blank=True)
    preview = models.TextField(blank=True)  # a small data: URL of the latest preview, while running
    taken_down_at = models.DateTimeField(null=True, blank=True)  # removed from everywhere it was served
    takedown_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)


class JobTransition(models.Model):
    id = models.BigAutoField(primary_key=True)
    job = models.ForeignKey(GenerationJob, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class FeedPost(models.Model):
    """A released output its licensee or a rights holder published to the public feed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.OneToOneField(GenerationJob, on_delete=models.PROTECT, related_name="feed_post")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feed_posts")
    caption = models.CharField(max_length=280, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=500, blank=True)


class FeedLike(models.Model):
    id = models.BigAutoField(primary_key=True)
    post = models.ForeignKey(FeedPost, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="uniq_feed_like")]


class FeedComment(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", "Visible"
        REMOVED = "removed", "Removed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    post = models.ForeignKey(FeedPost, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=1000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.VISIBLE)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class CommentReport(models.Model):
    """Someone reported a comment; moderators (and the post's author) see it and may remove it."""

    id = models.BigAutoField(primary_key=True)
    comment = models.ForeignKey(FeedComment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="uniq_comment_report")]
class StoredManifest(models.Model):
    """The manifest repository: every output's C2PA manifest store, kept when it is signed, so a
    copy that lost its manifest (a re-encode, a screenshot) but kept the watermark gets it back,
    through the verify answer and the C2PA Soft Binding Resolution API (``/c2pa/...``)."""

    manifest_id = models.CharField(max_length=200, unique=True)  # the active manifest's label, "urn:c2pa:..."
    job = models.OneToOneField(GenerationJob, on_delete=models.PROTECT, related_name="stored_manifest")
    alg = models.CharField(max_length=100)  # the soft binding algorithm
    binding_value = models.CharField(max_length=64, db_index=True)  # base64, as in the c2pa.soft-binding assertion
    store = models.BinaryField()  # the manifest store (application/c2pa)
    created_at = models.DateTimeField(auto_now_add=True)


class ShowcaseItem(models.Model):
    """A released output the rights holder chose to show on their public listing (`generation.
    showcase`). Shown only while the output stays released and served."""

    id = models.BigAutoField(primary_key=True)
    job = models.ForeignKey(GenerationJob, on_delete=models.CASCADE, related_name="showcase_items")
    likeness = models.ForeignKey("licensing.Likeness", null=True, blank=True, on_delete=models.CASCADE, related_name="showcase_items")
    ip_asset = models.ForeignKey("licensing.IPAsset", null=True, blank=True, on_delete=models.CASCADE, related_name="showcase_items")
    position = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            one_holding_constraint("showcase_one_holding", as_xor=True),
            models.UniqueConstraint(fields=["job", "likeness"], condition=models.Q(likeness__isnull=False), name="uniq_showcase_likeness_job"),
            models.UniqueConstraint(fields=["job", "ip_asset"], condition=models.Q(ip_asset__isnull=False), name="uniq_showcase_asset_job"),
        ]
        ordering = ["position", "created_at"]
