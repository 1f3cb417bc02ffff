"""The payment provider's fees, booked from its balance transactions: processing fees on charges,
dispute fees, and fee refunds (a negative fee). Each balance transaction with a fee is posted once
(keyed by its id) against the provider-fees expense account and the clearing account, under the
same `external_id` (the balance transaction's source) as the movement it belongs to; so the
clearing account's sum per source is the provider's net, and reconciliation compares both net and
fees per source.

A fee whose source the ledger has not recorded yet (its webhook is late, or events arrived out of
order) waits: it is booked by a later sync, never against an unknown source."""
from __future__ import annotations

import logging

from django.conf import settings

from ..models import LedgerAccount, LedgerEntry, LedgerTransaction
from ..payments import gateway_for
from .ledger import account_for, ledger_post

log = logging.getLogger(__name__)
TK = LedgerTransaction.Kind


def _source(bt: dict) -> str:
    source = bt.get("source") or bt["id"]
    return source.get("id") if isinstance(source, dict) else source


def provider_fees_sync(*, backend: str | None = None, since: int | None = None) -> dict:
    """Book every fee in the provider's balance transactions (since `since`) whose source the
    ledger knows. Returns {"booked": n, "waiting": [sources not yet in the ledger]}."""
    backend = backend or settings.PAYMENT_BACKEND
    if backend == "offline":
        return {"booked": 0, "waiting": []}
    with_fees = [bt for bt in gateway_for(backend).list_balance_transactions(since=since) if int(bt.get("fee") or 0)]
    if not with_fees:
        return {"booked": 0, "waiting": []}
    sources = {_source(bt) for bt in with_fees}
    known = set(
        LedgerEntry.objects.filter(account__kind=LedgerAccount.Kind.CLEARING, transaction__external_id__in=sources)
        .exclude(transaction__kind__in=[TK.PROVIDER_FEE, TK.PROVIDER_FEE_REFUND])
        .values_list("transaction__external_id", flat=True)
    )
    booked, waiting = 0, []
    for bt in with_fees:
        source, fee, currency = _source(bt), int(bt["fee"]), (bt.get("currency") or "").lower()
        if source not in known:
            waiting.append(source)
            continue
        key = f"provider-fee-{bt['id']}"
        if LedgerTransaction.objects.filter(idempotency_key=key).exists():
            continue
        kind = TK.PROVIDER_FEE if fee > 0 else TK.PROVIDER_FEE_REFUND
        what = ", ".join(d.get("description") or d.get("type") or "" for d in bt.get("fee_details") or []) or bt.get("type") or "fee"
        ledger_post(
            key=key, kind=kind, description=f"{'Provider fee' if fee > 0 else 'Provider fee refunded'}: {what} ({source})",
            lines=[
                (account_for(kind=LedgerAccount.Kind.PROVIDER_FEES, currency=currency), fee),
                (account_for(kind=LedgerAccount.Kind.CLEARING, currency=currency), -fee),
            ],
            external_id=source,
        )
        booked += 1
    if waiting:
        log.info("provider fees waiting for their source in the ledger: %s", ", ".join(sorted(set(waiting))))
    return {"booked": booked, "waiting": sorted(set(waiting))}
