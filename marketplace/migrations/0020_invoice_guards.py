"""An issued invoice is fixed: UPDATE, DELETE and TRUNCATE of `marketplace_invoice` are refused by
the database, whatever code (or person) writes to it, as the ledger's rows are (0003, 0005). A
correction is a new document (a credit note), never an edited invoice: what the buyer downloaded
is what the books hold.

PostgreSQL: a row trigger refuses UPDATE and DELETE; TRUNCATE goes through 0005's function, so
`manage.py flush` (which sets `rightscast.ledger_flush`) still empties a test database.
SQLite: UPDATE is refused; DELETE is refused unless `manage.py flush` is erasing the whole database
(`rightscast_ledger_sealed`, see marketplace.db). Django rebuilds SQLite tables to alter them, which
drops their triggers: a later migration that alters the invoice table must run `guards` again
(`ledger_checks` reports missing guards)."""
from django.db import migrations

from marketplace.db import run_vendor_sql

PG_GUARDS = r"""
CREATE OR REPLACE FUNCTION marketplace_invoice_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'invoices are fixed once issued: % refused (issue a credit note instead)', TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
DROP TRIGGER IF EXISTS marketplace_invoice_fixed ON marketplace_invoice;
CREATE TRIGGER marketplace_invoice_fixed BEFORE UPDATE OR DELETE ON marketplace_invoice
  FOR EACH ROW EXECUTE FUNCTION marketplace_invoice_refuse_change();
DROP TRIGGER IF EXISTS marketplace_invoice_no_truncate ON marketplace_invoice;
CREATE TRIGGER marketplace_invoice_no_truncate BEFORE TRUNCATE ON marketplace_invoice
  FOR EACH STATEMENT EXECUTE FUNCTION marketplace_ledger_refuse_truncate();
"""

PG_UNDO = r"""
DROP TRIGGER IF EXISTS marketplace_invoice_fixed ON marketplace_invoice;
DROP TRIGGER IF EXISTS marketplace_invoice_no_truncate ON marketplace_invoice;
DROP FUNCTION IF EXISTS marketplace_invoice_refuse_change();
"""

SQLITE_GUARDS = [
    "DROP TRIGGER IF EXISTS marketplace_invoice_no_update",
    """CREATE TRIGGER marketplace_invoice_no_update BEFORE UPDATE ON marketplace_invoice
       BEGIN SELECT RAISE(ABORT, 'invoices are fixed once issued: UPDATE refused (issue a credit note instead)'); END""",
    "DROP TRIGGER IF EXISTS marketplace_invoice_no_delete",
    """CREATE TRIGGER marketplace_invoice_no_delete BEFORE DELETE ON marketplace_invoice WHEN rightscast_ledger_sealed()
       BEGIN SELECT RAISE(ABORT, 'invoices are fixed once issued: DELETE refused (issue a credit note instead)'); END""",
]

SQLITE_UNDO = ["DROP TRIGGER IF EXISTS marketplace_invoice_no_update", "DROP TRIGGER IF EXISTS marketplace_invoice_no_delete"]


def guards(apps, schema_editor):
    run_vendor_sql(schema_editor, postgresql=PG_GUARDS, sqlite=SQLITE_GUARDS)


def undo(apps, schema_editor):
    run_vendor_sql(schema_editor, postgresql=PG_UNDO, sqlite=SQLITE_UNDO)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0019_ledger_account_no_truncate")]
    operations = [migrations.RunPython(guards, undo)]
