"""Consent: reference photos, liveness verifications, the consent documents and the append-only
record of who consented to which text."""
import uuid

from django.conf import settings
from django.db import models

from .holdings import Likeness


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
