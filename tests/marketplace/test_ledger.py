"""The ledger's invariants, enforced by the database itself (here SQLite, the embedded default;
tests/integration/test_money_ledger_pg.py checks PostgreSQL's deferred constraint trigger)."""
import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from marketplace import services
from marketplace.db import allocate_transaction_ids
from marketplace.models import LedgerAccount, LedgerEntry, LedgerTransaction
from marketplace.services.ledger import LedgerImbalance
from tests.factories import UserFactory
from tests.marketplace.money import assert_ledger_balanced

pytestmark = pytest.mark.django_db
K = LedgerAccount.Kind


@pytest.fixture
def accounts():
    talent = UserFactory(kind="talent")
    return (
        services.account_for(kind=K.CLEARING, currency="gbp"),
        services.account_for(kind=K.PAYABLE, currency="gbp", owner=talent),
        services.account_for(kind=K.CLEARING, currency="usd"),
    )


def _post(clearing, payable, key="t1", amount=500):
    return services.ledger_post(key=key, kind="sale", description="test", lines=[(clearing, amount), (payable, -amount)])


def test_posting_twice_with_one_key_posts_once(accounts):
    clearing, payable, _ = accounts
    first = _post(clearing, payable)
    again = _post(clearing, payable)
    assert first.pk == again.pk and LedgerTransaction.objects.count() == 1 and LedgerEntry.objects.count() == 2
    assert services.account_balance(payable) == -500
    assert_ledger_balanced()


def test_python_refuses_unbalanced_and_mixed_currency_lines(accounts):
    clearing, payable, usd = accounts
    with pytest.raises(LedgerImbalance):
        services.ledger_post(key="x", kind="sale", description="x", lines=[(clearing, 500), (payable, -499)])
    with pytest.raises(LedgerImbalance):
        services.ledger_post(key="y", kind="sale", description="y", lines=[(usd, 500), (payable, -500)])
    with pytest.raises(LedgerImbalance):
        services.ledger_post(key="z", kind="sale", description="z", lines=[(clearing, 1.5), (payable, -1.5)])
    assert LedgerTransaction.objects.count() == 0 and LedgerEntry.objects.count() == 0


def _raw_insert(txn_id, lines, seal=True):
    with connection.cursor() as c:
        for account, amount in lines:
            c.execute(
                "INSERT INTO marketplace_ledgerentry (transaction_id, account_id, amount_minor, currency) VALUES (%s, %s, %s, %s)",
                [txn_id, account.pk, amount, account.currency],
            )
        if seal:
            c.execute(
                "INSERT INTO marketplace_ledgertransaction (id, idempotency_key, kind, description, external_id, created_at) "
                "VALUES (%s, %s, 'sale', 'raw', '', CURRENT_TIMESTAMP)",
                [txn_id, f"raw-{txn_id}"],
            )


def test_the_database_refuses_an_unbalanced_transaction(accounts):
    """Bypassing Python entirely: SQL that writes an unbalanced transaction is refused."""
    clearing, payable, _ = accounts
    with pytest.raises(IntegrityError, match="does not balance"):
        with transaction.atomic():
            (txn_id,) = allocate_transaction_ids(1)
            _raw_insert(txn_id, [(clearing, 500), (payable, -400)])
    with pytest.raises(IntegrityError, match="at least two entries"):
        with transaction.atomic():
            (txn_id,) = allocate_transaction_ids(1)
            _raw_insert(txn_id, [])
    assert LedgerTransaction.objects.count() == 0


def test_the_database_refuses_entries_added_to_a_written_transaction(accounts):
    clearing, payable, _ = accounts
    txn = _post(clearing, payable)
    with pytest.raises(IntegrityError, match="already written"):
        with transaction.atomic():
            _raw_insert(txn.pk, [(clearing, 1)], seal=False)
    assert services.account_balance(clearing) == 500


def test_the_database_refuses_a_currency_other_than_the_accounts(accounts):
    clearing, payable, _ = accounts
    with pytest.raises(IntegrityError, match="currency"):
        with transaction.atomic(), connection.cursor() as c:
            (txn_id,) = allocate_transaction_ids(1)
            c.execute(
                "INSERT INTO marketplace_ledgerentry (transaction_id, account_id, amount_minor, currency) VALUES (%s, %s, 5, 'usd')",
                [txn_id, clearing.pk],
            )


def test_entries_and_transactions_are_never_updated_or_deleted(accounts):
    clearing, payable, _ = accounts
    txn = _post(clearing, payable)
    for statement in (
        "UPDATE marketplace_ledgerentry SET amount_minor = amount_minor * 2",
        "DELETE FROM marketplace_ledgerentry",
        "UPDATE marketplace_ledgertransaction SET description = 'changed'",
        "DELETE FROM marketplace_ledgertransaction",
    ):
        with pytest.raises(IntegrityError, match="append-only"):
            with transaction.atomic(), connection.cursor() as c:
                c.execute(statement)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            LedgerEntry.objects.filter(transaction=txn).update(amount_minor=1)
    assert sorted(LedgerEntry.objects.values_list("amount_minor", flat=True)) == [-500, 500]
    assert services.ledger_checks()["imbalanced_transactions"] == 0


def test_flush_erases_everything_including_the_ledger(accounts):
    """`manage.py flush` (what a test database reset runs) is the one way rows leave the ledger."""
    clearing, payable, _ = accounts
    _post(clearing, payable)
    call_command("flush", interactive=False, verbosity=0)
    assert LedgerEntry.objects.count() == 0 and LedgerTransaction.objects.count() == 0
    clearing = services.account_for(kind=K.CLEARING, currency="gbp")
    payable = services.account_for(kind=K.PAYABLE, currency="gbp", owner=UserFactory(kind="talent"))
    _post(clearing, payable, key="after-flush")
    with pytest.raises(IntegrityError, match="append-only"):
        with transaction.atomic(), connection.cursor() as c:
            c.execute("DELETE FROM marketplace_ledgerentry")


def test_ledger_post_many_posts_in_bulk_and_skips_what_is_posted(accounts):
    clearing, payable, _ = accounts
    postings = [services.Posting(key=f"bulk-{i}", kind="sale", description="bulk", lines=[(clearing, i + 1), (payable, -(i + 1))]) for i in range(50)]
    assert services.ledger_post_many(postings) == 50
    assert services.ledger_post_many(postings + postings[:5]) == 0
    assert services.account_balance(clearing) == sum(range(1, 51))
    assert_ledger_balanced()


def test_guards_are_in_place():
    assert services.ledger_checks()["guards_missing"] == []
