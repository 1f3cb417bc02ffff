"""What is sold and bought: offers, checkout bundles, orders, licence add-ons, and the payment
provider's events; the currencies and the enums they share."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from licensing.models import Indemnity, IPAsset, Licence, LicenceTerms, Likeness, UsageRecord, one_holding_constraint

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


class OneOffPayment(models.Model):
    """What every one-off payment records (a checkout bundle, a licence add-on, a credit top-up): its
    amount, where it stands, and the payment provider's references, each unique. Each model keeps
    its own buyer (its own reverse name) and its own checks."""

    Status = PaymentStatus

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
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
        abstract = True


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
            one_holding_constraint("offer_one_holding"),
        ]

    @property
    def holding(self):
        return self.likeness or self.ip_asset


class CheckoutBundle(OneOffPayment):
    """One hosted Checkout for several orders of one buyer (a campaign's licences): a line item per
    order, one payment. The paid webhook grants every order's licence in one transaction; an order
    that can no longer be granted (cancelled, its holding revoked since) is cancelled and its part of
    the payment refunded (`refund_minor`, one refund keyed by the bundle and its attempt).

    A refund the provider fails is retried (services.bundles): its id moves to `failed_refund_ids`
    (so its replayed webhooks are recognised and post nothing), `refund_attempts` counts it, and the
    next attempt is asked for under a new idempotency key, until BUNDLE_REFUND_MAX_ATTEMPTS, when
    `refund_gave_up_at` is set and finance sees it (with `refund_error`).

    A dispute of the same charge and this refund are exclusive: no attempt goes out while a dispute
    holds the charge's funds; a lost dispute returns the refused lines' money with the chargeback
    (`refund_disputed_minor`: what it gave back of them, never asked for again); what reached the
    buyer twice anyway (a refund the provider let through beside a lost dispute) is the platform's
    loss (`refund_doubled_minor`), taken back if that refund later fails."""

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkout_bundles")
    refund_minor = models.PositiveBigIntegerField(default=0)  # the lines that could not be granted
    provider_refund_id = models.CharField(max_length=255, blank=True)  # the current attempt's refund
    refund_attempts = models.PositiveIntegerField(default=0)  # refunds the provider failed so far
    failed_refund_ids = models.JSONField(default=list, blank=True)
    refund_error = models.CharField(max_length=255, blank=True)
    refund_gave_up_at = models.DateTimeField(null=True, blank=True)
    refund_disputed_minor = models.PositiveBigIntegerField(default=0)  # of refund_minor, returned by a lost dispute
    refund_doubled_minor = models.PositiveBigIntegerField(default=0)  # paid back twice (refund and dispute): the platform's loss

    @property
    def refund_owed_minor(self) -> int:
        """What is still to be refunded of the refused lines (before any attempt succeeds)."""
        return max(self.refund_minor - self.refund_disputed_minor, 0)


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


class AddOnStatus(models.TextChoices):
    """A one-off payment's states, and refunded: an add-on's payment can be given back, as an
    order's (services.refunds), and reads as refunded once all of it has been."""

    PENDING = "pending", "Awaiting payment"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"


class LicenceAddOn(OneOffPayment):
    """More generations or a longer term bought for an existing licence, through its own checkout,
    priced by the licence's offer. Applied once, when paid (licensing.licence_extend); its payment
    is shared as the sale was. One pending add-on per licence: a double click resumes it.

    A paid add-on is refunded as an order is (services.refunds: `Refund.addon`): its shares and tax
    reversed, fully refunded it reads as refunded (and what it added that is still unused is taken off
    the licence), a refund that fails puts it back to paid."""

    Status = AddOnStatus
    STATUS_TRANSITIONS = {
        Status.PENDING: {Status.PAID, Status.CANCELLED},
        Status.PAID: {Status.REFUNDED},
        Status.REFUNDED: {Status.PAID},  # a refund the provider failed
        Status.CANCELLED: set(),
    }

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    order = models.ForeignKey("Order", on_delete=models.PROTECT, related_name="addons")  # the licence's purchase
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="addons")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="licence_addons")
    generations = models.PositiveIntegerField(default=0)
    days = models.PositiveIntegerField(default=0)
    # What of it the licence no longer gives: taken back when it was fully refunded (generations not
    # yet used, days not yet started; services.refunds), or never given (paid after the licence
    # ended). Put back if that refund fails while the licence is live.
    generations_withdrawn = models.PositiveIntegerField(default=0)
    days_withdrawn = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="addon_positive"),
            models.CheckConstraint(condition=Q(generations_withdrawn__lte=models.F("generations")) & Q(days_withdrawn__lte=models.F("days")),
                                   name="addon_withdrawn_within_added"),
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
