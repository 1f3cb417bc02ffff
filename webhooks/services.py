"""Writes of webhooks: endpoints, events (rows written in the caller's transaction, sent after it
commits), delivery attempts with exponential backoff, replay."""
from __future__ import annotations

import json
import secrets
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.errors import Forbidden, InvalidInput
from accounts.models import User

from . import delivery, signing
from .models import EVENTS, PING, WebhookAttempt, WebhookDelivery, WebhookEndpoint

MAX_ENDPOINTS = 10
Status = WebhookDelivery.Status


def _setting(name: str, default):
    return getattr(settings, name, default)


def allow_private() -> bool:
    return bool(_setting("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False))


def allowed_networks() -> tuple:
    """Networks deliveries may reach although they are not public (the tests' 127.0.0.1)."""
    return tuple(_setting("WEBHOOK_ALLOWED_NETWORKS", ()) or ())


def endpoint_create(*, owner: User, url: str, events: list[str], description: str = "") -> WebhookEndpoint:
    url = delivery.check_url(url, allow_private=allow_private(), allowed_networks=allowed_networks())
    if len(url) > 500:
        raise InvalidInput("The webhook URL is longer than 500 characters.")
    events = list(dict.fromkeys(events or []))
    unknown = [e for e in events if e not in EVENTS]
    if unknown:
        raise InvalidInput(f"Unknown event {unknown[0]!r}; choose from {', '.join(EVENTS)}.")
    if not events:
        raise InvalidInput("Choose at least one event to receive.")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=owner.pk).first()  # one count at a time
        if WebhookEndpoint.objects.filter(owner=owner, active=True).count() >= MAX_ENDPOINTS:
            raise InvalidInput(f"At most {MAX_ENDPOINTS} webhook endpoints; remove one first.")
        endpoint = WebhookEndpoint.objects.create(
            owner=owner, url=url, events=events, description=(description or "").strip()[:200], secret="whsec_" + secrets.token_urlsafe(32)
        )
    return endpoint


def endpoint_remove(*, endpoint: WebhookEndpoint, actor: User) -> WebhookEndpoint:
    if endpoint.owner_id != actor.pk:
        raise Forbidden("Only the owner can remove this webhook endpoint.")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False)
    WebhookDelivery.objects.filter(endpoint=endpoint, status=Status.PENDING).update(status=Status.FAILED, last_error="endpoint removed")
    endpoint.active = False
    return endpoint


def webhook_emit(*, user_id, event: str, data: dict) -> int:
    """Call inside the transaction that made the event happen: a delivery row per subscribed
    endpoint of `user_id`, each sent after commit (never inside the transaction). Returns how many."""
    if user_id is None:
        return 0
    endpoints = [e for e in WebhookEndpoint.objects.filter(owner_id=user_id, active=True) if event in e.events or event == PING]
    if not endpoints:
        return 0
    event_id = uuid.uuid4()
    payload = {"id": str(event_id), "type": event, "created": int(timezone.now().timestamp()), "data": data}
    payload = json.loads(json.dumps(payload, default=str))
    now = timezone.now()
    rows = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(endpoint=e, event_id=event_id, event=event, payload=payload, next_attempt_at=now) for e in endpoints]
    )
    ids = [r.pk for r in rows]
    transaction.on_commit(lambda: _enqueue(ids))
    return len(rows)


def webhook_ping(*, endpoint: WebhookEndpoint, actor: User) -> WebhookDelivery:
    """A test event to one endpoint."""
    if endpoint.owner_id != actor.pk:
        raise Forbidden("Only the owner can test this webhook endpoint.")
    event_id = uuid.uuid4()
    payload = {"id": str(event_id), "type": PING, "created": int(timezone.now().timestamp()), "data": {"endpoint_id": str(endpoint.pk)}}
    with transaction.atomic():
        row = WebhookDelivery.objects.create(endpoint=endpoint, event_id=event_id, event=PING, payload=payload, next_attempt_at=timezone.now())
        transaction.on_commit(lambda: _enqueue([row.pk]))
    return row


def delivery_replay(*, delivery_row: WebhookDelivery, actor: User) -> WebhookDelivery:
    """Send a delivery again as a new row (the log stays append-only): the same event id and
    body, a fresh signature."""
    if delivery_row.endpoint.owner_id != actor.pk:
        raise Forbidden("Only the owner can replay this delivery.")
    if not delivery_row.endpoint.active:
        raise InvalidInput("This endpoint was removed; add it again to send to it.")
    with transaction.atomic():
        row = WebhookDelivery.objects.create(
            endpoint=delivery_row.endpoint, event_id=delivery_row.event_id, event=delivery_row.event, payload=delivery_row.payload,
            next_attempt_at=timezone.now(), replay_of=delivery_row,
        )
        transaction.on_commit(lambda: _enqueue([row.pk]))
    return row


def _enqueue(ids: list) -> None:
    from .tasks import deliver

    for pk in ids:
        deliver.delay(str(pk))


def backoff_seconds(attempts: int) -> float:
    """Wait before attempt n+1 after n failed ones: base x 2^(n-1), capped."""
    base = float(_setting("WEBHOOK_BACKOFF_SECONDS", 30))
    return min(base * (2 ** max(0, attempts - 1)), float(_setting("WEBHOOK_BACKOFF_MAX_SECONDS", 6 * 3600)))


def delivery_attempt(*, delivery_id, wait_up_to: float = 1.0) -> float | None:
    """One attempt at a pending delivery whose time has come (one due within `wait_up_to`
    seconds is waited for: a message a little early, clocks a little apart). Claims it (one worker
    at a time), sends outside any transaction, records the answer. Returns seconds until the next
    attempt if one is due, else None (delivered, given up, or not ours to send)."""
    if connection.in_atomic_block:
        raise RuntimeError("webhooks are never sent inside a transaction")
    timeout = float(_setting("WEBHOOK_TIMEOUT_SECONDS", 5))
    due = WebhookDelivery.objects.filter(pk=delivery_id, status=Status.PENDING).values_list("next_attempt_at", flat=True).first()
    if due is not None and 0 < (due - timezone.now()).total_seconds() <= wait_up_to:
        time.sleep((due - timezone.now()).total_seconds())
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=now + timedelta(seconds=timeout * 3)  # a lease: others leave it alone while we send
    )
    if not claimed:
        return None
    row = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    body = json.dumps(row.payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        signing.HEADER: signing.sign(row.endpoint.secret, body),
        "Rightscast-Event": row.event,
        "Rightscast-Event-Id": str(row.event_id),
        "Rightscast-Delivery": str(row.pk),
    }
    result = delivery.post(row.endpoint.url, body, headers, timeout=timeout, allow_private=allow_private(), allowed_networks=allowed_networks())
    attempts = row.attempts + 1
    fields = dict(attempts=attempts, last_status_code=result.status_code, last_error=result.error[:500])
    retry_in = None
    if result.ok:
        fields.update(status=Status.DELIVERED, delivered_at=timezone.now(), next_attempt_at=None)
    elif attempts >= int(_setting("WEBHOOK_MAX_ATTEMPTS", 8)) or not row.endpoint.active:
        fields.update(status=Status.FAILED, next_attempt_at=None)
    else:
        retry_in = backoff_seconds(attempts)
        fields.update(next_attempt_at=timezone.now() + timedelta(seconds=retry_in))
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=row.pk, status=Status.PENDING).update(**fields)
        WebhookAttempt.objects.create(delivery=row, status_code=result.status_code, error=result.error[:500], duration_ms=result.duration_ms)
    return retry_in


def deliveries_due() -> list:
    """Beat: pending deliveries whose time has come (a lost message, a restarted worker)."""
    return list(WebhookDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=timezone.now()).values_list("pk", flat=True)[:500])
