"""Stripe through the official SDK (StripeClient, API v1): Checkout with separate charges and
transfers, Connect Express onboarding (Account Links), transfers, refunds, the Events API and
balance transactions. Every call that creates something carries an idempotency key derived from
the row it serves. STRIPE_API_BASE points the SDK at another server (a local Stripe-shaped server
in tests); the SDK itself is never patched."""
from __future__ import annotations

from collections.abc import Iterator

import stripe
from django.conf import settings

from .base import (
    AccountState,
    CheckoutRequest,
    CheckoutSession,
    GatewayDeclined,
    GatewayError,
    ProviderRefund,
    WebhookError,
)


def client() -> stripe.StripeClient:
    kwargs = {}
    if settings.STRIPE_API_BASE:
        kwargs["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, max_network_retries=2, **kwargs)


def _call(fn, *args, **kwargs):
    """Run one SDK call; map its errors onto 'outcome unknown' (GatewayError: repeat with the same
    key) and 'refused for good' (GatewayDeclined)."""
    try:
        return fn(*args, **kwargs)
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.IdempotencyError, stripe.AuthenticationError) as exc:
        raise GatewayError(str(exc.user_message or exc)) from exc
    except (stripe.InvalidRequestError, stripe.CardError, stripe.PermissionError) as exc:
        raise GatewayDeclined(str(exc.user_message or exc), code=getattr(exc, "code", "") or "") from exc
    except stripe.StripeError as exc:  # 5xx and anything else: we cannot know what happened
        raise GatewayError(str(exc.user_message or exc)) from exc


def _dict(obj) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)



WEBHOOK_TOLERANCE = 300  # seconds, Stripe's own default, applied both ways


def verify_webhook(*, payload: bytes, signature: str | None, secret: str, tolerance: int = WEBHOOK_TOLERANCE) -> dict:
    """The one check every Stripe webhook endpoint uses (platform and Connect): the signature
    through the SDK, a timestamp within `tolerance` of now in either direction (the SDK only
    refuses old ones), and a body that is a JSON object with an id and a type."""
    import json
    import time

    try:
        stripe.WebhookSignature.verify_header(payload.decode("utf-8"), signature or "", secret, tolerance)
    except stripe.SignatureVerificationError as exc:
        raise WebhookError(f"Bad signature: {exc.user_message or exc}") from exc
    except UnicodeDecodeError as exc:
        raise WebhookError("The body is not UTF-8.") from exc
    stamps = [part[2:] for part in (signature or "").split(",") if part.startswith("t=")]
    try:
        timestamp = int(stamps[0])
    except (IndexError, ValueError) as exc:
        raise WebhookError("The signature has no timestamp.") from exc
    if timestamp > time.time() + tolerance:
        raise WebhookError("The signature's timestamp is in the future.")
    try:
        event = json.loads(payload)
    except ValueError as exc:
        raise WebhookError("The body is not JSON.") from exc
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str):
        raise WebhookError("The body is not a Stripe event (a JSON object with an id and a type).")
    return event

TAXED_KINDS = ("order", "bundle", "addon")  # licence sales; a top-up of prepaid credit is not taxed when bought


class StripeGateway:
    name = "stripe"

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        metadata = {"kind": request.kind, f"{request.kind}_id": request.reference}
        intent = {"metadata": metadata}
        if request.transfer_group:
            intent["transfer_group"] = request.transfer_group
        session = _call(
            client().v1.checkout.sessions.create,
            params={
                "mode": "payment",
                "client_reference_id": request.reference,
                "metadata": metadata,
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": request.currency,
                            "unit_amount": line[1],
                            "product_data": {"name": line[0][:250]},
                        },
                        **({"metadata": {"order_id": str(line[2])}} if len(line) > 2 else {}),
                    }
                    for line in (request.lines or ((request.title, request.amount_minor),))
                ],
                "payment_intent_data": intent,
                "success_url": request.success_url,
                # Stripe Tax computes and adds the tax the buyer owes where STRIPE_AUTOMATIC_TAX is set.
                # With it, the buyer's billing address (tax is computed from it) and tax id are
                # collected: both go on the invoice. Every licence sale is taxed: an order, a
                # campaign's bundle of orders (tax per line item), an add-on. Prepaid credit is not:
                # a multi-purpose voucher, taxed when it is spent (its payment equals its amount).
                **({"automatic_tax": {"enabled": True}, "billing_address_collection": "required", "tax_id_collection": {"enabled": True}}
                   if getattr(settings, "STRIPE_AUTOMATIC_TAX", False) and request.kind in TAXED_KINDS else {}),
                "cancel_url": request.cancel_url,
            },
            options={"idempotency_key": request.key},
        )
        return CheckoutSession(id=session.id, url=session.url)

    def parse_webhook(self, *, payload: bytes, signature: str | None) -> dict:
        if not settings.STRIPE_WEBHOOK_SECRET:
            raise WebhookError("No webhook secret is configured.")
        return verify_webhook(payload=payload, signature=signature, secret=settings.STRIPE_WEBHOOK_SECRET)

    def parse_connect_webhook(self, *, payload: bytes, signature: str | None) -> dict:
        """Events from connected accounts (account.updated for Express payees, their transfers and
        payouts): Stripe signs them for the separate Connect endpoint with its own secret, and
        each names the connected `account` it happened on."""
        if not settings.STRIPE_CONNECT_WEBHOOK_SECRET:
            raise WebhookError("No Connect webhook secret is configured.")
        event = verify_webhook(payload=payload, signature=signature, secret=settings.STRIPE_CONNECT_WEBHOOK_SECRET)
        if not isinstance(event.get("account"), str) or not event["account"].startswith("acct_"):
            raise WebhookError("A Connect event names the connected account it happened on; this one does not.")
        return event

    def charge_for_payment(self, *, payment_intent_id: str) -> str:
        intent = _dict(_call(client().v1.payment_intents.retrieve, payment_intent_id))
        charge = intent.get("latest_charge")
        if isinstance(charge, dict):
            charge = charge.get("id")
        if not charge:
            raise GatewayError(f"Payment {payment_intent_id} has no charge yet.")
        return charge

    def checkout_line_items(self, *, session_id: str) -> list[dict]:
        """Every line item of a Checkout Session, its `taxes` (per rate) expanded: Stripe leaves
        them out unless asked for. Read eagerly, so a failure on a later page is a GatewayError."""
        page = _call(client().v1.checkout.sessions.line_items.list, session_id, params={"limit": 100, "expand": ["data.taxes"]})
        return _call(lambda: [_dict(item) for item in page.auto_paging_iter()])

    # --- Connect Express ------------------------------------------------------------------------

    def create_connected_account(self, *, key: str, email: str, country: str, metadata: dict) -> str:
        account = _call(
            client().v1.accounts.create,
            params={
                "type": "express",
                "country": country,
                "email": email,
                "capabilities": {"transfers": {"requested": True}},
                "metadata": {k: str(v) for k, v in metadata.items()},
            },
            options={"idempotency_key": key},
        )
        return account.id

    def create_onboarding_link(self, *, key: str, account_id: str, refresh_url: str, return_url: str) -> str:
        link = _call(
            client().v1.account_links.create,
            params={"account": account_id, "refresh_url": refresh_url, "return_url": return_url, "type": "account_onboarding"},
            options={"idempotency_key": key},
        )
        return link.url

    def retrieve_account(self, *, account_id: str) -> AccountState:
        return AccountState.from_stripe(_dict(_call(client().v1.accounts.retrieve, account_id)))

    def account_from_event(self, *, obj: dict) -> AccountState:
        # Events can arrive in any order: apply the account as it is now, not as the event saw it.
        return self.retrieve_account(account_id=obj["id"])

    # --- money out ------------------------------------------------------------------------------

    def create_transfer(
        self, *, key: str, amount_minor: int, currency: str, destination: str, transfer_group: str, metadata: dict,
        source_transaction: str | None = None,
    ) -> str:
        transfer = _call(
            client().v1.transfers.create,
            params={
                "amount": amount_minor,
                "currency": currency,
                "destination": destination,
                "transfer_group": transfer_group,
                "metadata": {k: str(v) for k, v in metadata.items()},
                **({"source_transaction": source_transaction} if source_transaction else {}),
            },
            options={"idempotency_key": key},
        )
        return transfer.id

    def find_transfer(self, *, transfer_group: str) -> str | None:
        page = _call(client().v1.transfers.list, params={"transfer_group": transfer_group, "limit": 1})
        return page.data[0].id if page.data else None

    def create_refund(self, *, key: str, payment_intent_id: str, amount_minor: int, metadata: dict) -> ProviderRefund:
        refund = _call(
            client().v1.refunds.create,
            params={
                "payment_intent": payment_intent_id,
                "amount": amount_minor,
                "metadata": {k: str(v) for k, v in metadata.items()},
            },
            options={"idempotency_key": key},
        )
        return ProviderRefund(id=refund.id, status=refund.status)

    def list_refunds(self, *, payment_intent_id: str) -> list[dict]:
        page = _call(client().v1.refunds.list, params={"payment_intent": payment_intent_id, "limit": 100})
        return [_dict(r) for r in page.auto_paging_iter()]

    # --- reading back -----------------------------------------------------------------------------

    def list_events(self, *, since: int) -> Iterator[dict]:
        page = _call(client().v1.events.list, params={"created": {"gte": since}, "limit": 100})
        events = _call(lambda: [_dict(e) for e in page.auto_paging_iter()])  # newest first, as Stripe lists them
        return iter(sorted(events, key=lambda e: (e.get("created", 0), e["id"])))

    def list_balance_transactions(self, *, since: int | None) -> Iterator[dict]:
        """Every balance transaction (since `since`), read eagerly so a failure on a later page is
        a GatewayError here, not an SDK error escaping a generator. If the provider refuses the
        date filter (an older API version, a proxy that drops it), the list is read unfiltered
        and filtered here: a refused parameter never aborts reconciliation."""
        params: dict = {"limit": 100}
        if since is not None:
            params["created"] = {"gte": since}

        def read(p: dict) -> list[dict]:
            page = _call(client().v1.balance_transactions.list, params=p)
            return _call(lambda: [_dict(bt) for bt in page.auto_paging_iter()])

        try:
            rows = read(params)
        except GatewayDeclined:
            if since is None:
                raise
            rows = [bt for bt in read({"limit": 100}) if int(bt.get("created") or 0) >= since]
        return iter(rows)
