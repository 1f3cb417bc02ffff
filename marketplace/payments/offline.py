"""The offline payment backend for the embedded default: no money moves. Its checkout page
(/pay/offline/<order>/) stands in for Stripe's hosted page, and paying there produces the same
`checkout.session.completed` event shape that Stripe sends, handled by the same code."""
from __future__ import annotations

import uuid

from django.urls import reverse

from .base import CheckoutSession, WebhookError


class OfflineGateway:
    name = "offline"

    def create_checkout(self, *, order, title: str, success_url: str, cancel_url: str) -> CheckoutSession:
        return CheckoutSession(id=f"cs_offline_{order.pk.hex}", url=reverse("marketplace:offline-checkout", args=[order.pk]))

    def parse_webhook(self, *, payload: bytes, signature: str | None) -> dict:
        raise WebhookError("The offline backend receives no webhooks.")

    @staticmethod
    def completed_event(*, order) -> dict:
        return {
            "id": f"evt_offline_{uuid.uuid4().hex}",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": order.checkout_session_id,
                    "object": "checkout.session",
                    "client_reference_id": str(order.pk),
                    "metadata": {"order_id": str(order.pk)},
                    "payment_status": "paid",
                    "amount_total": order.amount_minor,
                    "currency": order.currency,
                }
            },
        }

    @staticmethod
    def expired_event(*, order) -> dict:
        event = OfflineGateway.completed_event(order=order)
        event["type"] = "checkout.session.expired"
        event["data"]["object"]["payment_status"] = "unpaid"
        return event
