"""Stripe Checkout through the official SDK. Every call carries an idempotency key derived from
the order it serves. STRIPE_API_BASE points the SDK at another server (a local Stripe-shaped
server in tests); the SDK itself is never patched."""
from __future__ import annotations

import stripe
from django.conf import settings

from .base import CheckoutSession, WebhookError


def client() -> stripe.StripeClient:
    kwargs = {}
    if settings.STRIPE_API_BASE:
        kwargs["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, max_network_retries=2, **kwargs)


class StripeGateway:
    name = "stripe"

    def create_checkout(self, *, order, title: str, success_url: str, cancel_url: str) -> CheckoutSession:
        session = client().v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "client_reference_id": str(order.pk),
                "metadata": {"order_id": str(order.pk)},
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": order.currency,
                            "unit_amount": order.amount_minor,
                            "product_data": {"name": title[:250]},
                        },
                    }
                ],
                "payment_intent_data": {"transfer_group": order.transfer_group},
                "success_url": success_url,
                "cancel_url": cancel_url,
            },
            options={"idempotency_key": f"checkout-{order.pk}"},
        )
        return CheckoutSession(id=session.id, url=session.url)

    def parse_webhook(self, *, payload: bytes, signature: str | None) -> dict:
        if not settings.STRIPE_WEBHOOK_SECRET:
            raise WebhookError("No webhook secret is configured.")
        try:
            event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
        except stripe.SignatureVerificationError as exc:
            raise WebhookError(f"Bad signature: {exc.user_message or exc}") from exc
        except ValueError as exc:
            raise WebhookError("The body is not a Stripe event.") from exc
        return event.to_dict()
