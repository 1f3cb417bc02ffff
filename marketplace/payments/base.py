from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from marketplace.models import Order


class WebhookError(Exception):
    """A webhook whose signature or body could not be trusted."""


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str


class PaymentGateway(Protocol):
    name: str

    def create_checkout(self, *, order: "Order", title: str, success_url: str, cancel_url: str) -> CheckoutSession:
        """Start a hosted checkout for `order`. Idempotent per order."""

    def parse_webhook(self, *, payload: bytes, signature: str | None) -> dict:
        """Check the signature and return the event as a dict (id, type, data.object)."""
