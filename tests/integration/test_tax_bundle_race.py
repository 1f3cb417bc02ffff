"""A taxed campaign checkout's payment delivered twice at the same moment on PostgreSQL (the same
`checkout.session.completed` from two threads, each on its own connection, and Stripe's other
"paid" event for the session beside them): every order is granted once, its tax booked once to
tax_collected, its invoice issued once with no gap in the series, and the ledger balances. (Not
reconciled with Stripe here: a bundle's charge is not yet a source in the ledger, its orders'
sales carry no charge id; `ledger_reconcile` reports it as at the provider only, a gap of its own.)"""
import pytest
from django.db import connection
from django.db.models import Count

from accounts.models import User
from marketplace import services
from marketplace.models import CheckoutBundle, Invoice, InvoiceSeries, LedgerAccount, LedgerTransaction, Order, PaymentEvent
from marketplace.services.bundles import bundle_checkout_create
from tests.factories import UserFactory, listed_likeness
from tests.integration.money_support import deliver, in_threads
from tests.marketplace.money import assert_ledger_balanced

pytestmark = pytest.mark.django_db(transaction=True)

PRICES = [1_005, 2_005, 3_005]
TAX = {1_005: 190, 2_005: 380, 3_005: 570}  # 19%, rounded down per line item as Stripe Tax does


@pytest.mark.parametrize("round_", range(3))
def test_two_deliveries_of_a_taxed_bundle_book_its_tax_and_invoices_once(fake, settings, round_):
    assert connection.vendor == "postgresql"
    settings.STRIPE_AUTOMATIC_TAX = True
    fake.tax_bps = 1_900
    fake.customer = {"name": "Fizz GmbH", "email": "billing@fizz.example", "tax_ids": [{"type": "eu_vat", "value": "DE811907980"}],
                     "address": {"line1": "Hauptstr. 5", "city": "Berlin", "postal_code": "10115", "country": "DE"}}
    buyer = UserFactory(kind=User.Kind.BRAND)
    orders = []
    for i, price in enumerate(PRICES):
        _, offer = listed_likeness(name=f"Talent {round_}{i}", price_minor=price)
        orders.append(services.order_create(buyer=buyer, offer=offer, checkout=False))
    bundle = bundle_checkout_create(buyer=buyer, orders=orders, title="Autumn", return_url="https://example.test/c/")
    event = fake.complete_session(bundle.checkout_session_id)
    assert event["data"]["object"]["total_details"]["amount_tax"] == 1_140
    again = {**event, "id": event["id"] + "_async", "type": "checkout.session.async_payment_succeeded"}

    assert in_threads(deliver, [event, event, again, event], workers=4) == [200] * 4

    assert CheckoutBundle.objects.get().status == "paid"
    assert set(Order.objects.values_list("status", flat=True)) == {"paid"}
    for kind in (LedgerTransaction.Kind.SALE, LedgerTransaction.Kind.TAX):
        per_order = LedgerTransaction.objects.filter(kind=kind).values("order").annotate(n=Count("id"))
        assert sorted(r["n"] for r in per_order) == [1, 1, 1], kind
    for order in Order.objects.all():
        tax = LedgerTransaction.objects.get(order=order, kind=LedgerTransaction.Kind.TAX)
        assert tax.entries.get(account__kind=LedgerAccount.Kind.TAX_COLLECTED).amount_minor == -TAX[order.amount_minor]
    collected = services.account_for(kind=LedgerAccount.Kind.TAX_COLLECTED, currency="gbp")
    assert -services.account_balance(collected) == 1_140
    assert sorted(Invoice.objects.values_list("order__amount_minor", "tax_minor")) == [(p, TAX[p]) for p in PRICES]
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2, 3]  # once each, no gap
    assert InvoiceSeries.objects.get(name=settings.INVOICE_SERIES).next_number == 4
    assert PaymentEvent.objects.count() == 2  # one row per event id, however often delivered
    assert_ledger_balanced()
