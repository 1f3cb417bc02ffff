"""Money going out: payout runs, payouts, transfer reversals, and reconciliation runs."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .sales import CURRENCIES


class PayoutRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"

    id = models.BigAutoField(primary_key=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    triggered_by = models.CharField(max_length=32, default="schedule")
    reserved = models.PositiveIntegerField(default=0)
    paid = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)


class Payout(models.Model):
    """One transfer to one payee in one currency. Reserved (the amount moved from payable to in
    transit, in the same transaction) before the provider is called; the row's id keys the
    transfer and names its transfer group, so a run that dies after the call repeats it safely.
    At most one reserved payout per payee and currency, enforced by the database."""

    class Status(models.TextChoices):
        RESERVED = "reserved", "Being transferred"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed (returned to balance)"

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(PayoutRun, on_delete=models.PROTECT, related_name="payouts")
    payee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts")
    destination = models.CharField(max_length=255)
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCIES)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RESERVED)
    transfer_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    # The charge the transfer is funded from (Stripe's `source_transaction`): set when one charge
    # credited to the payee covers the whole payout, so the transfer need not wait for the
    # platform's available balance.
    source_transaction = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # Set when the transfer's outcome stayed unknown for PAYOUT_MAX_ATTEMPTS tries: runs stop
    # retrying it and finance decides (the money stays in transit: it may have been sent).
    gave_up_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payout_positive"),
            models.UniqueConstraint(fields=["run", "payee", "currency"], name="uniq_payout_per_run"),
            models.UniqueConstraint(fields=["payee", "currency"], condition=Q(status="reserved"), name="uniq_open_payout"),
        ]

    @property
    def idempotency_key(self) -> str:
        return f"payout-{self.pk}"

    @property
    def transfer_group(self) -> str:
        return f"payout_{self.pk}"


class TransferReversal(models.Model):
    """A transfer (partly) pulled back from a payee's connected account."""

    id = models.BigAutoField(primary_key=True)
    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, related_name="reversals")
    provider_reversal_id = models.CharField(max_length=255, unique=True)
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCIES)
    created_at = models.DateTimeField(auto_now_add=True)


class ReconciliationRun(models.Model):
    """One reconciliation of the ledger against the provider (ledger_reconcile), kept for finance."""

    id = models.BigAutoField(primary_key=True)
    backend = models.CharField(max_length=16)
    since = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField()
    checks = models.JSONField(default=dict)
    differences = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
