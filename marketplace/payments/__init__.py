"""The payment gateway seam. `gateway()` returns the backend the settings choose: Stripe through
the official SDK when STRIPE_SECRET_KEY is set, else the offline development backend.
`gateway_for(name)` returns the backend a stored row or event came through. Both move orders
through the same states and feed the same event handler
(`marketplace.services.payment_event_ingest`)."""
from django.conf import settings

from .base import (
    AccountState,
    CheckoutRequest,
    CheckoutSession,
    GatewayDeclined,
    GatewayError,
    PaymentGateway,
    ProviderRefund,
    WebhookError,
)


def gateway_for(name: str) -> PaymentGateway:
    if name == "stripe":
        from .stripe_gateway import StripeGateway

        return StripeGateway()
    from .offline import OfflineGateway

    return OfflineGateway()


def gateway() -> PaymentGateway:
    return gateway_for(settings.PAYMENT_BACKEND)


__all__ = [
    "AccountState",
    "CheckoutRequest",
    "CheckoutSession",
    "GatewayDeclined",
    "GatewayError",
    "PaymentGateway",
    "ProviderRefund",
    "WebhookError",
    "gateway",
    "gateway_for",
]
