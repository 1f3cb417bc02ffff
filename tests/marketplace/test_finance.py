"""Finance pages for staff: revenue by period net of provider fees, the ledger browser by account
and transaction, the latest reconciliation with its differences, stuck payouts with a retry."""
import io

import pytest
from django.core.management import call_command

from accounts.models import User
from marketplace import services
from marketplace.models import LedgerTransaction, PayeeAccount, Payout, ReconciliationRun
from tests.factories import UserFactory, listed_likeness

pytestmark = pytest.mark.django_db


def _staff():
    return UserFactory(kind=User.Kind.MODERATOR, is_staff=True)


def test_finance_pages_are_for_staff_only(client):
    client.force_login(UserFactory(kind=User.Kind.TALENT))
    for url in ("/finance/", "/finance/ledger/"):
        assert client.get(url).status_code == 403


def test_revenue_fees_ledger_and_reconciliation_for_finance(client, stripe_server, webhook, settings):
    likeness, offer = listed_likeness(price_minor=10_000)
    order = services.order_create(buyer=UserFactory(), offer=offer)
    webhook(stripe_server.complete_session(order.checkout_session_id))
    call_command("ledger_reconcile", "--book-fees", stdout=io.StringIO())
    run = ReconciliationRun.objects.get()
    assert run.ok and run.checks["ledger_fees_by_currency"] == {"gbp": 150}
    client.force_login(_staff())
    page = client.get("/finance/").content.decode()
    fee = 10_000 * settings.PLATFORM_FEE_BPS // 10_000
    from accounts.display import money

    assert (f'<td data-label="Currency">GBP</td><td data-label="Platform fees kept" class="num">{money(fee, "gbp")}</td>'
            f'<td data-label="Provider fees paid" class="num">£1.50</td><td data-label="Net" class="num">{money(fee - 150, "gbp")}</td>') in page
    assert "Reconciled: no differences" in page and "No stuck payouts." in page
    assert client.get("/finance/?period=day").status_code == 200
    page = client.get("/finance/ledger/?kind=provider_fees").content.decode()
    assert ('<td data-label="Kind">Payment provider fees (processing, disputes, currency conversion)</td>' in page
            and '<td data-label="Kind">Owed to a rights holder</td>' not in page)
    sale = LedgerTransaction.objects.get(kind="sale")
    page = client.get(f"/finance/ledger/transactions/{sale.pk}/").content.decode()
    assert "Licence sale" in page and str(order.pk) in page and "£100.00" in page
    entry = sale.entries.first()
    assert client.get(f"/finance/ledger/accounts/{entry.account_id}/").status_code == 200
    assert client.get("/finance/ledger/accounts/999999/").status_code == 404
    # a difference shows by source
    other = services.order_create(buyer=UserFactory(), offer=offer)
    stripe_server.complete_session(other.checkout_session_id)  # the webhook is lost
    with pytest.raises(SystemExit):
        call_command("ledger_reconcile", stdout=io.StringIO())
    page = client.get("/finance/").content.decode()
    assert "1 difference(s)" in page and "at the provider, not in the ledger" in page


def test_a_stuck_payout_is_listed_and_retried_by_finance(client, stripe_server, webhook, settings):
    settings.PAYOUT_MAX_ATTEMPTS = 1
    likeness, offer = listed_likeness(price_minor=10_000)
    order = services.order_create(buyer=UserFactory(), offer=offer)
    webhook(stripe_server.complete_session(order.checkout_session_id))
    services.payee_onboarding_start(user=likeness.owner)
    webhook(stripe_server.onboard(PayeeAccount.objects.get(user=likeness.owner).account_id))
    real, settings.STRIPE_API_BASE = settings.STRIPE_API_BASE, "http://127.0.0.1:9"
    services.payout_run()
    settings.STRIPE_API_BASE = real
    payout = Payout.objects.get()
    assert payout.gave_up_at is not None
    client.force_login(_staff())
    page = client.get("/finance/").content.decode()
    assert "after 1 attempts" in page and "Retry" in page
    r = client.post("/finance/", {"payout": payout.pk}, follow=True)
    assert "Paid" in r.content.decode()
    assert Payout.objects.get().status == "paid" and len(stripe_server.transfers) == 1
    r = client.post("/finance/", {"payout": payout.pk})
    assert r.status_code == 409  # nothing to retry
