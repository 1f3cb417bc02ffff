"""The ledger's guards on PostgreSQL become statement-level: one check per INSERT (or COPY)
statement over its transition table, probing the index on `transaction_id`, instead of a trigger
per row and a deferred balance check per entry at commit. What they refuse is unchanged:

- an entry whose currency is not its account's;
- a statement that leaves any transaction it touched out of balance in some currency (a
  transaction's entries are written in one statement: `ledger_post`, `ledger_post_many` with COPY);
- an entry for a transaction whose row is already written (committed or not): the row seals it;
- a transaction row with fewer than two entries;
- UPDATE and DELETE on either table (one check per statement).

The entries reference their transaction through Django's deferred foreign key, so entries whose
transaction row is never written are refused at commit.

SQLite keeps its row triggers (it has no statement-level ones); dropping the redundant index on
`account_id` (the (account, transaction) index serves every lookup by account) rebuilds its table,
which drops them, so they are installed again here."""
import importlib

from django.db import migrations, models

from marketplace.db import run_vendor_sql

guards_0003 = importlib.import_module("marketplace.migrations.0003_ledger_guards")

PG_STATEMENT_GUARDS = r"""
DROP TRIGGER IF EXISTS marketplace_ledgerentry_currency ON marketplace_ledgerentry;
DROP TRIGGER IF EXISTS marketplace_ledgerentry_balanced ON marketplace_ledgerentry;
DROP TRIGGER IF EXISTS marketplace_ledgertransaction_entries ON marketplace_ledgertransaction;
DROP TRIGGER IF EXISTS marketplace_ledgerentry_append_only ON marketplace_ledgerentry;
DROP TRIGGER IF EXISTS marketplace_ledgertransaction_append_only ON marketplace_ledgertransaction;
DROP FUNCTION IF EXISTS marketplace_ledger_entry_currency();
DROP FUNCTION IF EXISTS marketplace_ledger_balanced();
DROP FUNCTION IF EXISTS marketplace_ledger_has_entries();

CREATE TRIGGER marketplace_ledgerentry_append_only BEFORE UPDATE OR DELETE ON marketplace_ledgerentry
  FOR EACH STATEMENT EXECUTE FUNCTION marketplace_ledger_refuse_change();
CREATE TRIGGER marketplace_ledgertransaction_append_only BEFORE UPDATE OR DELETE ON marketplace_ledgertransaction
  FOR EACH STATEMENT EXECUTE FUNCTION marketplace_ledger_refuse_change();

CREATE OR REPLACE FUNCTION marketplace_ledger_entries_checked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad RECORD;
BEGIN
  -- LATERAL ... LIMIT keeps every check a probe of an index per transaction (or account) the
  -- statement touched, whatever the planner guesses about the transition table's size.
  SELECT n.currency, n.account_id INTO bad FROM new_entries n
   CROSS JOIN LATERAL (SELECT a.currency FROM marketplace_ledgeraccount a WHERE a.id = n.account_id LIMIT 1) a
   WHERE a.currency IS DISTINCT FROM n.currency LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger entry in % on account %, kept in another currency', bad.currency, bad.account_id
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT t.transaction_id, b.currency, b.total INTO bad FROM (SELECT DISTINCT transaction_id FROM new_entries) t
   CROSS JOIN LATERAL (SELECT e.currency, SUM(e.amount_minor) AS total FROM marketplace_ledgerentry e
                        WHERE e.transaction_id = t.transaction_id GROUP BY e.currency HAVING SUM(e.amount_minor) <> 0 LIMIT 1) b
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % does not balance: % % left over', bad.transaction_id, bad.total, bad.currency
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT w.id INTO bad FROM (SELECT DISTINCT transaction_id FROM new_entries) t
   CROSS JOIN LATERAL (SELECT x.id FROM marketplace_ledgertransaction x WHERE x.id = t.transaction_id LIMIT 1) w LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger entry added to transaction %, already written', bad.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER marketplace_ledgerentry_checked AFTER INSERT ON marketplace_ledgerentry
  REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION marketplace_ledger_entries_checked();

CREATE OR REPLACE FUNCTION marketplace_ledger_transactions_checked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad RECORD;
BEGIN
  SELECT n.id INTO bad FROM new_transactions n
   CROSS JOIN LATERAL (SELECT COUNT(*) AS n FROM (SELECT 1 FROM marketplace_ledgerentry e WHERE e.transaction_id = n.id LIMIT 2) two) c
   WHERE c.n < 2 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % needs at least two entries', bad.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER marketplace_ledgertransaction_checked AFTER INSERT ON marketplace_ledgertransaction
  REFERENCING NEW TABLE AS new_transactions FOR EACH STATEMENT EXECUTE FUNCTION marketplace_ledger_transactions_checked();
"""

PG_UNDO = r"""
DROP TRIGGER IF EXISTS marketplace_ledgerentry_checked ON marketplace_ledgerentry;
DROP TRIGGER IF EXISTS marketplace_ledgertransaction_checked ON marketplace_ledgertransaction;
DROP FUNCTION IF EXISTS marketplace_ledger_entries_checked();
DROP FUNCTION IF EXISTS marketplace_ledger_transactions_checked();
DROP TRIGGER IF EXISTS marketplace_ledgerentry_append_only ON marketplace_ledgerentry;
DROP TRIGGER IF EXISTS marketplace_ledgertransaction_append_only ON marketplace_ledgertransaction;
"""


def guards(apps, schema_editor):
    run_vendor_sql(schema_editor, postgresql=PG_STATEMENT_GUARDS, sqlite=guards_0003.SQLITE_GUARDS)


def sqlite_guards_off(apps, schema_editor):
    """SQLite rebuilds the entry table to drop its index; its triggers name that table, so they go
    first and come back in `guards` (in the same database transaction)."""
    run_vendor_sql(schema_editor, sqlite=guards_0003.SQLITE_UNDO)


def undo(apps, schema_editor):
    run_vendor_sql(schema_editor, postgresql=[PG_UNDO, guards_0003.PG_GUARDS], sqlite=guards_0003.SQLITE_GUARDS)


def sqlite_guards_on(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        guards(apps, schema_editor)


def sqlite_guards_off_then_undo(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        sqlite_guards_off(apps, schema_editor)
    else:
        undo(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0003_ledger_guards")]
    operations = [
        migrations.RunPython(sqlite_guards_off, sqlite_guards_on),
        migrations.AlterField(
            model_name="ledgerentry",
            name="account",
            field=models.ForeignKey(
                db_index=False, on_delete=models.deletion.PROTECT, related_name="entries", to="marketplace.ledgeraccount"
            ),
        ),
        migrations.RunPython(guards, sqlite_guards_off_then_undo),
    ]
