"""Prepaid credit: top-ups and the usage charged against them."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from licensing.models import UsageRecord

from .sales import CURRENCIES, OneOffPayment, Order


class CreditTopUp(OneOffPayment):
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credit_topups")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount_minor__gt=0), name="topup_positive")]


class UsageCharge(models.Model):
    """The per-generation fee drawn for one use (a licensing UsageRecord): at most one per use."""

    id = models.BigAutoField(primary_key=True)
    usage = models.OneToOneField(UsageRecord, on_delete=models.PROTECT, related_name="charge")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="usage_charges")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="usage_charges")
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCIES)
    created_at = models.DateTimeField(auto_now_add=True)
    refunded_at = models.DateTimeField(null=True, blank=True)  # the fee went back to the buyer's credit

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount_minor__gt=0), name="usage_charge_positive")]
