"""TRUNCATE of the ledger's accounts is refused on PostgreSQL, as it is for entries and transactions.

Before 0015_ledger_statement_keys, `TRUNCATE marketplace_ledgeraccount CASCADE` reached the entries
through their foreign key and met 0005's guard there. 0015 replaced that key with statement-level
checks, so the cascade no longer reaches the entries and the accounts table needs a guard of its
own (the integration tier's `test_truncate_is_refused` tries it). Same function as 0005's guards, so
`manage.py flush` still passes."""
from django.db import migrations

from marketplace.db import run_vendor_sql

PG_GUARD = r"""
DROP TRIGGER IF EXISTS marketplace_ledgeraccount_no_truncate ON marketplace_ledgeraccount;
CREATE TRIGGER marketplace_ledgeraccount_no_truncate BEFORE TRUNCATE ON marketplace_ledgeraccount
  FOR EACH STATEMENT EXECUTE FUNCTION marketplace_ledger_refuse_truncate();
"""

PG_UNDO = "DROP TRIGGER IF EXISTS marketplace_ledgeraccount_no_truncate ON marketplace_ledgeraccount;"


def guard(apps, schema_editor):
    run_vendor_sql(schema_editor, postgresql=PG_GUARD)


def undo(apps, schema_editor):
    run_vendor_sql(schema_editor, postgresql=PG_UNDO)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0018_merge_20261128_1015")]
    operations = [migrations.RunPython(guard, undo)]
