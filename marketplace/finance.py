"""Reads for finance staff: platform revenue and provider fees by period, the ledger by account and
transaction, the latest reconciliation, payouts that are stuck. Every figure is derived from
ledger entries."""
from __future__ import annotations

import re
from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDay, TruncMonth
from django.utils import timezone

from accounts.errors import Forbidden, get_or_not_found
from accounts.models import User

from .models import CheckoutBundle, LedgerAccount, LedgerEntry, LedgerTransaction, LicenceAddOn, Payout, ReconciliationRun

K = LedgerAccount.Kind
PERIODS = {"day": TruncDay, "month": TruncMonth}
STUCK_AFTER = timedelta(hours=24)


def require_finance(user: User) -> None:
    if not (user.is_authenticated and user.is_staff):
        raise Forbidden("Finance pages are for staff.")


def revenue_by_period(*, period: str = "month", limit: int = 24) -> list[dict]:
    """Per period and currency: platform revenue (fees kept), provider fees paid, and the net."""
    trunc = PERIODS.get(period, TruncMonth)
    rows: dict = {}
    for kind, key in ((K.PLATFORM_REVENUE, "revenue_minor"), (K.PROVIDER_FEES, "fees_minor")):
        qs = (
            LedgerEntry.objects.filter(account__kind=kind)
            .annotate(p=trunc("transaction__created_at")).values("p", "currency").annotate(t=Sum("amount_minor")).order_by()
        )
        for r in qs:
            row = rows.setdefault((r["p"], r["currency"]), {"period": r["p"], "currency": r["currency"], "revenue_minor": 0, "fees_minor": 0})
            row[key] = -int(r["t"]) if kind == K.PLATFORM_REVENUE else int(r["t"])
    out = sorted(rows.values(), key=lambda r: (r["period"], r["currency"]), reverse=True)[:limit]
    for r in out:
        r["net_minor"] = r["revenue_minor"] - r["fees_minor"]
    return out


def ledger_accounts(*, kind: str = "", owner: str = "", limit: int = 200) -> list[dict]:
    qs = LedgerAccount.objects.select_related("owner").annotate(balance=Sum("entries__amount_minor"), n=Count("entries"))
    if kind in K.values:
        qs = qs.filter(kind=kind)
    if owner:
        qs = qs.filter(owner__email__icontains=owner[:100])
    return list(qs.order_by("kind", "currency", "pk")[:limit])


def access_ledger_account(*, account_id):
    return get_or_not_found(LedgerAccount.objects.select_related("owner"), "No such ledger account.", pk=account_id)


def account_entries(*, account: LedgerAccount, limit: int = 500):
    return account.entries.select_related("transaction").order_by("-transaction_id")[:limit]


def access_ledger_transaction(*, txn_id):
    return get_or_not_found(LedgerTransaction.objects.select_related("order"), "No such ledger transaction.", pk=txn_id)


_ADDON_KEY = re.compile(r"^addon-(?:tax-)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:-|$)")


def transaction_addon_id(*, txn: LedgerTransaction) -> str | None:
    """The add-on a ledger transaction is about (its sale `addon-<id>`, its tax `addon-tax-<id>`,
    a reversal `addon-<id>-...`), if it is one of a paid add-on still on record; else None."""
    found = _ADDON_KEY.match(txn.idempotency_key)
    if found is None or not LicenceAddOn.objects.filter(pk=found.group(1)).exists():
        return None
    return found.group(1)


def transaction_entries(*, txn: LedgerTransaction):
    return txn.entries.select_related("account__owner").order_by("pk")


def latest_reconciliation() -> ReconciliationRun | None:
    return ReconciliationRun.objects.order_by("-created_at", "-pk").first()


def stuck_payouts() -> list[Payout]:
    """Payouts given up on, or still being transferred a day after they started."""
    old = timezone.now() - STUCK_AFTER
    return list(
        Payout.objects.filter(Q(created_at__lte=old) | Q(gave_up_at__isnull=False), status=Payout.Status.RESERVED)
        .select_related("payee").order_by("created_at")
    )


def failed_bundle_refunds() -> list[CheckoutBundle]:
    """Campaign checkouts whose refund of lines not granted the provider failed: being retried, or
    given up on (owed to the buyer, paid another way or retried by finance)."""
    return list(CheckoutBundle.objects.filter(refund_attempts__gt=0).exclude(refund_error="").select_related("buyer").order_by("paid_at"))


def bundle_disputes(*, limit: int = 20) -> list[dict]:
    """Disputes of campaign checkouts' charges, newest first, each with its shares as the ledger
    booked them when it was lost (services.refunds.dispute_sync): each order's part (its sale and
    tax reversed), what it paid back of lines never granted (refunds due), and what the platform bore."""
    from .models import Dispute

    disputes = list(Dispute.objects.filter(bundle__isnull=False).select_related("bundle__buyer").order_by("-created_at", "-pk")[:limit])
    keys = Q()
    for d in disputes:
        keys |= Q(transaction__idempotency_key__startswith=f"dispute-lost-{d.provider_dispute_id}-")
    entries = (LedgerEntry.objects.filter(keys, account__kind__in=[K.DISPUTED]).select_related(
        "transaction__order__offer__likeness", "transaction__order__offer__ip_asset") if disputes else [])
    shares: dict[str, list[dict]] = {d.provider_dispute_id: [] for d in disputes}
    for e in sorted(entries, key=lambda e: e.transaction_id):
        key = e.transaction.idempotency_key
        pid = next((p for p in shares if key.startswith(f"dispute-lost-{p}-")), None)
        if pid is None:
            continue
        order = e.transaction.order
        if order is not None:
            what = f"{order.offer.holding.name}: {order.offer.title}"
        elif key.endswith("-refused"):
            what = "Lines not granted, paid back by the chargeback"
        else:
            what = "Borne by the platform (already refunded)"
        shares[pid].append({"what": what, "amount_minor": -e.amount_minor, "currency": e.currency})
    return [{"dispute": d, "bundle": d.bundle, "shares": shares[d.provider_dispute_id]} for d in disputes]
