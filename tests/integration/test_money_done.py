"""The issue's "done" bar on PostgreSQL against the Stripe-shaped server, everything at once: a
brand buys a studio's character licence (Stripe Tax on it) and the studio is paid out; a remix of
a remix pays every rights holder in the chain (licence sales bought to remix, per-generation
fees); a sale in dollars is settled in pounds with a conversion fee; and `ledger_reconcile`
matches the provider to the cent, fees, conversions and tax included."""
import io

import pytest
from django.core.management import call_command

from accounts.models import User
from licensing.models import Licence
from marketplace import services
from marketplace.models import LedgerAccount, Order, PayeeAccount, Payout
from marketplace.services.studios import organisation_holder, studio_payee_onboarding_start
from tests.factories import UserFactory, listed_likeness, studio_with_asset
from tests.integration.money_support import deliver
from tests.marketplace.money import assert_ledger_balanced, owed, use

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fake(fake, settings):
    """The shared Stripe-shaped server (tests/integration/conftest.py) with this module's settings."""
    settings.STRIPE_AUTOMATIC_TAX = True
    settings.PLATFORM_FEE_BPS = 2_000
    fake.tax_bps = 2_000
    fake.settlement_currency, fake.fx_rates = "gbp", {"usd": "0.7931"}
    return fake


def _paid(fake, buyer, offer) -> Order:
    order = services.order_create(buyer=buyer, offer=offer)
    assert deliver(fake.complete_session(order.checkout_session_id)) == 200
    order.refresh_from_db()
    assert order.status == "paid"
    return order


def _top_up(fake, buyer, amount):
    topup = services.topup_create(buyer=buyer, amount_minor=amount, currency="gbp")
    assert deliver(fake.complete_session(topup.checkout_session_id)) == 200


def test_the_books_match_the_provider_to_the_cent_with_a_studio_paid_and_a_remix_of_a_remix(fake):
    # A brand buys the studio's character; the studio sets up payouts and is paid.
    asset, member = studio_with_asset()
    char = services.offer_create(ip_asset=asset, actor=member, title="Character campaign", price_minor=40_000, currency="gbp")
    sale = _paid(fake, UserFactory(kind=User.Kind.BRAND), char)
    assert (sale.invoice.tax_minor, sale.invoice.total_minor) == (8_000, 48_000)
    studio = organisation_holder(organisation=asset.studio)
    assert owed(studio) == 32_000
    studio_payee_onboarding_start(actor=member, organisation=asset.studio, country="GB")
    assert deliver(fake.onboard(PayeeAccount.objects.get(user=studio).account_id)) == 200
    services.payout_run(minimum=1)
    assert owed(studio) == 0 and Payout.objects.get(payee=studio).status == "paid"

    # A remix of a remix: three creators, each using the talent's licence, each remixing the last.
    talent, _ = listed_likeness()
    remixable = services.offer_create(likeness=talent, actor=talent.owner, title="Remix", price_minor=1_000, currency="gbp",
                                      per_generation_fee_minor=1_000, derivatives="allowed", revenue_share_bps=2_000, generation_quota=10)
    makers = [UserFactory(kind=User.Kind.CREATOR) for _ in range(3)]
    parent = None
    for k, maker in enumerate(makers):
        _top_up(fake, maker, 5_000)
        lic = Licence.objects.get(pk=_paid(fake, maker, remixable).licence_id)
        parent = use(lic, f"work-{k}", parent=parent)
    before = {m.pk: owed(m) for m in makers}
    # the third work's fee (1000: 800 net) reached the second maker (level 1) and the first (level 2)
    assert before[makers[1].pk] > 0 and before[makers[0].pk] > 0

    # A sale in dollars, settled in pounds with a conversion fee.
    dollars, _ = listed_likeness(name="Dollar Talent")
    usd = services.offer_create(likeness=dollars, actor=dollars.owner, title="US", price_minor=12_345, currency="usd")
    _paid(fake, UserFactory(kind=User.Kind.BRAND), usd)

    out = io.StringIO()
    call_command("ledger_reconcile", "--book-fees", stdout=out)
    assert "reconciled: no differences" in out.getvalue(), out.getvalue()
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok and report.checks["provider_fees_by_currency"]["gbp"] == report.checks["ledger_fees_by_currency"]["gbp"] > 0
    tax = services.account_balance(services.account_for(kind=LedgerAccount.Kind.TAX_COLLECTED, currency="gbp"))
    assert tax == -(8_000 + 3 * 200)  # the character's and the three remix licences' tax, owed, not shared
    assert services.account_balance(services.account_for(kind=LedgerAccount.Kind.CLEARING, currency="usd")) == 0
    assert_ledger_balanced()
