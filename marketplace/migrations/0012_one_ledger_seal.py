"""One guard against appending to a written ledger transaction, after 0004_ledger_statement_checks
(issue #14) and the money side's migrations met (0011). Both 0004_ledger_statement_checks and 0005_ledger_sealed_pg refuse an
entry added to a transaction that is already written; one guard is enough, so the statement-level
check of 0004 (any row already written seals its transaction: entries always come first) stays and
0005's `marketplace_ledgerentry_sealed` (written rows allowed while their own database
transaction is open) is dropped. 0005's TRUNCATE guards stay."""
import importlib

from django.db import migrations

from marketplace.db import run_vendor_sql

sealed_0005 = importlib.import_module("marketplace.migrations.0005_ledger_sealed_pg")


def one_seal(apps, schema_editor):
    run_vendor_sql(
        schema_editor,
        postgresql="DROP TRIGGER IF EXISTS marketplace_ledgerentry_sealed ON marketplace_ledgerentry;"
        "DROP FUNCTION IF EXISTS marketplace_ledger_entries_sealed();",
    )


def both_seals(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        sealed_0005.guards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0011_merge_20261128_0654")]
    operations = [migrations.RunPython(one_seal, both_seals)]
