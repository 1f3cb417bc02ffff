"""The database's own guard on the ledger: entries and transactions are append-only, and every
transaction balances per currency, whatever code (or person) writes to the tables.

PostgreSQL: UPDATE and DELETE refused by row triggers; an entry's currency must be its account's;
a deferred constraint trigger refuses, at commit, any transaction whose entries do not sum to zero
in some currency, or that has fewer than two entries.

SQLite (the embedded default) has no deferred triggers, so the order of writing is the seal: a
transaction's entries are written first, then its row, and inserting the row is refused unless its
entries balance (and there are at least two); an entry for a transaction already written is
refused. UPDATE is refused; DELETE is refused unless `manage.py flush` is erasing the whole
database (the SQLite function `rightscast_ledger_sealed`, see marketplace.db).

Django rebuilds SQLite tables to alter them, which drops their triggers: a later migration that
alters these tables must run GUARDS again (`ledger_checks` reports missing guards)."""
from django.db import migrations

from marketplace.db import run_vendor_sql

PG_GUARDS = r"""
CREATE OR REPLACE FUNCTION marketplace_ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger rows are append-only: % on % refused (post a correcting transaction instead)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
DROP TRIGGER IF EXISTS marketplace_ledgerentry_append_only ON marketplace_ledgerentry;
CREATE TRIGGER marketplace_ledgerentry_append_only BEFORE UPDATE OR DELETE ON marketplace_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION marketplace_ledger_refuse_change();
DROP TRIGGER IF EXISTS marketplace_ledgertransaction_append_only ON marketplace_ledgertransaction;
CREATE TRIGGER marketplace_ledgertransaction_append_only BEFORE UPDATE OR DELETE ON marketplace_ledgertransaction
  FOR EACH ROW EXECUTE FUNCTION marketplace_ledger_refuse_change();

CREATE OR REPLACE FUNCTION marketplace_ledger_entry_currency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.currency IS DISTINCT FROM (SELECT currency FROM marketplace_ledgeraccount WHERE id = NEW.account_id) THEN
    RAISE EXCEPTION 'ledger entry in % on an account kept in another currency', NEW.currency USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS marketplace_ledgerentry_currency ON marketplace_ledgerentry;
CREATE TRIGGER marketplace_ledgerentry_currency BEFORE INSERT ON marketplace_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION marketplace_ledger_entry_currency();

CREATE OR REPLACE FUNCTION marketplace_ledger_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad RECORD;
BEGIN
  SELECT currency, SUM(amount_minor) AS total INTO bad FROM marketplace_ledgerentry
   WHERE transaction_id = NEW.transaction_id GROUP BY currency HAVING SUM(amount_minor) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % does not balance: % % left over', NEW.transaction_id, bad.total, bad.currency
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS marketplace_ledgerentry_balanced ON marketplace_ledgerentry;
CREATE CONSTRAINT TRIGGER marketplace_ledgerentry_balanced AFTER INSERT ON marketplace_ledgerentry
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION marketplace_ledger_balanced();

CREATE OR REPLACE FUNCTION marketplace_ledger_has_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT COUNT(*) FROM marketplace_ledgerentry WHERE transaction_id = NEW.id) < 2 THEN
    RAISE EXCEPTION 'ledger transaction % needs at least two entries', NEW.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS marketplace_ledgertransaction_entries ON marketplace_ledgertransaction;
CREATE CONSTRAINT TRIGGER marketplace_ledgertransaction_entries AFTER INSERT ON marketplace_ledgertransaction
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION marketplace_ledger_has_entries();
"""

PG_UNDO = r"""
DROP TRIGGER IF EXISTS marketplace_ledgerentry_append_only ON marketplace_ledgerentry;
DROP TRIGGER IF EXISTS marketplace_ledgertransaction_append_only ON marketplace_ledgertransaction;
DROP TRIGGER IF EXISTS marketplace_ledgerentry_currency ON marketplace_ledgerentry;
DROP TRIGGER IF EXISTS marketplace_ledgerentry_balanced ON marketplace_ledgerentry;
DROP TRIGGER IF EXISTS marketplace_ledgertransaction_entries ON marketplace_ledgertransaction;
DROP FUNCTION IF EXISTS marketplace_ledger_refuse_change();
DROP FUNCTION IF EXISTS marketplace_ledger_entry_currency();
DROP FUNCTION IF EXISTS marketplace_ledger_balanced();
DROP FUNCTION IF EXISTS marketplace_ledger_has_entries();
"""

SQLITE_GUARDS = [
    "DROP TRIGGER IF EXISTS marketplace_ledgerentry_no_update",
    """CREATE TRIGGER marketplace_ledgerentry_no_update BEFORE UPDATE ON marketplace_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only: UPDATE on marketplace_ledgerentry refused'); END""",
    "DROP TRIGGER IF EXISTS marketplace_ledgertransaction_no_update",
    """CREATE TRIGGER marketplace_ledgertransaction_no_update BEFORE UPDATE ON marketplace_ledgertransaction
       BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only: UPDATE on marketplace_ledgertransaction refused'); END""",
    "DROP TRIGGER IF EXISTS marketplace_ledgerentry_no_delete",
    """CREATE TRIGGER marketplace_ledgerentry_no_delete BEFORE DELETE ON marketplace_ledgerentry WHEN rightscast_ledger_sealed()
       BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only: DELETE on marketplace_ledgerentry refused'); END""",
    "DROP TRIGGER IF EXISTS marketplace_ledgertransaction_no_delete",
    """CREATE TRIGGER marketplace_ledgertransaction_no_delete BEFORE DELETE ON marketplace_ledgertransaction WHEN rightscast_ledger_sealed()
       BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only: DELETE on marketplace_ledgertransaction refused'); END""",
    "DROP TRIGGER IF EXISTS marketplace_ledgerentry_insert",
    """CREATE TRIGGER marketplace_ledgerentry_insert BEFORE INSERT ON marketplace_ledgerentry BEGIN
         SELECT RAISE(ABORT, 'ledger entry added to a transaction already written')
          WHERE EXISTS (SELECT 1 FROM marketplace_ledgertransaction WHERE id = NEW.transaction_id);
         SELECT RAISE(ABORT, 'ledger entry in a currency other than its account''s')
          WHERE NEW.currency IS NOT (SELECT currency FROM marketplace_ledgeraccount WHERE id = NEW.account_id);
       END""",
    "DROP TRIGGER IF EXISTS marketplace_ledgertransaction_seal",
    """CREATE TRIGGER marketplace_ledgertransaction_seal BEFORE INSERT ON marketplace_ledgertransaction BEGIN
         SELECT RAISE(ABORT, 'ledger transaction does not balance')
          WHERE EXISTS (SELECT 1 FROM marketplace_ledgerentry WHERE transaction_id = NEW.id GROUP BY currency HAVING SUM(amount_minor) <> 0);
         SELECT RAISE(ABORT, 'a ledger transaction needs at least two entries')
          WHERE (SELECT COUNT(*) FROM marketplace_ledgerentry WHERE transaction_id = NEW.id) < 2;
       END""",
]

SQLITE_UNDO = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "marketplace_ledgerentry_no_update", "marketplace_ledgertransaction_no_update", "marketplace_ledgerentry_no_delete",
        "marketplace_ledgertransaction_no_delete", "marketplace_ledgerentry_insert", "marketplace_ledgertransaction_seal",
    )
]

def guards(apps, schema_editor):
    run_vendor_sql(schema_editor, postgresql=PG_GUARDS, sqlite=SQLITE_GUARDS)


def undo(apps, schema_editor):
    run_vendor_sql(schema_editor, postgresql=PG_UNDO, sqlite=SQLITE_UNDO)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0002_money_side")]
    operations = [migrations.RunPython(guards, undo)]
