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
(`amount_tax`, `taxes` per rate: services.bundles)."""
from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction

from ..models import Invoice, InvoiceSeries, Order

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


def _buyer(order: Order, checkout: dict | None) -> dict:
    found = (checkout or {}).get("customer_details") or {}
    address = {k: str(v)[:200] for k, v in (found.get("address") or {}).items() if k in ADDRESS_FIELDS and v}
    return {
        "name": str(found.get("name") or order.buyer.display_name or order.buyer.email)[:200],
        "email": str(found.get("email") or order.buyer.email)[:254],
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


def invoice_issue(*, order: Order, checkout: dict | None = None) -> Invoice:
    """The order's invoice (once): called inside the transaction that marks the order paid."""
    existing = Invoice.objects.filter(order=order).first()
    if existing:
        return existing
    tax, tax_lines = checkout_tax(checkout)
    series = settings.INVOICE_SERIES
    seller = {k: str(settings.INVOICE_SELLER.get(k) or "") for k in ("name", "address", "country", "tax_id")}
    with transaction.atomic():
        if not InvoiceSeries.objects.filter(name=series).exists():
            try:
                with transaction.atomic():
                    InvoiceSeries.objects.create(name=series)
            except IntegrityError:
                pass  # created by a purchase completing at the same moment
        row = InvoiceSeries.objects.select_for_update().get(name=series)
        number = row.next_number
        InvoiceSeries.objects.filter(name=series).update(next_number=number + 1)
        holding = order.offer.holding
        return Invoice.objects.create(
            series=series, number=number, order=order, seller=seller, licensor=_licensor(order), buyer=_buyer(order, checkout),
            currency=order.currency,
            lines=[{"description": f"Licence: {holding.name}: {order.offer.title} (licence {order.licence_id})"[:300],
                    "amount_minor": order.amount_minor}],
            tax_lines=tax_lines, subtotal_minor=order.amount_minor, tax_minor=tax, total_minor=order.amount_minor + tax,
        )
