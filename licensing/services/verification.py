"""Liveness verification, re-verification before sensitive changes, and the moderator's review."""
from __future__ import annotations

import hashlib
import io
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import User
from accounts.uploads import read_media_upload

from .. import faces
from ..models import Likeness, ReferenceImage, Verification
from .audit import audit_record

CHALLENGE_WORDS = (
    "amber", "harbour", "violet", "granite", "meadow", "lantern", "copper", "willow", "orbit", "saffron",
    "falcon", "cedar", "tundra", "marble", "pepper", "river", "signal", "velvet", "canyon", "ember",
    "glacier", "juniper", "nimbus", "quartz", "sparrow", "thistle", "walnut", "zephyr", "beacon", "coral",
)
VERIFICATION_TTL = timedelta(minutes=30)


def verification_start(*, user: User, likeness: Likeness) -> Verification:
    if likeness.owner_id != user.pk:
        raise Forbidden("Only the talent can verify their own likeness.")
    phrase = " ".join(secrets.choice(CHALLENGE_WORDS) for _ in range(3)) + f" {secrets.randbelow(90) + 10}"
    with transaction.atomic():
        verification = Verification.objects.create(
            user=user, likeness=likeness, challenge=phrase, expires_at=timezone.now() + VERIFICATION_TTL
        )
        audit_record(actor=user, action="verification.started", obj=verification, data={"likeness": str(likeness.pk)})
    return verification


def verification_submit(*, verification: Verification, user: User, files: list) -> Verification:
    """Decode every file first (nothing is written if one is bad), look for faces in every frame;
    pass when a face is found in at least half of the frames, and keep the still photos with a face
    (or the best frame of a clip) as the likeness's reference images."""
    if verification.user_id != user.pk:
        raise Forbidden("This verification belongs to someone else.")
    if verification.status != Verification.Status.PENDING:
        raise Conflict(f"This verification is already {verification.status}; start a new one.")
    if timezone.now() >= verification.expires_at:
        with transaction.atomic():
            Verification.objects.filter(pk=verification.pk, status=Verification.Status.PENDING).update(
                status=Verification.Status.EXPIRED
            )
        raise Conflict("The challenge expired; start a new verification to get a fresh phrase.")
    if not files:
        raise InvalidInput("Upload a short clip or a few photos of yourself saying the phrase.")
    if len(files) > settings.UPLOAD_MAX_FILES:
        raise InvalidInput(f"Upload at most {settings.UPLOAD_MAX_FILES} files.")

    frames_checked = 0
    frames_with_face = 0
    keep: list[tuple[bytes, str, int, int]] = []
    for f in files:
        frames, stills = read_media_upload(f)
        counts = [faces.count_faces(frame) for frame in frames]
        frames_checked += len(frames)
        frames_with_face += sum(1 for c in counts if c > 0)
        if stills:
            for still, count in zip(stills, counts):
                if count > 0:
                    keep.append((still.data, still.mime, still.image.width, still.image.height))
        else:
            best = next((frame for frame, c in zip(frames, counts) if c > 0), None)
            if best is not None:
                buf = io.BytesIO()
                best.save(buf, format="PNG")
                keep.append((buf.getvalue(), "image/png", best.width, best.height))

    passed = frames_with_face > 0 and frames_with_face * 2 >= frames_checked
    with transaction.atomic():
        v = Verification.objects.select_for_update().get(pk=verification.pk)
        if v.status != Verification.Status.PENDING:
            raise Conflict(f"This verification is already {v.status}.")
        v.frames_checked = frames_checked
        v.frames_with_face = frames_with_face
        v.completed_at = timezone.now()
        if passed:
            v.status = Verification.Status.PASSED
            for data, mime, w, h in keep:
                ext = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}[mime]
                ref = ReferenceImage(likeness=v.likeness, sha256=hashlib.sha256(data).hexdigest(), width=w, height=h)
                ref.image.save(f"{ref.id}.{ext}", ContentFile(data), save=False)
                ref.save()
        else:
            v.status = Verification.Status.FAILED
            v.failure_reason = (
                "No face was found." if frames_with_face == 0
                else f"A face was found in only {frames_with_face} of {frames_checked} frames."
            )
        v.save()
        audit_record(
            actor=user,
            action=f"verification.{v.status}",
            obj=v,
            data={"frames_checked": frames_checked, "frames_with_face": frames_with_face, "references": len(keep) if passed else 0},
        )
    return v


def verification_review(*, verification: Verification, moderator: User, approve: bool, note: str = "") -> Verification:
    """The moderator's look at a passed liveness check. Rejecting one un-verifies the likeness
    and takes it off the marketplace until the talent verifies again."""
    from .holdings import _likeness_transition

    if not moderator.is_moderator:
        raise Forbidden("Only moderators review verifications.")
    note = (note or "").strip()
    if not approve and not note:
        raise InvalidInput("Give the talent the reason for the rejection (they see it, with what to do next).", code="reason_required")
    with transaction.atomic():
        v = Verification.objects.select_for_update().select_related("likeness").get(pk=verification.pk)
        if v.status != Verification.Status.PASSED:
            raise Conflict("Only passed verifications are reviewed.")
        if v.review_status != "unreviewed":
            raise Conflict(f"This verification was already {v.review_status}.")
        v.review_status = "approved" if approve else "rejected"
        v.reviewed_by = moderator
        v.reviewed_at = timezone.now()
        v.review_note = (note or "")[:500]
        v.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_note"])
        audit_record(actor=moderator, action=f"verification.review.{v.review_status}", obj=v, data={"note": note, "likeness": str(v.likeness_id)})
        likeness = v.likeness
        _tell_talent_reviewed(v)
        if not approve and likeness.status == Likeness.Status.LISTED:
            from ..selectors import verification_passed_for

            if not verification_passed_for(likeness):
                _likeness_transition(likeness=likeness, to=Likeness.Status.DRAFT, actor=moderator, reason="verification rejected by a moderator")
    return v


REJECTION_NEXT_STEPS = (
    "Start a new verification from your likeness page and record the clip again: face the camera in good light, "
    "follow each head movement on screen, alone in the picture. Check that the date of birth you gave is right."
)


def _tell_talent_reviewed(v: Verification) -> None:
    email = v.user.email
    if v.review_status == "approved":
        subject = f"Rightscast: your verification for {v.likeness.name} was approved"
        body = "A moderator approved your verification. You can now publish your likeness."
    else:
        subject = f"Rightscast: your verification for {v.likeness.name} was not approved"
        body = f"Reason: {v.review_note}\n\nWhat to do next: {REJECTION_NEXT_STEPS}"
    transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=True))
