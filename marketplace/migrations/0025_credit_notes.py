"""Credit notes (marketplace.models.CreditNote): the document of a refund, fixed once issued as an
invoice is (0020): UPDATE, DELETE and TRUNCATE of `marketplace_creditnote` are refused by the
database (PostgreSQL: a row trigger and 0005's TRUNCATE function, so `manage.py flush` still empties
a test database; SQLite: UPDATE refused, DELETE refused unless a flush is erasing the database)."""

import django.db.models.deletion
import django.db.models.expressions
from django.db import migrations, models

from marketplace.db import fixed_document_guards, run_vendor_sql

PG_GUARDS, PG_UNDO, SQLITE_GUARDS, SQLITE_UNDO = fixed_document_guards("marketplace_creditnote", "credit notes")


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
