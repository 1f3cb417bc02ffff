"""Money going back: refunds, settlements when a licence is revoked, and disputes."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .sales import CURRENCIES, CheckoutBundle, LicenceAddOn, Order


class Refund(models.Model):
    """Money going back to a buyer. The shares are reversed (down the remix chain) when the row is
    written; the provider's refund settles it, or its failure restores the shares.

    `amount_minor` is what the buyer gets back, as the provider refunds it: of a taxed order, part
    price and part tax (a Stripe refund of the charge's amount includes its tax; the split is
    ours). `tax_minor` is the tax part, fixed when the row is written and taken back from
    `tax_collected` (services.refunds: proportional, rounded so an order's refunds together return
    exactly the tax it collected, never more).

    What it refunds is exactly one of an order (a licence) or a paid add-on (`addon`: its own
    payment, shares and tax, reversed by the same functions under keys of its own)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    class Reason(models.TextChoices):
        REQUESTED = "requested", "Requested"
        REVOCATION = "revocation", "Licence revoked: unused part of the term"
        EXTERNAL = "external", "Made at the payment provider"
        NOT_APPLIED = "not_applied", "Paid after the licence ended: never applied"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds")
    addon = models.ForeignKey(LicenceAddOn, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds")
    amount_minor = models.PositiveBigIntegerField()
    tax_minor = models.PositiveBigIntegerField(default=0)  # the tax part of amount_minor
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
            models.CheckConstraint(condition=Q(tax_minor__lte=models.F("amount_minor")), name="refund_tax_within_amount"),
            models.UniqueConstraint(fields=["order"], condition=Q(reason="revocation"), name="uniq_revocation_refund"),
            # an add-on's pro-rata refund at revocation, or its whole refund when it was paid too late: once
            models.UniqueConstraint(fields=["addon"], condition=Q(reason__in=["revocation", "not_applied"]), name="uniq_addon_revocation_refund"),
            models.CheckConstraint(condition=Q(order__isnull=False, addon__isnull=True) | Q(order__isnull=True, addon__isnull=False),
                                   name="refund_of_order_or_addon"),
        ]

    @property
    def idempotency_key(self) -> str:
        return f"refund-{self.pk}"

    @property
    def purchase(self) -> Order | LicenceAddOn:
        """What it refunds: the order, or the add-on."""
        return self.addon if self.addon_id else self.order


class RevocationSettlement(models.Model):
    """The money side's handling of a licensing RefundDue (revocation's pro-rata refund of the order
    and of each paid add-on): one row per RefundDue, written in the transaction that creates those
    refunds, so the sweep and the task that read them act once."""

    id = models.BigAutoField(primary_key=True)
    refund_due_id = models.BigIntegerField(unique=True)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    refund = models.OneToOneField(Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount_minor = models.PositiveBigIntegerField(default=0)  # the order's refund
    addons_amount_minor = models.PositiveBigIntegerField(default=0)  # its paid add-ons' refunds together (each its own Refund)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Dispute(models.Model):
    """A chargeback of one payment: a single order's charge (`order`), a paid add-on's (`addon`), or
    a campaign checkout's one charge (`bundle`), whose withdrawal and reinstatement post once under
    the dispute's id and whose loss is split across the bundle's paid orders
    (services.refunds.dispute_sync)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    id = models.BigAutoField(primary_key=True)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="disputes")
    bundle = models.ForeignKey(CheckoutBundle, null=True, blank=True, on_delete=models.PROTECT, related_name="disputes")
    addon = models.ForeignKey(LicenceAddOn, null=True, blank=True, on_delete=models.PROTECT, related_name="disputes")
    provider_dispute_id = models.CharField(max_length=255, unique=True)
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, choices=CURRENCIES)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    reason = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(order__isnull=False, bundle__isnull=True, addon__isnull=True)
                | Q(order__isnull=True, bundle__isnull=False, addon__isnull=True)
                | Q(order__isnull=True, bundle__isnull=True, addon__isnull=False),
                name="dispute_of_order_bundle_or_addon",
            ),
        ]
