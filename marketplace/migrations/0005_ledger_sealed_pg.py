"""PostgreSQL's ledger guard made equal to SQLite's (migration 0003 left two gaps there):

- An entry may not be added to a ledger transaction that another (committed) database transaction
  wrote: a balanced pair appended later passed the deferred balance check. The check is a
  statement-level trigger over the inserted rows (one join per INSERT or COPY, not a lookup per
  row): for each new entry whose ledger transaction row already exists, that row must have been
  written by the current database transaction (its xmin is this transaction or one of its
  subtransactions: `pg_xact_status` says "in progress"); otherwise the statement is refused.
  Writing the transaction row before or after its entries in one database transaction stays
  allowed (the deferred balance check still runs at commit).
- TRUNCATE of the ledger tables is refused (row triggers do not see it). Only `manage.py flush`,
  which erases the whole database, passes: it sets `rightscast.ledger_flush` for its session
  (marketplace/management/commands/flush.py), as SQLite's delete guard consults
  `rightscast_ledger_sealed`.

Kept apart from 0003 and from the ledger's posting code (which another stream is rewriting for
speed): it only adds triggers."""
from django.db import migrations

from marketplace.db import run_vendor_sql

PG_GUARDS = r"""
CREATE OR REPLACE FUNCTION marketplace_ledger_entries_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cur bigint;
  hit RECORD;
  full_xid bigint;
BEGIN
  FOR hit IN
    SELECT DISTINCT t.id, t.xmin::text::bigint AS x
      FROM new_entries e JOIN marketplace_ledgertransaction t ON t.id = e.transaction_id
  LOOP
    IF cur IS NULL THEN
      cur := pg_current_xact_id()::text::bigint;
    END IF;
    -- xmin is a 32-bit xid: give it the epoch of the current full xid (modular comparison).
    full_xid := ((cur >> 32) << 32) | hit.x;
    IF full_xid > cur + 2147483648 THEN
      full_xid := full_xid - 4294967296;
    ELSIF full_xid < cur - 2147483648 THEN
      full_xid := full_xid + 4294967296;
    END IF;
    IF full_xid < 0 OR pg_xact_status(full_xid::text::xid8) IS DISTINCT FROM 'in progress' THEN
      RAISE EXCEPTION 'ledger entry added to ledger transaction %, which is already written (post a new transaction instead)', hit.id
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS marketplace_ledgerentry_sealed ON marketplace_ledgerentry;
CREATE TRIGGER marketplace_ledgerentry_sealed AFTER INSERT ON marketplace_ledgerentry
  REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION marketplace_ledger_entries_sealed();

CREATE OR REPLACE FUNCTION marketplace_ledger_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('rightscast.ledger_flush', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'ledger rows are append-only: TRUNCATE on % refused', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
DROP TRIGGER IF EXISTS marketplace_ledgerentry_no_truncate ON marketplace_ledgerentry;
CREATE TRIGGER marketplace_ledgerentry_no_truncate BEFORE TRUNCATE ON marketplace_ledgerentry
  FOR EACH STATEMENT EXECUTE FUNCTION marketplace_ledger_refuse_truncate();
DROP TRIGGER IF EXISTS marketplace_ledgertransaction_no_truncate ON marketplace_ledgertransaction;
CREATE TRIGGER marketplace_ledgertransaction_no_truncate BEFORE TRUNCATE ON marketplace_ledgertransaction
  FOR EACH STATEMENT EXECUTE FUNCTION marketplace_ledger_refuse_truncate();
"""

PG_UNDO = r"""
DROP TRIGGER IF EXISTS marketplace_ledgerentry_sealed ON marketplace_ledgerentry;
DROP TRIGGER IF EXISTS marketplace_ledgerentry_no_truncate ON marketplace_ledgerentry;
DROP TRIGGER IF EXISTS marketplace_ledgertransaction_no_truncate ON marketplace_ledgertransaction;
DROP FUNCTION IF EXISTS marketplace_ledger_entries_sealed();
DROP FUNCTION IF EXISTS marketplace_ledger_refuse_truncate();
"""

def guards(apps, schema_editor):
    run_vendor_sql(schema_editor, postgresql=PG_GUARDS)


def undo(apps, schema_editor):
    run_vendor_sql(schema_editor, postgresql=PG_UNDO)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0004_ip_offers_studio_payees")]
    operations = [migrations.RunPython(guards, undo)]
