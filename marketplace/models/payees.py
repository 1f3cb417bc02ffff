"""Who is paid: organisations that hold rights, payee accounts (Stripe Connect Express) and their
onboarding links."""

from django.conf import settings
from django.db import models

from accounts.models import Organisation


class OrganisationHolder(models.Model):
    """The account holder of an organisation's money. A studio is paid as one party, whoever its
    members are: its shares, payable balance, connected account and payouts belong to this holder,
    a user row that cannot sign in (inactive, no usable password). So one ledger, one payee and one
    payout path serve people and organisations alike, with the same exactly-once guarantees.
    Members act for it by role (owner or admin: payouts; any member: offers)."""

    id = models.BigAutoField(primary_key=True)
    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="money_holder")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="holds_money_for")
    created_at = models.DateTimeField(auto_now_add=True)


class PayeeAccount(models.Model):
    """A rights holder's connected account. Created before the provider is called, so its id keys
    the account creation (a crash between the call and saving the provider's id repeats safely).
    Readiness follows `account.updated`; nobody is paid before `is_ready`."""

    id = models.BigAutoField(primary_key=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payee_account")
    backend = models.CharField(max_length=16)
    account_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    country = models.CharField(max_length=2, default="GB")
    details_submitted = models.BooleanField(default=False)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    transfers_active = models.BooleanField(default=False)
    requirements_due = models.JSONField(default=list, blank=True)
    disabled_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    @property
    def is_ready(self) -> bool:
        return bool(self.account_id) and self.details_submitted and self.payouts_enabled and self.transfers_active

    @property
    def idempotency_key(self) -> str:
        return f"payee-account-{self.pk}"


class OnboardingLink(models.Model):
    """One Account Link handed to a payee (links are single-use; each request is a row, whose id
    keys the call)."""

    id = models.BigAutoField(primary_key=True)
    payee = models.ForeignKey(PayeeAccount, on_delete=models.PROTECT, related_name="links")
    url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def idempotency_key(self) -> str:
        return f"account-link-{self.pk}"
