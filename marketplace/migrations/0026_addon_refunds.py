"""A refund, and a dispute, may be of a paid add-on (`Refund.addon`, `Dispute.addon`): a refund is of
exactly one of an order or an add-on, a dispute of exactly one of an order, a campaign checkout or an
add-on (check constraints; every existing row names an order or a bundle, so it stays valid). An
add-on may read as refunded. No guards to reinstall: SQLite's rebuild of the refund and dispute
tables touches no trigger (the credit notes' guards are on their own table)."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('marketplace', '0025_credit_notes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='dispute',
            name='dispute_of_order_or_bundle',
        ),
        migrations.AddField(
            model_name='dispute',
            name='addon',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='disputes', to='marketplace.licenceaddon'),
        ),
        migrations.AddField(
            model_name='refund',
            name='addon',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='refunds', to='marketplace.licenceaddon'),
        ),
        migrations.AlterField(
            model_name='licenceaddon',
            name='status',
            field=models.CharField(choices=[('pending', 'Awaiting payment'), ('paid', 'Paid'), ('cancelled', 'Cancelled'), ('refunded', 'Refunded')], default='pending', max_length=16),
        ),
        migrations.AlterField(
            model_name='refund',
            name='order',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='refunds', to='marketplace.order'),
        ),
        migrations.AddConstraint(
            model_name='dispute',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('addon__isnull', True), ('bundle__isnull', True), ('order__isnull', False)), models.Q(('addon__isnull', True), ('bundle__isnull', False), ('order__isnull', True)), models.Q(('addon__isnull', False), ('bundle__isnull', True), ('order__isnull', True)), _connector='OR'), name='dispute_of_order_bundle_or_addon'),
        ),
        migrations.AddConstraint(
            model_name='refund',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('addon__isnull', True), ('order__isnull', False)), models.Q(('addon__isnull', False), ('order__isnull', True)), _connector='OR'), name='refund_of_order_or_addon'),
        ),
    ]
