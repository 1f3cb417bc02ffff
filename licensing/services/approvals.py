"""Approvals: a rights holder's say on a brief before it runs, or on an output before release.
Each approval lapses at its deadline. What follows a decision (the brief runs, the output is
released or quarantined) is generation's: it calls these and acts on the result."""
from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.errors import Conflict, Forbidden
from accounts.models import User
from webhooks import events as webhook_events

from ..models import Approval, holding_filter
from .audit import audit_record
from .evaluation import _owner_ids, holding_label


def approval_request(*, kind: str, reference: str, holding, requester: User, summary: str) -> Approval:
    existing = Approval.objects.filter(kind=kind, reference=reference, **holding_filter(holding)).first()
    if existing:
        return existing
    approval = Approval.objects.create(
        kind=kind,
        reference=reference,
        requester=requester,
        summary=summary[:2000],
        deadline=timezone.now() + timedelta(hours=holding.approval_window_hours),
        **holding_filter(holding),
    )
    audit_record(actor=requester, action=f"approval.requested.{kind}", obj=approval, data={"reference": reference, "holding": str(holding.pk)})
    from accounts.notifications import Kind, notify

    what = "a brief" if kind == Approval.Kind.BRIEF else "an output"
    for owner in User.objects.filter(pk__in=_owner_ids(holding)):
        notify(user=owner, kind=Kind.APPROVAL_REQUEST, title=f"{requester} asks you to approve {what} for {holding_label(holding)}",
               body=summary[:500], url="/talent/approvals/")
    return approval


def may_decide(approval: Approval, user: User) -> bool:
    holding = approval.likeness or approval.ip_asset
    return user.pk in _owner_ids(holding)


def approval_decide(*, approval: Approval, actor: User, approve: bool, reason: str = "") -> Approval:
    if not may_decide(approval, actor):
        raise Forbidden("Only the rights holder can decide this approval.")
    with transaction.atomic():
        locked = Approval.objects.select_for_update().get(pk=approval.pk)
        if locked.status != Approval.Status.PENDING:
            raise Conflict(f"This approval is already {locked.status}.")
        if timezone.now() >= locked.deadline:
            _close(locked, Approval.Status.LAPSED, actor=None, reason="deadline passed")
            raise Conflict("This approval lapsed at its deadline.")
        _close(locked, Approval.Status.APPROVED if approve else Approval.Status.REJECTED, actor=actor, reason=reason)
    return locked


def approvals_lapse_due(*, now=None) -> list[Approval]:
    """Close every pending approval whose deadline has passed. Returns those it lapsed."""
    now = now or timezone.now()
    lapsed = []
    for pk in Approval.objects.filter(status=Approval.Status.PENDING, deadline__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            locked = Approval.objects.select_for_update().get(pk=pk)
            if locked.status == Approval.Status.PENDING:
                _close(locked, Approval.Status.LAPSED, actor=None, reason="deadline passed")
                lapsed.append(locked)
    return lapsed


def approvals_for(*, reference: str, kind: str) -> list[Approval]:
    return list(Approval.objects.filter(reference=reference, kind=kind).select_related("likeness", "ip_asset"))


def approvals_outcome(*, reference: str, kind: str) -> str:
    """'approved' when every holder approved, 'rejected' when any rejected or lapsed, else 'pending'."""
    statuses = {a.status for a in approvals_for(reference=reference, kind=kind)}
    if statuses & {Approval.Status.REJECTED, Approval.Status.LAPSED}:
        return "rejected"
    if statuses and statuses == {Approval.Status.APPROVED}:
        return "approved"
    return "pending"


def _close(approval: Approval, status: str, *, actor: User | None, reason: str) -> None:
    approval.status = status
    approval.decided_by = actor
    approval.decided_at = timezone.now()
    approval.reason = reason[:500]
    approval.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit_record(actor=actor, action=f"approval.{status}", obj=approval, data={"reference": approval.reference, "reason": reason})
    webhook_events.approval_decided(approval)
    holding = approval.likeness or approval.ip_asset
    what = "brief" if approval.kind == Approval.Kind.BRIEF else "output"
    from accounts.notifications import Kind, notify

    body = f"{approval.summary}\n\nDecision: {status}." + (f"\nReason: {reason}" if reason else "")
    notify(user=approval.requester, kind=Kind.APPROVAL_OUTCOME, title=f"Your {what} for {holding_label(holding)} was {status}", body=body, url="/")
