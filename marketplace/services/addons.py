"""Self-serve add-ons: a licensee buys more generations or a longer term for a licence they hold,
through its own checkout, priced by the licence's offer. Paid once: under the licence's lock the
add-on is marked paid, licensing extends the licence, and the payment is shared as the sale was;
the tax Stripe Tax adds (a licence sale, taxed as the order was) is owed, not shared, and the
add-on gets its own invoice (services.invoices.addon_invoice_issue) in the same transaction."""
from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence

from ..models import LedgerAccount, LedgerTransaction, LicenceAddOn, Order
from ..payments import CheckoutRequest, gateway
from .checkouts import offline_checkout_answer, payment_must_match, pending_checkout_cancel
from .invoices import addon_invoice_issue, checkout_tax
from .ledger import account_for, ledger_post, tax_collected_post
from .provider import provider_call
from .sharing import chain_for_sale, paid_event_lines

MAX_GENERATIONS = 1_000_000
MAX_DAYS = 3650


def addon_price(*, order: Order, generations: int, days: int) -> int:
    offer = order.offer
    if generations and not offer.addon_generation_price_minor:
        raise Conflict("More generations are not sold for this licence.")
    if days and not offer.addon_day_price_minor:
        raise Conflict("A longer term is not sold for this licence.")
    return generations * offer.addon_generation_price_minor + days * offer.addon_day_price_minor


def addon_create(*, buyer: User, licence: Licence, generations: int = 0, days: int = 0) -> LicenceAddOn:
    """A pending add-on and its checkout (outside the transaction, keyed by the add-on). A buyer
    with a pending add-on on this licence gets that one back (a double click, a second tab)."""
    for value, label, top in ((generations, "Generations", MAX_GENERATIONS), (days, "Days", MAX_DAYS)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
            raise InvalidInput(f"{label} is a whole number between 0 and {top:,}.")
    if not (generations or days):
        raise InvalidInput("Choose more generations, more days, or both.")
    if licence.licensee_id != buyer.pk:
        raise Forbidden("This is someone else's licence.")
    if licence.status != Licence.Status.ACTIVE:
        raise Conflict(f"Only an active licence can be extended; this one is {licence.get_status_display().lower()}.")
    order = Order.objects.filter(licence=licence, status=Order.Status.PAID).select_related("offer").first()
    if order is None:
        raise Conflict("This licence was not bought through an offer, so it has no add-ons.")
    amount = addon_price(order=order, generations=generations, days=days)
    addon = LicenceAddOn.objects.filter(licence=licence, status=LicenceAddOn.Status.PENDING).first()
    if addon is None:
        try:
            with transaction.atomic():
                addon = LicenceAddOn.objects.create(
                    order=order, licence=licence, buyer=buyer, generations=generations, days=days, amount_minor=amount,
                    currency=order.currency, payment_backend=gateway().name,
                )
                licensing.audit_record(actor=buyer, action="addon.created", obj=licence,
                                       data={"addon": str(addon.pk), "generations": generations, "days": days, "amount_minor": amount})
        except IntegrityError:
            addon = LicenceAddOn.objects.filter(licence=licence, status=LicenceAddOn.Status.PENDING).first()
            if addon is None:
                raise
    if addon.checkout_session_id:
        return addon
    back = settings.SITE_URL + reverse("marketplace:licence-addons", args=[licence.pk])
    what = " and ".join(x for x in (f"{addon.generations} more generations" if addon.generations else "",
                                     f"{addon.days} more days" if addon.days else "") if x)
    session = provider_call(
        gateway().create_checkout,
        CheckoutRequest(
            key=f"addon-checkout-{addon.pk}", kind="addon", reference=str(addon.pk), amount_minor=addon.amount_minor,
            currency=addon.currency, title=f"{licence.holding.name}: {what}", success_url=back, cancel_url=back,
            transfer_group=f"addon_{addon.pk.hex}",
        ),
    )
    with transaction.atomic():
        LicenceAddOn.objects.filter(pk=addon.pk, checkout_session_id__isnull=True).update(checkout_session_id=session.id, checkout_url=session.url)
    addon.refresh_from_db()
    return addon


def addon_mark_paid(*, addon_id, payment_intent_id: str | None = None, charge_id: str | None = None,
                    amount_minor: int | None = None, currency: str | None = None, checkout: dict | None = None) -> LicenceAddOn:
    """Idempotent: the first call extends the licence and posts the payment (and the tax Stripe Tax
    added, owed to the tax authorities: booked to tax_collected, not shared up the royalty chain);
    later calls (a duplicate webhook, a second delivery at the same moment) change nothing. A
    payment for another amount than the price plus its tax, or another currency, is refused.
    `checkout`: the paid Checkout Session (its tax)."""
    tax, _ = checkout_tax(checkout)
    with transaction.atomic():
        addon = LicenceAddOn.objects.get(pk=addon_id)
        licence = Licence.objects.select_for_update().get(pk=addon.licence_id)
        addon = LicenceAddOn.objects.select_for_update(of=("self",)).select_related("order__offer").get(pk=addon_id)
        if addon.status in (LicenceAddOn.Status.PAID, LicenceAddOn.Status.REFUNDED):  # paid already (and refunded since)
            return addon
        if addon.status != LicenceAddOn.Status.PENDING:
            raise Conflict(f"The add-on is {addon.status}; it cannot be paid.")
        payment_must_match(noun=gettext("add-on"), amount_minor=amount_minor, currency=currency, price_minor=addon.amount_minor,
                           price_currency=addon.currency, tax=tax)
        addon.status = LicenceAddOn.Status.PAID
        addon.paid_at = timezone.now()
        addon.payment_intent_id = payment_intent_id or addon.payment_intent_id
        addon.charge_id = charge_id or addon.charge_id
        # Paid after the licence ended (revoked, or expired, while its checkout was open): nothing of
        # it can be used, so it is never applied, and the whole payment goes back (below, keyed once).
        applies = licence.status in (Licence.Status.ACTIVE, Licence.Status.SUSPENDED)
        if applies:
            licensing.licence_extend(licence=licence, actor=None, generations=addon.generations, days=addon.days, reason=f"add-on {addon.pk}")
        else:
            addon.generations_withdrawn, addon.days_withdrawn = addon.generations, addon.days
        addon.save(update_fields=["status", "paid_at", "payment_intent_id", "charge_id", "generations_withdrawn", "days_withdrawn"])
        clearing = account_for(kind=LedgerAccount.Kind.CLEARING, currency=addon.currency)
        offer = addon.order.offer
        lines, _ = paid_event_lines(amount=addon.amount_minor, currency=addon.currency, debit=clearing, chain=chain_for_sale(licence, remix_of_id=addon.order.remix_of_id),
                                    policy=offer.revenue_policy, ceiling_bps=offer.revenue_ceiling_bps)
        ledger_post(key=f"addon-{addon.pk}", kind=LedgerTransaction.Kind.SALE, description=f"Add-on: {offer.title}", lines=lines,
                    order=addon.order, external_id=addon.charge_id or "")
        if tax:
            tax_collected_post(key=f"addon-tax-{addon.pk}", description=f"Tax collected: add-on, {offer.title}", tax=tax,
                               currency=addon.currency, order=addon.order, external_id=addon.charge_id or "")
        refund = None if applies else _not_applied_refund(licence=licence, addon=addon, tax=tax)
        # last, as an order's: the series' row lock is held until commit
        addon_invoice_issue(addon=addon, checkout=checkout)
    if refund is not None:
        from .refunds import refund_submit

        refund_submit(refund_id=refund.pk)
        addon.refresh_from_db()
    return addon


def _not_applied_refund(*, licence: Licence, addon: LicenceAddOn, tax: int):
    """The whole of an add-on paid after its licence ended goes back (price and tax), as one refund
    (reason `not_applied`, at most once per add-on: a unique constraint), in the transaction that
    records the payment; the provider is asked after commit."""
    from ..models import Refund
    from .refunds import _refund_create_locked

    if Refund.objects.filter(addon=addon, reason__in=(Refund.Reason.REVOCATION, Refund.Reason.NOT_APPLIED)).exists():
        return None
    licensing.audit_record(actor=None, action="addon.not_applied", obj=licence,
                           data={"addon": str(addon.pk), "licence_status": licence.status})
    return _refund_create_locked(licence=licence, order=addon, amount=addon.amount_minor + tax, reason=Refund.Reason.NOT_APPLIED,
                                 note=f"paid while the licence was {licence.status}: never applied")


def addon_transition(*, addon: LicenceAddOn, to: str, reason: str) -> LicenceAddOn:
    """A paid add-on becomes refunded (all of it given back: services.refunds) or paid again (a
    refund the provider failed): checked against the allowed map, the caller holding its lock,
    with an audit row (on its licence) in the same transaction."""
    if to not in LicenceAddOn.STATUS_TRANSITIONS[addon.status]:
        raise Conflict(f"A {addon.status} add-on cannot become {to}.")
    before = addon.status
    addon.status = to
    addon.save(update_fields=["status"])
    licensing.audit_record(actor=None, action=f"addon.{to}", obj=addon.licence,
                           data={"addon": str(addon.pk), "from": before, "reason": reason[:255]})
    return addon


def addon_cancel(*, addon_id) -> LicenceAddOn:
    return pending_checkout_cancel(model=LicenceAddOn, pk=addon_id)


def offline_addon_complete(*, addon: LicenceAddOn, buyer: User, pay: bool) -> LicenceAddOn:
    return offline_checkout_answer(row=addon, kind="addon", noun="add-on", buyer=buyer, pay=pay)
