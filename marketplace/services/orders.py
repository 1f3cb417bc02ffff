"""Offers and orders: buying a licence through a hosted checkout (separate charges and transfers,
one transfer group per order), the paid webhook activating the licence and posting the sale."""
from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import Membership, User
from licensing import services as licensing
from licensing.models import Indemnity, IPAsset, Licence, Likeness, holding_filter

from ..models import CURRENCIES, LedgerAccount, LedgerTransaction, Offer, Order, RevenuePolicy
from ..payments import CheckoutRequest, gateway
from ..payments.offline import OfflineGateway
from .checkouts import payment_must_match
from .invoices import checkout_tax, invoice_issue
from .ledger import account_for, ledger_post, tax_collected_post
from .provider import provider_call
from .sharing import chain_for_sale, paid_event_lines

CURRENCY_CODES = {code for code, _ in CURRENCIES}
MAX_PRICE_MINOR = 100_000_000_00


def _whole_minor(value, label: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_PRICE_MINOR:
        raise InvalidInput(f"{label} is a whole number of minor units (pence, cents), 0 or more.")
    return value


def offer_create(
    *, actor: User, title: str, price_minor: int, currency: str, per_generation_fee_minor: int = 0,
    likeness: Likeness | None = None, ip_asset: IPAsset | None = None,
    revenue_policy: str = RevenuePolicy.RELATIVE, revenue_ceiling_bps: int = 5_000,
    addon_generation_price_minor: int = 0, addon_day_price_minor: int = 0,
    indemnity: str = "none", indemnity_cap_minor: int | None = None, indemnity_price_minor: int = 0, **terms
) -> Offer:
    """An offer on a talent's likeness (by the talent) or on a studio's IP asset (by a member of the
    studio). Both are sold the same way: the same terms, approvals and revocation."""
    if (likeness is None) == (ip_asset is None):
        raise InvalidInput("An offer is for exactly one likeness or IP asset.")
    if likeness is not None:
        if not licensing.may_manage(likeness, actor):
            raise Forbidden("Only the talent, or an agency or estate acting for them, can make offers for this likeness.")
        if likeness.status == Likeness.Status.REVOKED:
            raise Conflict("This likeness has been revoked.")
        if licensing.is_ward(Likeness.objects.get(pk=likeness.pk)):
            raise Conflict("A minor's likeness has no public offers: its guardian grants personal licences to people they name.")
    else:
        if not Membership.objects.filter(user=actor, organisation_id=ip_asset.studio_id, organisation__kind="studio").exists():
            raise Forbidden("Only members of the studio can make offers for its IP.")
        if ip_asset.status == IPAsset.Status.REVOKED:
            raise Conflict("This IP asset has been revoked.")
    title = (title or "").strip()
    if not title:
        raise InvalidInput("An offer needs a title.")
    if not isinstance(price_minor, int) or isinstance(price_minor, bool) or not 0 <= price_minor <= MAX_PRICE_MINOR:
        raise InvalidInput("The price is a whole number of minor units (pence, cents), 0 or more.")
    _whole_minor(per_generation_fee_minor, "The per-generation fee")
    _whole_minor(addon_generation_price_minor, "The price of an extra generation")
    _whole_minor(addon_day_price_minor, "The price of an extra day")
    if indemnity not in Indemnity.values:
        raise InvalidInput(f"Indemnity is one of {', '.join(Indemnity.values)}.")
    _whole_minor(indemnity_price_minor, "The price of the indemnity")
    if indemnity == Indemnity.STANDARD:
        if not isinstance(indemnity_cap_minor, int) or isinstance(indemnity_cap_minor, bool) or not 0 < indemnity_cap_minor <= MAX_PRICE_MINOR:
            raise InvalidInput("A standard indemnity needs a cap: a whole number of minor units above 0.")
    else:
        indemnity_cap_minor = None
    if indemnity == Indemnity.NONE and indemnity_price_minor:
        raise InvalidInput("An offer without indemnity cannot charge for one.")
    currency = (currency or "").lower()
    if currency not in CURRENCY_CODES:
        raise InvalidInput(f"Currency must be one of {', '.join(sorted(CURRENCY_CODES))}.")
    if revenue_policy not in RevenuePolicy.values:
        raise InvalidInput(f"The revenue policy is one of {', '.join(RevenuePolicy.values)}.")
    if not isinstance(revenue_ceiling_bps, int) or isinstance(revenue_ceiling_bps, bool) or not 0 <= revenue_ceiling_bps <= 10_000:
        raise InvalidInput("The ceiling on what remix ancestors share is in basis points, between 0 and 10000.")
    with transaction.atomic():
        offer = Offer.objects.create(
            revenue_policy=revenue_policy,
            revenue_ceiling_bps=revenue_ceiling_bps,
            addon_generation_price_minor=addon_generation_price_minor,
            addon_day_price_minor=addon_day_price_minor,
            indemnity=indemnity,
            indemnity_cap_minor=indemnity_cap_minor,
            indemnity_price_minor=indemnity_price_minor,
            likeness=likeness,
            ip_asset=ip_asset,
            title=title[:160],
            terms=licensing.terms_create(**terms),
            price_minor=price_minor,
            per_generation_fee_minor=per_generation_fee_minor,
            currency=currency,
        )
        licensing.audit_record(
            actor=actor, action="offer.created", obj=offer,
            data={
                "price_minor": price_minor, "currency": currency, "per_generation_fee_minor": per_generation_fee_minor,
                **({"likeness": str(likeness.pk), **licensing.on_behalf(likeness, actor)} if likeness is not None else {}),
            },
        )
    return offer


def _holds(buyer: User, holding) -> bool:
    if isinstance(holding, Likeness):
        return holding.owner_id == buyer.pk
    return Membership.objects.filter(user=buyer, organisation_id=holding.studio_id).exists()


def order_create(*, buyer: User, offer: Offer, checkout: bool = True, remix_of: str | None = None) -> Order:
    """Buy an offer: a pending licence and an order, then a hosted checkout (outside the
    transaction, keyed by the order). A free offer grants at once. A buyer who already has a
    pending order for this offer (a double click, a second tab) gets that order back. With
    `checkout=False` the paid order waits for a Checkout of several orders (`bundle_checkout_create`).

    `remix_of` names a work (a generation's id) the licence is bought to remix: one the buyer may
    remix (generation's rule, through licensing.remix_parents) and someone else made. The sale is
    then shared up that work's remix chain (services.sharing.chain_for_sale)."""
    if buyer.kind not in (User.Kind.BRAND, User.Kind.CREATOR):
        raise Forbidden("Only brand and creator accounts can buy licences.")
    parent_usage = None
    if remix_of:
        from licensing import remix_parents

        parent_usage = remix_parents.resolve(user=buyer, reference=str(remix_of))
        if parent_usage.licence.licensee_id == buyer.pk:
            raise Conflict("That work is your own: a licence bought to remix it is not shared with you. Buy it without naming the work.")
    holding = Likeness.objects.get(pk=offer.likeness_id) if offer.likeness_id else IPAsset.objects.get(pk=offer.ip_asset_id)
    if not offer.is_active or holding.status != "listed":
        raise Conflict("This offer is not available.")
    if _holds(buyer, holding):
        raise Conflict("You cannot buy a licence to your own likeness." if isinstance(holding, Likeness) else "You cannot buy a licence to your own studio's IP.")
    refusals = licensing.sale_refusals(holding=holding, buyer=buyer, terms=offer.terms)
    if refusals:
        raise Forbidden("This licence cannot be sold to you: " + " ".join(refusals), reasons=refusals)
    order = Order.objects.filter(buyer=buyer, offer=offer, status=Order.Status.PENDING).first()
    if order is None:
        try:
            with transaction.atomic():
                licence = licensing.licence_create(licensee=buyer, terms=offer.terms, **holding_filter(holding))
                if offer.indemnity != Indemnity.NONE:
                    licence = licensing.licence_indemnity_record(
                        licence=licence, tier=offer.indemnity, cap_minor=offer.indemnity_cap_minor, currency=offer.currency,
                    )
                order = Order.objects.create(
                    buyer=buyer,
                    offer=offer,
                    licence=licence,
                    amount_minor=offer.total_price_minor,
                    currency=offer.currency,
                    payment_backend="free" if offer.total_price_minor == 0 else gateway().name,
                    transfer_group=f"order_{licence.pk.hex}",
                    remix_of=parent_usage,
                )
                licensing.audit_record(actor=buyer, action="order.created", obj=order, data={"offer": str(offer.pk)})
        except IntegrityError:
            order = Order.objects.filter(buyer=buyer, offer=offer, status=Order.Status.PENDING).first()
            if order is None:
                raise
    if order.amount_minor == 0:
        return order_mark_paid(order_id=order.pk, reference="free")
    if order.checkout_session_id or order.bundle_id or not checkout:
        return order

    success = settings.SITE_URL + reverse("marketplace:order-detail", args=[order.pk])
    session = provider_call(
        gateway().create_checkout,
        CheckoutRequest(
            key=f"checkout-{order.pk}",
            kind="order",
            reference=str(order.pk),
            amount_minor=order.amount_minor,
            currency=order.currency,
            title=f"{holding.name}: {offer.title}",
            success_url=success,
            cancel_url=success,
            transfer_group=order.transfer_group,
        ),
    )
    with transaction.atomic():
        Order.objects.filter(pk=order.pk, checkout_session_id__isnull=True).update(checkout_session_id=session.id, checkout_url=session.url)
    order.refresh_from_db()
    return order


def order_transition(*, order: Order, to: str, reason: str, fields: tuple = ()) -> Order:
    """The one way an order changes status: checked against the allowed map (the caller holds the
    order's lock), with an audit row in the same transaction."""
    if to not in Order.STATUS_TRANSITIONS[order.status]:
        raise Conflict(f"A {order.status} order cannot become {to}.")
    before = order.status
    order.status = to
    order.save(update_fields=["status", *fields])
    licensing.audit_record(actor=None, action=f"order.{to}", obj=order, data={"from": before, "reason": reason[:255]})
    return order


def order_mark_paid(*, order_id, reference: str, payment_intent_id: str | None = None, charge_id: str | None = None,
                    amount_minor: int | None = None, currency: str | None = None, checkout: dict | None = None) -> Order:
    """Idempotent: the first call activates the licence, posts the sale (and the tax Stripe Tax
    added, owed to the tax authorities) and issues the invoice; later calls (a duplicate webhook)
    change nothing. A payment for a different amount or currency than the order's plus its tax
    is refused (nothing is activated). `checkout`: the paid Checkout Session (buyer details, tax)."""
    tax, _ = checkout_tax(checkout)
    with transaction.atomic():
        order = Order.objects.select_related("offer", "licence").get(pk=order_id)
        licence = Licence.objects.select_for_update().get(pk=order.licence_id)
        order = Order.objects.select_for_update(of=("self",)).select_related("offer__likeness", "offer__ip_asset").get(pk=order_id)
        if order.status in (Order.Status.PAID, Order.Status.REFUNDED):
            return order
        if order.status != Order.Status.PENDING:
            raise Conflict(f"The order is {order.status}; it cannot be paid.")
        payment_must_match(noun=gettext("order"), amount_minor=amount_minor, currency=currency, price_minor=order.amount_minor,
                           price_currency=order.currency, tax=tax)
        order.paid_at = timezone.now()
        order.payment_intent_id = payment_intent_id or order.payment_intent_id
        order.charge_id = charge_id or order.charge_id
        order_transition(order=order, to=Order.Status.PAID, reason=f"paid ({reference})", fields=("paid_at", "payment_intent_id", "charge_id"))
        licensing.licence_transition(licence=licence, to=Licence.Status.ACTIVE, actor=None, reason=f"paid ({reference})")
        if order.amount_minor:
            _post_sale(order=order, licence=licence)
            if tax:
                tax_collected_post(key=f"tax-{order.pk}", description=f"Tax collected: {order.offer.title}", tax=tax,
                                   currency=order.currency, order=order, external_id=order.charge_id or "")
        _notify_sale(order)
        if order.amount_minor:
            # last: the invoice series' row lock is held until commit, so take the number when
            # nothing else is left to do (concurrent purchases queue on it for less time)
            invoice_issue(order=order, checkout=checkout)
    return order


def _notify_sale(order: Order) -> None:
    from accounts.display import money
    from accounts.notifications import Kind, notify
    from licensing.services.evaluation import _owner_ids

    holding = order.offer.holding
    url = "/talent/earnings/" if order.offer.likeness_id else f"/studios/{holding.studio_id}/payouts/"
    for owner in User.objects.filter(pk__in=_owner_ids(holding)):
        notify(user=owner, kind=Kind.SALE, title=f"Sold: “{order.offer.title}” for {holding.name}",
               body=f"{order.buyer} bought it for {money(order.amount_minor, order.currency)}.", url=url)


def _post_sale(*, order: Order, licence: Licence) -> LedgerTransaction:
    clearing = account_for(kind=LedgerAccount.Kind.CLEARING, currency=order.currency)
    lines, _ = paid_event_lines(
        amount=order.amount_minor, currency=order.currency, debit=clearing,
        chain=chain_for_sale(licence, remix_of_id=order.remix_of_id),
        policy=order.offer.revenue_policy, ceiling_bps=order.offer.revenue_ceiling_bps,
    )
    return ledger_post(
        key=f"sale-{order.pk}", kind=LedgerTransaction.Kind.SALE, description=f"Licence sale: {order.offer.title}",
        lines=lines, order=order, external_id=order.charge_id or "",
    )


def order_cancel(*, order_id, reason: str) -> Order:
    with transaction.atomic():
        order = Order.objects.get(pk=order_id)
        licence = Licence.objects.select_for_update().get(pk=order.licence_id)
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status != Order.Status.PENDING:
            return order
        order_transition(order=order, to=Order.Status.CANCELLED, reason=reason)
        licensing.licence_transition(licence=licence, to=Licence.Status.REVOKED, actor=None, reason=f"order cancelled: {reason}")
    return order


def offline_checkout_complete(*, order: Order, buyer: User, pay: bool) -> Order:
    """The offline backend's hosted page was answered: feed the same event Stripe would send."""
    from .events import payment_event_ingest

    if order.buyer_id != buyer.pk:
        raise Forbidden("This is someone else's order.")
    if order.payment_backend != "offline":
        raise Conflict("This order is not paid through the offline backend.")
    if order.status != Order.Status.PENDING:
        raise Conflict(f"This order is already {order.get_status_display().lower()}.")
    event = OfflineGateway.completed_event(order=order) if pay else OfflineGateway.expired_event(order=order)
    payment_event_ingest(backend="offline", event=event)
    order.refresh_from_db()
    return order


def split_sale(*, amount_minor: int, fee_bps: int) -> tuple[int, int]:
    """(platform fee, rights holders' part), exact in minor units: the parts sum to the whole."""
    fee = amount_minor * fee_bps // 10_000
    return fee, amount_minor - fee
