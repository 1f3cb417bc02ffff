"""Outgoing webhooks against a real receiver on 127.0.0.1: signed deliveries, retries with
backoff until given up, replay, no other schemes, never sent inside a transaction."""
import json
import time

import pytest
from django.db import transaction

from accounts.models import User
from licensing import services as licensing
from tests.factories import UserFactory, active_licence
from webhooks import services, signing
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

from .receiver import Receiver, closed_port_url

pytestmark = pytest.mark.django_db(transaction=True)
ALL = ["job.finished", "approval.decided", "brief.refused", "licence.revoked"]


def _endpoint(api, user, url, events=ALL):
    api.force_authenticate(user)
    r = api.post("/api/webhooks/", {"url": url, "events": events, "description": "ours"}, format="json")
    assert r.status_code == 201, r.content
    return r.json()


def test_a_finished_job_is_delivered_signed_and_verifies(api, builtin_model):
    licence, _, _ = active_licence()
    with Receiver() as rx:
        ep = _endpoint(api, licence.licensee, rx.url)
        r = api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "a portrait at dusk", "seed": 2}, format="json")
        assert r.status_code == 201, r.content
    finished = [q for q in rx.requests if q["headers"]["Rightscast-Event"] == "job.finished"]
    assert len(finished) == 1
    req = finished[0]
    body = json.loads(req["body"])
    assert body["type"] == "job.finished" and body["data"]["status"] == "released"
    assert body["data"]["job_id"] == r.json()["job"]["job_id"] and body["data"]["output_url"].endswith("/output/")
    header = req["headers"][signing.HEADER]
    assert signing.verify(ep["secret"], header, req["body"])
    assert not signing.verify(ep["secret"], header, req["body"].replace(b"released", b"failed"))  # tampered body
    assert not signing.verify("whsec_wrong", header, req["body"])
    assert not signing.verify(ep["secret"], header, req["body"], now=time.time() + 3600)  # a stale capture
    assert not signing.verify(ep["secret"], "garbage", req["body"])
    d = WebhookDelivery.objects.get(event="job.finished")
    assert d.status == "delivered" and d.attempts == 1 and d.last_status_code == 200


def test_a_receiver_that_is_down_is_retried_with_backoff_then_given_up(api, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    user = UserFactory(kind=User.Kind.BRAND)
    ep = _endpoint(api, user, closed_port_url())
    r = api.post(f"/api/webhooks/{ep['id']}/ping/")
    assert r.status_code == 202
    d = WebhookDelivery.objects.get(pk=r.json()["id"])
    assert d.status == "failed" and d.attempts == 3 and d.last_status_code is None
    assert "Connection refused" in d.last_error or "URLError" in d.last_error
    assert WebhookAttempt.objects.filter(delivery=d).count() == 3
    assert [services.backoff_seconds(n) for n in (1, 2, 3)] == [0.01, 0.02, 0.04]  # base x 2^(n-1)


def test_a_receiver_failing_then_recovering_gets_the_event_once_delivered(api, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 5
    user = UserFactory(kind=User.Kind.BRAND)
    with Receiver(answers=[500, 503, 200]) as rx:
        ep = _endpoint(api, user, rx.url)
        api.post(f"/api/webhooks/{ep['id']}/ping/")
    d = WebhookDelivery.objects.get(endpoint_id=ep["id"])
    assert d.status == "delivered" and d.attempts == 3
    assert [a.status_code for a in d.attempt_log.order_by("pk")] == [500, 503, 200]
    assert len({q["headers"]["Rightscast-Event-Id"] for q in rx.requests}) == 1  # one event, retried


def test_replay_from_the_browser_sends_the_same_event_again(client, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    user = UserFactory(kind=User.Kind.BRAND)
    client.force_login(user)
    down = closed_port_url()
    r = client.post("/integrations/webhooks/", {"action": "add", "url": down, "events": ["job.finished"]})
    assert r.status_code == 302
    endpoint = WebhookEndpoint.objects.get(owner=user)
    client.post("/integrations/webhooks/", {"action": "ping", "endpoint": str(endpoint.pk)})
    first = WebhookDelivery.objects.get(endpoint=endpoint)
    assert first.status == "failed"
    page = client.get("/integrations/webhooks/").content.decode()
    assert "Failed (gave up)" in page and "Replay" in page
    with Receiver() as rx:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=rx.url)  # the receiver is back (at a new port)
        r = client.post("/integrations/webhooks/", {"action": "replay", "delivery": str(first.pk)}, follow=True)
    assert "Delivery sent again" in r.content.decode()
    again = WebhookDelivery.objects.get(replay_of=first)
    assert again.status == "delivered" and again.event_id == first.event_id
    assert len(rx.requests) == 1 and rx.requests[0]["headers"]["Rightscast-Event-Id"] == str(first.event_id)
    assert signing.verify(endpoint.secret, rx.requests[0]["headers"][signing.HEADER], rx.requests[0]["body"])
    # someone else's delivery cannot be replayed
    client.force_login(UserFactory(kind=User.Kind.BRAND))
    r = client.post("/integrations/webhooks/", {"action": "replay", "delivery": str(first.pk)})
    assert r.status_code == 404 and WebhookDelivery.objects.count() == 2


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "gopher://127.0.0.1:70/_x", "ftp://example.com/x", "javascript:alert(1)", "//127.0.0.1/x",
    "http://user:pw@127.0.0.1/x", "http://127.0.0.1:99999/x", "", "not a url",
])
def test_only_http_and_https_urls_are_accepted(api, url):
    api.force_authenticate(UserFactory(kind=User.Kind.BRAND))
    r = api.post("/api/webhooks/", {"url": url, "events": ["job.finished"]}, format="json")
    assert r.status_code == 400, r.content
    assert WebhookEndpoint.objects.count() == 0


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/x", "http://localhost/x", "http://169.254.169.254/latest/meta-data", "http://10.0.0.1/x", "http://[::1]/x"])
def test_internal_addresses_are_refused_outside_development(api, settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    api.force_authenticate(UserFactory(kind=User.Kind.BRAND))
    r = api.post("/api/webhooks/", {"url": url, "events": ["job.finished"]}, format="json")
    assert r.status_code == 400 and "public internet" in r.json()["detail"]


def test_a_redirect_is_not_followed(api, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    with Receiver() as target, Receiver(answers=[302], location=None) as rx:
        rx.location = target.url
        ep = _endpoint(api, UserFactory(kind=User.Kind.BRAND), rx.url)
        api.post(f"/api/webhooks/{ep['id']}/ping/")
    assert len(rx.requests) == 1 and target.requests == []
    d = WebhookDelivery.objects.get(endpoint_id=ep["id"])
    assert d.status == "failed" and d.last_status_code == 302


def test_nothing_is_sent_inside_a_transaction_or_for_a_rolled_back_event(api):
    user = UserFactory(kind=User.Kind.BRAND)
    with Receiver() as rx:
        ep = _endpoint(api, user, rx.url)
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                services.webhook_emit(user_id=user.pk, event="job.finished", data={"x": 1})
                assert rx.requests == []  # written, not sent
                d = WebhookDelivery.objects.get(endpoint_id=ep["id"])
                services.delivery_attempt(delivery_id=d.pk)  # refuses: we are inside a transaction
        assert WebhookDelivery.objects.count() == 0 and rx.requests == []  # the event rolled back: no delivery at all


def test_revocation_and_refusal_reach_the_licensee(api):
    licence, _, _ = active_licence()
    with Receiver() as rx:
        _endpoint(api, licence.licensee, rx.url, events=["licence.revoked", "brief.refused"])
        licensing.licence_revoke(licence=licence, actor=None, reason="talent withdrew")
        r = api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "one more", "seed": 1}, format="json")
        assert r.status_code == 403
    events = [json.loads(q["body"]) for q in rx.requests]
    assert [e["type"] for e in events] == ["licence.revoked", "brief.refused"]
    assert events[0]["data"] == {"licence_id": str(licence.pk), "status": "revoked", "reason": "talent withdrew"}
    assert events[1]["data"]["reasons"]


def test_approval_decisions_reach_the_requester(api):
    licence, _, _ = active_licence()
    likeness = licence.likeness
    licensing.controls_update(holding=likeness, actor=likeness.owner, require_brief_approval=True)
    with Receiver() as rx:
        _endpoint(api, licence.licensee, rx.url, events=["approval.decided", "brief.refused"])
        brief = api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "needs a yes", "seed": 1}, format="json").json()
        assert brief["status"] == "awaiting_approval"
        api.force_authenticate(likeness.owner)
        approval = api.get("/api/approvals/").json()[0]
        assert api.post(f"/api/approvals/{approval['id']}/decide/", {"approve": False, "reason": "off brand"}, format="json").status_code == 200
    events = [json.loads(q["body"]) for q in rx.requests]
    assert [e["type"] for e in events] == ["approval.decided", "brief.refused"]
    assert events[0]["data"]["status"] == "rejected" and events[0]["data"]["reason"] == "off brand"
    assert events[1]["data"]["status"] == "rejected"


def test_the_browser_form_keeps_input_and_shows_the_error_beside_the_field(client):
    client.force_login(UserFactory(kind=User.Kind.BRAND))
    r = client.post("/integrations/webhooks/", {"action": "add", "url": "file:///etc/passwd", "events": ["job.finished"], "description": "mine"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "starts with https://" in page and 'value="file:///etc/passwd"' in page and 'value="mine"' in page
    r = client.post("/integrations/webhooks/", {"action": "add", "url": "https://example.com/x"})
    assert r.status_code == 400 and "Choose at least one event" in r.content.decode()
