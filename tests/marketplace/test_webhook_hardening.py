"""The shared webhook check and ingest: bodies that are not event objects, timestamps outside the
tolerance either way, and events that can never succeed (failed once, never retried)."""
import json
import time

import pytest

from marketplace.models import PaymentEvent
from marketplace.services import events
from tests.marketplace.conftest import SECRET
from tests.marketplace.stripe_server import sign

pytestmark = pytest.mark.django_db


def _post(client, body: bytes, timestamp=None):
    return client.post("/api/stripe/webhook/", body, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=sign(body, SECRET, timestamp))


@pytest.mark.parametrize("body", [b"[1, 2, 3]", b'"evt"', b"42", b"null", b'{"id": 5, "type": []}', b"{not json"])
def test_signed_bodies_that_are_not_event_objects_are_refused(client, stripe_server, body):
    r = _post(client, body)
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json") and r.json()["detail"]
    assert PaymentEvent.objects.count() == 0


@pytest.mark.parametrize("skew", [3600, -3600, 400, -400])
def test_timestamps_outside_the_tolerance_either_way_are_refused(client, stripe_server, skew):
    body = json.dumps({"id": "evt_skew", "type": "charge.refunded", "data": {"object": {}}}).encode()
    r = _post(client, body, timestamp=int(time.time()) + skew)
    assert r.status_code == 400 and "timestamp" in r.json()["detail"].lower()
    assert PaymentEvent.objects.count() == 0


def test_a_timestamp_within_the_tolerance_is_accepted(client, stripe_server):
    body = json.dumps({"id": "evt_ok", "type": "some.unknown.type", "data": {"object": {}}}).encode()
    r = _post(client, body, timestamp=int(time.time()) + 60)
    assert r.status_code == 200 and r.json()["status"] == "ignored"


def test_an_event_that_can_never_succeed_fails_once_and_is_not_retried(client, stripe_server):
    event = {
        "id": "evt_bad_order", "type": "checkout.session.completed",
        "data": {"object": {"payment_status": "paid", "client_reference_id": "not-an-order-id", "amount_total": 100, "currency": "eur"}},
    }
    body = json.dumps(event).encode()
    r = _post(client, body)
    assert r.status_code == 200 and r.json()["status"] == "failed"
    stored = PaymentEvent.objects.get(event_id="evt_bad_order")
    assert stored.attempts == events.MAX_ATTEMPTS and stored.error
    events.payment_events_retry()
    r = _post(client, body)  # Stripe delivering it again
    assert r.status_code == 200 and r.json()["status"] == "failed"
    stored.refresh_from_db()
    assert stored.attempts == events.MAX_ATTEMPTS  # never claimed again


CONNECT_SECRET = "whsec_connect_hardening"


@pytest.mark.parametrize("body,skew", [(b"[1]", 0), (b'{"id": "evt_c", "type": "account.updated", "account": "acct_1"}', 3600)])
def test_the_connect_endpoint_gets_the_same_checks(client, stripe_server, settings, body, skew):
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = CONNECT_SECRET
    r = client.post("/api/stripe/connect-webhook/", body, content_type="application/json",
                    HTTP_STRIPE_SIGNATURE=sign(body, CONNECT_SECRET, int(time.time()) + skew))
    assert r.status_code == 400 and r.json()["detail"]
    assert PaymentEvent.objects.count() == 0
