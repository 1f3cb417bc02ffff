"""An add-on gets its own invoice: `Invoice.addon`, and `Invoice.order` may be empty when it is
set (exactly one of the two). Altering the order column makes Django rebuild the SQLite table,
which drops its triggers: the fixed-invoice guards of 0020 are installed again, last."""
import importlib

import django.db.models.deletion
from django.db import migrations, models

guards = importlib.import_module("marketplace.migrations.0020_invoice_guards")


class Migration(migrations.Migration):

    dependencies = [
        ('marketplace', '0021_refund_tax'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, guards.guards),  # unapplied: the rebuilt table's guards back, last
        migrations.AddField(
            model_name='invoice',
            name='addon',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='invoice', to='marketplace.licenceaddon'),
        ),
        migrations.AlterField(
            model_name='invoice',
            name='order',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='invoice', to='marketplace.order'),
        ),
        migrations.AddConstraint(
            model_name='invoice',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('addon__isnull', True), ('order__isnull', False)), models.Q(('addon__isnull', False), ('order__isnull', True)), _connector='OR'), name='invoice_for_an_order_or_an_addon'),
        ),
        migrations.RunPython(guards.guards, migrations.RunPython.noop),
    ]
