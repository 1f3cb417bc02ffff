"""The double-entry ledger: accounts per party and currency, balanced append-only transactions,
balances derived from entries.

Debits are positive, credits negative; in each currency a transaction's entries sum to zero.
Python checks that before writing (for a clear error); the database checks it again and refuses
updates and deletes (migrations 0003_ledger_guards, 0004_ledger_statement_checks). A transaction's entries are written before the
transaction row itself (its id is reserved first): on SQLite inserting the row is what seals and
checks them."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User

from ..db import allocate_transaction_ids
from ..models import LedgerAccount, LedgerEntry, LedgerTransaction, Order

Kind = LedgerAccount.Kind


class LedgerImbalance(ValueError):
    pass


def account_for(*, kind: str, currency: str, owner: User | int | None = None) -> LedgerAccount:
    owner_id = owner.pk if isinstance(owner, User) else owner
    try:
        with transaction.atomic():
            account, _ = LedgerAccount.objects.get_or_create(kind=kind, owner_id=owner_id, currency=currency)
    except IntegrityError:
        account = LedgerAccount.objects.get(kind=kind, owner_id=owner_id, currency=currency)
    return account


def accounts_for(keys) -> dict:
    """Many accounts at once: {(kind, owner_id, currency): LedgerAccount}, creating the missing
    ones in one statement (concurrent creators are fine: the unique constraints decide)."""
    keys = set(keys)
    found: dict = {}

    def fetch(wanted) -> None:
        groups: dict = {}
        for kind, owner_id, currency in wanted:
            groups.setdefault((kind, currency), set()).add(owner_id)
        for (kind, currency), owners in groups.items():
            qs = LedgerAccount.objects.filter(kind=kind, currency=currency)
            ids = [o for o in owners if o is not None]
            if None in owners:
                for account in qs.filter(owner__isnull=True):
                    found[(account.kind, None, account.currency)] = account
            for i in range(0, len(ids), 5000):
                for account in qs.filter(owner_id__in=ids[i : i + 5000]):
                    found[(account.kind, account.owner_id, account.currency)] = account

    fetch(keys)
    missing = [k for k in keys if k not in found]
    if missing:
        with transaction.atomic():
            LedgerAccount.objects.bulk_create(
                [LedgerAccount(kind=k, owner_id=o, currency=c) for k, o, c in missing], batch_size=2000, ignore_conflicts=True
            )
        fetch(missing)
    return found


def accounts_lock(accounts: list[LedgerAccount]) -> None:
    """Lock ledger accounts (in id order, the one order every writer uses) for a decision that
    depends on their balance: a payout reservation, a credit draw."""
    ids = sorted({a.pk for a in accounts})
    list(LedgerAccount.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def account_balance(account: LedgerAccount | int) -> int:
    account_id = account.pk if isinstance(account, LedgerAccount) else account
    return int(LedgerEntry.objects.filter(account_id=account_id).aggregate(t=Sum("amount_minor"))["t"] or 0)


@dataclass
class Posting:
    key: str
    kind: str
    description: str
    lines: list = field(default_factory=list)  # [(LedgerAccount, amount)]
    order_id: object = None
    external_id: str = ""


def _checked(key: str, lines) -> list[tuple[LedgerAccount, int]]:
    merged: dict[int, list] = {}
    for account, amount in lines:
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise LedgerImbalance(f"Ledger amounts are whole numbers of minor units ({key}).")
        if account.pk in merged:
            merged[account.pk][1] += amount
        else:
            merged[account.pk] = [account, amount]
    out = [(a, m) for a, m in merged.values() if m != 0]
    totals: dict[str, int] = {}
    for account, amount in out:
        totals[account.currency] = totals.get(account.currency, 0) + amount
    if any(totals.values()):
        raise LedgerImbalance(f"Unbalanced ledger transaction {key}: {totals}")
    if len(out) < 2:
        raise LedgerImbalance(f"A ledger transaction moves money between at least two accounts ({key}).")
    return out


def ledger_post(
    *, key: str, kind: str, description: str, lines, order: Order | None = None, external_id: str = ""
) -> LedgerTransaction:
    """One balanced transaction. Posting the same key twice returns the first transaction."""
    existing = LedgerTransaction.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    checked = _checked(key, lines)
    try:
        with transaction.atomic():
            (txn_id,) = allocate_transaction_ids(1)
            LedgerEntry.objects.bulk_create(
                [LedgerEntry(transaction_id=txn_id, account=a, amount_minor=m, currency=a.currency) for a, m in checked]
            )
            return LedgerTransaction.objects.create(
                id=txn_id, idempotency_key=key, kind=kind, description=description[:255], order=order, external_id=external_id
            )
    except IntegrityError:
        existing = LedgerTransaction.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        raise


def tax_collected_post(*, key: str, description: str, tax: int, currency: str, order: Order, external_id: str = "") -> LedgerTransaction:
    """The tax a payment carried (Stripe Tax's), owed to the tax authorities: from clearing to
    `tax_collected`, never shared up a royalty chain. Posting the same key twice changes nothing."""
    return ledger_post(
        key=key, kind=LedgerTransaction.Kind.TAX, description=description, order=order, external_id=external_id,
        lines=[(account_for(kind=LedgerAccount.Kind.CLEARING, currency=currency), tax),
               (account_for(kind=LedgerAccount.Kind.TAX_COLLECTED, currency=currency), -tax)],
    )


def ledger_post_many(postings: list[Posting]) -> int:
    """Many balanced transactions in one database transaction (bulk writes), skipping keys already
    posted. Returns how many were written. The database checks each one as `ledger_post` does."""
    seen: set[str] = set()
    unique = []
    for p in postings:
        if p.key not in seen:
            seen.add(p.key)
            unique.append(p)
    existing = set()
    keys = [p.key for p in unique]
    for i in range(0, len(keys), 5000):
        existing.update(LedgerTransaction.objects.filter(idempotency_key__in=keys[i : i + 5000]).values_list("idempotency_key", flat=True))
    todo = [(p, _checked(p.key, p.lines)) for p in unique if p.key not in existing]
    if not todo:
        return 0
    with transaction.atomic():
        ids = allocate_transaction_ids(len(todo))
        if connection.vendor == "postgresql":
            _copy_postings(ids, todo)
            return len(todo)
        entries = []
        txns = []
        for txn_id, (p, lines) in zip(ids, todo):
            entries.extend(LedgerEntry(transaction_id=txn_id, account_id=a.pk, amount_minor=m, currency=a.currency) for a, m in lines)
            txns.append(
                LedgerTransaction(
                    id=txn_id, idempotency_key=p.key, kind=p.kind, description=p.description[:255], order_id=p.order_id,
                    external_id=p.external_id,
                )
            )
        LedgerEntry.objects.bulk_create(entries, batch_size=5000)
        LedgerTransaction.objects.bulk_create(txns, batch_size=2000)
    return len(todo)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One field in COPY's text format."""
    return "\\N" if value is None else str(value).translate(_COPY_ESCAPES)


def _copy_postings(ids: list[int], todo: list) -> None:
    """PostgreSQL: every entry in one COPY, then every transaction row in one COPY; the
    statement-level checks (migrations 0004 and 0015) run once per COPY. The rows go as one block
    of COPY text per table (numbers and currency codes as they are, text fields escaped).
    Inside the caller's atomic block."""
    connection.ensure_connection()
    now = timezone.now().isoformat()
    entries = "".join(
        f"{txn_id}\t{account.pk}\t{amount}\t{account.currency}\n" for txn_id, (_, lines) in zip(ids, todo) for account, amount in lines
    )
    txns = "".join(
        f"{txn_id}\t{_copy_text(p.key)}\t{_copy_text(p.kind)}\t{_copy_text(p.description[:255])}\t{_copy_text(p.order_id)}\t"
        f"{_copy_text(p.external_id)}\t{now}\n"
        for txn_id, (p, _) in zip(ids, todo)
    )
    with connection.wrap_database_errors, connection.connection.cursor() as cursor:
        with cursor.copy("COPY marketplace_ledgerentry (transaction_id, account_id, amount_minor, currency) FROM STDIN") as copy:
            copy.write(entries)
        with cursor.copy(
            "COPY marketplace_ledgertransaction (id, idempotency_key, kind, description, order_id, external_id, created_at) FROM STDIN"
        ) as copy:
            copy.write(txns)


def transaction_lines(key: str) -> list[tuple[LedgerAccount, int]]:
    txn = LedgerTransaction.objects.filter(idempotency_key=key).first()
    if txn is None:
        return []
    return [(e.account, e.amount_minor) for e in txn.entries.select_related("account").order_by("pk")]
