"""Consent: versioned documents, append-only acceptance and withdrawal records."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import User

from ..models import ConsentDocument, ConsentRecord, Likeness
from ..selectors import consent_document_current
from .audit import audit_record


def consent_document_publish(*, title: str, text: str, moderator: User | None = None, grace_days: int = 0) -> ConsentDocument:
    """A new version of the consent document. A moderator publishes it (None: the system's first
    version); every talent is told by e-mail, and consent to the previous version keeps counting
    for `grace_days` (the talent sees until when)."""
    if moderator is not None and not moderator.is_moderator:
        raise Forbidden("Only moderators publish the consent document.")
    title, text = (title or "").strip(), (text or "").strip()
    if not title or not text:
        raise InvalidInput("The consent document needs a title and its text.")
    if not 0 <= int(grace_days) <= 90:
        raise InvalidInput("The grace period is between 0 and 90 days.")
    with transaction.atomic():
        last = ConsentDocument.objects.select_for_update().order_by("-version").first()
        if last is not None and last.sha256 == hashlib.sha256(text.encode()).hexdigest():
            raise Conflict("This text is the current version already.")
        doc = ConsentDocument.objects.create(
            version=(last.version + 1) if last else 1,
            title=title,
            text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            grace_until=timezone.now() + timedelta(days=int(grace_days)) if grace_days and last else None,
            published_by=moderator,
        )
        if moderator is not None:
            audit_record(actor=moderator, action="consent_document.published", obj=doc, data={"version": doc.version, "grace_days": grace_days})
            emails = sorted(set(User.objects.filter(likenesses__isnull=False, is_active=True).values_list("email", flat=True)))
            when = f"by {doc.grace_until:%d %B %Y}" if doc.grace_until else "now"
            subject = f"Rightscast: a new consent document (version {doc.version}) needs your consent {when}"
            body = (
                f"{doc.title}\n\nRead it and consent again from each of your likeness pages {when}. "
                + ("Until then your likenesses stay on sale under your earlier consent." if doc.grace_until else "New sales wait for your consent.")
            )
            transaction.on_commit(lambda: send_mass_mail([(subject, body, None, [e]) for e in emails], fail_silently=True))
    return doc


def consent_role(likeness: Likeness, user: User) -> str:
    """In what capacity `user` consents for `likeness`: the person, their guardian, their estate."""
    from .representation import acting_as

    if likeness.guardian_id is not None and likeness.guardian_id == user.pk:
        return "guardian"
    return "estate" if acting_as(likeness, user) == "estate" else "self"


def consent_accept(
    *, user: User, likeness: Likeness, document_version: int, ip_address: str | None, user_agent: str
) -> ConsentRecord:
    from .representation import may_consent

    if not may_consent(likeness, user):
        raise Forbidden("Only the talent (or, for a deceased person, the estate once its authority is accepted) can consent.", code="consent_only")
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
    from .representation import may_consent

    if not may_consent(likeness, user):
        raise Forbidden("Only the talent (or the estate of a deceased person) can withdraw consent.", code="consent_only")
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
