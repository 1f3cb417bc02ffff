"""Fault tests on PostgreSQL: duplicate and out-of-order webhooks delivered concurrently, and
concurrent purchases of the same offer. Every order is charged once and every ledger transaction
balances."""
import random

import pytest
from django.db.models import Count

from accounts.models import User
from marketplace import services
from marketplace.models import Dispute, LedgerTransaction, Order, PaymentEvent, Refund
from marketplace.tasks import payment_events_retry
from tests.factories import UserFactory, listed_likeness
from tests.integration.money_support import deliver, in_threads
from tests.marketplace.money import assert_ledger_balanced

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_purchases_of_the_same_offer_charge_each_order_once(fake):
    likeness, offer = listed_likeness(price_minor=10_000)
    buyers = [UserFactory(kind=User.Kind.BRAND) for _ in range(8)]
    # Every buyer clicks twice, all at once: one order (and one checkout session) per buyer.
    orders = in_threads(lambda b: services.order_create(buyer=b, offer=offer).pk, buyers * 2, workers=8)
    assert len(set(orders)) == 8 and Order.objects.count() == 8
    assert len(fake.sessions) == 8
    assert sorted(r["idempotency_key"] for r in fake.posts("/v1/checkout/sessions"))[0].startswith("checkout-")

    # Each pays; Stripe delivers every completion three times, in any order, at once.
    events = [fake.complete_session(o.checkout_session_id) for o in Order.objects.all()]
    deliveries = events * 3
    random.Random(7).shuffle(deliveries)
    assert set(in_threads(deliver, deliveries, workers=8)) == {200}

    assert set(Order.objects.values_list("status", flat=True)) == {"paid"}
    per_order = LedgerTransaction.objects.filter(kind="sale").values("order").annotate(n=Count("id"))
    assert sorted(r["n"] for r in per_order) == [1] * 8
    assert PaymentEvent.objects.count() == len(events)  # one row per event id, however often delivered
    services.provider_fees_sync(backend="stripe")  # Stripe's fees, booked from its balance transactions
    assert services.ledger_reconcile(backend="stripe").ok
    assert_ledger_balanced()


def test_duplicate_and_out_of_order_webhooks_converge(fake):
    """Payments, dashboard refunds, disputes (closed before opened), onboarding updates: every
    event delivered twice, shuffled, from eight threads at once."""
    likeness, offer = listed_likeness(price_minor=20_000)
    orders = [services.order_create(buyer=UserFactory(), offer=offer) for _ in range(6)]
    events = []
    for i, order in enumerate(orders):
        completed = fake.complete_session(order.checkout_session_id)
        events.append(completed)
        pi = completed["data"]["object"]["payment_intent"]
        if i % 3 == 0:
            events += fake.refund_from_dashboard(pi, 5_000)
        if i % 3 == 1:
            charge = fake.payment_intents[pi]["latest_charge"]
            opened = fake.dispute(charge)
            events += [opened, fake.close_dispute(opened["data"]["object"]["id"], won=(i == 1))]
    services.payee_onboarding_start(user=likeness.owner)
    account = likeness.owner.payee_account.account_id
    events += [fake.onboard(account, ready=False), fake.onboard(account, ready=True)]

    deliveries = events * 2
    random.Random(11).shuffle(deliveries)
    assert set(in_threads(deliver, deliveries, workers=8)) == {200}
    payment_events_retry()  # what Celery beat runs: events still waiting on an earlier one

    assert set(PaymentEvent.objects.values_list("status", flat=True)) <= {"processed", "ignored"}
    assert PaymentEvent.objects.count() == len(events)
    assert LedgerTransaction.objects.filter(kind="sale").count() == 6
    assert Refund.objects.filter(reason="external").count() == 2
    assert sorted(Dispute.objects.values_list("status", flat=True)) == ["lost", "won"]
    assert LedgerTransaction.objects.filter(kind="dispute_opened").count() == 2
    statuses = sorted(Order.objects.values_list("status", flat=True))
    assert statuses == ["paid"] * 5 + ["refunded"]  # the lost dispute took the whole payment back
    likeness.owner.payee_account.refresh_from_db()
    assert likeness.owner.payee_account.is_ready  # the account's state now, whatever order the updates came in
    services.provider_fees_sync(backend="stripe")  # Stripe's fees, booked from its balance transactions
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, (report.differences, report.checks)
    assert_ledger_balanced()
