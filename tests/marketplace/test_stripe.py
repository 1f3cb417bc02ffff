"""Stripe Checkout through the official SDK, over HTTP, against a local Stripe-shaped server;
webhooks signed with Stripe's scheme."""
import json

import pytest

from licensing.models import Licence
from marketplace import services
from marketplace.models import LedgerEntry, LedgerTransaction, Order, PaymentEvent
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.stripe_server import FakeStripe, sign

pytestmark = pytest.mark.django_db
SECRET = "whsec_test_rightscast"


@pytest.fixture
def stripe_server(settings):
    with FakeStripe() as fake:
        settings.STRIPE_SECRET_KEY = fake.api_key
        settings.STRIPE_WEBHOOK_SECRET = SECRET
        settings.STRIPE_API_BASE = fake.url
        settings.PAYMENT_BACKEND = "stripe"
        yield fake


def _webhook(client, event: dict, secret: str = SECRET):
    body = json.dumps(event).encode()
    return client.post("/api/stripe/webhook/", body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body, secret))


def test_checkout_then_signed_webhook_activates_the_licence_once(client, stripe_server, settings):
    brand = UserFactory()
    likeness, offer = listed_likeness(price_minor=12_345)
    order = services.order_create(buyer=brand, offer=offer)

    assert order.payment_backend == "stripe" and order.status == "pending"
    assert order.checkout_url.startswith(stripe_server.url + "/c/pay/cs_test_")
    (req,) = stripe_server.requests
    assert req["path"] == "/v1/checkout/sessions"
    assert req["idempotency_key"] == f"checkout-{order.pk}"
    p = req["params"]
    assert p["client_reference_id"] == str(order.pk)
    assert p["line_items"][0]["price_data"] == {"currency": "gbp", "unit_amount": "12345", "product_data": {"name": f"{likeness.name}: Campaign"}}
    assert p["payment_intent_data"]["transfer_group"] == order.transfer_group

    event = stripe_server.completed_event(order.checkout_session_id)
    r = _webhook(client, event)
    assert r.status_code == 200, r.content
    order.refresh_from_db()
    assert order.status == "paid"
    assert Licence.objects.get(pk=order.licence_id).status == "active"

    # A duplicate delivery changes nothing: one ledger transaction, balanced.
    assert _webhook(client, event).status_code == 200
    assert LedgerTransaction.objects.count() == 1
    assert sum(LedgerEntry.objects.values_list("amount_minor", flat=True)) == 0
    assert PaymentEvent.objects.filter(event_id=event["id"]).count() == 1


def test_bad_signature_is_refused_and_changes_nothing(client, stripe_server):
    brand = UserFactory()
    _, offer = listed_likeness()
    order = services.order_create(buyer=brand, offer=offer)
    event = stripe_server.completed_event(order.checkout_session_id)
    r = _webhook(client, event, secret="whsec_wrong")
    assert r.status_code == 400 and r.json()["code"] == "bad_webhook"
    body = json.dumps(event).encode()
    r = client.post("/api/stripe/webhook/", body, content_type="application/json")
    assert r.status_code == 400
    assert Order.objects.get(pk=order.pk).status == "pending"
    assert PaymentEvent.objects.count() == 0


def test_sdk_retry_replays_the_same_checkout_session(stripe_server):
    from marketplace.payments.stripe_gateway import StripeGateway

    brand = UserFactory()
    _, offer = listed_likeness()
    order = services.order_create(buyer=brand, offer=offer)
    again = StripeGateway().create_checkout(order=order, title="t", success_url="http://x", cancel_url="http://x")
    assert again.id == order.checkout_session_id
