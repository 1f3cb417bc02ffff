"""Stripe through the official SDK, over HTTP, against a local Stripe-shaped server; webhooks
signed with Stripe's scheme. Checkout (separate charges and transfers), Connect onboarding,
payouts, refunds, disputes, transfer reversals, replay from the Events API, reconciliation."""
import io
import time

import pytest
from django.core.management import call_command

from accounts.models import User
from licensing.models import Licence
from marketplace import services
from marketplace.models import (
    Dispute,
    LedgerEntry,
    LedgerTransaction,
    Order,
    PayeeAccount,
    PaymentEvent,
    Payout,
    Refund,
    TransferReversal,
)
from marketplace.payments import gateway
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.conftest import deliver
from tests.marketplace.money import assert_ledger_balanced, owed, summary

pytestmark = pytest.mark.django_db


def _paid_order(stripe_server, webhook, *, price=12_345, buyer=None):
    buyer = buyer or UserFactory()
    likeness, offer = listed_likeness(price_minor=price)
    order = services.order_create(buyer=buyer, offer=offer)
    webhook(stripe_server.complete_session(order.checkout_session_id))
    order.refresh_from_db()
    assert order.status == "paid"
    return order, likeness.owner


def _ready_payee(stripe_server, webhook, user):
    services.payee_onboarding_start(user=user)
    payee = PayeeAccount.objects.get(user=user)
    webhook(stripe_server.onboard(payee.account_id))
    payee.refresh_from_db()
    assert payee.is_ready
    return payee


def test_checkout_then_signed_webhook_activates_the_licence_once(client, stripe_server, webhook):
    brand = UserFactory()
    likeness, offer = listed_likeness(price_minor=12_345)
    order = services.order_create(buyer=brand, offer=offer)

    assert order.payment_backend == "stripe" and order.status == "pending"
    assert order.checkout_url.startswith(stripe_server.url + "/c/pay/cs_test_")
    (req,) = stripe_server.posts("/v1/checkout/sessions")
    assert req["idempotency_key"] == f"checkout-{order.pk}"
    p = req["params"]
    assert p["client_reference_id"] == str(order.pk)
    assert p["line_items"][0]["price_data"] == {"currency": "gbp", "unit_amount": "12345", "product_data": {"name": f"{likeness.name}: Campaign"}}
    # separate charges and transfers: the payment carries the order's own transfer group
    assert p["payment_intent_data"]["transfer_group"] == order.transfer_group == f"order_{order.licence_id.hex}"
    assert p["payment_intent_data"]["metadata"] == {"kind": "order", "order_id": str(order.pk)}

    event = stripe_server.complete_session(order.checkout_session_id)
    assert webhook(event)["status"] == "processed"
    order.refresh_from_db()
    assert order.status == "paid" and order.payment_intent_id.startswith("pi_") and order.charge_id.startswith("ch_")
    assert Licence.objects.get(pk=order.licence_id).status == "active"
    sale = LedgerTransaction.objects.get(kind="sale")
    assert sale.external_id == order.charge_id  # what the charge's balance transaction names

    # A duplicate delivery changes nothing: one ledger transaction, balanced.
    assert webhook(event)["status"] == "processed"
    assert LedgerTransaction.objects.count() == 1
    assert PaymentEvent.objects.filter(event_id=event["id"]).count() == 1
    assert_ledger_balanced()


def test_bad_signature_is_refused_and_changes_nothing(client, stripe_server):
    brand = UserFactory()
    _, offer = listed_likeness()
    order = services.order_create(buyer=brand, offer=offer)
    event = stripe_server.complete_session(order.checkout_session_id)
    r = deliver(client, event, secret="whsec_wrong")
    assert r.status_code == 400 and r.json()["code"] == "bad_webhook"
    r = client.post("/api/stripe/webhook/", b'{"id": "evt_1"}', content_type="application/json")
    assert r.status_code == 400
    r = client.post("/api/stripe/webhook/", b"not json", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=00")
    assert r.status_code == 400
    assert Order.objects.get(pk=order.pk).status == "pending"
    assert PaymentEvent.objects.count() == 0


def test_a_payment_for_another_amount_activates_nothing(stripe_server, webhook):
    brand = UserFactory()
    _, offer = listed_likeness(price_minor=5_000)
    order = services.order_create(buyer=brand, offer=offer)
    event = stripe_server.complete_session(order.checkout_session_id)
    event["data"]["object"]["amount_total"] = 1
    assert webhook(event)["status"] == "failed"
    order.refresh_from_db()
    assert order.status == "pending" and LedgerEntry.objects.count() == 0


def test_sdk_retry_and_double_click_reuse_one_checkout_session(stripe_server):
    from marketplace.payments import CheckoutRequest

    brand = UserFactory()
    _, offer = listed_likeness()
    order = services.order_create(buyer=brand, offer=offer)
    assert services.order_create(buyer=brand, offer=offer).pk == order.pk  # a second click: the same order
    again = gateway().create_checkout(
        CheckoutRequest(key=f"checkout-{order.pk}", kind="order", reference=str(order.pk), amount_minor=order.amount_minor,
                        currency="gbp", title="Test Talent: Campaign", success_url=f"http://127.0.0.1:8000/orders/{order.pk}/",
                        cancel_url=f"http://127.0.0.1:8000/orders/{order.pk}/", transfer_group=order.transfer_group)
    )
    assert again.id == order.checkout_session_id
    assert len(stripe_server.sessions) == 1


def test_stripe_unreachable_is_a_clear_409_and_the_retry_resumes_the_order(api, stripe_server, settings):
    brand = UserFactory()
    _, offer = listed_likeness(price_minor=5_000)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    api.force_authenticate(brand)
    r = api.post(f"/api/offers/{offer.pk}/purchase/")
    assert r.status_code == 409 and r.json()["code"] == "payment_provider_unavailable"
    order = Order.objects.get()
    assert order.status == "pending" and not order.checkout_session_id
    settings.STRIPE_API_BASE = stripe_server.url
    r = api.post(f"/api/offers/{offer.pk}/purchase/")
    assert r.status_code == 201 and r.json()["id"] == str(order.pk) and r.json()["checkout_url"]
    assert Order.objects.count() == 1 and len(stripe_server.sessions) == 1


# --- Connect onboarding ----------------------------------------------------------------------------

def test_onboarding_creates_one_express_account_and_account_updated_keeps_readiness(api, stripe_server, webhook):
    talent = UserFactory(kind=User.Kind.TALENT)
    api.force_authenticate(talent)
    r = api.post("/api/payee/onboarding/")
    assert r.status_code == 200 and r.json()["url"].startswith(stripe_server.url + "/setup/e/acct_")
    payee = PayeeAccount.objects.get(user=talent)
    (acct_req,) = stripe_server.posts("/v1/accounts")
    assert acct_req["idempotency_key"] == f"payee-account-{payee.pk}"
    assert acct_req["params"]["type"] == "express" and acct_req["params"]["capabilities"] == {"transfers": {"requested": "true"}}
    (link_req,) = stripe_server.posts("/v1/account_links")
    assert link_req["params"]["type"] == "account_onboarding" and link_req["params"]["account"] == payee.account_id
    assert link_req["idempotency_key"].startswith("account-link-")
    assert not payee.is_ready

    # Continuing onboarding later reuses the account and hands out a new link.
    api.post("/api/payee/onboarding/")
    assert len(stripe_server.posts("/v1/accounts")) == 1 and len(stripe_server.posts("/v1/account_links")) == 2

    stale = stripe_server._event("account.updated", dict(stripe_server.accounts[payee.account_id]))  # sent before onboarding finished
    webhook(stripe_server.onboard(payee.account_id))
    payee.refresh_from_db()
    assert payee.is_ready
    webhook(stale)  # arrives late: the account is read fresh, so readiness does not go back
    payee.refresh_from_db()
    assert payee.is_ready
    assert api.get("/api/payee/").json()["is_ready"] is True

    webhook(stripe_server.onboard(payee.account_id, ready=False))  # Stripe asks for more: not paid until fixed
    payee.refresh_from_db()
    assert not payee.is_ready and payee.requirements_due == ["external_account"]


def test_a_crash_between_creating_the_account_and_saving_it_repeats_safely(stripe_server):
    talent = UserFactory(kind=User.Kind.TALENT)
    payee = PayeeAccount.objects.create(user=talent, backend="stripe")
    # The first attempt reached Stripe, then the process died before saving the account id.
    lost = gateway().create_connected_account(key=payee.idempotency_key, email=talent.email, country="GB",
                                              metadata={"payee_account_id": payee.pk, "user_id": talent.pk})
    services.payee_onboarding_start(user=talent)
    payee.refresh_from_db()
    assert payee.account_id == lost and len(stripe_server.accounts) == 1


def test_brands_have_no_payout_account(api, stripe_server):
    api.force_authenticate(UserFactory(kind=User.Kind.BRAND))
    assert api.post("/api/payee/onboarding/").status_code == 403
    assert not stripe_server.posts("/v1/accounts")


# --- payouts -------------------------------------------------------------------------------------------

def test_payout_run_transfers_once_per_ready_payee(stripe_server, webhook, settings):
    settings.PAYOUT_MINIMUM_MINOR = 1_000
    order1, talent = _paid_order(stripe_server, webhook, price=10_000)
    order2, other = _paid_order(stripe_server, webhook, price=20_000)
    payee = _ready_payee(stripe_server, webhook, talent)
    # `other` never onboarded: not paid, the money waits for them.

    run = services.payout_run()
    assert (run.reserved, run.paid, run.failed) == (1, 1, 0)
    (req,) = stripe_server.posts("/v1/transfers")
    payout = Payout.objects.get()
    assert req["idempotency_key"] == f"payout-{payout.pk}"
    assert req["params"]["destination"] == payee.account_id
    assert req["params"]["amount"] == "8000" and req["params"]["currency"] == "gbp"
    assert req["params"]["transfer_group"] == f"payout_{payout.pk}"
    assert payout.status == "paid" and payout.transfer_id.startswith("tr_")
    assert owed(talent) == 0 and summary(talent)["paid_minor"] == 8_000 and summary(talent)["pending_minor"] == 0
    assert owed(other) == 16_000

    assert services.payout_run().reserved == 0  # nothing owed: nothing sent
    assert len(stripe_server.posts("/v1/transfers")) == 1
    assert_ledger_balanced()


def test_a_run_that_died_after_the_transfer_is_resumed_without_a_second_transfer(stripe_server, webhook):
    order, talent = _paid_order(stripe_server, webhook, price=10_000)
    payee = _ready_payee(stripe_server, webhook, talent)
    from marketplace.models import PayoutRun

    dead = PayoutRun.objects.create(triggered_by="test")
    payout = services.payout_reserve(run=dead, payable_id=services.account_for(kind="payable", currency="gbp", owner=talent).pk, minimum=1)
    # The dead run's transfer reached Stripe; the process was killed before recording it.
    Payout.objects.filter(pk=payout.pk).update(attempts=1)
    lost = gateway().create_transfer(key=payout.idempotency_key, amount_minor=payout.amount_minor, currency="gbp",
                                     destination=payee.account_id, transfer_group=payout.transfer_group, metadata={})
    stripe_server._idem.clear()  # even with the idempotency key forgotten (keys expire after 24h)

    run = services.payout_run()
    payout.refresh_from_db()
    assert payout.status == "paid" and payout.transfer_id == lost
    assert run.reserved == 0 and len(stripe_server.transfers) == 1
    assert owed(talent) == 0
    assert_ledger_balanced()


def test_a_declined_transfer_returns_the_money_to_the_balance(stripe_server, webhook):
    order, talent = _paid_order(stripe_server, webhook, price=10_000)
    payee = _ready_payee(stripe_server, webhook, talent)
    # The account lost its transfers capability at Stripe (the webhook has not told us yet).
    stripe_server.accounts[payee.account_id]["capabilities"]["transfers"] = "inactive"
    run = services.payout_run()
    assert (run.paid, run.failed) == (0, 1)
    failed = Payout.objects.get()
    assert failed.status == "failed" and "capabilities" in failed.error
    assert owed(talent) == 8_000 and summary(talent)["pending_minor"] == 0
    stripe_server.accounts[payee.account_id]["capabilities"]["transfers"] = "active"
    assert services.payout_run().paid == 1
    assert owed(talent) == 0 and len(stripe_server.transfers) == 1
    assert_ledger_balanced()


def test_a_reversed_transfer_makes_the_payee_owed_again_once(stripe_server, webhook):
    order, talent = _paid_order(stripe_server, webhook, price=10_000)
    _ready_payee(stripe_server, webhook, talent)
    services.payout_run()
    payout = Payout.objects.get()
    event = stripe_server.reverse_transfer(payout.transfer_id, 3_000)
    webhook(event)
    webhook(event)
    assert TransferReversal.objects.count() == 1
    assert owed(talent) == 3_000 and summary(talent)["paid_minor"] == 5_000
    assert_ledger_balanced()


# --- refunds and disputes -------------------------------------------------------------------------------

def test_a_moderator_refund_goes_to_stripe_once_and_reverses_the_shares(api, stripe_server, webhook, settings):
    order, talent = _paid_order(stripe_server, webhook, price=10_000)
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    api.force_authenticate(moderator)
    r = api.post(f"/api/orders/{order.pk}/refunds/", {"amount_minor": 2_500, "note": "late delivery"}, format="json")
    assert r.status_code == 201, r.content
    refund = Refund.objects.get()
    (req,) = stripe_server.posts("/v1/refunds")
    assert req["idempotency_key"] == f"refund-{refund.pk}"
    assert req["params"] == {"payment_intent": order.payment_intent_id, "amount": "2500",
                             "metadata": {"refund_id": str(refund.pk), "order_id": str(order.pk)}}
    assert refund.status == "succeeded" and refund.provider_refund_id.startswith("re_")
    assert owed(talent) == 8_000 - 2_000  # 80% of the refund taken back from the talent
    for event in stripe_server.events:  # the refund's own webhooks: nothing more happens
        if event["type"] in ("refund.created", "charge.refunded"):
            webhook(event)
    assert Refund.objects.count() == 1 and owed(talent) == 6_000
    order.refresh_from_db()
    assert order.status == "paid" and Licence.objects.get(pk=order.licence_id).status == "active"

    # Refunding more than is left is refused; the rest refunds fully and ends the licence.
    assert api.post(f"/api/orders/{order.pk}/refunds/", {"amount_minor": 7_501}, format="json").status_code == 409
    assert api.post(f"/api/orders/{order.pk}/refunds/", {"amount_minor": 7_500}, format="json").status_code == 201
    order.refresh_from_db()
    assert order.status == "refunded" and Licence.objects.get(pk=order.licence_id).status == "revoked"
    assert owed(talent) == 0
    assert_ledger_balanced()


def test_only_moderators_refund(api, stripe_server, webhook):
    order, talent = _paid_order(stripe_server, webhook, price=10_000)
    for user in (order.buyer, talent, UserFactory(kind=User.Kind.BRAND)):
        api.force_authenticate(user)
        assert api.post(f"/api/orders/{order.pk}/refunds/", {"amount_minor": 100}, format="json").status_code == 403
    api.force_authenticate(UserFactory(kind=User.Kind.MODERATOR))
    for body in ({"amount_minor": 0}, {"amount_minor": -5}, {"amount_minor": "x"}, {}):
        assert api.post(f"/api/orders/{order.pk}/refunds/", body, format="json").status_code == 400
    assert api.post("/api/orders/not-a-uuid/refunds/", {"amount_minor": 1}, format="json").status_code == 404
    assert Refund.objects.count() == 0 and not stripe_server.posts("/v1/refunds")


def test_a_refund_made_in_the_dashboard_is_recorded_once_even_before_the_payment(stripe_server, webhook):
    brand = UserFactory()
    likeness, offer = listed_likeness(price_minor=10_000)
    order = services.order_create(buyer=brand, offer=offer)
    completed = stripe_server.complete_session(order.checkout_session_id)
    pi = completed["data"]["object"]["payment_intent"]
    refund_events = stripe_server.refund_from_dashboard(pi, 4_000)
    for event in refund_events:  # out of order: the refund arrives before the payment
        assert webhook(event)["status"] == "deferred"
    assert webhook(completed)["status"] == "processed"  # ... and the waiting events are handled after it
    assert {e.status for e in PaymentEvent.objects.all()} == {"processed"}
    refund = Refund.objects.get()
    assert refund.reason == "external" and refund.status == "succeeded" and refund.amount_minor == 4_000
    assert owed(likeness.owner) == 8_000 - 3_200
    for event in refund_events:
        webhook(event)
    assert Refund.objects.count() == 1
    assert_ledger_balanced()


def test_a_failed_refund_restores_the_shares(stripe_server, webhook):
    order, talent = _paid_order(stripe_server, webhook, price=10_000)
    refund = services.order_refund(order=order, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=10_000)
    assert owed(talent) == 0
    webhook(stripe_server.fail_refund(refund.provider_refund_id))
    refund.refresh_from_db()
    order.refresh_from_db()
    assert refund.status == "failed" and owed(talent) == 8_000 and order.status == "paid"
    assert_ledger_balanced()


@pytest.mark.parametrize("won", [True, False])
def test_disputes_in_any_order(stripe_server, webhook, won):
    order, talent = _paid_order(stripe_server, webhook, price=10_000)
    created = stripe_server.dispute(order.charge_id)
    closed = stripe_server.close_dispute(created["data"]["object"]["id"], won=won)
    webhook(closed)  # closed arrives first
    webhook(created)
    webhook(closed)
    dispute = Dispute.objects.get()
    assert dispute.status == ("won" if won else "lost")
    order.refresh_from_db()
    if won:
        assert owed(talent) == 8_000 and order.status == "paid"
    else:
        assert owed(talent) == 0 and order.status == "refunded"
        assert Licence.objects.get(pk=order.licence_id).status == "revoked"
    assert LedgerTransaction.objects.filter(kind="dispute_opened").count() == 1
    assert_ledger_balanced()


# --- replay and reconciliation -----------------------------------------------------------------------------

def test_missed_events_are_replayed_from_the_events_api(stripe_server):
    brand = UserFactory()
    likeness, offer = listed_likeness(price_minor=10_000)
    order = services.order_create(buyer=brand, offer=offer)
    stripe_server.complete_session(order.checkout_session_id)  # the webhook never arrives
    out = io.StringIO()
    call_command("stripe_replay_events", "--hours", "1", stdout=out)
    order.refresh_from_db()
    assert order.status == "paid" and "new" in out.getvalue()
    call_command("stripe_replay_events", "--since", str(int(time.time()) - 60), stdout=io.StringIO())
    assert LedgerTransaction.objects.filter(kind="sale").count() == 1
    assert PaymentEvent.objects.filter(event_id=stripe_server.events[-1]["id"]).count() == 1


def test_reconciliation_matches_stripe_and_reports_what_the_ledger_missed(stripe_server, webhook):
    order, talent = _paid_order(stripe_server, webhook, price=10_000)
    _ready_payee(stripe_server, webhook, talent)
    services.order_refund(order=order, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=1_000)
    services.payout_run()
    out = io.StringIO()
    call_command("ledger_reconcile", "--book-fees", stdout=out)  # Stripe's processing fee booked, then compared
    assert "reconciled: no differences" in out.getvalue(), out.getvalue()

    other = services.order_create(buyer=UserFactory(), offer=order.offer)
    stripe_server.complete_session(other.checkout_session_id)  # paid at Stripe, webhook lost
    services.provider_fees_sync()  # its fee waits: the ledger does not know the charge
    report = services.ledger_reconcile(backend="stripe")
    assert [d["problem"] for d in report.differences] == ["at the provider, not in the ledger"]
    with pytest.raises(SystemExit):
        call_command("ledger_reconcile", stdout=io.StringIO())
    call_command("stripe_replay_events", stdout=io.StringIO())
    services.provider_fees_sync()
    assert services.ledger_reconcile(backend="stripe").ok
