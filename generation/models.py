"""Briefs (what a licensee asked for, and the policy's answer) and jobs (the render)."""
import uuid

from django.conf import settings
from django.db import models

from licensing.models import Licence


class Brief(models.Model):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REFUSED = "refused", "Refused by policy"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="briefs")
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="briefs")
    prompt = models.TextField(max_length=2000)
    seed = models.BigIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices)
    decision = models.JSONField(default=dict)  # {"allowed": bool, "reasons": [...]}
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)


class GenerationJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    STATUS_TRANSITIONS = {
        Status.QUEUED: {Status.RUNNING, Status.CANCELLED, Status.FAILED},
        Status.RUNNING: {Status.SUCCEEDED, Status.FAILED, Status.CANCELLED},
        Status.SUCCEEDED: set(),
        Status.FAILED: set(),
        Status.CANCELLED: set(),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brief = models.OneToOneField(Brief, on_delete=models.PROTECT, related_name="job")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
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
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)


class JobTransition(models.Model):
    id = models.BigAutoField(primary_key=True)
    job = models.ForeignKey(GenerationJob, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
