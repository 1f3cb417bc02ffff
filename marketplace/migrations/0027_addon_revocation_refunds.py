"""Revocation's pro-rata refund covers paid add-ons: what a fully refunded add-on took back off its
licence (`generations_withdrawn`, `days_withdrawn`, never more than it added), the add-ons' part of
a settlement, the `not_applied` refund of an add-on paid after its licence ended, and at most one
revocation (or not-applied) refund per add-on. SQLite's rebuild of the refund and add-on tables
touches no trigger (none is on them)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('licensing', '0015_merge_20261128_0949'),
        ('marketplace', '0026_addon_refunds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='licenceaddon',
            name='days_withdrawn',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='licenceaddon',
            name='generations_withdrawn',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='revocationsettlement',
            name='addons_amount_minor',
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name='refund',
            name='reason',
            field=models.CharField(choices=[('requested', 'Requested'), ('revocation', 'Licence revoked: unused part of the term'), ('external', 'Made at the payment provider'), ('not_applied', 'Paid after the licence ended: never applied')], max_length=16),
        ),
        migrations.AddConstraint(
            model_name='licenceaddon',
            constraint=models.CheckConstraint(condition=models.Q(('generations_withdrawn__lte', models.F('generations')), ('days_withdrawn__lte', models.F('days'))), name='addon_withdrawn_within_added'),
        ),
        migrations.AddConstraint(
            model_name='refund',
            constraint=models.UniqueConstraint(condition=models.Q(('reason__in', ['revocation', 'not_applied'])), fields=('addon',), name='uniq_addon_revocation_refund'),
        ),
    ]
