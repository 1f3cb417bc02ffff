"""PostgreSQL's ledger guard equal to SQLite's: an entry added to a ledger transaction that is
already written (committed) is refused, balanced or not, whatever the path (ORM, raw INSERT, COPY);
TRUNCATE of the ledger tables is refused; only `flush` (erasing everything) passes."""
import psycopg
import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from marketplace import services
from marketplace.db import allocate_transaction_ids
from marketplace.models import LedgerEntry, LedgerTransaction
from tests.factories import UserFactory
from tests.marketplace.money import assert_ledger_balanced

pytestmark = pytest.mark.django_db(transaction=True)


def _accounts():
    return (
        services.account_for(kind="clearing", currency="gbp"),
        services.account_for(kind="payable", currency="gbp", owner=UserFactory(kind="talent")),
    )


def test_the_new_guards_are_installed():
    assert connection.vendor == "postgresql"
    assert services.ledger_checks()["guards_missing"] == []


def test_a_balanced_pair_appended_to_a_committed_transaction_is_refused():
    clearing, payable = _accounts()
    txn = services.ledger_post(key="k", kind="sale", description="d", lines=[(clearing, 500), (payable, -500)])
    with pytest.raises(IntegrityError, match="already written"):
        with transaction.atomic(), connection.cursor() as c:
            c.execute("INSERT INTO marketplace_ledgerentry (transaction_id, account_id, amount_minor, currency) VALUES "
                      "(%s, %s, 100, 'gbp'), (%s, %s, -100, 'gbp')", [txn.pk, clearing.pk, txn.pk, payable.pk])
    with pytest.raises(IntegrityError, match="already written"):
        with transaction.atomic():
            LedgerEntry.objects.bulk_create([
                LedgerEntry(transaction_id=txn.pk, account=clearing, amount_minor=7, currency="gbp"),
                LedgerEntry(transaction_id=txn.pk, account=payable, amount_minor=-7, currency="gbp"),
            ])
    # COPY takes the same path (the guard is a statement trigger over the inserted rows); Django
    # does not wrap psycopg's COPY, so the driver's own error class arrives.
    with pytest.raises((IntegrityError, psycopg.errors.IntegrityError), match="already written"):
        with transaction.atomic(), connection.cursor() as c:
            with c.copy("COPY marketplace_ledgerentry (transaction_id, account_id, amount_minor, currency) FROM STDIN") as copy:
                copy.write_row((txn.pk, clearing.pk, 3, "gbp"))
                copy.write_row((txn.pk, payable.pk, -3, "gbp"))
    assert sorted(LedgerEntry.objects.values_list("amount_minor", flat=True)) == [-500, 500]
    assert_ledger_balanced()


def test_entries_written_in_a_savepoint_then_sealed_in_the_same_database_transaction_pass():
    """The seal is the database transaction, not the statement or the savepoint: entries written in
    a subtransaction and the transaction row written after them, all before commit, are fine."""
    clearing, payable = _accounts()
    with transaction.atomic():
        (txn_id,) = allocate_transaction_ids(1)
        with transaction.atomic():  # a savepoint (a subtransaction) for the entries
            LedgerEntry.objects.bulk_create([
                LedgerEntry(transaction_id=txn_id, account=clearing, amount_minor=250, currency="gbp"),
                LedgerEntry(transaction_id=txn_id, account=payable, amount_minor=-250, currency="gbp"),
            ])
        with connection.cursor() as c:
            c.execute("INSERT INTO marketplace_ledgertransaction (id, idempotency_key, kind, description, external_id, created_at) "
                      "VALUES (%s, 'entries-in-savepoint', 'sale', 'raw', '', now())", [txn_id])
    assert LedgerTransaction.objects.filter(idempotency_key="entries-in-savepoint").exists()


def test_entries_come_first_and_the_row_seals_them():
    """One guard against appending (issue #14's statement-level checks, migration 0012): a
    transaction's entries are written first, in one statement, and writing its row seals it, so a
    row written before its entries is refused at once, even inside one database transaction."""
    clearing, payable = _accounts()
    with pytest.raises(IntegrityError, match="at least two entries"):
        with transaction.atomic():
            (txn_id,) = allocate_transaction_ids(1)
            with connection.cursor() as c:
                c.execute("INSERT INTO marketplace_ledgertransaction (id, idempotency_key, kind, description, external_id, created_at) "
                          "VALUES (%s, 'row-first', 'sale', 'raw', '', now())", [txn_id])
    assert not LedgerTransaction.objects.filter(idempotency_key="row-first").exists()
    services.ledger_post(key="entries-first", kind="sale", description="d", lines=[(clearing, 1), (payable, -1)])
    assert_ledger_balanced()


@pytest.mark.parametrize("statement", [
    "TRUNCATE marketplace_ledgerentry",
    "TRUNCATE marketplace_ledgertransaction CASCADE",
    "TRUNCATE marketplace_ledgeraccount CASCADE",
    "TRUNCATE marketplace_ledgerentry, marketplace_ledgertransaction",
])
def test_truncate_is_refused(statement):
    clearing, payable = _accounts()
    services.ledger_post(key="k", kind="sale", description="d", lines=[(clearing, 500), (payable, -500)])
    with pytest.raises(IntegrityError, match="TRUNCATE"):
        with transaction.atomic(), connection.cursor() as c:
            c.execute(statement)
    assert LedgerEntry.objects.count() == 2
    with connection.cursor() as c:  # the escape hatch is flush's alone and does not outlive it
        c.execute("SELECT current_setting('rightscast.ledger_flush', true)")
        assert c.fetchone()[0] in (None, "", "off")


def test_flush_erases_everything_and_leaves_the_guard_on():
    clearing, payable = _accounts()
    services.ledger_post(key="k", kind="sale", description="d", lines=[(clearing, 500), (payable, -500)])
    call_command("flush", interactive=False, verbosity=0)
    assert LedgerEntry.objects.count() == 0 and LedgerTransaction.objects.count() == 0
    clearing, payable = _accounts()
    services.ledger_post(key="k2", kind="sale", description="d", lines=[(clearing, 5), (payable, -5)])
    with pytest.raises(IntegrityError, match="TRUNCATE"):
        with transaction.atomic(), connection.cursor() as c:
            c.execute("TRUNCATE marketplace_ledgerentry")
