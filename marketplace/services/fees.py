"""The payment provider's fees and currency conversions, booked from its balance transactions.

Fees: processing fees on charges, dispute fees, currency conversion fees, and fee refunds (a
negative fee). Each balance transaction with a fee is posted once (keyed by its id) against the
provider-fees expense account and the clearing account, under the same `external_id` (the
balance transaction's source) as the movement it belongs to; the description names every part
of the fee (`fee_details`: processing, conversion, tax on fees, …).

Conversions: a charge (or refund) in one currency that the provider settles in another has a
balance transaction in the settlement currency with its `exchange_rate`. The ledger booked the
movement in the currency the buyer paid; the conversion is posted once (keyed by the balance
transaction) on the clearing account under the same source: what the ledger holds for the source
in the presentment currency goes out to the conversion account, the settled amount comes in, each
currency balanced. So per source and currency the clearing account's sum is the provider's net,
to the minor unit, and reconciliation compares both net and fees per source.

A fee or conversion whose source the ledger has not recorded yet (its webhook is late, or events
arrived out of order) waits: it is booked by a later sync, never against an unknown source."""
from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import Sum

from ..models import LedgerAccount, LedgerEntry, LedgerTransaction
from ..payments import gateway_for
from .ledger import account_for, ledger_post

log = logging.getLogger(__name__)
TK = LedgerTransaction.Kind
K = LedgerAccount.Kind
NOT_MOVEMENTS = [TK.PROVIDER_FEE, TK.PROVIDER_FEE_REFUND, TK.CONVERSION]


def _source(bt: dict) -> str:
    source = bt.get("source") or bt["id"]
    return source.get("id") if isinstance(source, dict) else source


def _unconverted(source: str, settled_in: str) -> dict[str, int]:
    """What the ledger's clearing account holds for `source` in currencies other than the one the
    provider settled it in (movements and earlier conversions together), non-zero only."""
    rows = (
        LedgerEntry.objects.filter(account__kind=K.CLEARING, transaction__external_id=source)
        .exclude(currency=settled_in).values("currency").annotate(t=Sum("amount_minor")).order_by("currency")
    )
    return {r["currency"]: int(r["t"]) for r in rows if r["t"]}


def _book_conversion(bt: dict, source: str) -> bool:
    settled_in, settled = (bt.get("currency") or "").lower(), int(bt.get("amount") or 0)
    key = f"conversion-{bt['id']}"
    if LedgerTransaction.objects.filter(idempotency_key=key).exists():
        return False
    held = _unconverted(source, settled_in)
    if len(held) != 1:
        if held:
            log.warning("balance transaction %s: the ledger holds %s for %s; not converted", bt["id"], held, source)
        return False
    (presented_in, presented), = held.items()
    ledger_post(
        key=key, kind=TK.CONVERSION,
        description=f"Converted by the provider: {presented} {presented_in.upper()} to {settled} {settled_in.upper()} "
                    f"at {bt.get('exchange_rate')} ({source})",
        lines=[
            (account_for(kind=K.CLEARING, currency=presented_in), -presented),
            (account_for(kind=K.CONVERSION, currency=presented_in), presented),
            (account_for(kind=K.CONVERSION, currency=settled_in), -settled),
            (account_for(kind=K.CLEARING, currency=settled_in), settled),
        ],
        external_id=source,
    )
    return True


def _fee_parts(bt: dict) -> str:
    parts = []
    for d in bt.get("fee_details") or []:
        label = d.get("description") or (d.get("type") or "").replace("_", " ")
        parts.append(f"{label} {d.get('amount')}" if d.get("amount") is not None else label)
    return ", ".join(p for p in parts if p) or bt.get("type") or "fee"


def provider_fees_sync(*, backend: str | None = None, since: int | None = None) -> dict:
    """Book every currency conversion and fee in the provider's balance transactions (since
    `since`) whose source the ledger knows. Returns {"booked": fees booked, "converted":
    conversions booked, "waiting": [sources not yet in the ledger]} ("converted" only when any)."""
    backend = backend or settings.PAYMENT_BACKEND
    if backend == "offline":
        return {"booked": 0, "waiting": []}
    rows = [bt for bt in gateway_for(backend).list_balance_transactions(since=since)
            if int(bt.get("fee") or 0) or bt.get("exchange_rate") not in (None, 1, 1.0)]
    if not rows:
        return {"booked": 0, "waiting": []}
    sources = {_source(bt) for bt in rows}
    known = set(
        LedgerEntry.objects.filter(account__kind=K.CLEARING, transaction__external_id__in=sources)
        .exclude(transaction__kind__in=NOT_MOVEMENTS)
        .values_list("transaction__external_id", flat=True)
    )
    booked, converted, waiting = 0, 0, []
    for bt in rows:
        source, fee, currency = _source(bt), int(bt.get("fee") or 0), (bt.get("currency") or "").lower()
        if source not in known:
            waiting.append(source)
            continue
        if bt.get("exchange_rate") not in (None, 1, 1.0):
            converted += _book_conversion(bt, source)
        if not fee:
            continue
        key = f"provider-fee-{bt['id']}"
        if LedgerTransaction.objects.filter(idempotency_key=key).exists():
            continue
        kind = TK.PROVIDER_FEE if fee > 0 else TK.PROVIDER_FEE_REFUND
        ledger_post(
            key=key, kind=kind, description=f"{'Provider fee' if fee > 0 else 'Provider fee refunded'}: {_fee_parts(bt)} ({source})"[:255],
            lines=[
                (account_for(kind=K.PROVIDER_FEES, currency=currency), fee),
                (account_for(kind=K.CLEARING, currency=currency), -fee),
            ],
            external_id=source,
        )
        booked += 1
    if waiting:
        log.info("provider fees waiting for their source in the ledger: %s", ", ".join(sorted(set(waiting))))
    out = {"booked": booked, "waiting": sorted(set(waiting))}
    if converted:
        out["converted"] = converted
    return out
