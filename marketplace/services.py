"""Writes of the marketplace: offers, orders, payment events, the ledger. No payment-provider call
runs inside an open transaction; outgoing calls carry idempotency keys derived from their row."""
from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence, Likeness

from .models import (
    CURRENCIES,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Offer,
    Order,
    PaymentEvent,
)
from .payments import gateway
from .payments.offline import OfflineGateway

log = logging.getLogger(__name__)
CURRENCY_CODES = {code for code, _ in CURRENCIES}
MAX_PRICE_MINOR = 100_000_000_00


def offer_create(
    *, likeness: Likeness, actor: User, title: str, price_minor: int, currency: str, **terms
) -> Offer:
    if likeness.owner_id != actor.pk:
        raise Forbidden("Only the talent can make offers for their likeness.")
    if likeness.status == Likeness.Status.REVOKED:
        raise Conflict("This likeness has been revoked.")
    title = (title or "").strip()
    if not title:
        raise InvalidInput("An offer needs a title.")
    if not isinstance(price_minor, int) or isinstance(price_minor, bool) or not 0 <= price_minor <= MAX_PRICE_MINOR:
        raise InvalidInput("The price is a whole number of minor units (pence, cents), 0 or more.")
    currency = (currency or "").lower()
    if currency not in CURRENCY_CODES:
        raise InvalidInput(f"Currency must be one of {', '.join(sorted(CURRENCY_CODES))}.")
    with transaction.atomic():
        offer = Offer.objects.create(
            likeness=likeness,
            title=title[:160],
            terms=licensing.terms_create(**terms),
            price_minor=price_minor,
            currency=currency,
        )
        licensing.audit_record(actor=actor, action="offer.created", obj=offer, data={"price_minor": price_minor, "currency": currency})
    return offer


def order_create(*, buyer: User, offer: Offer) -> Order:
    """Buy an offer: a pending licence and an order, then a hosted checkout (outside the
    transaction). A free offer grants at once."""
    if buyer.kind not in (User.Kind.BRAND, User.Kind.CREATOR):
        raise Forbidden("Only brand and creator accounts can buy licences.")
    likeness = Likeness.objects.get(pk=offer.likeness_id)
    if not offer.is_active or likeness.status != Likeness.Status.LISTED:
        raise Conflict("This offer is not available.")
    if likeness.owner_id == buyer.pk:
        raise Conflict("You cannot buy a licence to your own likeness.")
    with transaction.atomic():
        licence = licensing.licence_create(likeness=likeness, licensee=buyer, terms=offer.terms)
        order = Order.objects.create(
            buyer=buyer,
            offer=offer,
            licence=licence,
            amount_minor=offer.price_minor,
            currency=offer.currency,
            payment_backend="free" if offer.price_minor == 0 else gateway().name,
            transfer_group=f"order_{licence.pk.hex}",
        )
        licensing.audit_record(actor=buyer, action="order.created", obj=order, data={"offer": str(offer.pk)})
    if offer.price_minor == 0:
        return order_mark_paid(order_id=order.pk, reference="free")

    success = settings.SITE_URL + reverse("marketplace:order-detail", args=[order.pk])
    session = gateway().create_checkout(order=order, title=f"{likeness.name}: {offer.title}", success_url=success, cancel_url=success)
    with transaction.atomic():
        Order.objects.filter(pk=order.pk).update(checkout_session_id=session.id, checkout_url=session.url)
    order.refresh_from_db()
    return order


def order_mark_paid(*, order_id, reference: str) -> Order:
    """Idempotent: the first call activates the licence and posts the ledger; later calls (a
    duplicate webhook) change nothing."""
    with transaction.atomic():
        order = Order.objects.select_related("offer", "licence").get(pk=order_id)
        licence = Licence.objects.select_for_update().get(pk=order.licence_id)
        order = Order.objects.select_for_update().select_related("offer__likeness").get(pk=order_id)
        if order.status == Order.Status.PAID:
            return order
        if order.status != Order.Status.PENDING:
            raise Conflict(f"The order is {order.status}; it cannot be paid.")
        order.status = Order.Status.PAID
        order.paid_at = timezone.now()
        order.save(update_fields=["status", "paid_at"])
        licensing.licence_transition(licence=licence, to=Licence.Status.ACTIVE, actor=None, reason=f"paid ({reference})")
        if order.amount_minor:
            _post_sale(order=order)
        licensing.audit_record(actor=None, action="order.paid", obj=order, data={"reference": reference})
    return order


def order_cancel(*, order_id, reason: str) -> Order:
    with transaction.atomic():
        order = Order.objects.get(pk=order_id)
        licence = Licence.objects.select_for_update().get(pk=order.licence_id)
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status != Order.Status.PENDING:
            return order
        order.status = Order.Status.CANCELLED
        order.save(update_fields=["status"])
        licensing.licence_transition(licence=licence, to=Licence.Status.REVOKED, actor=None, reason=f"order cancelled: {reason}")
    return order


def offline_checkout_complete(*, order: Order, buyer: User, pay: bool) -> Order:
    """The offline backend's hosted page was answered: feed the same event Stripe would send."""
    if order.buyer_id != buyer.pk:
        raise Forbidden("This is someone else's order.")
    if order.payment_backend != "offline":
        raise Conflict("This order is not paid through the offline backend.")
    event = OfflineGateway.completed_event(order=order) if pay else OfflineGateway.expired_event(order=order)
    payment_event_ingest(backend="offline", event=event)
    order.refresh_from_db()
    return order


# --- payment events -------------------------------------------------------------------------------

def payment_event_ingest(*, backend: str, event: dict) -> PaymentEvent:
    """Store an event once under its id, then handle it. A duplicate delivery of a processed event
    does nothing; one whose handling failed is tried again."""
    event_id = event.get("id")
    event_type = event.get("type")
    if not event_id or not event_type:
        raise InvalidInput("The event has no id or type.")
    try:
        with transaction.atomic():
            stored, _ = PaymentEvent.objects.get_or_create(
                backend=backend, event_id=event_id, defaults={"type": event_type, "payload": event}
            )
    except IntegrityError:
        stored = PaymentEvent.objects.get(backend=backend, event_id=event_id)
    if stored.status in (PaymentEvent.Status.PROCESSED, PaymentEvent.Status.IGNORED):
        return stored

    obj = (event.get("data") or {}).get("object") or {}
    order_id = obj.get("client_reference_id") or (obj.get("metadata") or {}).get("order_id")
    try:
        if event_type in ("checkout.session.completed", "checkout.session.async_payment_succeeded") and obj.get(
            "payment_status"
        ) == "paid":
            order_mark_paid(order_id=order_id, reference=event_id)
            outcome = PaymentEvent.Status.PROCESSED
        elif event_type in ("checkout.session.expired", "checkout.session.async_payment_failed"):
            order_cancel(order_id=order_id, reason=event_type)
            outcome = PaymentEvent.Status.PROCESSED
        else:
            outcome = PaymentEvent.Status.IGNORED
        error = ""
    except (Order.DoesNotExist, ValueError, Conflict) as exc:
        log.warning("payment event %s could not be handled: %s", event_id, exc)
        outcome, error = PaymentEvent.Status.FAILED, str(exc)
    PaymentEvent.objects.filter(pk=stored.pk).update(status=outcome, error=error, processed_at=timezone.now())
    stored.refresh_from_db()
    return stored


# --- the ledger -----------------------------------------------------------------------------------

def _account(*, kind: str, currency: str, owner: User | None = None) -> LedgerAccount:
    try:
        with transaction.atomic():
            account, _ = LedgerAccount.objects.get_or_create(kind=kind, owner=owner, currency=currency)
    except IntegrityError:
        account = LedgerAccount.objects.get(kind=kind, owner=owner, currency=currency)
    return account


def ledger_post(*, key: str, description: str, order: Order | None, lines: list[tuple[LedgerAccount, int]]) -> LedgerTransaction:
    """One balanced transaction. Debits positive, credits negative; per currency the lines sum to
    zero. Posting the same key twice returns the first transaction."""
    existing = LedgerTransaction.objects.filter(idempotency_key=key).first()
    if existing:
        return existing
    totals: dict[str, int] = {}
    for account, amount in lines:
        if not isinstance(amount, int) or amount == 0:
            raise ValueError("Ledger amounts are non-zero integers of minor units.")
        totals[account.currency] = totals.get(account.currency, 0) + amount
    if any(totals.values()):
        raise ValueError(f"Unbalanced ledger transaction {key}: {totals}")
    with transaction.atomic():
        txn = LedgerTransaction.objects.create(idempotency_key=key, description=description, order=order)
        LedgerEntry.objects.bulk_create(
            [LedgerEntry(transaction=txn, account=account, amount_minor=amount, currency=account.currency) for account, amount in lines]
        )
    return txn


def split_sale(*, amount_minor: int, fee_bps: int) -> tuple[int, int]:
    """(platform fee, rights holder's share), exact in minor units: the parts sum to the whole."""
    fee = amount_minor * fee_bps // 10_000
    return fee, amount_minor - fee


def _post_sale(*, order: Order) -> LedgerTransaction:
    currency = order.currency
    fee, share = split_sale(amount_minor=order.amount_minor, fee_bps=settings.PLATFORM_FEE_BPS)
    lines = [(_account(kind=LedgerAccount.Kind.BUYER_PAYMENTS, currency=currency), order.amount_minor)]
    if fee:
        lines.append((_account(kind=LedgerAccount.Kind.PLATFORM_REVENUE, currency=currency), -fee))
    if share:
        talent = order.offer.likeness.owner
        lines.append((_account(kind=LedgerAccount.Kind.PAYABLE, currency=currency, owner=talent), -share))
    return ledger_post(key=f"sale-{order.pk}", description=f"Licence sale, order {order.pk}", order=order, lines=lines)
