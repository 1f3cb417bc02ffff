"""Reconciliation: the ledger's own invariants, and the ledger against the provider's balance
transactions. Every movement of the provider balance (a charge, a refund, a transfer, a transfer
reversal, a dispute's withdrawal or reinstatement) is a ledger transaction on the clearing
account whose `external_id` is the provider object's id; balance transactions name the same
object as their `source`. The provider's fees on a source, and its conversion into the settlement
currency when the buyer paid in another, are booked under the same id (services.fees); a campaign
checkout's one charge is one source, its orders' sales and taxes and its refused lines posted
under it (services.bundles), so per
source, in the currency the provider settled it in, the clearing account's sum must equal the
provider's net, and the provider-fees account's sum its fees; what the ledger still holds in
another currency for the source is a difference (not converted). Every difference is reported
with its source."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Sum

from ..db import ledger_guards_missing
from ..models import CheckoutBundle, CreditTopUp, LedgerAccount, LedgerEntry, LedgerTransaction, Order, Payout
from ..payments import gateway_for

OFFLINE_MARK = "_offline_"


@dataclass
class Report:
    checks: dict = field(default_factory=dict)
    differences: list = field(default_factory=list)
    provider_sources: int = 0
    ledger_sources: int = 0

    @property
    def ok(self) -> bool:
        counters = [v for v in self.checks.values() if isinstance(v, int)]
        return (
            not self.differences and not any(counters)
            and not self.checks.get("currencies_not_summing_to_zero") and not self.checks.get("guards_missing")
        )


def imbalanced_transactions() -> int:
    """Transactions whose entries do not sum to zero in some currency (the database refuses them;
    this counts what is actually stored)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT transaction_id FROM marketplace_ledgerentry "
            "GROUP BY transaction_id, currency HAVING SUM(amount_minor) <> 0) AS t"
        )
        return int(cursor.fetchone()[0])


def ledger_checks() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM marketplace_ledgertransaction t WHERE "
            "(SELECT COUNT(*) FROM marketplace_ledgerentry e WHERE e.transaction_id = t.id) < 2"
        )
        thin = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT COUNT(*) FROM marketplace_ledgerentry e LEFT JOIN marketplace_ledgertransaction t "
            "ON t.id = e.transaction_id WHERE t.id IS NULL"
        )
        orphans = int(cursor.fetchone()[0])
    totals = {
        r["currency"]: int(r["t"]) for r in LedgerEntry.objects.values("currency").annotate(t=Sum("amount_minor")).order_by("currency")
    }
    paid_orders = Order.objects.filter(status__in=[Order.Status.PAID, Order.Status.REFUNDED], amount_minor__gt=0)
    return {
        "imbalanced_transactions": imbalanced_transactions(),
        "transactions_with_fewer_than_two_entries": thin,
        "entries_without_transaction": orphans,
        "currencies_not_summing_to_zero": sorted(c for c, t in totals.items() if t),
        "paid_orders_without_sale": paid_orders.exclude(ledger_transactions__kind=LedgerTransaction.Kind.SALE).count(),
        "paid_payouts_without_posting": Payout.objects.filter(status=Payout.Status.PAID)
        .exclude(transfer_id__in=LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.PAYOUT_SENT).values("external_id"))
        .count(),
        "guards_missing": ledger_guards_missing(),
        "ledger_total_by_currency": totals,
    }


def ledger_reconcile(*, backend: str, since: int | None = None) -> Report:
    report = Report(checks=ledger_checks())
    if backend == "offline":
        return report  # no provider balance to compare against
    provider: dict[str, dict] = {}
    for bt in gateway_for(backend).list_balance_transactions(since=since):
        source = bt.get("source") or bt["id"]
        if isinstance(source, dict):
            source = source.get("id")
        row = provider.setdefault(source, {"net": 0, "fee": 0, "currency": bt.get("currency"), "types": set()})
        amount, fee = int(bt.get("amount") or 0), int(bt.get("fee") or 0)
        row["net"] += int(bt["net"]) if bt.get("net") is not None else amount - fee
        row["fee"] += fee
        row["types"].add(bt.get("type"))
    entries = LedgerEntry.objects.exclude(transaction__external_id="")
    if since is not None:
        from datetime import datetime, timezone

        entries = entries.filter(transaction__created_at__gte=datetime.fromtimestamp(since, tz=timezone.utc))
    ledger: dict[str, dict] = {}  # source -> currency -> {"net", "fee"}
    for ext, kind, currency, amount in (
        entries.filter(account__kind__in=[LedgerAccount.Kind.CLEARING, LedgerAccount.Kind.PROVIDER_FEES])
        .values_list("transaction__external_id", "account__kind", "currency").annotate(t=Sum("amount_minor"))
    ):
        if OFFLINE_MARK in ext:
            continue
        row = ledger.setdefault(ext, {}).setdefault(currency, {"net": 0, "fee": 0})
        row["net" if kind == LedgerAccount.Kind.CLEARING else "fee"] += int(amount)
    # Charges the ledger never saw at all (a paid top-up, order or campaign checkout that no webhook recorded).
    known_charges = set()
    for model in (Order, CreditTopUp, CheckoutBundle):
        known_charges |= set(model.objects.exclude(charge_id=None).values_list("charge_id", flat=True))
    report.provider_sources, report.ledger_sources = len(provider), len(ledger)
    for source in sorted(set(provider) | set(ledger)):
        p, by_currency = provider.get(source), ledger.get(source)
        if p is None:
            for currency, led in sorted(by_currency.items()):
                report.differences.append({"source": source, "problem": "in the ledger, not at the provider", "ledger_net": led["net"],
                                           "ledger_fee": led["fee"], "currency": currency})
            continue
        if by_currency is None:
            problem = "at the provider, not in the ledger"
            if source in known_charges:
                problem += " (an order, top-up or checkout knows this charge)"
            report.differences.append({"source": source, "problem": problem, "provider_net": p["net"], "provider_fee": p["fee"],
                                       "currency": p["currency"], "types": sorted(t for t in p["types"] if t)})
            continue
        settled_in = (p["currency"] or "").lower()
        others = {c: v for c, v in by_currency.items() if c != settled_in and (v["net"] or v["fee"])}
        if others:  # held in the currency the buyer paid, but the provider settled it in another
            report.differences.append({"source": source, "problem": "currencies differ (not converted)", "provider_currency": p["currency"],
                                       "ledger_currency": ", ".join(sorted(others)),
                                       "ledger_net": {c: v["net"] for c, v in sorted(others.items())}})
            if settled_in not in by_currency:
                continue
        led = by_currency.get(settled_in, {"net": 0, "fee": 0})
        if p["net"] != led["net"]:
            report.differences.append({"source": source, "problem": "net differs", "provider_net": p["net"], "ledger_net": led["net"],
                                       "difference": p["net"] - led["net"], "currency": settled_in})
        if p["fee"] != led["fee"]:
            report.differences.append({"source": source, "problem": "fees differ", "provider_fee": p["fee"], "ledger_fee": led["fee"],
                                       "difference": p["fee"] - led["fee"], "currency": settled_in})
    fees: dict = {}
    for p in provider.values():
        cur = (p["currency"] or "").lower()
        fees[cur] = fees.get(cur, 0) + p["fee"]
    report.checks["provider_fees_by_currency"] = fees
    report.checks["ledger_fees_by_currency"] = {
        r["currency"]: int(r["t"]) for r in LedgerEntry.objects.filter(account__kind=LedgerAccount.Kind.PROVIDER_FEES)
        .values("currency").annotate(t=Sum("amount_minor")).order_by("currency")
    }
    return report
