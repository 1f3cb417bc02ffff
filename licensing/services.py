"""Writes of the rights core. Every multi-row write is atomic; rows are locked in the fixed order
likeness → licence (→ job → ledger in the apps above)."""
from __future__ import annotations

import hashlib
import io
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import User
from accounts.uploads import read_media_upload

from . import faces, policy
from .models import (
    AuditEvent,
    ConsentDocument,
    ConsentRecord,
    Licence,
    LicenceTerms,
    LicenceTransition,
    Likeness,
    ReferenceImage,
    UsageRecord,
    Verification,
)
from .selectors import (
    consent_current_for,
    consent_document_current,
    verification_passed_for,
)

CHALLENGE_WORDS = (
    "amber", "harbour", "violet", "granite", "meadow", "lantern", "copper", "willow", "orbit", "saffron",
    "falcon", "cedar", "tundra", "marble", "pepper", "river", "signal", "velvet", "canyon", "ember",
    "glacier", "juniper", "nimbus", "quartz", "sparrow", "thistle", "walnut", "zephyr", "beacon", "coral",
)
VERIFICATION_TTL = timedelta(minutes=30)


def audit_record(*, actor: User | None, action: str, obj: Any, data: dict | None = None) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor and actor.pk else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data or {},
    )


# --- likenesses -----------------------------------------------------------------------------------

def likeness_create(*, owner: User, name: str, bio: str = "") -> Likeness:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("A likeness needs a name.")
    if len(name) > 120:
        raise InvalidInput("The name is longer than 120 characters.")
    if owner.kind != User.Kind.TALENT:
        raise Forbidden("Only talent accounts can list a likeness.")
    with transaction.atomic():
        likeness = Likeness.objects.create(owner=owner, name=name, bio=(bio or "")[:2000])
        audit_record(actor=owner, action="likeness.created", obj=likeness, data={"name": name})
    return likeness


def _likeness_transition(*, likeness: Likeness, to: str, actor: User | None, reason: str = "") -> Likeness:
    likeness = Likeness.objects.select_for_update().get(pk=likeness.pk)
    if to not in Likeness.STATUS_TRANSITIONS[likeness.status]:
        raise Conflict(f"A {likeness.status} likeness cannot become {to}.")
    before = likeness.status
    likeness.status = to
    likeness.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=f"likeness.{to}", obj=likeness, data={"from": before, "reason": reason})
    return likeness


def likeness_publish(*, likeness: Likeness, actor: User) -> Likeness:
    with transaction.atomic():
        missing = []
        if not verification_passed_for(likeness):
            missing.append("a passed liveness verification")
        if not consent_current_for(likeness):
            missing.append("consent to the current consent document")
        if not likeness.references.exists():
            missing.append("at least one verified reference image")
        if missing:
            raise Conflict("Before publishing, this likeness needs " + ", ".join(missing) + ".", reasons=missing)
        return _likeness_transition(likeness=likeness, to=Likeness.Status.LISTED, actor=actor)


def likeness_revoke(*, likeness: Likeness, actor: User, reason: str = "") -> Likeness:
    """Stops new briefs at once (the policy engine refuses a revoked party); active licences are
    revoked with it. The notice period, refunds and output flags are the rights-core issue's."""
    with transaction.atomic():
        likeness = _likeness_transition(likeness=likeness, to=Likeness.Status.REVOKED, actor=actor, reason=reason)
        for licence in Licence.objects.select_for_update().filter(
            likeness=likeness, status__in=[Licence.Status.ACTIVE, Licence.Status.SUSPENDED, Licence.Status.PENDING]
        ).order_by("pk"):
            licence_transition(licence=licence, to=Licence.Status.REVOKED, actor=actor, reason="likeness revoked")
    return likeness


# --- verification and consent ---------------------------------------------------------------------

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


def consent_document_publish(*, title: str, text: str) -> ConsentDocument:
    with transaction.atomic():
        last = ConsentDocument.objects.select_for_update().order_by("-version").first()
        doc = ConsentDocument.objects.create(
            version=(last.version + 1) if last else 1,
            title=title,
            text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
        )
    return doc


def consent_accept(
    *, user: User, likeness: Likeness, document_version: int, ip_address: str | None, user_agent: str
) -> ConsentRecord:
    if likeness.owner_id != user.pk:
        raise Forbidden("Only the talent can consent for their own likeness.")
    current = consent_document_current()
    if current is None:
        raise Conflict("No consent document has been published yet.")
    if document_version != current.version:
        raise Conflict(f"Consent document version {document_version} is not the current one ({current.version}).")
    with transaction.atomic():
        record = ConsentRecord.objects.create(
            user=user,
            likeness=likeness,
            document=current,
            document_sha256=current.sha256,
            ip_address=ip_address or None,
            user_agent=(user_agent or "")[:400],
        )
        audit_record(actor=user, action="consent.accepted", obj=likeness, data={"version": current.version, "sha256": current.sha256})
    return record


# --- terms and licences ---------------------------------------------------------------------------

def terms_create(
    *,
    commercial_use: bool = True,
    channels: list[str] | None = None,
    territories: list[str] | None = None,
    duration_days: int = 30,
    generation_quota: int = 10,
    derivatives: str = LicenceTerms.Derivatives.NONE,
    revenue_share_bps: int = 0,
    attribution: bool = True,
    content_standards: str = "",
) -> LicenceTerms:
    if not 1 <= duration_days <= 3650:
        raise InvalidInput("The term must be between 1 and 3650 days.")
    if not 1 <= generation_quota <= 1_000_000:
        raise InvalidInput("The generation quota must be between 1 and 1,000,000.")
    if not 0 <= revenue_share_bps <= 10_000:
        raise InvalidInput("The revenue share is in basis points, between 0 and 10000.")
    if derivatives not in LicenceTerms.Derivatives.values:
        raise InvalidInput(f"Derivatives must be one of {', '.join(LicenceTerms.Derivatives.values)}.")
    return LicenceTerms.objects.create(
        commercial_use=commercial_use,
        channels=list(channels or []),
        territories=[t.upper() for t in (territories or [])],
        duration_days=duration_days,
        generation_quota=generation_quota,
        derivatives=derivatives,
        revenue_share_bps=revenue_share_bps,
        attribution=attribution,
        content_standards=content_standards,
    )


def licence_create(*, likeness: Likeness, licensee: User, terms: LicenceTerms) -> Licence:
    with transaction.atomic():
        licence = Licence.objects.create(likeness=likeness, licensee=licensee, terms=terms)
        LicenceTransition.objects.create(licence=licence, from_status="", to_status=licence.status, actor=licensee)
        audit_record(actor=licensee, action="licence.created", obj=licence, data={"terms": str(terms.pk)})
    return licence


def licence_transition(*, licence: Licence, to: str, actor: User | None, reason: str = "") -> Licence:
    """The one way a licence changes status: checked against the allowed map under a row lock,
    with a history row and an audit row in the same transaction."""
    with transaction.atomic():
        locked = Licence.objects.select_for_update().select_related("terms").get(pk=licence.pk)
        if to not in Licence.STATUS_TRANSITIONS[locked.status]:
            raise Conflict(f"A {locked.status} licence cannot become {to}.")
        before = locked.status
        locked.status = to
        fields = ["status"]
        if to == Licence.Status.ACTIVE and locked.starts_at is None:
            locked.starts_at = timezone.now()
            locked.ends_at = locked.starts_at + timedelta(days=locked.terms.duration_days)
            fields += ["starts_at", "ends_at"]
        locked.save(update_fields=fields)
        LicenceTransition.objects.create(licence=locked, from_status=before, to_status=to, actor=actor, reason=reason)
        audit_record(actor=actor, action=f"licence.{to}", obj=locked, data={"from": before, "reason": reason})
    return locked


# --- the policy engine at the door ----------------------------------------------------------------

def policy_evaluate(
    *, licence: Licence, requester: User, prompt: str, quota_already_used: bool = False
) -> policy.Decision:
    """Gathers the facts for `policy.decide`. Call it with the licence locked when the decision is
    followed by a quota use. `quota_already_used` re-checks a brief whose unit of quota is
    already counted (a job about to start)."""
    likeness = licence.likeness
    parties = [
        policy.PartyFacts(
            label=f"The likeness of {likeness.name}",
            listed=likeness.status == Likeness.Status.LISTED,
            revoked=likeness.status == Likeness.Status.REVOKED,
            consent_current=consent_current_for(likeness),
        )
    ]
    facts = policy.LicenceFacts(
        status=licence.status,
        starts_at=licence.starts_at,
        ends_at=licence.ends_at,
        quota_total=licence.terms.generation_quota,
        quota_used=licence.quota_used - (1 if quota_already_used else 0),
        licensee_id=licence.licensee_id,
    )
    return policy.decide(policy.BriefRequest(requester_id=requester.pk, prompt=prompt, at=timezone.now()), facts, parties)


def usage_record(*, licence: Licence, reference: str, parent: UsageRecord | None = None) -> UsageRecord:
    """Uses one unit of `licence`'s quota for `reference` (a brief id). Idempotent per licence and
    reference; the licence row must be locked by the caller's transaction (select_for_update)."""
    existing = UsageRecord.objects.filter(licence=licence, reference=reference).first()
    if existing:
        return existing
    if licence.quota_used >= licence.terms.generation_quota:
        raise Conflict("The generation quota is used up.")
    Licence.objects.filter(pk=licence.pk).update(quota_used=licence.quota_used + 1)
    licence.quota_used += 1
    return UsageRecord.objects.create(licence=licence, reference=reference, parent=parent)
