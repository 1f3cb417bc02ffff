"""`Idempotency-Key` for the API's creating POSTs, in one place: decorate the view's `post` with
`@idempotent`.

A request that carries the header claims the key for its user in its own committed row (a unique
constraint on user and key), runs, and stores its answer. Another request with the same key and
the same body (method, path and canonical body) gets that first answer back, status and body, with
`Idempotent-Replayed: true`; with another body it is a 409. A second request arriving while the
first still runs waits for its answer (bounded), so two racing retries make one brief and use
quota once. Nothing is held open while the view runs: the view keeps its own transactions (and
its rule that no Stripe call runs inside one).

Answers that changed nothing and may be fixed by the client (400 bad input, 404, 401, 429, 5xx)
release the key instead of being stored, so the corrected request can use it again.

Keys expire (`IDEMPOTENCY_KEY_TTL_HOURS`, 24 h as Stripe's do): an expired key is a new key (its old
row is replaced when it is used again), and `idempotency_keys_purge` (beat, hourly) deletes them.
"""
from __future__ import annotations

import functools
import hashlib
import json
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .errors import Conflict, InvalidInput
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY = 255
# Answers worth replaying: something was created or decided. Others changed nothing.
STORED = frozenset({200, 201, 202, 402, 403, 409, 410, 422})

PARAMETER = OpenApiParameter(
    name=HEADER, type=OpenApiTypes.STR, location=OpenApiParameter.HEADER, required=False,
    description="Any unique string (a UUID) per intended operation, at most 255 characters. A retry with the same key and "
    "body gets the first answer again (marked `Idempotent-Replayed: true`); the same key with another body is a 409.",
)


def _wait_seconds() -> float:
    return float(getattr(settings, "IDEMPOTENCY_WAIT_SECONDS", 30))


def _stale_after() -> timedelta:
    """A claim whose request never finished (its process died) may be taken over after this."""
    return timedelta(seconds=int(getattr(settings, "IDEMPOTENCY_STALE_SECONDS", 600)))


def ttl() -> timedelta:
    """How long a key holds its first answer."""
    return timedelta(hours=float(getattr(settings, "IDEMPOTENCY_KEY_TTL_HOURS", 24)))


def idempotency_keys_purge(*, now=None, batch: int = 5000) -> int:
    """Delete keys older than the TTL (finished or abandoned); returns how many. Bounded batches."""
    cutoff = (now or timezone.now()) - ttl()
    removed = 0
    while True:
        ids = list(IdempotencyKey.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:batch])
        if not ids:
            return removed
        removed += IdempotencyKey.objects.filter(pk__in=ids, created_at__lt=cutoff).delete()[0]


def _canonical(value):
    """A JSON-able, order-independent form of request data (files by their content digest)."""
    if hasattr(value, "chunks") and hasattr(value, "name"):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        if hasattr(value, "seek"):
            value.seek(0)
        return {"file": value.name, "sha256": digest.hexdigest()}
    if hasattr(value, "lists"):  # a QueryDict (form or multipart)
        return {k: [_canonical(v) for v in vs] for k, vs in sorted(value.lists())}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def fingerprint(request) -> str:
    body = json.dumps(_canonical(request.data), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{request.method}\n{request.path}\n{body}".encode()).hexdigest()


def _replay(row: IdempotencyKey) -> Response:
    response = Response(row.response, status=row.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def _claim(user, key: str, fp: str) -> IdempotencyKey | Response:
    """Our claimed row, or the answer to give instead (a replay, or a conflict raised)."""
    deadline = time.monotonic() + _wait_seconds()
    while True:
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(user=user, key=key, fingerprint=fp)
        except IntegrityError:
            pass
        row = IdempotencyKey.objects.filter(user=user, key=key).first()
        if row is None:
            continue  # released between our insert and our read: try again
        if row.created_at < timezone.now() - ttl():
            # expired: the key is free again (one winner deletes it; then everyone claims afresh)
            IdempotencyKey.objects.filter(pk=row.pk, created_at=row.created_at).delete()
            continue
        if row.fingerprint != fp:
            raise Conflict(
                "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
                code="idempotency_key_reused",
            )
        if row.status_code is not None:
            return _replay(row)
        if row.created_at < timezone.now() - _stale_after():
            # the first request's process died: take the claim over (one winner, by the update)
            if IdempotencyKey.objects.filter(pk=row.pk, status_code__isnull=True, created_at=row.created_at).update(created_at=timezone.now()):
                return IdempotencyKey.objects.get(pk=row.pk)
            continue
        if time.monotonic() >= deadline:
            raise Conflict("A request with this Idempotency-Key is still running. Retry in a moment.", code="idempotency_key_in_progress")
        time.sleep(0.05)


def idempotent(post):
    """Decorate an APIView's creating `post`: honours the `Idempotency-Key` header (optional)."""

    @functools.wraps(post)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return post(self, request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > MAX_KEY or not key.isprintable() or not key.isascii():
            raise InvalidInput(f"The {HEADER} header is 1 to {MAX_KEY} printable ASCII characters (a UUID is ideal).", code="bad_idempotency_key")
        if not request.user or not request.user.is_authenticated:
            return post(self, request, *args, **kwargs)
        claimed = _claim(request.user, key, fingerprint(request))
        if isinstance(claimed, Response):
            return claimed
        try:
            response = post(self, request, *args, **kwargs)
        except Exception as exc:
            try:
                response = self.handle_exception(exc)  # the answer the client would get (re-raises a 500)
            except Exception:
                IdempotencyKey.objects.filter(pk=claimed.pk, status_code__isnull=True).delete()
                raise
        if response.status_code in STORED and hasattr(response, "data"):
            body = json.loads(JSONRenderer().render(response.data) or b"null")
            IdempotencyKey.objects.filter(pk=claimed.pk).update(status_code=response.status_code, response=body, completed_at=timezone.now())
        else:
            IdempotencyKey.objects.filter(pk=claimed.pk, status_code__isnull=True).delete()
        return response

    return extend_schema(parameters=[PARAMETER])(wrapper)
