"""The double-entry ledger. Money is integer minor units plus an ISO 4217 currency, never a float.

The ledger is append-only and balanced, and the database enforces both (see the migration
0003_ledger_guards and its successors, and marketplace.db)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .sales import CURRENCIES, Order


class LedgerAccount(models.Model):
    """Debits positive, credits negative. Asset accounts (clearing, disputed funds) carry positive
    balances; liabilities and revenue (payables, in transit, buyer credit, refunds due, platform
    revenue) carry negative ones."""

    class Kind(models.TextChoices):
        CLEARING = "clearing", "Funds at the payment provider (clearing)"
        PLATFORM_REVENUE = "platform_revenue", "Platform revenue"
        PAYABLE = "payable", "Owed to a rights holder"
        IN_TRANSIT = "payout_in_transit", "Being paid out to a rights holder"
        BUYER_CREDIT = "buyer_credit", "A buyer's prepaid credit"
        REFUNDS_DUE = "refunds_due", "Refunds owed to buyers"
        DISPUTED = "disputed", "Funds held in disputes"
        PROVIDER_FEES = "provider_fees", "Payment provider fees (processing, disputes, currency conversion)"
        # What the provider converted: the presentment currency in, the settlement currency out
        # (services.fees); its balance per currency is the platform's position from conversions.
        CONVERSION = "currency_conversion", "Currency converted by the payment provider"
        TAX_COLLECTED = "tax_collected", "Tax collected from buyers (owed to the tax authorities)"

    OWNED = {Kind.PAYABLE, Kind.IN_TRANSIT, Kind.BUYER_CREDIT}

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_accounts")
    currency = models.CharField(max_length=3, choices=CURRENCIES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "owner", "currency"], name="uniq_ledger_account"),
            models.UniqueConstraint(fields=["kind", "currency"], condition=Q(owner__isnull=True), name="uniq_ledger_platform_account"),
            models.CheckConstraint(
                condition=Q(kind__in=["payable", "payout_in_transit", "buyer_credit"], owner__isnull=False)
                | (~Q(kind__in=["payable", "payout_in_transit", "buyer_credit"]) & Q(owner__isnull=True)),
                name="ledger_account_owner_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.owner_id or 'platform'}:{self.currency}"


class LedgerTransaction(models.Model):
    """Append-only. Its entries sum to zero in each currency; written after them (see module
    docstring). `idempotency_key` names the fact it records, so posting a fact twice is a no-op.
    `external_id` is the provider's object whose balance movement it records (a charge, refund,
    transfer, transfer reversal or dispute), for reconciliation."""

    class Kind(models.TextChoices):
        SALE = "sale", "Licence sale"
        USAGE_FEE = "usage_fee", "Per-generation fee"
        USAGE_FEE_REFUND = "usage_fee_refund", "Per-generation fee refunded to credit"
        TOPUP = "topup", "Credit top-up"
        REFUND = "refund", "Refund: shares reversed"
        REFUND_SETTLED = "refund_settled", "Refund paid out"
        REFUND_FAILED = "refund_failed", "Refund failed: shares restored"
        REFUND_UNSETTLED = "refund_unsettled", "Refund returned by the provider"
        DISPUTE_OPENED = "dispute_opened", "Dispute: funds withdrawn"
        DISPUTE_WON = "dispute_won", "Dispute won: funds reinstated"
        DISPUTE_LOST = "dispute_lost", "Dispute lost: shares reversed"
        PAYOUT_RESERVED = "payout_reserved", "Payout started"
        PAYOUT_SENT = "payout_sent", "Payout transferred"
        PAYOUT_FAILED = "payout_failed", "Payout failed: returned to balance"
        TRANSFER_REVERSAL = "transfer_reversal", "Transfer reversed"
        PROVIDER_FEE = "provider_fee", "Payment provider fee"
        PROVIDER_FEE_REFUND = "provider_fee_refund", "Payment provider fee refunded"
        CONVERSION = "conversion", "Currency conversion"
        TAX = "tax_collected", "Tax collected on a sale"

    id = models.BigAutoField(primary_key=True)  # allocated before the entries are written (services.ledger)
    idempotency_key = models.CharField(max_length=160, unique=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    description = models.CharField(max_length=255)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_transactions")
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)


class LedgerEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    # No index of its own: the (account, transaction) index below serves every lookup by account.
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries", db_index=False)
    amount_minor = models.BigIntegerField()  # debit positive, credit negative
    currency = models.CharField(max_length=3, choices=CURRENCIES)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(amount_minor=0), name="ledger_entry_non_zero")]
        indexes = [models.Index(fields=["account", "transaction"], name="ledger_entry_account_txn")]
