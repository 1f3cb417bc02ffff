"""One Checkout for several orders (a campaign's licences): a line item per order, one payment.
The paid webhook grants every order's licence in one transaction (all or none, retried as a
whole if anything unexpected fails); an order that can no longer be granted (cancelled, its
holding revoked since the checkout opened) is cancelled and its line refunded (one refund keyed
by the bundle, asked for after the grant commits: its price and its tax). With Stripe Tax, each
order carries its own line's tax, booked and invoiced as a single order's is. Idempotent: a second checkout request for the
same orders resumes the open bundle; a duplicate webhook finds the bundle paid."""
from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.errors import Conflict, DomainError, Forbidden, InvalidInput
from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence

from ..models import CheckoutBundle, Order
from ..payments import CheckoutRequest, GatewayDeclined, GatewayError, gateway_for
from ..payments.offline import OfflineGateway
from .checkouts import payment_must_match
from .invoices import checkout_tax
from .orders import order_cancel, order_mark_paid, order_transition
from .provider import provider_call

log = logging.getLogger(__name__)
MAX_LINES = 100  # Stripe Checkout's own limit on line items
B = CheckoutBundle.Status


def bundle_checkout_create(*, buyer: User, orders: list[Order], title: str, return_url: str) -> CheckoutBundle:
    """A hosted Checkout for `orders` (the buyer's, pending, paid, one currency), or the open one
    already made for exactly these orders. The bundle is written first (the orders point at it,
    under their row locks); the provider is called after, outside any transaction, keyed by it."""
    ids = sorted({o.pk for o in orders}, key=str)
    if not ids:
        raise InvalidInput("Nothing is waiting for payment.")
    if len(ids) > MAX_LINES:
        raise InvalidInput(f"One checkout holds at most {MAX_LINES} licences.")
    with transaction.atomic():
        locked = list(Order.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        if len(locked) != len(ids) or any(o.buyer_id != buyer.pk for o in locked):
            raise Forbidden("These are not all your orders.")
        if any(o.status != Order.Status.PENDING for o in locked):
            raise Conflict("Some of these licences are no longer waiting for payment; reload and try again.")
        if any(o.amount_minor == 0 for o in locked) or len({o.currency for o in locked}) != 1:
            raise InvalidInput("One checkout is for paid licences in one currency.")
        open_bundles = {o.bundle_id for o in locked}
        if len(open_bundles) == 1 and None not in open_bundles:
            bundle = CheckoutBundle.objects.get(pk=open_bundles.pop())
            if bundle.status == B.PENDING and set(bundle.orders.values_list("pk", flat=True)) == set(ids):
                existing = bundle
            else:
                existing = None
        else:
            existing = None
        if existing is None:
            if any(o.bundle_id for o in locked if CheckoutBundle.objects.filter(pk=o.bundle_id, status=B.PENDING).exists()):
                raise Conflict("Some of these licences are already in another open checkout.")
            backends = {o.payment_backend for o in locked}
            if len(backends) != 1:
                raise Conflict("These orders are paid through different payment backends.")
            existing = CheckoutBundle.objects.create(
                buyer=buyer, amount_minor=sum(o.amount_minor for o in locked), currency=locked[0].currency, payment_backend=backends.pop(),
            )
            Order.objects.filter(pk__in=ids).update(bundle=existing)
            licensing.audit_record(actor=buyer, action="checkout_bundle.created", obj=existing, data={"orders": [str(i) for i in ids]})
    bundle = existing
    if bundle.checkout_session_id:
        return bundle
    lines = tuple(
        (f"{o.offer.holding.name}: {o.offer.title}", o.amount_minor, str(o.pk))
        for o in Order.objects.filter(pk__in=ids).select_related("offer__likeness", "offer__ip_asset").order_by("pk")
    )
    session = provider_call(
        gateway_for(bundle.payment_backend).create_checkout,
        CheckoutRequest(
            key=f"checkout-bundle-{bundle.pk}", kind="bundle", reference=str(bundle.pk), amount_minor=bundle.amount_minor,
            currency=bundle.currency, title=title[:250], success_url=return_url, cancel_url=return_url,
            transfer_group=f"bundle_{bundle.pk.hex}", lines=lines,
        ),
    )
    CheckoutBundle.objects.filter(pk=bundle.pk, checkout_session_id__isnull=True).update(checkout_session_id=session.id, checkout_url=session.url)
    bundle.refresh_from_db()
    return bundle


def bundle_line_taxes(*, bundle: CheckoutBundle, checkout: dict | None, line_items: list[dict] | None) -> dict:
    """{order id: (tax, the line's Checkout shape for its invoice)} from the paid session's line
    items (each names its order in its metadata; Stripe gives each its `amount_tax` and, expanded,
    its `taxes` per rate). The lines' taxes must add up to the session's, every taxed line must be
    one of the bundle's orders and no order may have two: otherwise the tax cannot be attributed and
    nothing is granted (Conflict)."""
    total, _ = checkout_tax(checkout)
    ids = {str(pk) for pk in bundle.orders.values_list("pk", flat=True)}
    found: dict[str, tuple[int, dict]] = {}
    for item in line_items or ():
        tax = item.get("amount_tax") or 0
        if not isinstance(tax, int) or isinstance(tax, bool) or tax < 0:
            raise Conflict(f"A line of checkout {bundle.pk} carries a tax that is not a whole number of minor units.")
        order_id = str((item.get("metadata") or {}).get("order_id") or "")
        if order_id not in ids or order_id in found:
            if not tax:
                continue
            raise Conflict(f"Checkout {bundle.pk}'s line {item.get('id')} is taxed but names no order of it (or one twice).")
        found[order_id] = (tax, {"customer_details": (checkout or {}).get("customer_details"),
                                 "total_details": {"amount_tax": tax, "breakdown": {"taxes": item.get("taxes") or []}}})
    if sum(tax for tax, _ in found.values()) != total:
        raise Conflict(f"Checkout {bundle.pk}'s line items carry {sum(t for t, _ in found.values())} tax; the session, {total}.")
    return found


def bundle_mark_paid(*, bundle_id, reference: str, payment_intent_id: str | None = None, charge_id: str | None = None,
                     amount_minor: int | None = None, currency: str | None = None, checkout: dict | None = None,
                     line_items: list[dict] | None = None) -> CheckoutBundle:
    """The bundle's payment arrived: every order granted in one transaction, each with its line's
    tax (booked to tax_collected as `order_mark_paid` books an order's) and its invoice carrying the
    buyer as Checkout collected them; those that cannot be granted (a DomainError: cancelled,
    revoked since) are cancelled and their lines refunded with their tax after commit. A payment for
    another amount (the orders' plus the session's tax) or currency grants nothing (Conflict).
    `checkout`: the paid session; `line_items`: its line items (needed when it carries tax)."""
    with transaction.atomic():
        bundle = CheckoutBundle.objects.select_for_update().get(pk=bundle_id)
        if bundle.status == B.PAID:
            return bundle
        if bundle.status != B.PENDING:
            raise Conflict(f"The checkout is {bundle.status}; it cannot be paid.")
        tax, _ = checkout_tax(checkout)
        payment_must_match(noun=gettext("checkout"), amount_minor=amount_minor, currency=currency, price_minor=bundle.amount_minor,
                           price_currency=bundle.currency, tax=tax)
        taxes = bundle_line_taxes(bundle=bundle, checkout=checkout, line_items=line_items)
        refused = []
        for order in bundle.orders.order_by("pk"):
            line_tax, line = taxes.get(str(order.pk), (0, {"customer_details": (checkout or {}).get("customer_details")}))
            try:
                with transaction.atomic():  # one savepoint per line: a refused one leaves the others' grants standing
                    order_mark_paid(order_id=order.pk, reference=f"{reference} (checkout {bundle.pk})", checkout=line)
            except DomainError as exc:
                refused.append((order, line_tax, exc.message))
        for order, _, why in refused:
            _void(order.pk, f"not granted when the checkout was paid: {why}"[:200])
        bundle.status, bundle.paid_at = B.PAID, timezone.now()
        bundle.payment_intent_id, bundle.charge_id = payment_intent_id or None, charge_id or None
        bundle.refund_minor = sum(o.amount_minor + line_tax for o, line_tax, _ in refused)  # a line's price and its tax
        bundle.save(update_fields=["status", "paid_at", "payment_intent_id", "charge_id", "refund_minor"])
        licensing.audit_record(actor=None, action="checkout_bundle.paid", obj=bundle,
                               data={"granted": bundle.orders.filter(status=Order.Status.PAID).count(), "tax_minor": tax,
                                     "refused": [str(o.pk) for o, _, _ in refused]})
        if bundle.refund_minor:
            transaction.on_commit(lambda: bundle_refund_submit(bundle_id=bundle.pk))
    return bundle


def _void(order_id, reason: str) -> None:
    """A line that could not be granted: its order cancelled (its licence, if still pending,
    revoked with it; one revoked meanwhile stays as it is)."""
    licence = Licence.objects.select_for_update().get(pk=Order.objects.values_list("licence_id", flat=True).get(pk=order_id))
    if licence.status == Licence.Status.PENDING:
        order_cancel(order_id=order_id, reason=reason)
        return
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status == Order.Status.PENDING:
        order_transition(order=order, to=Order.Status.CANCELLED, reason=reason)


def bundle_refund_submit(*, bundle_id) -> None:
    """Refund the lines that were not granted (keyed by the bundle: repeating makes no second
    refund). A transient failure leaves it for the next call (the bundle page, or a retry)."""
    bundle = CheckoutBundle.objects.get(pk=bundle_id)
    if not bundle.refund_minor or bundle.provider_refund_id or not bundle.payment_intent_id:
        return
    try:
        result = gateway_for(bundle.payment_backend).create_refund(
            key=f"bundle-refund-{bundle.pk}", payment_intent_id=bundle.payment_intent_id, amount_minor=bundle.refund_minor,
            metadata={"bundle_id": str(bundle.pk)},
        )
    except (GatewayError, GatewayDeclined) as exc:
        log.warning("refund of checkout %s not made yet: %s", bundle.pk, exc)
        return
    CheckoutBundle.objects.filter(pk=bundle.pk, provider_refund_id="").update(provider_refund_id=result.id)


def bundle_cancel(*, bundle_id) -> CheckoutBundle:
    """The Checkout expired or its payment failed: the orders leave the bundle (still pending, so a
    new checkout can take them)."""
    with transaction.atomic():
        bundle = CheckoutBundle.objects.select_for_update().get(pk=bundle_id)
        if bundle.status != B.PENDING:
            return bundle
        bundle.status = B.CANCELLED
        bundle.save(update_fields=["status"])
        Order.objects.filter(bundle=bundle, status=Order.Status.PENDING).update(bundle=None)
    return bundle


def bundle_offline_complete(*, bundle: CheckoutBundle, buyer: User, pay: bool = True) -> CheckoutBundle:
    """The offline backend's checkout answered: the same event a hosted checkout sends."""
    from .events import payment_event_ingest

    if bundle.buyer_id != buyer.pk:
        raise Forbidden("This is someone else's checkout.")
    if bundle.payment_backend != "offline":
        raise Conflict("This checkout is paid through Stripe Checkout.")
    if bundle.status != B.PENDING:
        return bundle
    payment_event_ingest(backend="offline", event=OfflineGateway.bundle_event(bundle=bundle, paid=pay))
    bundle.refresh_from_db()
    return bundle
