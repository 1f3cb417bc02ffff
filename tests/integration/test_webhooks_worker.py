"""Webhooks on real parts: the delivery task runs in a real Celery worker process (Redis broker,
PostgreSQL), retries through the broker with its countdown, and the receiver gets one signed
event after its first answers failed."""
import json
import time

import pytest

from accounts.models import User
from tests.factories import UserFactory
from tests.webhooks.receiver import Receiver
from webhooks import services, signing
from webhooks.models import WebhookDelivery


def test_a_worker_process_delivers_and_retries_with_backoff(workers):
    workers.start(WEBHOOK_ALLOW_PRIVATE_ADDRESSES="1", WEBHOOK_BACKOFF_SECONDS="0.5", WEBHOOK_MAX_ATTEMPTS="4")
    user = UserFactory(kind=User.Kind.BRAND)
    with Receiver(answers=[503, 500, 200]) as rx:
        endpoint = services.endpoint_create(owner=user, url=rx.url, events=["job.finished"])
        delivery = services.webhook_ping(endpoint=endpoint, actor=user)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            delivery.refresh_from_db()
            if delivery.status != "pending":
                break
            time.sleep(0.2)
    assert delivery.status == "delivered" and delivery.attempts == 3, (delivery.status, delivery.attempts, delivery.last_error)
    times = list(delivery.attempt_log.order_by("pk").values_list("at", flat=True))
    gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:])]
    assert gaps[0] >= 0.4 and gaps[1] >= 0.9, gaps  # 0.5 s, then 1 s: exponential backoff through the broker
    assert len(rx.requests) == 3
    last = rx.requests[-1]
    assert signing.verify(endpoint.secret, last["headers"][signing.HEADER], last["body"])
    assert json.loads(last["body"])["type"] == "ping"
    assert WebhookDelivery.objects.count() == 1


pytestmark = pytest.mark.django_db(transaction=True)
