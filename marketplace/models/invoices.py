"""Invoices and credit notes: numbered in series without gaps, fixed once issued (migrations
0020_invoice_guards, 0025_credit_notes)."""

from django.db import models
from django.db.models import Q

from .sales import CURRENCIES, LicenceAddOn, Order


class InvoiceSeries(models.Model):
    """The next number of an invoice series. Allocated under this row's lock in the transaction
    that issues the invoice (services.invoices): a rolled-back issue gives its number back, so a
    series has neither duplicates nor gaps, however many purchases complete at once."""

    name = models.CharField(max_length=16, primary_key=True)
    next_number = models.PositiveBigIntegerField(default=1)


class IssuedDocument(models.Model):
    """What an invoice and a credit note share: a number in a series (gap-free, allocated under the
    series' `InvoiceSeries` row lock), the parties as they were when it was issued, the lines, the
    tax lines and the totals, all fixed from then on (the database refuses an edit)."""

    id = models.BigAutoField(primary_key=True)
    series = models.CharField(max_length=16)
    number = models.PositiveBigIntegerField()
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
        abstract = True

    @property
    def reference(self) -> str:
        return f"{self.series}-{self.number:06d}"


class Invoice(IssuedDocument):
    """The invoice of a paid licence purchase, issued once when it is paid, its details fixed then:
    the seller (the platform, merchant of record: it charges and pays the rights holder), the
    licensor, the buyer (as Checkout collected them: name, address, tax ids), the lines and the
    tax Stripe Tax computed (none when it did not). Numbered in the seller's series.

    What was bought is exactly one of: an order (a licence), or an add-on to a licence (more
    generations or days, its own payment and its own tax: its own invoice, in the same series)."""

    order = models.OneToOneField(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice")
    addon = models.OneToOneField(LicenceAddOn, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="uniq_invoice_number"),
            models.CheckConstraint(condition=Q(total_minor=models.F("subtotal_minor") + models.F("tax_minor")), name="invoice_total_adds_up"),
            models.CheckConstraint(condition=Q(order__isnull=False, addon__isnull=True) | Q(order__isnull=True, addon__isnull=False),
                                   name="invoice_for_an_order_or_an_addon"),
        ]


class CreditNote(IssuedDocument):
    """The document of a refund: issued once, when the provider confirms the money went back
    (`services.refunds.refund_apply`), in the transaction that settles the refund, and fixed from
    then on (migration 0025's guards, as an invoice's). It credits the invoice of the purchase it
    refunds: the seller, the licensor and the buyer as that invoice names them, the amount that went
    back (`Refund.amount_minor`) split into price and tax as the refund was (`Refund.tax_minor`),
    the tax spread over the invoice's tax lines by largest remainder, so the lines add up to the
    cent. Numbered without gaps in the credit-note series (`CREDIT_NOTE_SERIES`), allocated under
    its `InvoiceSeries` row's lock as an invoice's number is. A refund that the provider returns
    after it succeeded keeps its credit note: the books show both (a later correction is a new
    document, never an edited one)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    refund = models.OneToOneField("Refund", on_delete=models.PROTECT, related_name="credit_note")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="uniq_credit_note_number"),
            models.CheckConstraint(condition=Q(total_minor=models.F("subtotal_minor") + models.F("tax_minor")), name="credit_note_total_adds_up"),
            models.CheckConstraint(condition=Q(total_minor__gt=0), name="credit_note_positive"),
        ]
