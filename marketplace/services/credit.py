"""Prepaid credit: brands top up through a hosted checkout; each generation under a licence whose
offer has a per-generation fee draws that fee from the licensee's credit, split like any paid
event (platform fee, rights holder, remix ancestors).

The draw happens in the same database transaction as the use itself: licensing calls its
registered usage meters from `usage_record` (see `licensing.metering`), with the licence row
already locked, and this module registers `usage_fee_draw` as one (MarketplaceConfig.ready). So
a generation and its fee commit together or not at all, a brand without enough credit is refused
before any GPU work, and the lock order stays licence → ledger. Licensing imports nothing of
marketplace, and generation nothing of either's internals: they meet at the UsageRecord."""
from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import User
from licensing.models import UsageRecord

from ..models import CreditTopUp, LedgerAccount, LedgerTransaction, Order, UsageCharge
from ..payments import CheckoutRequest, gateway
from .checkouts import offline_checkout_answer, pending_checkout_cancel
from .ledger import account_balance, account_for, accounts_lock, ledger_post
from .orders import CURRENCY_CODES
from .provider import provider_call
from .sharing import chain_for_usage, paid_event_lines

MIN_TOPUP_MINOR = 100
MAX_TOPUP_MINOR = 10_000_000


def credit_balance(*, user: User, currency: str) -> int:
    account = LedgerAccount.objects.filter(kind=LedgerAccount.Kind.BUYER_CREDIT, owner=user, currency=currency).first()
    return -account_balance(account) if account else 0


def topup_create(*, buyer: User, amount_minor: int, currency: str) -> CreditTopUp:
    if buyer.kind not in (User.Kind.BRAND, User.Kind.CREATOR):
        raise Forbidden("Only brand and creator accounts hold prepaid credit.")
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or not MIN_TOPUP_MINOR <= amount_minor <= MAX_TOPUP_MINOR:
        raise InvalidInput(f"A top-up is a whole number of minor units between {MIN_TOPUP_MINOR} and {MAX_TOPUP_MINOR}.")
    currency = (currency or "").lower()
    if currency not in CURRENCY_CODES:
        raise InvalidInput(f"Currency must be one of {', '.join(sorted(CURRENCY_CODES))}.")
    gw = gateway()
    with transaction.atomic():
        topup = CreditTopUp.objects.create(buyer=buyer, amount_minor=amount_minor, currency=currency, payment_backend=gw.name)
    back = settings.SITE_URL + reverse("marketplace:credit")
    session = provider_call(
        gw.create_checkout,
        CheckoutRequest(
            key=f"topup-checkout-{topup.pk}", kind="topup", reference=str(topup.pk), amount_minor=amount_minor,
            currency=currency, title="Rightscast prepaid credit", success_url=back, cancel_url=back,
        ),
    )
    with transaction.atomic():
        CreditTopUp.objects.filter(pk=topup.pk, checkout_session_id__isnull=True).update(checkout_session_id=session.id, checkout_url=session.url)
    topup.refresh_from_db()
    return topup


def topup_mark_paid(*, topup_id, payment_intent_id: str | None, charge_id: str | None, amount_minor: int | None = None,
                    currency: str | None = None) -> CreditTopUp:
    with transaction.atomic():
        topup = CreditTopUp.objects.select_for_update().get(pk=topup_id)
        if topup.status == CreditTopUp.Status.PAID:
            return topup
        if topup.status != CreditTopUp.Status.PENDING:
            raise Conflict(f"The top-up is {topup.status}; it cannot be paid.")
        if amount_minor is not None and (amount_minor != topup.amount_minor or (currency or "").lower() != topup.currency):
            raise Conflict(f"The payment ({amount_minor} {currency}) does not match the top-up ({topup.amount_minor} {topup.currency}).")
        topup.status = CreditTopUp.Status.PAID
        topup.paid_at = timezone.now()
        topup.payment_intent_id = payment_intent_id
        topup.charge_id = charge_id
        topup.save(update_fields=["status", "paid_at", "payment_intent_id", "charge_id"])
        ledger_post(
            key=f"topup-{topup.pk}", kind=LedgerTransaction.Kind.TOPUP, description="Prepaid credit top-up",
            lines=[
                (account_for(kind=LedgerAccount.Kind.CLEARING, currency=topup.currency), topup.amount_minor),
                (account_for(kind=LedgerAccount.Kind.BUYER_CREDIT, currency=topup.currency, owner=topup.buyer_id), -topup.amount_minor),
            ],
            external_id=charge_id or "",
        )
    return topup


def topup_cancel(*, topup_id) -> CreditTopUp:
    return pending_checkout_cancel(model=CreditTopUp, pk=topup_id)


def offline_topup_complete(*, topup: CreditTopUp, buyer: User, pay: bool) -> CreditTopUp:
    return offline_checkout_answer(row=topup, kind="topup", noun="top-up", buyer=buyer, pay=pay)


def usage_fee_draw(usage: UsageRecord) -> UsageCharge | None:
    """A licensing usage meter: called inside `usage_record`'s transaction, the licence locked.
    Draws the offer's per-generation fee from the licensee's prepaid credit, or refuses the use
    (Conflict) when the credit does not cover it. Once per use."""
    order = (
        Order.objects.filter(licence_id=usage.licence_id, status=Order.Status.PAID)
        .select_related("offer")
        .only("pk", "buyer_id", "currency", "offer__per_generation_fee_minor", "offer__title", "offer__revenue_policy", "offer__revenue_ceiling_bps")
        .first()
    )
    if order is None or not order.offer.per_generation_fee_minor:
        return None
    existing = UsageCharge.objects.filter(usage=usage).first()
    if existing:
        return existing
    fee = order.offer.per_generation_fee_minor
    credit = account_for(kind=LedgerAccount.Kind.BUYER_CREDIT, currency=order.currency, owner=order.buyer_id)
    with transaction.atomic():
        accounts_lock([credit])
        available = -account_balance(credit)
        if available < fee:
            raise Conflict(
                f"Not enough prepaid credit: this generation costs {fee} and your {order.currency.upper()} credit is "
                f"{available} (minor units). Top up your credit to continue.",
                code="insufficient_credit",
            )
        try:
            with transaction.atomic():
                charge = UsageCharge.objects.create(usage=usage, order=order, buyer_id=order.buyer_id, amount_minor=fee, currency=order.currency)
        except IntegrityError:
            return UsageCharge.objects.get(usage=usage)
        lines, _ = paid_event_lines(
            amount=fee, currency=order.currency, debit=credit, chain=chain_for_usage(usage),
            policy=order.offer.revenue_policy, ceiling_bps=order.offer.revenue_ceiling_bps,
        )
        ledger_post(
            key=f"usage-fee-{usage.pk}", kind=LedgerTransaction.Kind.USAGE_FEE,
            description=f"Per-generation fee: {order.offer.title}", lines=lines, order=order,
        )
    return charge
