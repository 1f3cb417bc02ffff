import json

import pytest

from tests.marketplace.stripe_server import FakeStripe, sign

SECRET = "whsec_test_rightscast"


@pytest.fixture
def stripe_server(settings):
    """The SDK pointed at a local Stripe-shaped server; the Stripe backend switched on."""
    with FakeStripe() as fake:
        settings.STRIPE_SECRET_KEY = fake.api_key
        settings.STRIPE_WEBHOOK_SECRET = SECRET
        settings.STRIPE_API_BASE = fake.url
        settings.PAYMENT_BACKEND = "stripe"
        yield fake
        # Every request the project sent, checked against the official SDK's parameter types.
        from tests.marketplace.sdk_params import check_requests

        problems = check_requests(fake.requests)
        assert not problems, problems


def deliver(client, event: dict, secret: str = SECRET):
    """POST an event to the webhook endpoint, signed the way Stripe signs it."""
    body = json.dumps(event).encode()
    return client.post("/api/stripe/webhook/", body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body, secret))


@pytest.fixture
def webhook(client):
    def send(event: dict, secret: str = SECRET):
        r = deliver(client, event, secret)
        assert r.status_code == 200, r.content
        return r.json()

    return send
