"""Provider calls made while answering a person: a provider that cannot be reached, or refuses,
is a clear 4xx for them, never a 500; whatever row was written first stays, and repeating the
request resumes it with the same idempotency key."""
from __future__ import annotations

from accounts.errors import Conflict

from ..payments import GatewayDeclined, GatewayError


def provider_call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except GatewayDeclined as exc:
        raise Conflict(f"The payment provider refused the request: {exc.message}", code="payment_provider_refused") from exc
    except GatewayError as exc:
        raise Conflict("The payment provider could not be reached. Nothing was charged; try again in a moment.",
                       code="payment_provider_unavailable") from exc
