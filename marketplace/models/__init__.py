"""The money side, one module per topic: what is sold and bought, who is paid, prepaid credit,
refunds, payouts, the double-entry ledger, listings and invoices. Money is integer minor units plus
an ISO 4217 currency, never a float."""
from .credit import CreditTopUp, UsageCharge  # noqa: F401
from .invoices import CreditNote, Invoice, InvoiceSeries  # noqa: F401
from .ledger import LedgerAccount, LedgerEntry, LedgerTransaction  # noqa: F401
from .listings import ListingPortrait  # noqa: F401
from .payees import OnboardingLink, OrganisationHolder, PayeeAccount  # noqa: F401
from .payouts import Payout, PayoutRun, ReconciliationRun, TransferReversal  # noqa: F401
from .refunds import Dispute, Refund, RevocationSettlement  # noqa: F401
from .sales import CURRENCIES, CheckoutBundle, LicenceAddOn, Offer, Order, PaymentEvent, PaymentStatus, RevenuePolicy  # noqa: F401

__all__ = [
    "CURRENCIES",
    "RevenuePolicy",
    "PaymentStatus",
    "Offer",
    "CheckoutBundle",
    "Order",
    "LicenceAddOn",
    "PaymentEvent",
    "OrganisationHolder",
    "PayeeAccount",
    "OnboardingLink",
    "CreditTopUp",
    "UsageCharge",
    "Refund",
    "RevocationSettlement",
    "Dispute",
    "PayoutRun",
    "Payout",
    "TransferReversal",
    "ReconciliationRun",
    "LedgerAccount",
    "LedgerTransaction",
    "LedgerEntry",
    "ListingPortrait",
    "InvoiceSeries",
    "Invoice",
    "CreditNote",
]
