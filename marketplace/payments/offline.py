"""The offline payment backend for the embedded default: no money moves. Its checkout page
(/pay/offline/<order>/) stands in for Stripe's hosted page, and paying there produces the same
`checkout.session.completed` event shape that Stripe sends, handled by the same code. Payee
onboarding, transfers and refunds answer at once, with ids derived from the idempotency key, so
repeating a call returns the same object (as Stripe's idempotency does)."""
from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator
from urllib.parse import urlencode

from django.urls import reverse

from .base import AccountState, CheckoutRequest, CheckoutSession, ProviderRefund, WebhookError


def _id(prefix: str, key: str) -> str:
    return f"{prefix}_offline_{hashlib.sha256(key.encode()).hexdigest()[:24]}"


class OfflineGateway:
    name = "offline"

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        if request.kind == "bundle":  # paid on the page that asked for it (a campaign's), by bundle_offline_complete
            return CheckoutSession(id=_id("cs", request.key), url=request.success_url)
        view = {"order": "marketplace:offline-checkout", "addon": "marketplace:offline-addon"}.get(request.kind, "marketplace:offline-topup")
        return CheckoutSession(id=_id("cs", request.key), url=reverse(view, args=[request.reference]))

    def parse_webhook(self, *, payload: bytes, signature: str | None) -> dict:
        raise WebhookError("The offline backend receives no webhooks.")

    def parse_connect_webhook(self, *, payload: bytes, signature: str | None) -> dict:
        raise WebhookError("The offline backend receives no webhooks.")

    def charge_for_payment(self, *, payment_intent_id: str) -> str:
        return "ch_" + payment_intent_id.removeprefix("pi_")

    def checkout_line_items(self, *, session_id: str) -> list[dict]:
        return []  # no tax is computed offline: nothing to attribute per line

    def create_connected_account(self, *, key: str, email: str, country: str, metadata: dict) -> str:
        return _id("acct", key)

    def create_onboarding_link(self, *, key: str, account_id: str, refresh_url: str, return_url: str) -> str:
        return reverse("marketplace:offline-onboarding") + "?" + urlencode({"account": account_id})

    def retrieve_account(self, *, account_id: str):
        return None  # the offline backend keeps no state of its own: the event carries it

    def account_from_event(self, *, obj: dict) -> AccountState:
        return AccountState.from_stripe(obj)

    def create_transfer(
        self, *, key: str, amount_minor: int, currency: str, destination: str, transfer_group: str, metadata: dict,
        source_transaction: str | None = None,
    ) -> str:
        return _id("tr", key)

    def find_transfer(self, *, transfer_group: str) -> str | None:
        return None

    def create_refund(self, *, key: str, payment_intent_id: str, amount_minor: int, metadata: dict) -> ProviderRefund:
        return ProviderRefund(id=_id("re", key), status="succeeded")

    def list_refunds(self, *, payment_intent_id: str) -> list[dict]:
        return []

    def list_events(self, *, since: int) -> Iterator[dict]:
        return iter(())

    def list_balance_transactions(self, *, since: int | None) -> Iterator[dict]:
        return iter(())

    # --- the events its pages produce, in Stripe's shapes -----------------------------------------

    @staticmethod
    def _session_event(*, kind: str, reference: str, session_id: str, amount: int, currency: str, paid: bool) -> dict:
        pi = "pi_offline_" + hashlib.sha256(f"{kind}-{reference}".encode()).hexdigest()[:24]
        meta = {"kind": kind, f"{kind}_id": reference}
        return {
            "id": f"evt_offline_{uuid.uuid4().hex}",
            "object": "event",
            "type": "checkout.session.completed" if paid else "checkout.session.expired",
            "created": int(time.time()),
            "data": {
                "object": {
                    "id": session_id,
                    "object": "checkout.session",
                    "client_reference_id": reference,
                    "metadata": meta,
                    "payment_status": "paid" if paid else "unpaid",
                    "status": "complete" if paid else "expired",
                    "payment_intent": pi if paid else None,
                    "amount_total": amount,
                    "currency": currency,
                }
            },
        }

    @staticmethod
    def bundle_event(*, bundle, paid: bool = True) -> dict:
        return OfflineGateway._session_event(
            kind="bundle", reference=str(bundle.pk), session_id=bundle.checkout_session_id or "", amount=bundle.amount_minor,
            currency=bundle.currency, paid=paid,
        )

    @staticmethod
    def completed_event(*, order) -> dict:
        return OfflineGateway._session_event(
            kind="order", reference=str(order.pk), session_id=order.checkout_session_id, amount=order.amount_minor,
            currency=order.currency, paid=True,
        )

    @staticmethod
    def expired_event(*, order) -> dict:
        return OfflineGateway._session_event(
            kind="order", reference=str(order.pk), session_id=order.checkout_session_id, amount=order.amount_minor,
            currency=order.currency, paid=False,
        )

    @staticmethod
    def account_ready_event(*, account_id: str) -> dict:
        return {
            "id": f"evt_offline_{uuid.uuid4().hex}",
            "object": "event",
            "type": "account.updated",
            "created": int(time.time()),
            "data": {
                "object": {
                    "id": account_id,
                    "object": "account",
                    "type": "express",
                    "details_submitted": True,
                    "charges_enabled": True,
                    "payouts_enabled": True,
                    "capabilities": {"transfers": "active"},
                    "requirements": {"currently_due": [], "disabled_reason": None},
                }
            },
        }
