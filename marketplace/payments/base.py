"""The payment gateway interface. Both backends (offline and Stripe) implement it and feed
`marketplace.services.payment_event_ingest` the same event shapes (Stripe's). Every call that
creates something takes an idempotency key derived from the row it serves."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol


class WebhookError(Exception):
    """A webhook whose signature or body could not be trusted."""


class GatewayError(Exception):
    """The provider could not be reached or answered with a transient error: the outcome of the
    call is unknown. Repeat it later with the same idempotency key."""


class GatewayDeclined(Exception):
    """The provider refused the request for good (insufficient balance, an account that cannot
    receive transfers, a bad parameter): repeating it will not help."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CheckoutRequest:
    key: str  # idempotency key, derived from the order or top-up row
    kind: str  # "order" | "bundle" | "addon" | "topup"
    reference: str  # the row's id: client_reference_id and metadata
    amount_minor: int
    currency: str
    title: str
    success_url: str
    cancel_url: str
    transfer_group: str | None = None  # separate charges and transfers: one group per order
    # ((title, amount_minor, order_id), ...): a line item each (a bundle), the order named in the
    # line's metadata so the tax Stripe computes per line is told apart; empty: one line of `title`
    lines: tuple = ()


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str


@dataclass(frozen=True)
class AccountState:
    id: str
    details_submitted: bool
    charges_enabled: bool
    payouts_enabled: bool
    transfers_active: bool
    requirements_due: list[str] = field(default_factory=list)
    disabled_reason: str = ""
    metadata: dict = field(default_factory=dict)

    @classmethod
    def from_stripe(cls, obj: dict) -> "AccountState":
        caps = obj.get("capabilities") or {}
        req = obj.get("requirements") or {}
        return cls(
            id=obj["id"],
            details_submitted=bool(obj.get("details_submitted")),
            charges_enabled=bool(obj.get("charges_enabled")),
            payouts_enabled=bool(obj.get("payouts_enabled")),
            transfers_active=caps.get("transfers") == "active",
            requirements_due=list(req.get("currently_due") or []),
            disabled_reason=req.get("disabled_reason") or "",
            metadata=dict(obj.get("metadata") or {}),
        )


@dataclass(frozen=True)
class ProviderRefund:
    id: str
    status: str  # pending | succeeded | failed | canceled | requires_action


class PaymentGateway(Protocol):
    name: str

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """Start a hosted checkout. Idempotent per key."""

    def parse_webhook(self, *, payload: bytes, signature: str | None) -> dict:
        """Check the signature and return the event as a dict (id, type, created, data.object)."""

    def parse_connect_webhook(self, *, payload: bytes, signature: str | None) -> dict:
        """The same for the Connect endpoint: its own secret, and the event names its `account`."""

    def charge_for_payment(self, *, payment_intent_id: str) -> str:
        """The charge id behind a paid payment intent (what balance transactions name)."""

    def checkout_line_items(self, *, session_id: str) -> list[dict]:
        """A paid Checkout Session's line items (each with its `amount_tax`, its `taxes` and the
        `metadata` it was created with), every page."""

    def create_connected_account(self, *, key: str, email: str, country: str, metadata: dict) -> str:
        """An Express connected account for a payee; returns its id."""

    def create_onboarding_link(self, *, key: str, account_id: str, refresh_url: str, return_url: str) -> str:
        """A single-use onboarding URL (Account Link) for the account."""

    def retrieve_account(self, *, account_id: str) -> AccountState:
        """The account's current state, from the provider."""

    def account_from_event(self, *, obj: dict) -> AccountState:
        """The state to apply for an `account.updated` event (Stripe: fetched fresh, so events
        applied in any order leave the latest state)."""

    def create_transfer(
        self, *, key: str, amount_minor: int, currency: str, destination: str, transfer_group: str, metadata: dict,
        source_transaction: str | None = None,
    ) -> str:
        """A transfer to a connected account; returns its id. GatewayDeclined when refused."""

    def find_transfer(self, *, transfer_group: str) -> str | None:
        """The transfer already made for a group, if any (idempotency keys expire; rows do not)."""

    def create_refund(self, *, key: str, payment_intent_id: str, amount_minor: int, metadata: dict) -> ProviderRefund:
        """Refund part or all of a payment."""

    def list_refunds(self, *, payment_intent_id: str) -> list[dict]:
        """Every refund of a payment, as provider objects."""

    def list_events(self, *, since: int) -> Iterator[dict]:
        """Events created at or after `since` (a Unix time), oldest first, for replay."""

    def list_balance_transactions(self, *, since: int | None) -> Iterator[dict]:
        """Balance transactions (for reconciliation)."""
