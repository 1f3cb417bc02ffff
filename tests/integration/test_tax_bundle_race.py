"""A taxed campaign checkout's payment delivered twice at the same moment on PostgreSQL (the same
`checkout.session.completed` from two threads, each on its own connection, and Stripe's other
"paid" event for the session beside them): every order is granted once, its tax booked once to
tax_collected, its invoice issued once with no gap in the series, the ledger balances, and it
reconciles with Stripe: every order's sale and tax posted once under the bundle's one charge, the
provider's fee on it booked once under the same id, no difference."""
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
    charge_id = CheckoutBundle.objects.get().charge_id
    assert set(LedgerTransaction.objects.filter(kind__in=[LedgerTransaction.Kind.SALE, LedgerTransaction.Kind.TAX])
               .values_list("external_id", flat=True)) == {charge_id}
    assert services.provider_fees_sync(backend="stripe") == {"booked": 1, "waiting": []}
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok and report.provider_sources == report.ledger_sources == 1, (report.differences, report.checks)
    assert_ledger_balanced()


@pytest.mark.parametrize("round_", range(3))
def test_a_lost_dispute_raced_with_the_refund_retry_pays_a_refused_line_back_once(fake, settings, round_):
    """A taxed bundle with a refused line whose refund is pending; the whole charge disputed; then at
    the same moment, each on its own connection: the provider's refund.failed (the charge is
    disputed), the dispute's loss (twice), the refunds sweep and a direct retry. The refused line's
    money goes back once, with the chargeback: no second refund is asked for, refunds due and the
    disputed account clear, the platform bears nothing, and it reconciles."""
    from licensing import services as licensing
    from marketplace.services.bundles import bundle_refund_submit, bundle_refunds_submit_pending

    assert connection.vendor == "postgresql"
    settings.STRIPE_AUTOMATIC_TAX = True
    fake.tax_bps = 1_900
    fake.refund_status = "pending"
    buyer = UserFactory(kind=User.Kind.BRAND)
    orders = []
    for i, price in enumerate(PRICES):
        _, offer = listed_likeness(name=f"Talent r{round_}{i}", price_minor=price)
        orders.append(services.order_create(buyer=buyer, offer=offer, checkout=False))
    bundle = bundle_checkout_create(buyer=buyer, orders=orders, title="Autumn", return_url="https://example.test/c/")
    licensing.likeness_revoke(likeness=orders[1].offer.likeness, actor=orders[1].offer.likeness.owner)
    assert deliver(fake.complete_session(bundle.checkout_session_id)) == 200
    bundle.refresh_from_db()
    owed = PRICES[1] + TAX[PRICES[1]]
    assert bundle.refund_minor == owed and bundle.provider_refund_id
    opened = fake.dispute(bundle.charge_id)
    assert deliver(opened) == 200
    fake.refunds[bundle.provider_refund_id]["failure_reason"] = "charge_for_pending_refund_disputed"
    failed = fake.fail_refund(bundle.provider_refund_id)
    lost = fake.close_dispute(opened["data"]["object"]["id"], won=False)

    def act(item):
        if item == "sweep":
            return bundle_refunds_submit_pending()
        if item == "retry":
            return bundle_refund_submit(bundle_id=bundle.pk)
        return deliver(item)

    items = [failed, lost, "sweep", "retry", {**lost, "id": lost["id"] + "_again"}, "retry"]
    in_threads(act, items[round_:] + items[:round_], workers=6)
    services.payment_events_retry()

    assert len(fake.posts("/v1/refunds")) == 1  # only the first, failed: the chargeback paid the line back
    bundle.refresh_from_db()
    assert bundle.refund_disputed_minor == owed and bundle.refund_doubled_minor == 0 and bundle.provider_refund_id == ""
    balance = lambda kind: services.account_balance(services.account_for(kind=kind, currency="gbp"))  # noqa: E731
    assert balance(LedgerAccount.Kind.REFUNDS_DUE) == 0 and balance(LedgerAccount.Kind.DISPUTED) == 0
    assert LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.DISPUTE_LOST, order=None,
                                            entries__account__kind=LedgerAccount.Kind.PLATFORM_REVENUE).count() == 0
    assert PaymentEvent.objects.exclude(status__in=["processed", "ignored"]).count() == 0
    services.provider_fees_sync()
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, report.differences
    assert_ledger_balanced()
