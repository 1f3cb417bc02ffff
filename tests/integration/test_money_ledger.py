"""PostgreSQL's guard on the ledger: statement-level checks refuse any statement that leaves a
transaction out of balance, entries for a transaction already written, a transaction row with
fewer than two entries and a currency other than the account's; entries and transactions refuse
UPDATE and DELETE. Bulk postings go through COPY and meet the same checks."""
import pytest
from django.db import IntegrityError, connection, transaction

from marketplace import services
from marketplace.db import allocate_transaction_ids
from marketplace.models import LedgerEntry, LedgerTransaction
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _accounts():
    return (
        services.account_for(kind="clearing", currency="gbp"),
        services.account_for(kind="payable", currency="gbp", owner=UserFactory(kind="talent")),
    )


def test_guards_are_installed_on_postgresql():
    assert connection.vendor == "postgresql"
    assert services.ledger_checks()["guards_missing"] == []


def test_an_unbalanced_transaction_is_refused():
    clearing, payable = _accounts()
    with pytest.raises(IntegrityError, match="does not balance"):
        with transaction.atomic(), connection.cursor() as c:
            (txn_id,) = allocate_transaction_ids(1)
            c.execute("INSERT INTO marketplace_ledgerentry (transaction_id, account_id, amount_minor, currency) VALUES "
                      "(%s, %s, 500, 'gbp'), (%s, %s, -499, 'gbp')", [txn_id, clearing.pk, txn_id, payable.pk])
            c.execute("INSERT INTO marketplace_ledgertransaction (id, idempotency_key, kind, description, external_id, created_at) "
                      "VALUES (%s, 'raw', 'sale', 'raw', '', now())", [txn_id])
    # Written the other way round, the row comes first and has no entries: refused too.
    with pytest.raises(IntegrityError, match="at least two entries"):
        with transaction.atomic(), connection.cursor() as c:
            (txn_id,) = allocate_transaction_ids(1)
            c.execute("INSERT INTO marketplace_ledgertransaction (id, idempotency_key, kind, description, external_id, created_at) "
                      "VALUES (%s, 'raw', 'sale', 'raw', '', now())", [txn_id])
    # Balanced entries whose transaction row is never written: refused at commit (migration 0015's
    # deferred check, one per statement, in place of the foreign key's check per entry).
    with pytest.raises(IntegrityError, match="never written"):
        with transaction.atomic(), connection.cursor() as c:
            (txn_id,) = allocate_transaction_ids(1)
            c.execute("INSERT INTO marketplace_ledgerentry (transaction_id, account_id, amount_minor, currency) VALUES "
                      "(%s, %s, 500, 'gbp'), (%s, %s, -500, 'gbp')", [txn_id, clearing.pk, txn_id, payable.pk])
    assert LedgerTransaction.objects.count() == 0 and LedgerEntry.objects.count() == 0


def test_a_wrong_currency_and_a_one_sided_copy_are_refused():
    clearing, payable = _accounts()
    with pytest.raises(IntegrityError, match="currency"):
        with transaction.atomic(), connection.cursor() as c:
            (txn_id,) = allocate_transaction_ids(1)
            c.execute("INSERT INTO marketplace_ledgerentry (transaction_id, account_id, amount_minor, currency) VALUES "
                      "(%s, %s, 500, 'usd'), (%s, %s, -500, 'usd')", [txn_id, clearing.pk, txn_id, payable.pk])
    # COPY meets the same statement-level checks as INSERT.
    with pytest.raises(IntegrityError, match="does not balance"):
        with transaction.atomic():
            (txn_id,) = allocate_transaction_ids(1)
            with connection.wrap_database_errors, connection.connection.cursor() as raw:
                with raw.copy("COPY marketplace_ledgerentry (transaction_id, account_id, amount_minor, currency) FROM STDIN") as copy:
                    copy.write_row((txn_id, clearing.pk, 500, "gbp"))
    assert LedgerEntry.objects.count() == 0


def test_ledger_post_many_copies_and_is_checked():
    clearing, payable = _accounts()
    postings = [services.Posting(key=f"bulk-{i}", kind="sale", description="bulk", lines=[(clearing, i + 1), (payable, -(i + 1))])
                for i in range(300)]
    assert services.ledger_post_many(postings) == 300
    assert services.ledger_post_many(postings) == 0
    assert services.account_balance(clearing) == sum(range(1, 301))
    assert services.ledger_checks()["imbalanced_transactions"] == 0
    assert services.ledger_checks()["transactions_with_fewer_than_two_entries"] == 0


def test_an_entry_appended_to_a_committed_transaction_is_refused():
    clearing, payable = _accounts()
    txn = services.ledger_post(key="k", kind="sale", description="d", lines=[(clearing, 500), (payable, -500)])
    # Refused as soon as it is written since migration 0005 (before: at commit, as unbalanced).
    with pytest.raises(IntegrityError, match="already written|does not balance"):
        with transaction.atomic(), connection.cursor() as c:
            c.execute("INSERT INTO marketplace_ledgerentry (transaction_id, account_id, amount_minor, currency) VALUES (%s, %s, 1, 'gbp')",
                      [txn.pk, clearing.pk])
    with pytest.raises(IntegrityError, match="at least two entries"):
        with transaction.atomic(), connection.cursor() as c:
            c.execute("INSERT INTO marketplace_ledgertransaction (id, idempotency_key, kind, description, external_id, created_at) "
                      "VALUES (%s, 'empty', 'sale', 'raw', '', now())", [allocate_transaction_ids(1)[0]])
    # A balanced pair appended to a written transaction is refused as well: the row seals it.
    with pytest.raises(IntegrityError, match="already written"):
        with transaction.atomic(), connection.cursor() as c:
            c.execute("INSERT INTO marketplace_ledgerentry (transaction_id, account_id, amount_minor, currency) VALUES "
                      "(%s, %s, 7, 'gbp'), (%s, %s, -7, 'gbp')", [txn.pk, clearing.pk, txn.pk, payable.pk])
    assert LedgerEntry.objects.count() == 2


def test_entries_and_transactions_are_never_updated_or_deleted():
    clearing, payable = _accounts()
    services.ledger_post(key="k", kind="sale", description="d", lines=[(clearing, 500), (payable, -500)])
    for statement in ("UPDATE marketplace_ledgerentry SET amount_minor = 7", "DELETE FROM marketplace_ledgerentry",
                      "UPDATE marketplace_ledgertransaction SET description = 'x'", "DELETE FROM marketplace_ledgertransaction"):
        with pytest.raises(IntegrityError, match="append-only"):
            with transaction.atomic(), connection.cursor() as c:
                c.execute(statement)
    assert sorted(LedgerEntry.objects.values_list("amount_minor", flat=True)) == [-500, 500]


def test_entries_on_a_missing_account_are_refused_and_an_account_with_entries_is_kept():
    clearing, payable = _accounts()
    with pytest.raises(IntegrityError, match="does not exist"):
        with transaction.atomic(), connection.cursor() as c:
            (txn_id,) = allocate_transaction_ids(1)
            c.execute("INSERT INTO marketplace_ledgerentry (transaction_id, account_id, amount_minor, currency) VALUES "
                      "(%s, %s, 500, 'gbp'), (%s, %s, -500, 'gbp')", [txn_id, clearing.pk, txn_id, 987654321])
    services.ledger_post(key="k", kind="sale", description="d", lines=[(clearing, 500), (payable, -500)])
    with pytest.raises(IntegrityError, match="has entries"):
        with transaction.atomic(), connection.cursor() as c:
            c.execute("DELETE FROM marketplace_ledgeraccount WHERE id = %s", [payable.pk])
    assert LedgerEntry.objects.filter(account_id=payable.pk).count() == 1
    # an account without entries may still go
    spare = services.account_for(kind="payable", currency="eur", owner=UserFactory(kind="talent"))
    with connection.cursor() as c:
        c.execute("DELETE FROM marketplace_ledgeraccount WHERE id = %s", [spare.pk])


def test_copied_text_fields_arrive_exactly_as_written():
    clearing, payable = _accounts()
    awkward = "tab\there, new\nline, back\\slash \\N and \\. and a ’quote’"
    postings = [services.Posting(key=f"k\t{i}\\", kind="sale", description=awkward, external_id="ch_\r1",
                                 lines=[(clearing, 5), (payable, -5)]) for i in range(3)]
    assert services.ledger_post_many(postings) == 3
    rows = LedgerTransaction.objects.order_by("id").values_list("idempotency_key", "description", "external_id", "order_id")
    assert list(rows) == [(f"k\t{i}\\", awkward, "ch_\r1", None) for i in range(3)]
    assert services.ledger_post_many(postings) == 0  # the same keys are recognised again
