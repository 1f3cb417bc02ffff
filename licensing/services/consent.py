"""Consent: versioned documents, append-only acceptance and withdrawal records."""
from __future__ import annotations

import hashlib

from django.db import transaction

from accounts.errors import Conflict, Forbidden
from accounts.models import User

from ..models import ConsentDocument, ConsentRecord, Likeness
from ..selectors import consent_document_current
from .audit import audit_record


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


def consent_role(likeness: Likeness, user: User) -> str:
    """In what capacity `user` consents for `likeness`: the person, their guardian, their estate."""
    if likeness.guardian_id is not None and likeness.guardian_id == user.pk:
        return "guardian"
    return "self"


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
    role = consent_role(likeness, user)
    with transaction.atomic():
        record = ConsentRecord.objects.create(
            user=user,
            likeness=likeness,
            document=current,
            document_sha256=current.sha256,
            role=role,
            ip_address=ip_address or None,
            user_agent=(user_agent or "")[:400],
        )
        audit_record(
            actor=user, action="consent.accepted", obj=likeness, data={"version": current.version, "sha256": current.sha256, "role": role}
        )
    return record


def consent_withdraw(*, user: User, likeness: Likeness, ip_address: str | None, user_agent: str, reason: str = "") -> ConsentRecord:
    """Withdrawing consent is revoking everything: recorded, then the likeness is revoked."""
    from .holdings import likeness_revoke

    if likeness.owner_id != user.pk:
        raise Forbidden("Only the talent can withdraw consent for their own likeness.")
    current = consent_document_current()
    if current is None:
        raise Conflict("No consent document has been published yet.")
    with transaction.atomic():
        record = ConsentRecord.objects.create(
            user=user,
            likeness=likeness,
            document=current,
            document_sha256=current.sha256,
            action="withdrawn",
            role=consent_role(likeness, user),
            ip_address=ip_address or None,
            user_agent=(user_agent or "")[:400],
        )
        audit_record(actor=user, action="consent.withdrawn", obj=likeness, data={"version": current.version})
        if likeness.status != Likeness.Status.REVOKED:
            likeness_revoke(likeness=likeness, actor=user, reason=reason or "consent withdrawn")
    return record
