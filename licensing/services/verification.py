"""Liveness verification (a clip performing a random sequence of head movements), face matching
across likenesses, and the moderator's review."""
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

CHALLENGE_MOVES = 4  # front, then three turns: 8 possible sequences (see DESIGN.md "Liveness")
VERIFICATION_TTL = timedelta(minutes=30)
MAX_CLIP_FRAMES = 36
MOVE_TEXT = {"front": "face the camera", "left": "turn your head to the left", "right": "turn your head to the right"}


def challenge_sequence() -> tuple[str, ...]:
    """A random sequence of head poses: it starts facing the camera and never repeats a pose twice in a row."""
    moves = ["front"]
    while len(moves) < CHALLENGE_MOVES:
        moves.append(secrets.choice([p for p in faces.POSES if p != moves[-1]]))
    return tuple(moves)


def challenge_instructions(challenge: str) -> list[str]:
    return [MOVE_TEXT.get(m, m) for m in challenge.split()]


def verification_start(*, user: User, likeness: Likeness) -> Verification:
    if likeness.owner_id != user.pk:
        raise Forbidden("Only the talent can verify their own likeness.")
    with transaction.atomic():
        verification = Verification.objects.create(
            user=user, likeness=likeness, challenge=" ".join(challenge_sequence()), expires_at=timezone.now() + VERIFICATION_TTL
        )
        audit_record(actor=user, action="verification.started", obj=verification, data={"likeness": str(likeness.pk)})
    return verification


def verification_submit(*, verification: Verification, user: User, files: list) -> Verification:
    """One short clip performing the challenge's head movements. Decoded first (nothing is written
    if it is bad); every sampled frame's head pose is found with OpenCV's frontal and profile
    cascades; the moves must be the challenge's, in order. A still image, a photo held up, a clip
    made for another challenge, a clip used before, or two faces fail with the reason. Frames
    facing the camera become the reference images; their faces are compared with every other
    talent's verified faces, and a match waits for a moderator."""
    if verification.user_id != user.pk:
        raise Forbidden("This verification belongs to someone else.")
    if verification.status != Verification.Status.PENDING:
        raise Conflict(f"This verification is already {verification.status}; start a new one.")
    if timezone.now() >= verification.expires_at:
        with transaction.atomic():
            Verification.objects.filter(pk=verification.pk, status=Verification.Status.PENDING).update(
                status=Verification.Status.EXPIRED
            )
        raise Conflict("The challenge expired; start a new verification to get a fresh sequence of moves.")
    if not files:
        raise InvalidInput("Upload a short clip of yourself following the moves on screen.")
    if len(files) > settings.UPLOAD_MAX_FILES:
        raise InvalidInput(f"Upload one clip (at most {settings.UPLOAD_MAX_FILES} files are read).", code="too_many_files")
    decoded = []
    for f in files:  # every file is decoded (within the request's limits) before anything is written
        if hasattr(f, "seek"):
            f.seek(0)
        raw = f.read(settings.UPLOAD_MAX_BYTES + 1)
        if hasattr(f, "seek"):
            f.seek(0)
        decoded.append((raw, *read_media_upload(f, max_frames=MAX_CLIP_FRAMES)))
    if len(decoded) > 1:
        raise InvalidInput("Upload one clip (not several files).", code="one_clip")
    data, frames, stills = decoded[0]
    media_sha256 = hashlib.sha256(data).hexdigest()
    challenge = tuple(verification.challenge.split())
    check = faces.check_sequence([] if stills else frames, challenge)
    reason = check.reason
    if check.passed and Verification.objects.filter(media_sha256=media_sha256).exclude(pk=verification.pk).exists():
        reason = "This clip was already used for a verification: record a new one for this challenge."
    passed = check.passed and not reason
    keep: list[tuple[bytes, int, int, str]] = []
    if passed:
        for frame, pose in zip(frames, check.poses):
            if pose == "front" and len(keep) < 2:
                fh = faces.face_hash(frame)
                buf = io.BytesIO()
                frame.save(buf, format="PNG")
                keep.append((buf.getvalue(), frame.width, frame.height, fh or ""))
    with transaction.atomic():
        v = Verification.objects.select_for_update().get(pk=verification.pk)
        if v.status != Verification.Status.PENDING:
            raise Conflict(f"This verification is already {v.status}.")
        v.frames_checked = len(check.poses)
        v.frames_with_face = sum(1 for p in check.poses if p not in ("none", "many"))
        v.completed_at = timezone.now()
        v.media_sha256 = media_sha256
        if passed:
            v.status = Verification.Status.PASSED
            hashes = []
            for png, w, h, fh in keep:
                ref = ReferenceImage(likeness=v.likeness, sha256=hashlib.sha256(png).hexdigest(), width=w, height=h, face_hash=fh)
                ref.image.save(f"{ref.id}.png", ContentFile(png), save=False)
                ref.save()
                if fh:
                    hashes.append(fh)
            v.face_match = _face_match(v.likeness, hashes)
        else:
            v.status = Verification.Status.FAILED
            v.failure_reason = reason[:255]
        v.save()
        audit_record(
            actor=user,
            action=f"verification.{v.status}",
            obj=v,
            data={
                "poses": list(check.poses), "performed": list(check.performed), "challenge": list(challenge),
                "references": len(keep), "face_match": str(v.face_match_id) if v.face_match_id else None,
            },
        )
        if v.face_match_id:
            audit_record(actor=None, action="verification.face_match", obj=v, data={"matches": str(v.face_match_id)})
    return v


def _face_match(likeness: Likeness, hashes: list[str]):
    """Another talent's verified likeness with a face within SAME_FACE_BITS of one of these."""
    if not hashes:
        return None
    others = (
        ReferenceImage.objects.exclude(face_hash="")
        .exclude(likeness__owner_id=likeness.owner_id)
        .filter(likeness__verifications__status=Verification.Status.PASSED)
        .exclude(likeness__verifications__review_status="rejected")
        .values_list("likeness_id", "face_hash")
        .distinct()
    )
    for other_id, other_hash in others.iterator():
        if any(faces.hash_distance(h, other_hash) <= faces.SAME_FACE_BITS for h in hashes):
            return Likeness.objects.get(pk=other_id)
    return None


def verification_review(*, verification: Verification, moderator: User, approve: bool, note: str = "", clear_match: bool = False) -> Verification:
    """The moderator's look at a passed liveness check. Rejecting one un-verifies the likeness
    and takes it off the marketplace until the talent verifies again."""
    from .holdings import _likeness_transition

    if not moderator.is_moderator:
        raise Forbidden("Only moderators review verifications.")
    note = (note or "").strip()
    if not approve and not note:
        raise InvalidInput("Give the talent the reason for the rejection (they see it, with what to do next).", code="reason_required")
    with transaction.atomic():
        v = Verification.objects.select_for_update(of=("self",)).select_related("likeness", "face_match").get(pk=verification.pk)
        if v.status != Verification.Status.PASSED:
            raise Conflict("Only passed verifications are reviewed.")
        if v.review_status != "unreviewed":
            raise Conflict(f"This verification was already {v.review_status}.")
        if approve and v.face_match_id and not clear_match:
            raise Conflict(
                f"This face matches the verified likeness “{v.face_match.name}” of another talent: confirm that you checked it "
                "is not someone else's face (clear the match) or reject it.", code="face_match",
            )
        v.review_status = "approved" if approve else "rejected"
        v.reviewed_by = moderator
        v.reviewed_at = timezone.now()
        v.review_note = (note or "")[:500]
        v.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_note"])
        audit_record(
            actor=moderator, action=f"verification.review.{v.review_status}", obj=v,
            data={"note": note, "likeness": str(v.likeness_id), "face_match_cleared": bool(approve and v.face_match_id)},
        )
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
