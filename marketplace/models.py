"""Offers, orders, payment events and the double-entry ledger. Money is integer minor units plus
an ISO 4217 currency, never a float."""
import uuid

from django.conf import settings
from django.db import models

from licensing.models import Licence, LicenceTerms, Likeness

CURRENCIES = [("gbp", "GBP"), ("usd", "USD"), ("eur", "EUR")]


class Offer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    likeness = models.ForeignKey(Likeness, on_delete=models.PROTECT, related_name="offers")
    title = models.CharField(max_length=160)
    terms = models.ForeignKey(LicenceTerms, on_delete=models.PROTECT, related_name="offers")
    price_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="gbp")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        PAID = "paid", "Paid"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    STATUS_TRANSITIONS = {
        Status.PENDING: {Status.PAID, Status.CANCELLED, Status.FAILED},
        Status.PAID: set(),
        Status.CANCELLED: set(),
        Status.FAILED: set(),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="orders")
    licence = models.OneToOneField(Licence, on_delete=models.PROTECT, related_name="order")
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCIES)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    payment_backend = models.CharField(max_length=16)  # "offline" | "stripe" | "free"
    checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.URLField(max_length=1000, blank=True)
    transfer_group = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)


class PaymentEvent(models.Model):
    """Every event from a payment backend, stored once under its id, with how handling went."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Ignored"
        FAILED = "failed", "Failed"

    id = models.BigAutoField(primary_key=True)
    backend = models.CharField(max_length=16)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["backend", "event_id"], name="uniq_payment_event")]


class LedgerAccount(models.Model):
    class Kind(models.TextChoices):
        BUYER_PAYMENTS = "buyer_payments", "Payments from buyers (clearing)"
        PLATFORM_REVENUE = "platform_revenue", "Platform revenue"
        PAYABLE = "payable", "Owed to a rights holder"

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_accounts")
    currency = models.CharField(max_length=3, choices=CURRENCIES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "owner", "currency"], name="uniq_ledger_account"),
            models.UniqueConstraint(
                fields=["kind", "currency"], condition=models.Q(owner__isnull=True), name="uniq_ledger_platform_account"
            ),
        ]


class LedgerTransaction(models.Model):
    """Append-only. The sum of its entries is zero in each currency (credits negative)."""

    id = models.BigAutoField(primary_key=True)
    idempotency_key = models.CharField(max_length=120, unique=True)
    description = models.CharField(max_length=255)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_transactions")
    created_at = models.DateTimeField(auto_now_add=True)


class LedgerEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount_minor = models.BigIntegerField()  # debit positive, credit negative
    currency = models.CharField(max_length=3, choices=CURRENCIES)

    class Meta:
        constraints = [models.CheckConstraint(condition=~models.Q(amount_minor=0), name="ledger_entry_non_zero")]
