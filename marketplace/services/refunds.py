"""Money going back: refunds (requested, made at the provider, and revocation's pro-rata refunds)
and disputes. Each reverses the matching shares of the sale, down the remix chain, by the same
largest-remainder rule the sale used (`revenue.reversal`), so a full refund reverses every share
exactly. Locks: licence → order (or add-on) → refund / dispute → ledger. Provider calls run outside
transactions, keyed by the refund row.

What is refunded or disputed is a purchase: an order (a licence), or a paid add-on to a licence
(its own payment, its own sale `addon-<id>` and tax `addon-tax-<id>`, its own invoice). One set of
functions serves both: an add-on's reversals are posted under keys of its own (`addon-<id>-...`,
`_key`) on its licence's order, as its sale is, and an order's reckoning leaves them out
(`_reversals`), so neither's refunds count against the other's."""
from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence, RefundDue

from .. import prorata, revenue
from ..models import (
    CheckoutBundle,
    Dispute,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    LicenceAddOn,
    Order,
    Refund,
    RevocationSettlement,
    UsageCharge,
)
from ..payments import GatewayDeclined, GatewayError, gateway_for
from .addons import addon_transition
from .bundles import bundle_dispute_closed, bundle_refund_covered_by_dispute
from .invoices import credit_note_issue
from .ledger import account_for, ledger_post, transaction_lines
from .orders import order_transition

log = logging.getLogger(__name__)
TK = LedgerTransaction.Kind
PARTY_KINDS = (LedgerAccount.Kind.PLATFORM_REVENUE, LedgerAccount.Kind.PAYABLE)
REVERSAL_KINDS = (TK.REFUND, TK.REFUND_FAILED, TK.DISPUTE_LOST)


class NotReady(Exception):
    """An event depends on one not handled yet (a refund of a payment not yet recorded)."""


Purchase = Order | LicenceAddOn


def _is_addon(purchase: Purchase) -> bool:
    return isinstance(purchase, LicenceAddOn)


def _noun(purchase: Purchase) -> str:
    return "add-on" if _is_addon(purchase) else "order"


def _key(purchase: Purchase, name: str) -> str:
    """The ledger key of a fact about `purchase` (a refund's reversal, its settlement, a lost
    dispute): an order's as it always was, an add-on's under its own prefix."""
    return f"addon-{purchase.pk}-{name}" if _is_addon(purchase) else name


def _ledger_order(purchase: Purchase) -> Order:
    """The order a purchase's ledger transactions name: its own, or an add-on's licence's (as the
    add-on's sale and tax were posted)."""
    return purchase.order if _is_addon(purchase) else purchase


def _reversals(purchase: Purchase) -> Q:
    """The ledger entries that took back part of this purchase (refunds not failed, lost
    disputes): an add-on's under its own keys, an order's without its add-ons'."""
    mine = Q(transaction__kind__in=REVERSAL_KINDS)
    if _is_addon(purchase):
        return mine & Q(transaction__order_id=purchase.order_id, transaction__idempotency_key__startswith=f"addon-{purchase.pk}-")
    return mine & Q(transaction__order=purchase) & ~Q(transaction__idempotency_key__startswith="addon-")


def _lock_order(order_id) -> tuple[Licence, Order]:
    licence_id = Order.objects.values_list("licence_id", flat=True).get(pk=order_id)
    licence = Licence.objects.select_for_update().get(pk=licence_id)
    order = Order.objects.select_for_update().get(pk=order_id)
    return licence, order


def _lock_addon(addon_id) -> tuple[Licence, LicenceAddOn]:
    """addon_mark_paid's order: the licence, then the add-on."""
    licence_id = LicenceAddOn.objects.values_list("licence_id", flat=True).get(pk=addon_id)
    licence = Licence.objects.select_for_update().get(pk=licence_id)
    addon = LicenceAddOn.objects.select_for_update(of=("self",)).select_related("order").get(pk=addon_id)
    return licence, addon


def _lock(purchase: Purchase) -> tuple[Licence, Purchase]:
    return _lock_addon(purchase.pk) if _is_addon(purchase) else _lock_order(purchase.pk)


def reversed_total(order: Purchase) -> int:
    """How much of the sale (an order's, or an add-on's) has been taken back so far (refunds not
    failed, lost disputes)."""
    return int(
        LedgerEntry.objects.filter(_reversals(order), account__kind__in=PARTY_KINDS).aggregate(t=Sum("amount_minor"))["t"] or 0
    )


def order_tax(order: Purchase) -> int:
    """The tax the order's payment carried (or the add-on's), as booked to `tax_collected` when it
    was paid (its own Checkout's, or its line's of a campaign checkout; 0 when untaxed)."""
    key = f"addon-tax-{order.pk}" if _is_addon(order) else f"tax-{order.pk}"
    return -int(
        LedgerEntry.objects.filter(transaction__idempotency_key=key, account__kind=LedgerAccount.Kind.TAX_COLLECTED)
        .aggregate(t=Sum("amount_minor"))["t"] or 0
    )


def tax_returned(order: Purchase) -> int:
    """How much of that tax has been taken back from `tax_collected` so far (refunds not failed,
    lost disputes): a failed refund's restoring transaction puts its tax back."""
    return int(
        LedgerEntry.objects.filter(_reversals(order), account__kind=LedgerAccount.Kind.TAX_COLLECTED).aggregate(t=Sum("amount_minor"))["t"] or 0
    )


def refundable(order: Purchase) -> int:
    """What the buyer can still get back of an order or an add-on: the price and the tax paid,
    less what went back."""
    if order.status not in ("paid", "refunded") or not order.amount_minor:
        return 0
    return order.amount_minor + order_tax(order) - reversed_total(order) - tax_returned(order)


def tax_part(order: Purchase, amount: int) -> int:
    """The tax in `amount` going back to the buyer (a refund, a lost dispute) of a taxed order or
    add-on.

    Cumulative and proportional: once C of the G paid (price P plus tax T) has gone back, the tax
    returned in all is T*C/G rounded half up, and this refund's part is that less what earlier ones
    returned. So the parts add up to exactly T when everything is refunded, whatever the steps
    (three refunds of a third each return T, not 3 x round(T/3)), never more than T, and the price
    part never exceeds the price left (T*C/G >= C-P for C <= G, so the rounded figure is too). A
    refund that failed put its tax back, so the next one starts from what is really out."""
    tax = order_tax(order)
    if not tax or amount <= 0:
        return 0
    paid = order.amount_minor + tax
    before = reversed_total(order) + tax_returned(order)
    returned = tax_returned(order)
    after = min(before + amount, paid)
    due = (2 * tax * after + paid) // (2 * paid)
    return max(0, min(due - returned, amount, tax - returned))


def _post_reversal(*, order: Purchase, key: str, kind: str, amount: int, counter: LedgerAccount, description: str, external_id: str = "",
                   tax: int = 0):
    """Take `amount` back from an order's or an add-on's sale, crediting `counter` (refunds due, or
    disputed funds): its `tax` part from `tax_collected` (owed to no one once the buyer has it
    back), the rest from the parties the sale paid. Whatever exceeds what is left to reverse is
    borne by the platform."""
    if LedgerTransaction.objects.filter(idempotency_key=key).exists():
        return
    gross, amount = amount, amount - tax
    sale = LedgerTransaction.objects.filter(idempotency_key=f"addon-{order.pk}" if _is_addon(order) else f"sale-{order.pk}").first()
    if sale is None:
        raise NotReady(f"The sale of {_noun(order)} {order.pk} is not in the ledger yet.")
    parts: dict[int, int] = {}
    accounts: dict[int, LedgerAccount] = {}
    for entry in sale.entries.select_related("account").order_by("account_id"):
        if entry.account.kind in PARTY_KINDS:
            parts[entry.account_id] = parts.get(entry.account_id, 0) - entry.amount_minor
            accounts[entry.account_id] = entry.account
    already: dict[int, int] = {}
    for account_id, total in (
        LedgerEntry.objects.filter(_reversals(order), account_id__in=list(parts))
        .values_list("account_id")
        .annotate(t=Sum("amount_minor"))
    ):
        already[account_id] = int(total)
    left = sum(parts.values()) - sum(already.values())
    take = min(amount, left)
    lines = [(accounts[a], m) for a, m in revenue.reversal(parts=parts, reversed_before=already, amount=take).items()]
    if amount > take:
        lines.append((account_for(kind=LedgerAccount.Kind.PLATFORM_REVENUE, currency=order.currency), amount - take))
    if tax:
        lines.append((account_for(kind=LedgerAccount.Kind.TAX_COLLECTED, currency=order.currency), tax))
    lines.append((counter, -gross))
    ledger_post(key=key, kind=kind, description=description, lines=lines, order=_ledger_order(order), external_id=external_id)


def _after_reversal(*, licence: Licence, order: Purchase, reason: str) -> None:
    """A fully reversed sale: the order reads as refunded and an active licence ends; an add-on
    reads as refunded (the licence it extended was paid for by its order, and stands)."""
    if _is_addon(order):
        if order.status == LicenceAddOn.Status.PAID and reversed_total(order) >= order.amount_minor:
            addon_transition(addon=order, to=LicenceAddOn.Status.REFUNDED, reason=reason)
            _addon_withdraw(licence=licence, addon=order, reason=reason)
        return
    if order.status == Order.Status.PAID and reversed_total(order) >= order.amount_minor:
        order_transition(order=order, to=Order.Status.REFUNDED, reason=reason)
        licence.refresh_from_db()
        if licence.status in (Licence.Status.ACTIVE, Licence.Status.SUSPENDED, Licence.Status.PENDING):
            licensing.licence_revoke(licence=licence, actor=None, reason=reason, notice_days=0)


def addon_layers(licence: Licence) -> list[tuple[LicenceAddOn, prorata.AddOnLayer]]:
    """The licence's add-ons that were paid (refunded since or not), in the order they were paid,
    as the pro-rata rule's layers (what each added, what it no longer gives, the offer's prices)."""
    addons = list(LicenceAddOn.objects.filter(licence_id=licence.pk, status__in=(LicenceAddOn.Status.PAID, LicenceAddOn.Status.REFUNDED))
                  .select_related("order__offer").order_by("paid_at", "pk"))
    return [(a, prorata.AddOnLayer(
        key=a.pk, generations=a.generations, days=a.days, generations_withdrawn=a.generations_withdrawn, days_withdrawn=a.days_withdrawn,
        generation_price=a.order.offer.addon_generation_price_minor, day_price=a.order.offer.addon_day_price_minor,
    )) for a in addons]


def _addon_withdraw(*, licence: Licence, addon: LicenceAddOn, reason: str) -> None:
    """A fully refunded add-on takes back what it added that is still unused (generations not yet
    used, days not yet started: `prorata.withdrawable`) from a live licence, in the refund's own
    transaction under the licence's lock; never below what is used. A partial refund keeps them."""
    licence = Licence.objects.select_related("terms").get(pk=licence.pk)  # locked by the caller
    if licence.status not in (Licence.Status.ACTIVE, Licence.Status.SUSPENDED):
        return  # ended: it gives nothing more anyway
    pairs = addon_layers(licence)
    layers = [layer for _, layer in pairs]
    mine = next((layer for a, layer in pairs if a.pk == addon.pk), None)
    if mine is None:
        return
    # a day starting within the minute counts as started, so the end never moves before now
    to_end = max(int((licence.ends_at - timezone.now()).total_seconds()) - 60, 0) if licence.ends_at else 0
    generations, days = prorata.withdrawable(layer=mine, layers=layers, quota=licence.terms.generation_quota, used=licence.quota_used,
                                             seconds_to_end=to_end)
    if not (generations or days):
        return
    licensing.licence_withdraw(licence=licence, actor=None, generations=generations, days=days, reason=f"add-on {addon.pk} {reason}")
    addon.generations_withdrawn += generations
    addon.days_withdrawn += days
    addon.save(update_fields=["generations_withdrawn", "days_withdrawn"])


def _addon_restore(*, licence: Licence, addon: LicenceAddOn) -> None:
    """A full refund of an add-on failed: what it took off a live licence goes back on."""
    if not (addon.generations_withdrawn or addon.days_withdrawn):
        return
    licence = Licence.objects.get(pk=licence.pk)
    if licence.status not in (Licence.Status.ACTIVE, Licence.Status.SUSPENDED):
        return  # ended meanwhile: it stays withdrawn (counted as unused by a revocation's pro-rata refund)
    if licence.revoked_at is None:
        licensing.licence_extend(licence=licence, actor=None, generations=addon.generations_withdrawn, days=addon.days_withdrawn,
                                 reason=f"add-on {addon.pk} refund failed")
        addon.generations_withdrawn = addon.days_withdrawn = 0
        addon.save(update_fields=["generations_withdrawn", "days_withdrawn"])


def _refund_create_locked(*, licence, order: Purchase, amount: int, reason: str, note: str = "", actor: User | None = None,
                          provider_refund_id: str | None = None) -> Refund:
    """A refund of a locked order or add-on, its shares and tax reversed at once."""
    noun = _noun(order)
    if order.status not in ("paid", "refunded"):
        raise Conflict(f"Only a paid {noun} can be refunded.")
    left = refundable(order)
    if amount > left:
        raise Conflict(f"At most {left} {order.currency.upper()} minor units of this {noun} can still be refunded.")
    tax = tax_part(order, amount)
    refund = Refund.objects.create(
        **{"addon" if _is_addon(order) else "order": order}, amount_minor=amount, tax_minor=tax, currency=order.currency, reason=reason,
        note=note[:255], requested_by=actor, provider_refund_id=provider_refund_id,
    )
    _post_reversal(
        order=order, key=_key(order, f"refund-{refund.pk}"), kind=TK.REFUND, amount=amount, tax=tax,
        counter=account_for(kind=LedgerAccount.Kind.REFUNDS_DUE, currency=order.currency),
        description=f"Refund ({refund.get_reason_display()})",
    )
    _after_reversal(licence=licence, order=order, reason="refunded")
    return refund


def _purchase_refund(*, purchase: Purchase, actor: User, amount_minor: int, note: str = "") -> Refund:
    """A moderator refunds part or all of a paid order or add-on: under its lock, no more than is
    left (price and tax less what went back), its shares and tax reversed; then the provider is
    asked, keyed by the refund row."""
    noun = _noun(purchase)
    if not actor.is_moderator:
        raise Forbidden(f"Only moderators can refund {noun}s.")
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor <= 0:
        raise InvalidInput("A refund is a whole number of minor units, more than 0.")
    with transaction.atomic():
        licence, purchase = _lock(purchase)
        refund = _refund_create_locked(licence=licence, order=purchase, amount=amount_minor, reason=Refund.Reason.REQUESTED, note=note, actor=actor)
        data = {"refund": str(refund.pk), "amount_minor": amount_minor}
        if _is_addon(purchase):
            licensing.audit_record(actor=actor, action="addon.refunded", obj=licence, data={"addon": str(purchase.pk), **data})
        else:
            licensing.audit_record(actor=actor, action="order.refunded", obj=purchase, data=data)
    refund_submit(refund_id=refund.pk)
    refund.refresh_from_db()
    return refund


def order_refund(*, order: Order, actor: User, amount_minor: int, note: str = "") -> Refund:
    """A moderator refunds part or all of a paid order."""
    return _purchase_refund(purchase=order, actor=actor, amount_minor=amount_minor, note=note)


def addon_refund(*, addon: LicenceAddOn, actor: User, amount_minor: int, note: str = "") -> Refund:
    """A moderator refunds part or all of a paid add-on (its price and tax), as an order's."""
    return _purchase_refund(purchase=addon, actor=actor, amount_minor=amount_minor, note=note)


def _payment_intent_of(order: Purchase) -> str:
    """The payment an order was paid by: its own, or its campaign checkout's (a bundled line); an
    add-on's own."""
    if order.payment_intent_id:
        return order.payment_intent_id
    return (order.bundle.payment_intent_id or "") if not _is_addon(order) and order.bundle_id else ""


def refund_submit(*, refund_id) -> None:
    """Ask the provider for a pending refund (outside any transaction; keyed by the row, so
    repeating after a crash creates no second refund). A transient failure leaves it pending for
    the next sweep."""
    refund = Refund.objects.select_related("order__bundle", "addon").get(pk=refund_id)
    if refund.status != Refund.Status.PENDING or refund.provider_refund_id:
        return
    purchase = refund.purchase
    gw = gateway_for(purchase.payment_backend)
    of = {"addon_id": str(refund.addon_id)} if refund.addon_id else {"order_id": str(refund.order_id)}
    try:
        result = gw.create_refund(
            key=refund.idempotency_key, payment_intent_id=_payment_intent_of(purchase),
            amount_minor=refund.amount_minor, metadata={"refund_id": str(refund.pk), **of},
        )
    except GatewayDeclined as exc:
        log.warning("refund %s declined: %s", refund.pk, exc)
        refund_apply(refund_id=refund.pk, provider_refund_id=None, status="failed")
        return
    except GatewayError as exc:
        log.warning("refund %s not confirmed yet: %s", refund.pk, exc)
        return
    refund_apply(refund_id=refund.pk, provider_refund_id=result.id, status=result.status)


def refund_apply(*, refund_id, provider_refund_id: str | None, status: str) -> Refund:
    """Apply the provider's state of a refund (of an order or an add-on). Succeeded settles it
    (refunds due → clearing) and issues its credit note against the invoice of what it refunds
    (`services.invoices.credit_note_issue`); failed or cancelled restores the shares (and undoes a
    settlement). Idempotent."""
    with transaction.atomic():
        order_id, addon_id = Refund.objects.values_list("order_id", "addon_id").get(pk=refund_id)
        licence, order = _lock_addon(addon_id) if addon_id else _lock_order(order_id)
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if provider_refund_id and not refund.provider_refund_id:
            refund.provider_refund_id = provider_refund_id
            refund.save(update_fields=["provider_refund_id"])
        external = refund.provider_refund_id or ""
        clearing = account_for(kind=LedgerAccount.Kind.CLEARING, currency=refund.currency)
        due = account_for(kind=LedgerAccount.Kind.REFUNDS_DUE, currency=refund.currency)
        if status == "succeeded" and refund.status == Refund.Status.PENDING:
            ledger_post(
                key=_key(order, f"refund-settled-{refund.pk}"), kind=TK.REFUND_SETTLED, description="Refund paid to the buyer",
                lines=[(due, refund.amount_minor), (clearing, -refund.amount_minor)], order=_ledger_order(order), external_id=external,
            )
            refund.status = Refund.Status.SUCCEEDED
            refund.settled_at = timezone.now()
            refund.save(update_fields=["status", "settled_at"])
            credit_note_issue(refund=refund)  # last: the credit-note series' row lock is held until commit
        elif status in ("failed", "canceled") and refund.status != Refund.Status.FAILED:
            if refund.status == Refund.Status.SUCCEEDED:
                ledger_post(
                    key=_key(order, f"refund-unsettled-{refund.pk}"), kind=TK.REFUND_UNSETTLED, description="Refund returned by the provider",
                    lines=[(clearing, refund.amount_minor), (due, -refund.amount_minor)], order=_ledger_order(order), external_id=external,
                )
            restore = [(account, -amount) for account, amount in transaction_lines(_key(order, f"refund-{refund.pk}"))]
            ledger_post(key=_key(order, f"refund-failed-{refund.pk}"), kind=TK.REFUND_FAILED, description="Refund failed: shares restored",
                        lines=restore, order=_ledger_order(order))
            refund.status = Refund.Status.FAILED
            refund.save(update_fields=["status"])
            if order.status == "refunded" and reversed_total(order) < order.amount_minor:
                if _is_addon(order):
                    addon_transition(addon=order, to=LicenceAddOn.Status.PAID, reason="refund failed")
                    _addon_restore(licence=licence, addon=order)
                else:
                    order_transition(order=order, to=Order.Status.PAID, reason="refund failed")  # a revoked licence stays revoked
    return refund


def _order_for_payment(*, payment_intent_id: str | None, charge_id: str | None) -> Purchase:
    """The purchase a provider's payment paid for: an order's own, or an add-on's (each payment's
    references are unique per purchase); not yet recorded, the event waits (NotReady)."""
    for model in (Order, LicenceAddOn):
        found = None
        if charge_id:
            found = model.objects.filter(charge_id=charge_id).first()
        if found is None and payment_intent_id:
            found = model.objects.filter(payment_intent_id=payment_intent_id).first()
        if found is not None:
            return found
    raise NotReady(f"No paid order or add-on for payment {payment_intent_id or charge_id} yet.")


def refund_sync(*, obj: dict) -> Refund | None:
    """A refund object from the provider (refund.created / refund.updated / refund.failed, or the
    list behind charge.refunded): one we asked for, or one made at the provider's dashboard, of an
    order's or an add-on's payment."""
    provider_id = obj["id"]
    status = obj.get("status") or "pending"
    refund = Refund.objects.filter(provider_refund_id=provider_id).first()
    if refund is None and (obj.get("metadata") or {}).get("refund_id"):
        refund = Refund.objects.filter(pk=obj["metadata"]["refund_id"]).first()
    if refund is None:
        order = _order_for_payment(payment_intent_id=obj.get("payment_intent"), charge_id=obj.get("charge"))
        if status in ("failed", "canceled"):
            return None  # made and undone at the provider: nothing moved
        try:
            with transaction.atomic():
                licence, order = _lock(order)
                refund = _refund_create_locked(
                    licence=licence, order=order, amount=int(obj["amount"]), reason=Refund.Reason.EXTERNAL,
                    note="made at the payment provider", provider_refund_id=provider_id,
                )
        except IntegrityError:
            refund = Refund.objects.get(provider_refund_id=provider_id)
    return refund_apply(refund_id=refund.pk, provider_refund_id=provider_id, status=status)


def refunds_sync_for_payment(*, backend: str, payment_intent_id: str | None, charge_id: str | None) -> int:
    """charge.refunded: read every refund of the payment from the provider and apply each."""
    _order_for_payment(payment_intent_id=payment_intent_id, charge_id=charge_id)
    count = 0
    for obj in gateway_for(backend).list_refunds(payment_intent_id=payment_intent_id or ""):
        refund_sync(obj=obj)
        count += 1
    return count


def refunds_submit_pending(*, limit: int = 100) -> int:
    ids = list(Refund.objects.filter(status=Refund.Status.PENDING, provider_refund_id__isnull=True).order_by("created_at").values_list("pk", flat=True)[:limit])
    for pk in ids:
        refund_submit(refund_id=pk)
    return len(ids)


def usage_charge_refund(*, charge: UsageCharge, actor: User, note: str = "") -> UsageCharge:
    """A moderator gives a per-generation fee back to the buyer's prepaid credit (a withdrawn or
    taken-down output, say): every share it paid, down the remix chain, is taken back exactly."""
    if not actor.is_moderator:
        raise Forbidden("Only moderators can refund fees.")
    with transaction.atomic():
        Licence.objects.select_for_update().get(pk=charge.usage.licence_id)
        charge = UsageCharge.objects.select_for_update().get(pk=charge.pk)
        if charge.refunded_at:
            raise Conflict("This fee has already been refunded.")
        _usage_charge_reverse(charge)
        licensing.audit_record(actor=actor, action="usage_fee.refunded", obj=charge.order, data={"usage": charge.usage_id, "note": note[:255]})
    return charge


def usage_fee_return(usage) -> UsageCharge | None:
    """A licensing release meter: the use was given back before anything was rendered (a job
    cancelled or refused while queued), so its fee goes back to credit, every share reversed. Runs
    in `usage_release`'s transaction with the licence locked; once per use."""
    charge = UsageCharge.objects.select_for_update().filter(usage_id=usage.pk).first()
    if charge is None or charge.refunded_at:
        return charge
    _usage_charge_reverse(charge)
    licensing.audit_record(actor=None, action="usage_fee.returned", obj=charge.order, data={"usage": usage.pk})
    return charge


def _usage_charge_reverse(charge: UsageCharge) -> None:
    fee = LedgerTransaction.objects.get(idempotency_key=f"usage-fee-{charge.usage_id}")
    parts: dict[int, int] = {}
    accounts: dict[int, LedgerAccount] = {}
    credit = None
    for entry in fee.entries.select_related("account").order_by("account_id"):
        if entry.account.kind in PARTY_KINDS:
            parts[entry.account_id] = parts.get(entry.account_id, 0) - entry.amount_minor
            accounts[entry.account_id] = entry.account
        elif entry.account.kind == LedgerAccount.Kind.BUYER_CREDIT:
            credit = entry.account
    lines = [(accounts[a], m) for a, m in revenue.reversal(parts=parts, reversed_before={}, amount=charge.amount_minor).items()]
    lines.append((credit, -charge.amount_minor))
    ledger_post(
        key=f"usage-fee-refund-{charge.pk}", kind=TK.USAGE_FEE_REFUND, description="Per-generation fee refunded to credit",
        lines=lines, order=charge.order,
    )
    charge.refunded_at = timezone.now()
    charge.save(update_fields=["refunded_at"])


# --- disputes -------------------------------------------------------------------------------------

def _bundle_for_payment(*, payment_intent_id: str | None, charge_id: str | None) -> CheckoutBundle | None:
    """The paid campaign checkout whose one charge this is (its orders' own references are empty)."""
    if charge_id and (bundle := CheckoutBundle.objects.filter(charge_id=charge_id).first()):
        return bundle
    if payment_intent_id:
        return CheckoutBundle.objects.filter(payment_intent_id=payment_intent_id).first()
    return None


def dispute_split(*, amount: int, orders: list[Order]) -> tuple[list[tuple[Order, int]], int]:
    """A lost dispute of a campaign checkout's charge, split across its orders (in id order): each
    order's part in proportion to what it can still give back (`refundable`: its price and tax less
    what refunds and earlier disputes returned; a line refused at payment was never paid and is 0),
    by largest remainder (`revenue.allocate`: the remainder's units placed once, ties to the first
    order), so the parts are exact to the cent and add up to `amount`, never more than an order has
    left. Whatever the orders cannot give back (the charge's refused lines, already refunded) is
    the second value, borne by the platform."""
    weights = {order.pk: refundable(order) for order in orders}
    left = sum(weights.values())
    take = min(amount, left)
    parts = revenue.allocate(take, weights, left) if left else {}
    return [(order, parts[order.pk]) for order in orders if parts.get(order.pk)], amount - take


def dispute_sync(*, obj: dict) -> Dispute:
    """A dispute object from the provider, in any order: opening withdraws the funds into
    'disputed'; won puts them back; lost reverses the shares. Each step posts once.

    A single order's charge is its order's dispute. A campaign checkout's one charge is the
    bundle's: opened and won post once under the dispute's id (the provider's source for the
    withdrawal and reinstatement), and a loss reverses each paid order's sale and tax, its part
    of the amount as `dispute_split` gives it, through the same reversal a single order's loss
    uses (keyed per order), the part no order can give back borne by the platform."""
    provider_id = obj["id"]
    refs = {"payment_intent_id": obj.get("payment_intent"), "charge_id": obj.get("charge")}
    bundle = _bundle_for_payment(**refs)
    order = None if bundle else _order_for_payment(**refs)  # an order's own payment, or an add-on's
    status = obj.get("status") or ""
    amount = int(obj["amount"])
    with transaction.atomic():
        if bundle is not None:  # bundle_mark_paid's order: the bundle, then each line's licence and order
            bundle = CheckoutBundle.objects.select_for_update().get(pk=bundle.pk)
            if bundle.status != CheckoutBundle.Status.PAID:
                raise NotReady(f"Checkout {bundle.pk} is not paid yet.")
            ids = list(bundle.orders.filter(status__in=(Order.Status.PAID, Order.Status.REFUNDED)).order_by("pk").values_list("pk", flat=True))
            locked = [_lock_order(pk) for pk in ids]
            currency, target = bundle.currency, {"bundle": bundle}
        else:
            locked = [_lock(order)]
            currency, target = locked[0][1].currency, {"addon" if _is_addon(order) else "order": locked[0][1]}
        try:
            with transaction.atomic():
                dispute, _ = Dispute.objects.get_or_create(
                    provider_dispute_id=provider_id,
                    defaults={**target, "amount_minor": amount, "currency": currency, "reason": (obj.get("reason") or "")[:64]},
                )
        except IntegrityError:
            dispute = Dispute.objects.get(provider_dispute_id=provider_id)
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        on_order = None if bundle is not None else _ledger_order(locked[0][1])  # none for a bundle's whole charge
        clearing = account_for(kind=LedgerAccount.Kind.CLEARING, currency=currency)
        disputed = account_for(kind=LedgerAccount.Kind.DISPUTED, currency=currency)
        if status.startswith("warning_"):
            return dispute  # an inquiry: no funds move
        ledger_post(
            key=f"dispute-opened-{provider_id}", kind=TK.DISPUTE_OPENED, description="Dispute opened: funds withdrawn",
            lines=[(disputed, dispute.amount_minor), (clearing, -dispute.amount_minor)], order=on_order, external_id=provider_id,
        )
        if dispute.status == Dispute.Status.OPEN and status == "won":
            ledger_post(
                key=f"dispute-won-{provider_id}", kind=TK.DISPUTE_WON, description="Dispute won: funds reinstated",
                lines=[(clearing, dispute.amount_minor), (disputed, -dispute.amount_minor)], order=on_order, external_id=provider_id,
            )
            dispute.status = Dispute.Status.WON
            dispute.closed_at = timezone.now()
            dispute.save(update_fields=["status", "closed_at"])
            if bundle is not None:
                bundle_dispute_closed(bundle_id=bundle.pk)
        elif dispute.status == Dispute.Status.OPEN and status == "lost":
            if bundle is None:
                parts, unmatched = [(locked[0][1], dispute.amount_minor)], 0
            else:
                parts, unmatched = dispute_split(amount=dispute.amount_minor, orders=[o for _, o in locked])
            for part_order, part in parts:
                key = _key(part_order, f"dispute-lost-{provider_id}") if bundle is None else f"dispute-lost-{provider_id}-{part_order.pk}"
                _post_reversal(
                    order=part_order, key=key, kind=TK.DISPUTE_LOST, amount=part,
                    tax=tax_part(part_order, part), counter=disputed, description="Dispute lost: shares reversed",
                )
            if unmatched and bundle is not None and bundle.refund_minor:  # the refused lines, not yet refunded: paid back by it
                unmatched -= bundle_refund_covered_by_dispute(bundle=bundle, amount=unmatched, dispute_id=provider_id)
            if unmatched:  # given back twice (refunded, then charged back): the platform's loss
                ledger_post(
                    key=f"dispute-lost-{provider_id}-unmatched", kind=TK.DISPUTE_LOST,
                    description="Dispute lost: more than the orders can give back, borne by the platform",
                    lines=[(account_for(kind=LedgerAccount.Kind.PLATFORM_REVENUE, currency=currency), unmatched), (disputed, -unmatched)],
                )
            dispute.status = Dispute.Status.LOST
            dispute.closed_at = timezone.now()
            dispute.save(update_fields=["status", "closed_at"])
            for licence, locked_order in locked:
                _after_reversal(licence=licence, order=locked_order, reason="payment disputed and lost")
    return dispute


# --- revocation's pro-rata refunds ---------------------------------------------------------------

def revocation_refund_settle(*, refund_due_id: int) -> RevocationSettlement | None:
    """Handle one licensing RefundDue: refund the unused part of what was paid for the licence, by
    the pro-rata rule (`marketplace.prorata`): the order's unused share of its own term (the price
    and its tax, rounded half up), and each paid add-on's unused share of the generations and days
    it added (its own refund, keys and credit note), less what already went back of that add-on (an
    earlier refund counts toward its unused share); the order's at most what is still refundable.

    Once per RefundDue: the settlement row (unique per RefundDue) and every refund are written in
    one transaction under the licence's lock (then the order's, then each add-on's, in id order), so
    a second run, concurrent or later, writes nothing; the provider is asked after commit."""
    due = RefundDue.objects.get(pk=refund_due_id)
    if RevocationSettlement.objects.filter(refund_due_id=due.pk).exists():
        return None
    order = Order.objects.filter(licence_id=due.licence_id).first()
    refunds: list[Refund] = []
    try:
        with transaction.atomic():
            if order is None or order.status not in (Order.Status.PAID, Order.Status.REFUNDED):
                return RevocationSettlement.objects.create(refund_due_id=due.pk, order=order, note="nothing was paid")
            licence, order = _lock_order(order.pk)
            locked = {a.pk: a for a in LicenceAddOn.objects.select_for_update(of=("self",)).filter(licence_id=licence.pk).order_by("pk")}
            licence = Licence.objects.select_related("terms").get(pk=licence.pk)
            pairs = addon_layers(licence)
            layers = [layer for _, layer in pairs]
            remaining, total = order_term(due=due, layers=layers)
            amount = min(prorata.share(order.amount_minor + order_tax(order), remaining, total), refundable(order)) if order.amount_minor else 0
            settlement = RevocationSettlement.objects.create(refund_due_id=due.pk, order=order, amount_minor=amount)
            note = f"{remaining}s of {total}s unused: {due.reason}"
            if amount > 0:
                refunds.append(_refund_create_locked(licence=licence, order=order, amount=amount, reason=Refund.Reason.REVOCATION, note=note[:255]))
                settlement.refund = refunds[0]
            seconds, _ = prorata.seconds_unused(remaining_seconds=due.remaining_seconds, layers=layers)
            generations = prorata.generations_unused(quota=licence.terms.generation_quota, used=licence.quota_used, layers=layers)
            for addon, layer in pairs:
                addon = locked[addon.pk]
                share = prorata.addon_share(layer=layer, paid=addon.amount_minor + order_tax(addon), unused_generations=generations[addon.pk],
                                            unused_seconds=seconds[addon.pk])
                left = refundable(addon)
                part = min(share - (addon.amount_minor + order_tax(addon) - left), left)  # less what already went back of it
                if part <= 0 or Refund.objects.filter(addon=addon, reason__in=(Refund.Reason.REVOCATION, Refund.Reason.NOT_APPLIED)).exists():
                    continue
                unused_g = min(generations[addon.pk] + addon.generations_withdrawn, addon.generations)
                unused_d = min(seconds[addon.pk] + addon.days_withdrawn * prorata.DAY, addon.days * prorata.DAY)
                refunds.append(_refund_create_locked(
                    licence=licence, order=addon, amount=part, reason=Refund.Reason.REVOCATION,
                    note=f"{unused_g} of {addon.generations} generations and {unused_d}s of {addon.days * prorata.DAY}s unused: {due.reason}"[:255],
                ))
                settlement.addons_amount_minor += part
            if not refunds:
                settlement.note = "nothing left to refund"
            settlement.save(update_fields=["refund", "addons_amount_minor", "note"])
    except IntegrityError:
        return None  # settled by a concurrent run
    for refund in refunds:
        refund_submit(refund_id=refund.pk)
    return settlement


def order_term(*, due: RefundDue, layers: list[prorata.AddOnLayer]) -> tuple[int, int]:
    """The order's own term at revocation (unused seconds, total seconds): the licence's, less the
    days its add-ons still give, which are its last days."""
    return prorata.order_term(remaining_seconds=due.remaining_seconds, total_seconds=due.total_seconds, layers=layers)


def revocation_refunds_sweep(*, limit: int = 200) -> int:
    done = RevocationSettlement.objects.values("refund_due_id")
    ids = list(RefundDue.objects.exclude(pk__in=done).order_by("pk").values_list("pk", flat=True)[:limit])
    for pk in ids:
        revocation_refund_settle(refund_due_id=pk)
    return len(ids)
