"""Payment events: stored once under their id with a handling status, then handled. Handlers are
idempotent (each fact they record is keyed) and indifferent to order: an event that depends on
one not yet seen (a refund of a payment not yet recorded) waits as DEFERRED and is tried again
after each event that is handled, and on a schedule. `payment_events_replay` fetches missed
events from the provider's Events API and feeds them through the same door."""
from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.errors import DomainError, InvalidInput

from ..models import PaymentEvent
from ..payments import gateway_for
from .addons import addon_cancel, addon_mark_paid
from .bundles import bundle_cancel, bundle_mark_paid, bundle_refund_apply
from .credit import topup_cancel, topup_mark_paid
from .invoices import checkout_tax
from .orders import order_cancel, order_mark_paid
from .payees import payee_account_apply
from .payouts import transfer_reversals_sync
from .refunds import NotReady, dispute_sync, refund_sync, refunds_sync_for_payment

log = logging.getLogger(__name__)
S = PaymentEvent.Status
STALE_CLAIM = timedelta(minutes=10)
MAX_ATTEMPTS = 25  # for events whose handling failed
MAX_WAIT = timedelta(days=3)  # for events waiting for an earlier one
# What a handler raises when the event can never succeed, however often it is tried: the domain
# refused it, or it names something malformed or unknown (an order id that is not an id).
NEVER_SUCCEEDS = (DomainError, DjangoValidationError, ObjectDoesNotExist, ValueError, TypeError, KeyError)


def _on_checkout_completed(backend: str, obj: dict, event: dict) -> str:
    if obj.get("payment_status") != "paid":
        return S.IGNORED  # an asynchronous payment still under way: its own event follows
    meta = obj.get("metadata") or {}
    kind = meta.get("kind", "order")
    pi = obj.get("payment_intent")
    if isinstance(pi, dict):
        pi = pi.get("id")
    charge = gateway_for(backend).charge_for_payment(payment_intent_id=pi) if pi else None
    amount, currency = obj.get("amount_total"), obj.get("currency")
    if kind == "addon":
        addon_mark_paid(addon_id=meta.get("addon_id") or obj.get("client_reference_id"), payment_intent_id=pi, charge_id=charge,
                        amount_minor=amount, currency=currency, checkout=obj)
    elif kind == "bundle":
        # The tax per order is on the session's line items, which the event does not carry: asked
        # for here, outside any transaction (only when there is tax to attribute).
        taxed = checkout_tax(obj)[0] and obj.get("id")
        items = gateway_for(backend).checkout_line_items(session_id=obj["id"]) if taxed else None
        bundle_mark_paid(bundle_id=meta.get("bundle_id") or obj.get("client_reference_id"), reference=event["id"],
                         payment_intent_id=pi, charge_id=charge, amount_minor=amount, currency=currency, checkout=obj, line_items=items)
    elif kind == "topup":
        topup_mark_paid(topup_id=meta.get("topup_id") or obj.get("client_reference_id"), payment_intent_id=pi, charge_id=charge,
                        amount_minor=amount, currency=currency)
    else:
        order_mark_paid(order_id=obj.get("client_reference_id") or meta.get("order_id"), reference=event["id"],
                        payment_intent_id=pi, charge_id=charge, amount_minor=amount, currency=currency, checkout=obj)
    return S.PROCESSED


def _on_checkout_failed(backend: str, obj: dict, event: dict) -> str:
    meta = obj.get("metadata") or {}
    if meta.get("kind") == "addon":
        addon_cancel(addon_id=meta.get("addon_id") or obj.get("client_reference_id"))
    elif meta.get("kind") == "bundle":
        bundle_cancel(bundle_id=meta.get("bundle_id") or obj.get("client_reference_id"))
    elif meta.get("kind") == "topup":
        topup_cancel(topup_id=meta.get("topup_id") or obj.get("client_reference_id"))
    else:
        order_cancel(order_id=obj.get("client_reference_id") or meta.get("order_id"), reason=event["type"])
    return S.PROCESSED


def _on_account_updated(backend: str, obj: dict, event: dict) -> str:
    state = gateway_for(backend).account_from_event(obj=obj)
    return S.PROCESSED if payee_account_apply(state=state) else S.IGNORED


def _on_refund(backend: str, obj: dict, event: dict) -> str:
    bundle_id = (obj.get("metadata") or {}).get("bundle_id")
    if bundle_id:  # ours, for lines of a checkout that were never granted: nothing sold to undo, only paid out
        applied = bundle_refund_apply(bundle_id=bundle_id, provider_refund_id=obj.get("id") or "", status=obj.get("status"),
                                      failure_reason=str(obj.get("failure_reason") or ""), amount_minor=obj.get("amount"))
        return S.PROCESSED if applied else S.IGNORED
    refund_sync(obj=obj)
    return S.PROCESSED


def _on_charge_refunded(backend: str, obj: dict, event: dict) -> str:
    if (obj.get("metadata") or {}).get("kind") == "bundle":
        return S.IGNORED  # a campaign checkout's refund of lines not granted (bundle_refund_submit): nothing sold to undo
    refunds_sync_for_payment(backend=backend, payment_intent_id=obj.get("payment_intent"), charge_id=obj.get("id"))
    return S.PROCESSED


def _on_dispute(backend: str, obj: dict, event: dict) -> str:
    dispute_sync(obj=obj)
    return S.PROCESSED


def _on_transfer(backend: str, obj: dict, event: dict) -> str:
    transfer_reversals_sync(obj=obj)
    return S.PROCESSED


HANDLERS = {
    "checkout.session.completed": _on_checkout_completed,
    "checkout.session.async_payment_succeeded": _on_checkout_completed,
    "checkout.session.expired": _on_checkout_failed,
    "checkout.session.async_payment_failed": _on_checkout_failed,
    "account.updated": _on_account_updated,
    "refund.created": _on_refund,
    "refund.updated": _on_refund,
    "refund.failed": _on_refund,
    "charge.refund.updated": _on_refund,
    "charge.refunded": _on_charge_refunded,
    "charge.dispute.created": _on_dispute,
    "charge.dispute.updated": _on_dispute,
    "charge.dispute.funds_withdrawn": _on_dispute,
    "charge.dispute.funds_reinstated": _on_dispute,
    "charge.dispute.closed": _on_dispute,
    "transfer.reversed": _on_transfer,
    "transfer.updated": _on_transfer,
}


def payment_event_ingest(*, backend: str, event: dict) -> PaymentEvent:
    """Store an event once under its id, then handle it. A duplicate delivery of a handled event
    does nothing; one that failed or waits is tried again."""
    event_id = event.get("id") if isinstance(event, dict) else None
    event_type = event.get("type") if isinstance(event, dict) else None
    if not isinstance(event_id, str) or not isinstance(event_type, str) or not event_id or not event_type:
        raise InvalidInput("The event has no id or type.")
    if not isinstance((event.get("data") or {}).get("object"), dict):
        raise InvalidInput("The event has no data.object.")
    try:
        with transaction.atomic():
            stored, _ = PaymentEvent.objects.get_or_create(
                backend=backend, event_id=event_id[:255], defaults={"type": event_type[:100], "payload": event}
            )
    except IntegrityError:
        stored = PaymentEvent.objects.get(backend=backend, event_id=event_id[:255])
    stored = payment_event_process(event_pk=stored.pk)
    if stored.status == S.PROCESSED:
        payment_events_retry(statuses=(S.DEFERRED,), limit=50)
    return stored


def payment_event_process(*, event_pk: int) -> PaymentEvent:
    """Claim the event (one handler at a time; a claim left by a crashed process goes stale) and
    handle it."""
    now = timezone.now()
    claimable = (
        Q(status__in=[S.RECEIVED, S.DEFERRED]) | Q(status=S.FAILED, attempts__lt=MAX_ATTEMPTS)
        | Q(status=S.PROCESSING, claimed_at__lt=now - STALE_CLAIM)
    )
    with transaction.atomic():
        claimed = PaymentEvent.objects.filter(claimable, pk=event_pk).update(status=S.PROCESSING, claimed_at=now, attempts=F("attempts") + 1)
    stored = PaymentEvent.objects.get(pk=event_pk)
    if not claimed:
        return stored
    event = stored.payload
    handler = HANDLERS.get(stored.type)
    error, permanent = "", False
    try:
        outcome = handler(stored.backend, event["data"]["object"], event) if handler else S.IGNORED
    except NotReady as exc:
        outcome, error = (S.DEFERRED if stored.received_at > timezone.now() - MAX_WAIT else S.FAILED), str(exc)
    except NEVER_SUCCEEDS as exc:  # the event itself is wrong (a malformed or unknown id): retrying cannot help
        log.warning("payment event %s (%s) can never be handled: %s", stored.event_id, stored.type, exc)
        outcome, error, permanent = S.FAILED, f"{type(exc).__name__}: {exc}", True
    except Exception as exc:  # a handler must never leave an event claimed, nor answer Stripe with a 500
        log.exception("payment event %s (%s) could not be handled", stored.event_id, stored.type)
        outcome, error = S.FAILED, f"{type(exc).__name__}: {exc}"
    PaymentEvent.objects.filter(pk=stored.pk).update(
        status=outcome, error=error[:4000], processed_at=timezone.now() if outcome in (S.PROCESSED, S.IGNORED) else None,
        **({"attempts": MAX_ATTEMPTS} if permanent else {}),  # failed once, never retried
    )
    stored.refresh_from_db()
    return stored


def payment_events_retry(*, statuses=(S.DEFERRED, S.FAILED), limit: int = 200) -> int:
    """Try again events that waited or failed (oldest first), until a pass makes no progress."""
    handled = 0
    while True:
        retryable = Q(status=S.DEFERRED) | Q(status=S.FAILED, attempts__lt=MAX_ATTEMPTS)
        if S.FAILED in statuses:  # and claims left by a process that died while handling
            retryable |= Q(status=S.PROCESSING, claimed_at__lt=timezone.now() - STALE_CLAIM)
        ids = list(
            PaymentEvent.objects.filter(retryable, status__in=[*statuses, S.PROCESSING])
            .order_by("received_at", "pk").values_list("pk", flat=True)[:limit]
        )
        progress = 0
        for pk in ids:
            if payment_event_process(event_pk=pk).status in (S.PROCESSED, S.IGNORED):
                progress += 1
        handled += progress
        if not progress or not ids:
            return handled


def payment_events_replay(*, backend: str, since: int) -> dict:
    """Fetch events created since `since` (Unix time) from the provider's Events API and ingest
    each: those already stored and handled are skipped by the unique event id."""
    counts = {"seen": 0, "new": 0}
    for event in gateway_for(backend).list_events(since=since):
        counts["seen"] += 1
        existed = PaymentEvent.objects.filter(backend=backend, event_id=event["id"]).exists()
        payment_event_ingest(backend=backend, event=event)
        counts["new"] += not existed
    payment_events_retry()
    return counts
