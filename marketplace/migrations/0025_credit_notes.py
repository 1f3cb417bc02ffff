"""Credit notes (marketplace.models.CreditNote): the document of a refund, fixed once issued as an
invoice is (0020): UPDATE, DELETE and TRUNCATE of `marketplace_creditnote` are refused by the
database (PostgreSQL: a row trigger and 0005's TRUNCATE function, so `manage.py flush` still empties
a test database; SQLite: UPDATE refused, DELETE refused unless a flush is erasing the database)."""

import django.db.models.deletion
import django.db.models.expressions
from django.db import migrations, models

from marketplace.db import run_vendor_sql

PG_GUARDS = r"""
CREATE OR REPLACE FUNCTION marketplace_creditnote_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'credit notes are fixed once issued: % refused', TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
DROP TRIGGER IF EXISTS marketplace_creditnote_fixed ON marketplace_creditnote;
CREATE TRIGGER marketplace_creditnote_fixed BEFORE UPDATE OR DELETE ON marketplace_creditnote
  FOR EACH ROW EXECUTE FUNCTION marketplace_creditnote_refuse_change();
DROP TRIGGER IF EXISTS marketplace_creditnote_no_truncate ON marketplace_creditnote;
CREATE TRIGGER marketplace_creditnote_no_truncate BEFORE TRUNCATE ON marketplace_creditnote
  FOR EACH STATEMENT EXECUTE FUNCTION marketplace_ledger_refuse_truncate();
"""

PG_UNDO = r"""
DROP TRIGGER IF EXISTS marketplace_creditnote_fixed ON marketplace_creditnote;
DROP TRIGGER IF EXISTS marketplace_creditnote_no_truncate ON marketplace_creditnote;
DROP FUNCTION IF EXISTS marketplace_creditnote_refuse_change();
"""

SQLITE_GUARDS = [
    "DROP TRIGGER IF EXISTS marketplace_creditnote_no_update",
    """CREATE TRIGGER marketplace_creditnote_no_update BEFORE UPDATE ON marketplace_creditnote
       BEGIN SELECT RAISE(ABORT, 'credit notes are fixed once issued: UPDATE refused'); END""",
    "DROP TRIGGER IF EXISTS marketplace_creditnote_no_delete",
    """CREATE TRIGGER marketplace_creditnote_no_delete BEFORE DELETE ON marketplace_creditnote WHEN rightscast_ledger_sealed()
       BEGIN SELECT RAISE(ABORT, 'credit notes are fixed once issued: DELETE refused'); END""",
]

SQLITE_UNDO = ["DROP TRIGGER IF EXISTS marketplace_creditnote_no_update", "DROP TRIGGER IF EXISTS marketplace_creditnote_no_delete"]


def guards(apps, schema_editor):
    run_vendor_sql(schema_editor, postgresql=PG_GUARDS, sqlite=SQLITE_GUARDS)


def undo(apps, schema_editor):
    run_vendor_sql(schema_editor, postgresql=PG_UNDO, sqlite=SQLITE_UNDO)


class Migration(migrations.Migration):

    dependencies = [
        ('marketplace', '0024_bundle_refund_disputed'),
    ]

    operations = [
        migrations.CreateModel(
            name='CreditNote',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('series', models.CharField(max_length=16)),
                ('number', models.PositiveBigIntegerField()),
                ('issued_at', models.DateTimeField(auto_now_add=True)),
                ('seller', models.JSONField(default=dict)),
                ('licensor', models.JSONField(default=dict)),
                ('buyer', models.JSONField(default=dict)),
                ('currency', models.CharField(choices=[('gbp', 'GBP'), ('usd', 'USD'), ('eur', 'EUR')], max_length=3)),
                ('lines', models.JSONField(default=list)),
                ('tax_lines', models.JSONField(default=list)),
                ('subtotal_minor', models.PositiveBigIntegerField()),
                ('tax_minor', models.PositiveBigIntegerField(default=0)),
                ('total_minor', models.PositiveBigIntegerField()),
                ('invoice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='credit_notes', to='marketplace.invoice')),
                ('refund', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='credit_note', to='marketplace.refund')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('series', 'number'), name='uniq_credit_note_number'), models.CheckConstraint(condition=models.Q(('total_minor', django.db.models.expressions.CombinedExpression(models.F('subtotal_minor'), '+', models.F('tax_minor')))), name='credit_note_total_adds_up'), models.CheckConstraint(condition=models.Q(('total_minor__gt', 0)), name='credit_note_positive')],
            },
        ),
        migrations.RunPython(guards, undo),
    ]
