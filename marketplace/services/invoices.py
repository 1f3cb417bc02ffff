"""Invoices: issued once, when a licence purchase is paid, inside the transaction that marks it
paid, so an order is never paid without its invoice nor invoiced without being paid.

Numbering is sequential and gap-free per series (the seller's: the platform is the merchant of
record, so `INVOICE_SERIES`): the next number is read and advanced under the series row's lock
(`select_for_update`) in that same transaction. Two purchases completing at once queue on the
row; a transaction that rolls back after taking a number releases it with its lock, so the next
issue reuses it. The unique (series, number) constraint stands behind the lock.

What the invoice says is fixed when it is issued: the seller from settings (`INVOICE_SELLER`:
name, address, country, tax id), the licensor (the talent or studio), the buyer as Checkout
collected them (`customer_details`: name, e-mail, address, tax ids; the account's name and
e-mail where Checkout gave none), the line, and the tax lines Stripe Tax computed
(`total_details.breakdown.taxes`, else `amount_tax` as one line; none without Stripe Tax). A
order paid in a campaign's one Checkout is invoiced alone, with its own line item's tax
(`amount_tax`, `taxes` per rate: services.bundles). A paid add-on (more generations or days) is
invoiced on its own too (`Invoice.addon`), in the same series, with its Checkout's tax and buyer.

A refund's credit note (`CreditNote`) is issued when the provider confirms the money went back, in
the transaction that settles the refund (`services.refunds.refund_apply`): it credits the invoice
of the order or add-on refunded, names the parties as that invoice does, and carries the refund's price and tax parts, the
tax spread over the invoice's tax lines by largest remainder; numbered without gaps in
`CREDIT_NOTE_SERIES` under the same kind of series lock."""
from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction

from ..models import CreditNote, Invoice, InvoiceSeries, LicenceAddOn, Order, Refund

ADDRESS_FIELDS = ("line1", "line2", "city", "postal_code", "state", "country")


def checkout_tax(checkout: dict | None) -> tuple[int, list[dict]]:
    """(the tax in minor units, its lines) from a Checkout Session's `total_details`."""
    details = (checkout or {}).get("total_details") or {}
    total = int(details.get("amount_tax") or 0)
    lines = []
    for t in ((details.get("breakdown") or {}).get("taxes") or []):
        rate = t.get("rate") or {}
        lines.append({
            "label": str(rate.get("display_name") or "Tax")[:80], "percentage": rate.get("percentage"),
            "jurisdiction": str(rate.get("jurisdiction") or rate.get("country") or "")[:80], "amount_minor": int(t.get("amount") or 0),
        })
    if total and sum(line["amount_minor"] for line in lines) != total:
        lines = [{"label": "Tax", "percentage": None, "jurisdiction": "", "amount_minor": total}]
    return total, lines


def _buyer(purchase: Order | LicenceAddOn, checkout: dict | None) -> dict:
    found = (checkout or {}).get("customer_details") or {}
    address = {k: str(v)[:200] for k, v in (found.get("address") or {}).items() if k in ADDRESS_FIELDS and v}
    return {
        "name": str(found.get("name") or purchase.buyer.display_name or purchase.buyer.email)[:200],
        "email": str(found.get("email") or purchase.buyer.email)[:254],
        "address": address,
        "country": address.get("country", ""),
        "tax_ids": [{"type": str(t.get("type") or "")[:32], "value": str(t.get("value") or "")[:64]}
                    for t in (found.get("tax_ids") or []) if isinstance(t, dict) and t.get("value")],
    }


def _licensor(order: Order) -> dict:
    holding = order.offer.holding
    if order.offer.likeness_id:
        return {"name": holding.name, "kind": "talent"}
    return {"name": holding.studio.name, "kind": "studio", "work": holding.name}


def _next_number(series: str) -> int:
    """The series' next number, taken under its row's lock (held until the caller's transaction
    ends: a rollback gives the number back, so the series has no gaps)."""
    if not InvoiceSeries.objects.filter(name=series).exists():
        try:
            with transaction.atomic():
                InvoiceSeries.objects.create(name=series)
        except IntegrityError:
            pass  # created by a purchase completing at the same moment
    row = InvoiceSeries.objects.select_for_update().get(name=series)
    number = row.next_number
    InvoiceSeries.objects.filter(name=series).update(next_number=number + 1)
    return number


def _issue(*, checkout: dict | None, currency: str, subtotal: int, description: str, licensor: dict, buyer: dict, **purchase) -> Invoice:
    """The next number of the seller's series, taken under its row's lock, and the invoice under it
    (`purchase`: order= or addon=). Inside the caller's transaction, as its last step."""
    tax, tax_lines = checkout_tax(checkout)
    series = settings.INVOICE_SERIES
    seller = {k: str(settings.INVOICE_SELLER.get(k) or "") for k in ("name", "address", "country", "tax_id")}
    with transaction.atomic():
        number = _next_number(series)
        return Invoice.objects.create(
            series=series, number=number, seller=seller, licensor=licensor, buyer=buyer, currency=currency,
            lines=[{"description": description[:300], "amount_minor": subtotal}],
            tax_lines=tax_lines, subtotal_minor=subtotal, tax_minor=tax, total_minor=subtotal + tax, **purchase,
        )


def invoice_issue(*, order: Order, checkout: dict | None = None) -> Invoice:
    """The order's invoice (once): called inside the transaction that marks the order paid."""
    existing = Invoice.objects.filter(order=order).first()
    if existing:
        return existing
    holding = order.offer.holding
    return _issue(
        order=order, checkout=checkout, currency=order.currency, subtotal=order.amount_minor, licensor=_licensor(order),
        buyer=_buyer(order, checkout), description=f"Licence: {holding.name}: {order.offer.title} (licence {order.licence_id})",
    )


def addon_invoice_issue(*, addon: LicenceAddOn, checkout: dict | None = None) -> Invoice:
    """A paid add-on's own invoice (once), in the same series as the licences': its price, the tax
    its Checkout carried, the buyer as that Checkout collected them, the licensor of the licence
    it extends. Called inside the transaction that marks the add-on paid, as its last step."""
    existing = Invoice.objects.filter(addon=addon).first()
    if existing:
        return existing
    order = addon.order
    what = " and ".join(x for x in (f"{addon.generations} more generations" if addon.generations else "",
                                     f"{addon.days} more days" if addon.days else "") if x)
    return _issue(
        addon=addon, checkout=checkout, currency=addon.currency, subtotal=addon.amount_minor, licensor=_licensor(order),
        buyer=_buyer(addon, checkout),
        description=f"Licence add-on: {order.offer.holding.name}: {order.offer.title}, {what} (licence {addon.licence_id})",
    )


def _spread(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights` by largest remainder: the parts add up to it."""
    whole = sum(weights)
    if not whole:
        return [total] + [0] * (len(weights) - 1)
    parts = [total * w // whole for w in weights]
    ranked = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in ranked[: total - sum(parts)]:
        parts[i] += 1
    return parts


def credit_note_issue(*, refund: Refund) -> CreditNote | None:
    """The refund's credit note (once), against the invoice of the order or add-on it refunds; None
    where that has no invoice (a free grant, or a purchase paid before invoices were issued). Called
    inside the transaction that settles the refund, as its last step."""
    existing = CreditNote.objects.filter(refund=refund).first()
    if existing:
        return existing
    invoice = (Invoice.objects.filter(addon_id=refund.addon_id) if refund.addon_id else Invoice.objects.filter(order_id=refund.order_id)).first()
    if invoice is None:
        return None
    tax = refund.tax_minor
    subtotal = refund.amount_minor - tax
    tax_lines = []
    if tax:
        source = invoice.tax_lines or [{"label": "Tax", "percentage": None, "jurisdiction": "", "amount_minor": tax}]
        for line, part in zip(source, _spread(tax, [int(t.get("amount_minor") or 0) for t in source])):
            if part:
                tax_lines.append({**line, "amount_minor": part})
    what = (invoice.lines[0]["description"] if invoice.lines else "") or "licence purchase"
    description = f"Refund ({refund.get_reason_display()}) of invoice {invoice.reference}: {what}"
    with transaction.atomic():
        number = _next_number(settings.CREDIT_NOTE_SERIES)
        return CreditNote.objects.create(
            series=settings.CREDIT_NOTE_SERIES, number=number, invoice=invoice, refund=refund, seller=invoice.seller,
            licensor=invoice.licensor, buyer=invoice.buyer, currency=refund.currency,
            lines=[{"description": description[:300], "amount_minor": subtotal}] if subtotal else [],
            tax_lines=tax_lines, subtotal_minor=subtotal, tax_minor=tax, total_minor=refund.amount_minor,
        )
