"""Payee onboarding: a Connect Express account per rights holder, onboarding through Account Links,
readiness kept current by `account.updated`. Nobody is paid before their account is ready; what
they are owed waits in their payable balance."""
from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import Organisation, User

from ..models import OnboardingLink, PayeeAccount
from ..payments import AccountState, gateway, gateway_for
from .provider import provider_call

PAYEE_KINDS = (User.Kind.TALENT, User.Kind.STUDIO, User.Kind.CREATOR)
# Countries where Stripe Connect Express accounts can be created for the currencies sold here.
PAYEE_COUNTRIES = [
    ("GB", "United Kingdom"), ("US", "United States"), ("IE", "Ireland"), ("FR", "France"), ("DE", "Germany"),
    ("ES", "Spain"), ("IT", "Italy"), ("NL", "Netherlands"), ("BE", "Belgium"), ("PT", "Portugal"), ("AT", "Austria"),
    ("FI", "Finland"), ("SE", "Sweden"), ("DK", "Denmark"), ("NO", "Norway"), ("CH", "Switzerland"), ("PL", "Poland"),
    ("CA", "Canada"), ("AU", "Australia"), ("NZ", "New Zealand"), ("JP", "Japan"), ("SG", "Singapore"),
]
PAYEE_COUNTRY_CODES = {code for code, _ in PAYEE_COUNTRIES}


def payee_onboarding_start(*, user: User, country: str | None = None, studio: Organisation | None = None) -> str:
    """The URL to send the payee to: Stripe's hosted onboarding (or the offline stand-in). The
    account row exists before the provider is called, and its id keys the account's creation.
    The payee chooses their country before the account is created (Stripe fixes it then);
    `studio` sends an organisation's holder back to the studio's payouts page."""
    if user.kind not in PAYEE_KINDS:
        raise Forbidden("Payouts are for talent, studios and creators.")
    if country is not None:
        country = (country or "").strip().upper()
        if country not in PAYEE_COUNTRY_CODES:
            raise InvalidInput("Choose the country your bank account is in from the list.")
    gw = gateway()
    try:
        with transaction.atomic():
            payee, _ = PayeeAccount.objects.get_or_create(user=user, defaults={"backend": gw.name, "country": country or "GB"})
    except IntegrityError:
        payee = PayeeAccount.objects.get(user=user)
    if payee.backend != gw.name:
        raise Conflict(f"Your payout account was set up with the {payee.backend} backend, not {gw.name}.")
    if country and country != payee.country:
        if payee.account_id:
            raise Conflict(f"Your payout account was opened in {payee.country}; the country cannot change once it exists.")
        PayeeAccount.objects.filter(pk=payee.pk, account_id__isnull=True).update(country=country)
        payee.refresh_from_db()
    if not payee.account_id:
        account_id = provider_call(
            gw.create_connected_account,
            key=payee.idempotency_key, email=user.email, country=payee.country,
            metadata={"payee_account_id": payee.pk, "user_id": user.pk},
        )
        with transaction.atomic():
            PayeeAccount.objects.filter(pk=payee.pk, account_id__isnull=True).update(account_id=account_id)
        payee.refresh_from_db()
    with transaction.atomic():
        link = OnboardingLink.objects.create(payee=payee)
    if studio is not None:
        back = settings.SITE_URL + reverse("marketplace:studio-payouts-return", args=[studio.pk])
        refresh = settings.SITE_URL + reverse("marketplace:studio-payouts", args=[studio.pk])
    else:
        back = settings.SITE_URL + reverse("marketplace:payouts-return")
        refresh = settings.SITE_URL + reverse("marketplace:payouts-refresh")
    url = provider_call(gw.create_onboarding_link, key=link.idempotency_key, account_id=payee.account_id, refresh_url=refresh, return_url=back)
    OnboardingLink.objects.filter(pk=link.pk).update(url=url)
    return url


def payee_account_apply(*, state: AccountState) -> PayeeAccount | None:
    """Record an account's state. Finds the row by the provider's id, or (after a crash between
    creating the account and saving its id) by the row id in the account's metadata."""
    with transaction.atomic():
        payee = PayeeAccount.objects.select_for_update().filter(account_id=state.id).first()
        if payee is None and state.metadata.get("payee_account_id"):
            payee = PayeeAccount.objects.select_for_update().filter(pk=state.metadata["payee_account_id"], account_id__isnull=True).first()
            if payee is not None:
                payee.account_id = state.id
        if payee is None:
            return None
        payee.details_submitted = state.details_submitted
        payee.charges_enabled = state.charges_enabled
        payee.payouts_enabled = state.payouts_enabled
        payee.transfers_active = state.transfers_active
        payee.requirements_due = state.requirements_due
        payee.disabled_reason = state.disabled_reason[:255]
        payee.synced_at = timezone.now()
        payee.save()
    return payee


def payee_refresh(*, user: User) -> PayeeAccount | None:
    """Back from onboarding: read the account from the provider now rather than wait for the
    webhook (the webhook stays the authority; both apply the same state)."""
    payee = PayeeAccount.objects.filter(user=user).first()
    if payee is None or not payee.account_id:
        return payee
    state = provider_call(gateway_for(payee.backend).retrieve_account, account_id=payee.account_id)
    if state is not None:
        payee = payee_account_apply(state=state) or payee
    return payee


def offline_onboarding_complete(*, user: User) -> PayeeAccount:
    from ..payments.offline import OfflineGateway
    from .events import payment_event_ingest

    payee = PayeeAccount.objects.filter(user=user).first()
    if payee is None or not payee.account_id:
        raise Conflict("Start setting up payouts first.")
    if payee.backend != "offline":
        raise Conflict("This payout account is not with the offline backend.")
    payment_event_ingest(backend="offline", event=OfflineGateway.account_ready_event(account_id=payee.account_id))
    payee.refresh_from_db()
    return payee
