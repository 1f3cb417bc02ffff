"""The payment gateway seam. `gateway()` returns the backend the settings choose: Stripe Checkout
through the official SDK when STRIPE_SECRET_KEY is set, else the offline development backend.
Both move an order through the same states and feed the same event handler
(`marketplace.services.payment_event_ingest`)."""
from django.conf import settings

from .base import CheckoutSession, PaymentGateway, WebhookError


def gateway() -> PaymentGateway:
    if settings.PAYMENT_BACKEND == "stripe":
        from .stripe_gateway import StripeGateway

        return StripeGateway()
    from .offline import OfflineGateway

    return OfflineGateway()


__all__ = ["CheckoutSession", "PaymentGateway", "WebhookError", "gateway"]
