"""Offers, orders, payment events, payees and payouts, prepaid credit, refunds and disputes, and the
double-entry ledger. Money is integer minor units plus an ISO 4217 currency, never a float.

The ledger is append-only and balanced, and the database enforces both (see the migration
`0003_ledger_guards`): entries and transactions refuse UPDATE and DELETE; on PostgreSQL a deferred
constraint trigger refuses, at commit, any transaction whose entries do not sum to zero per
currency; on SQLite the transaction row is inserted after its entries and a trigger refuses it
unless they balance (and refuses entries added to a transaction already written)."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Organisation
from licensing.models import Indemnity, IPAsset, Licence, LicenceTerms, Likeness, UsageRecord

CURRENCIES = [("gbp", "GBP"), ("usd", "USD"), ("eur", "EUR")]


class RevenuePolicy(models.TextChoices):
    RELATIVE = "relative", "Relative: each level passes its share of what it receives"
    ABSOLUTE = "absolute", "Absolute: each ancestor a fixed percentage of the whole, up to a ceiling"


class PaymentStatus(models.TextChoices):
    """Where a one-off payment stands (a checkout bundle, a licence add-on, a credit top-up): one
    set of states and names for all three."""

    PENDING = "pending", "Awaiting payment"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"


class Offer(models.Model):
    """Licence terms and a price for one holding: a talent's likeness or a studio's IP asset."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    likeness = models.ForeignKey(Likeness, null=True, blank=True, on_delete=models.PROTECT, related_name="offers")
    ip_asset = models.ForeignKey(IPAsset, null=True, blank=True, on_delete=models.PROTECT, related_name="offers")
    title = models.CharField(max_length=160)
    terms = models.ForeignKey(LicenceTerms, on_delete=models.PROTECT, related_name="offers")
    price_minor = models.PositiveBigIntegerField()
    # Drawn from the licensee's prepaid credit each time a generation uses the licence.
    per_generation_fee_minor = models.PositiveBigIntegerField(default=0)
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="gbp")
    is_active = models.BooleanField(default=True)
    # How a fee paid under this offer is shared up a remix chain (marketplace.revenue): relative
    # (each level passes its share of what it receives) or absolute (each ancestor's fixed
    # percentage of the whole, the ancestors together capped by the ceiling).
    revenue_policy = models.CharField(max_length=16, choices=RevenuePolicy.choices, default=RevenuePolicy.RELATIVE)
    revenue_ceiling_bps = models.PositiveIntegerField(default=5_000)
    # Self-serve add-ons on a licence bought under this offer (0: not sold): more generations, a
    # longer term. Priced per generation and per day, in the offer's currency.
    addon_generation_price_minor = models.PositiveBigIntegerField(default=0)
    addon_day_price_minor = models.PositiveBigIntegerField(default=0)
    # The buyer's indemnity sold with the licence: its tier, its cap (standard), and what it adds
    # to the price. Recorded on the licence at purchase (licensing.Licence.indemnity).
    indemnity = models.CharField(max_length=16, choices=Indemnity.choices, default=Indemnity.NONE)
    indemnity_cap_minor = models.PositiveBigIntegerField(null=True, blank=True)
    indemnity_price_minor = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def total_price_minor(self) -> int:
        return self.price_minor + self.indemnity_price_minor

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(revenue_ceiling_bps__lte=10_000), name="offer_revenue_ceiling_bps"),
            models.CheckConstraint(
                condition=Q(likeness__isnull=False, ip_asset__isnull=True) | Q(likeness__isnull=True, ip_asset__isnull=False),
                name="offer_one_holding",
            ),
        ]

    @property
    def holding(self):
        return self.likeness or self.ip_asset


class CheckoutBundle(models.Model):
    """One hosted Checkout for several orders of one buyer (a campaign's licences): a line item per
    order, one payment. The paid webhook grants every order's licence in one transaction; an order
    that can no longer be granted (cancelled, its holding revoked since) is cancelled and its part of
    the payment refunded (`refund_minor`, one refund keyed by the bundle)."""

    Status = PaymentStatus

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkout_bundles")
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCIES)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    payment_backend = models.CharField(max_length=16)
    checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.URLField(max_length=1000, blank=True)
    payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    charge_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    refund_minor = models.PositiveBigIntegerField(default=0)  # the lines that could not be granted
    provider_refund_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        PAID = "paid", "Paid"
        REFUNDED = "refunded", "Refunded"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    STATUS_TRANSITIONS = {
        Status.PENDING: {Status.PAID, Status.CANCELLED, Status.FAILED},
        Status.PAID: {Status.REFUNDED},
        Status.REFUNDED: {Status.PAID},  # a refund the provider failed
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
    # The work this licence was bought to remix (its lead use record): the sale is then shared up
    # that work's remix chain, as a per-generation fee of a remix is (services.sharing).
    remix_of = models.ForeignKey(UsageRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    charge_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # paid as one line of a several-order Checkout (its payment intent and charge are the bundle's)
    bundle = models.ForeignKey(CheckoutBundle, null=True, blank=True, on_delete=models.PROTECT, related_name="orders")

    class Meta:
        constraints = [
            # A double-click, or two tabs, resume one checkout instead of opening a second.
            models.UniqueConstraint(fields=["buyer", "offer"], condition=Q(status="pending"), name="uniq_pending_order_per_offer"),
        ]


class LicenceAddOn(models.Model):
    """More generations or a longer term bought for an existing licence, through its own checkout,
    priced by the licence's offer. Applied once, when paid (licensing.licence_extend); its payment
    is shared as the sale was. One pending add-on per licence: a double click resumes it."""

    Status = PaymentStatus

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey("Order", on_delete=models.PROTECT, related_name="addons")  # the licence's purchase
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="addons")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="licence_addons")
    generations = models.PositiveIntegerField(default=0)
    days = models.PositiveIntegerField(default=0)
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCIES)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    payment_backend = models.CharField(max_length=16)
    checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.URLField(max_length=1000, blank=True)
    payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    charge_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="addon_positive"),
            models.CheckConstraint(condition=Q(generations__gt=0) | Q(days__gt=0), name="addon_adds_something"),
            models.UniqueConstraint(fields=["licence"], condition=Q(status="pending"), name="uniq_pending_addon_per_licence"),
        ]


class PaymentEvent(models.Model):
    """Every event from a payment backend, stored once under its id, with how handling went.
    DEFERRED: it arrived before an event it depends on (a refund before the payment); it is tried
    again when later events are handled and on a schedule."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSING = "processing", "Being handled"
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Ignored"
        DEFERRED = "deferred", "Waiting for an earlier event"
        FAILED = "failed", "Failed"

    id = models.BigAutoField(primary_key=True)
    backend = models.CharField(max_length=16)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["backend", "event_id"], name="uniq_payment_event")]
        indexes = [models.Index(fields=["status", "received_at"])]


# --- payees (Stripe Connect Express) --------------------------------------------------------------

class OrganisationHolder(models.Model):
    """The account holder of an organisation's money. A studio is paid as one party, whoever its
    members are: its shares, payable balance, connected account and payouts belong to this holder,
    a user row that cannot sign in (inactive, no usable password). So one ledger, one payee and one
    payout path serve people and organisations alike, with the same exactly-once guarantees.
    Members act for it by role (owner or admin: payouts; any member: offers)."""

    id = models.BigAutoField(primary_key=True)
    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="money_holder")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="holds_money_for")
    created_at = models.DateTimeField(auto_now_add=True)


class PayeeAccount(models.Model):
    """A rights holder's connected account. Created before the provider is called, so its id keys
    the account creation (a crash between the call and saving the provider's id repeats safely).
    Readiness follows `account.updated`; nobody is paid before `is_ready`."""

    id = models.BigAutoField(primary_key=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payee_account")
    backend = models.CharField(max_length=16)
    account_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    country = models.CharField(max_length=2, default="GB")
    details_submitted = models.BooleanField(default=False)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    transfers_active = models.BooleanField(default=False)
    requirements_due = models.JSONField(default=list, blank=True)
    disabled_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    @property
    def is_ready(self) -> bool:
        return bool(self.account_id) and self.details_submitted and self.payouts_enabled and self.transfers_active

    @property
    def idempotency_key(self) -> str:
        return f"payee-account-{self.pk}"


class OnboardingLink(models.Model):
    """One Account Link handed to a payee (links are single-use; each request is a row, whose id
    keys the call)."""

    id = models.BigAutoField(primary_key=True)
    payee = models.ForeignKey(PayeeAccount, on_delete=models.PROTECT, related_name="links")
    url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def idempotency_key(self) -> str:
        return f"account-link-{self.pk}"


# --- prepaid credit ------------------------------------------------------------------------------

class CreditTopUp(models.Model):
    Status = PaymentStatus

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credit_topups")
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCIES)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    payment_backend = models.CharField(max_length=16)
    checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.URLField(max_length=1000, blank=True)
    payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    charge_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

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


# --- refunds and disputes -------------------------------------------------------------------------

class Refund(models.Model):
    """Money going back to a buyer. The shares are reversed (down the remix chain) when the row is
    written; the provider's refund settles it, or its failure restores the shares."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    class Reason(models.TextChoices):
        REQUESTED = "requested", "Requested"
        REVOCATION = "revocation", "Licence revoked: unused part of the term"
        EXTERNAL = "external", "Made at the payment provider"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCIES)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    provider_refund_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="refund_positive"),
            models.UniqueConstraint(fields=["order"], condition=Q(reason="revocation"), name="uniq_revocation_refund"),
        ]

    @property
    def idempotency_key(self) -> str:
        return f"refund-{self.pk}"


class RevocationSettlement(models.Model):
    """The money side's handling of a licensing RefundDue (revocation's pro-rata refund): one row
    per RefundDue, so the sweep that reads them acts once."""

    id = models.BigAutoField(primary_key=True)
    refund_due_id = models.BigIntegerField(unique=True)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    refund = models.OneToOneField(Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount_minor = models.PositiveBigIntegerField(default=0)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Dispute(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    id = models.BigAutoField(primary_key=True)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="disputes")
    provider_dispute_id = models.CharField(max_length=255, unique=True)
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCIES)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    reason = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)


# --- payouts -------------------------------------------------------------------------------------

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


# --- the ledger ----------------------------------------------------------------------------------

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


class ListingPortrait(models.Model):
    """The picture a rights holder chooses for their marketplace card: public, and separate from
    the private reference media verification keeps. Re-encoded to a small JPEG on upload."""

    id = models.BigAutoField(primary_key=True)
    likeness = models.OneToOneField(Likeness, null=True, blank=True, on_delete=models.CASCADE, related_name="portrait")
    ip_asset = models.OneToOneField("licensing.IPAsset", null=True, blank=True, on_delete=models.CASCADE, related_name="portrait")
    image = models.FileField(upload_to="portraits/%Y/%m/")
    alt_text = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(likeness__isnull=False, ip_asset__isnull=True) | models.Q(likeness__isnull=True, ip_asset__isnull=False)),
                name="portrait_one_holding",
            )
        ]


# --- invoices -------------------------------------------------------------------------------------

class InvoiceSeries(models.Model):
    """The next number of an invoice series. Allocated under this row's lock in the transaction
    that issues the invoice (services.invoices): a rolled-back issue gives its number back, so a
    series has neither duplicates nor gaps, however many purchases complete at once."""

    name = models.CharField(max_length=16, primary_key=True)
    next_number = models.PositiveBigIntegerField(default=1)


class Invoice(models.Model):
    """The invoice of a paid licence purchase, issued once when it is paid, its details fixed then:
    the seller (the platform, merchant of record: it charges and pays the rights holder), the
    licensor, the buyer (as Checkout collected them: name, address, tax ids), the lines and the
    tax Stripe Tax computed (none when it did not). Numbered in the seller's series."""

    id = models.BigAutoField(primary_key=True)
    series = models.CharField(max_length=16)
    number = models.PositiveBigIntegerField()
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="invoice")
    issued_at = models.DateTimeField(auto_now_add=True)
    seller = models.JSONField(default=dict)  # {name, address, country, tax_id}
    licensor = models.JSONField(default=dict)  # {name, kind}
    buyer = models.JSONField(default=dict)  # {name, email, address: {...}, country, tax_ids: [{type, value}]}
    currency = models.CharField(max_length=3, choices=CURRENCIES)
    lines = models.JSONField(default=list)  # [{description, amount_minor}]
    tax_lines = models.JSONField(default=list)  # [{label, percentage, jurisdiction, amount_minor}]
    subtotal_minor = models.PositiveBigIntegerField()
    tax_minor = models.PositiveBigIntegerField(default=0)
    total_minor = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="uniq_invoice_number"),
            models.CheckConstraint(condition=Q(total_minor=models.F("subtotal_minor") + models.F("tax_minor")), name="invoice_total_adds_up"),
        ]

    @property
    def reference(self) -> str:
        return f"{self.series}-{self.number:06d}"
