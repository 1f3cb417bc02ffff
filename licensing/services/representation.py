"""Who may act for a likeness: the talent; an agency they granted (offers, rules, approvals);
an estate whose proof of authority a moderator accepted (a deceased person's likeness). Only the
talent, or the estate for a deceased person, may consent, relax categories or revoke. Every
act on someone's behalf is audited with whom it was for."""
from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import Membership, Organisation, User
from accounts.uploads import read_bounded

from ..models import EstateAuthority, Likeness, ManagementGrant
from .audit import audit_record

MAX_PROOF_BYTES = 10 * 1024 * 1024
PROOF_TYPES = {b"%PDF": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpg"}


def _member(user: User, org_id) -> bool:
    return Membership.objects.filter(user=user, organisation_id=org_id).exists()


def estate_accepted(likeness: Likeness):
    return EstateAuthority.objects.filter(likeness=likeness, status=EstateAuthority.Status.ACCEPTED).select_related("estate").first()


def acting_as(likeness: Likeness, user: User | None) -> str | None:
    """'talent', 'estate', 'agent' or None: in what capacity `user` may act for `likeness`."""
    if user is None or not user.pk:
        return None
    authority = estate_accepted(likeness) if likeness.managed_by == Likeness.Manager.ESTATE else None
    if authority is not None and _member(user, authority.estate_id):
        return "estate"
    if likeness.owner_id == user.pk and authority is None:
        return "talent"
    if likeness.owner_id == user.pk and authority is not None:
        return "estate"  # the account holding a deceased person's likeness acts for the estate
    agencies = ManagementGrant.objects.filter(likeness=likeness, revoked_at__isnull=True).values_list("agency_id", flat=True)
    if Membership.objects.filter(user=user, organisation_id__in=agencies).exists():
        return "agent"
    return None


def may_manage(likeness: Likeness, user: User) -> bool:
    return acting_as(likeness, user) is not None


def may_consent(likeness: Likeness, user: User) -> bool:
    """Consent, relax categories, revoke: the talent, or for a deceased person the estate once a
    moderator accepted its authority (until then nobody)."""
    role = acting_as(likeness, user)
    if likeness.managed_by == Likeness.Manager.ESTATE:
        return role == "estate"
    return role == "talent"


def on_behalf(likeness: Likeness, user: User) -> dict:
    """What the audit row records about who acted for whom."""
    role = acting_as(likeness, user)
    return {"acting_as": role, "on_behalf_of": likeness.owner_id} if role in ("agent", "estate") else {}


def management_grant(*, likeness: Likeness, talent: User, agency: Organisation) -> ManagementGrant:
    if not may_consent(likeness, talent):
        raise Forbidden("Only the talent (or the estate) can let an agency manage this likeness.")
    if agency.kind != Organisation.Kind.AGENCY:
        raise InvalidInput("Only an agency can be granted management.")
    with transaction.atomic():
        Likeness.objects.select_for_update().get(pk=likeness.pk)
        if ManagementGrant.objects.filter(likeness=likeness, agency=agency, revoked_at__isnull=True).exists():
            raise Conflict(f"{agency.name} already manages this likeness.")
        grant = ManagementGrant.objects.create(likeness=likeness, agency=agency, granted_by=talent)
        audit_record(actor=talent, action="management.granted", obj=likeness, data={"agency": agency.pk, "likeness": str(likeness.pk)})
    return grant


def management_revoke(*, grant: ManagementGrant, talent: User) -> ManagementGrant:
    if not may_consent(grant.likeness, talent):
        raise Forbidden("Only the talent (or the estate) can take management back.")
    with transaction.atomic():
        locked = ManagementGrant.objects.select_for_update().get(pk=grant.pk)
        if locked.revoked_at:
            raise Conflict("This grant was already revoked.")
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(actor=talent, action="management.revoked", obj=locked.likeness, data={"agency": locked.agency_id, "likeness": str(locked.likeness_id)})
    return locked


def estate_authority_submit(*, likeness: Likeness, estate: Organisation, actor: User, document) -> EstateAuthority:
    """An estate sends its proof of authority (a grant of probate, letters of administration: a
    PDF or a scan). The likeness becomes estate-managed; nothing can be consented until a
    moderator accepts the proof."""
    if estate.kind != Organisation.Kind.ESTATE or not _member(actor, estate.pk):
        raise Forbidden("Only a member of the estate can submit its proof of authority.")
    if likeness.owner_id != actor.pk and not _member(likeness.owner, estate.pk):
        raise Forbidden("The likeness must be held by the estate's own account.")
    data = read_bounded(document, MAX_PROOF_BYTES)
    ext = next((e for magic, e in PROOF_TYPES.items() if data.startswith(magic)), None)
    if ext is None:
        raise InvalidInput("The proof of authority is a PDF, PNG or JPEG document.", code="wrong_type")
    with transaction.atomic():
        locked = Likeness.objects.select_for_update().get(pk=likeness.pk)
        authority = EstateAuthority(likeness=locked, estate=estate, submitted_by=actor, document_sha256=hashlib.sha256(data).hexdigest())
        authority.document.save(f"{authority.id}.{ext}", ContentFile(data), save=False)
        authority.save()
        if locked.managed_by != Likeness.Manager.ESTATE:
            locked.managed_by = Likeness.Manager.ESTATE
            locked.save(update_fields=["managed_by", "updated_at"])
        audit_record(actor=actor, action="estate.authority_submitted", obj=authority, data={"likeness": str(locked.pk), "estate": estate.pk})
    return authority


def estate_authority_review(*, authority: EstateAuthority, moderator: User, accept: bool, note: str = "") -> EstateAuthority:
    if not moderator.is_moderator:
        raise Forbidden("Only moderators review an estate's authority.")
    note = (note or "").strip()
    if not accept and not note:
        raise InvalidInput("Say why the proof is not accepted (the estate sees it).")
    with transaction.atomic():
        locked = EstateAuthority.objects.select_for_update().get(pk=authority.pk)
        if locked.status != EstateAuthority.Status.PENDING:
            raise Conflict(f"This proof was already {locked.status}.")
        locked.status = EstateAuthority.Status.ACCEPTED if accept else EstateAuthority.Status.REJECTED
        locked.reviewed_by, locked.reviewed_at, locked.note = moderator, timezone.now(), note[:500]
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "note"])
        audit_record(actor=moderator, action=f"estate.authority_{locked.status}", obj=locked, data={"likeness": str(locked.likeness_id), "note": note})
    return locked
