"""Connect done right: a separate Connect webhook endpoint and secret; the payee's country chosen at
onboarding; transfers funded from their charge (`source_transaction`) where one charge covers
them; a payout attempt limit whose error the payee and finance see; a negative balance shown with
its cause and recovered from later earnings."""
import json

import pytest

from accounts.models import User
from marketplace import services
from marketplace.models import PayeeAccount, Payout
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.conftest import SECRET
from tests.marketplace.money import assert_ledger_balanced, owed
from tests.marketplace.stripe_server import sign

pytestmark = pytest.mark.django_db
CONNECT_SECRET = "whsec_connect_rightscast"


def _post(client, url, event, secret):
    body = json.dumps(event).encode()
    return client.post(url, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body, secret))


def _paid_order(stripe_server, webhook, price=10_000, likeness_offer=None):
    likeness, offer = likeness_offer or listed_likeness(price_minor=price)
    order = services.order_create(buyer=UserFactory(), offer=offer)
    webhook(stripe_server.complete_session(order.checkout_session_id))
    order.refresh_from_db()
    return order, likeness.owner


def test_connect_events_come_to_their_own_endpoint_with_their_own_secret(client, stripe_server, settings):
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = CONNECT_SECRET
    talent = UserFactory(kind=User.Kind.TALENT)
    services.payee_onboarding_start(user=talent)
    payee = PayeeAccount.objects.get(user=talent)
    event = stripe_server.onboard(payee.account_id)
    # signed with the platform secret: refused at the Connect endpoint
    assert _post(client, "/api/stripe/connect-webhook/", event, SECRET).status_code == 400
    # a Connect event at the platform endpoint: refused once the Connect endpoint is configured
    r = _post(client, "/api/stripe/webhook/", event, SECRET)
    assert r.status_code == 400 and "connect-webhook" in r.content.decode()
    # an event that names no connected account: refused at the Connect endpoint
    unnamed = {k: v for k, v in event.items() if k != "account"}
    assert _post(client, "/api/stripe/connect-webhook/", unnamed, CONNECT_SECRET).status_code == 400
    payee.refresh_from_db()
    assert not payee.is_ready
    r = _post(client, "/api/stripe/connect-webhook/", event, CONNECT_SECRET)
    assert r.status_code == 200, r.content
    payee.refresh_from_db()
    assert payee.is_ready


def test_the_payee_chooses_the_country_before_the_account_is_created(client, stripe_server):
    talent = UserFactory(kind=User.Kind.TALENT)
    client.force_login(talent)
    page = client.get("/talent/earnings/").content.decode()
    assert 'name="country"' in page
    r = client.post("/payouts/setup/", {"country": "ZZ"}, follow=True)
    assert "Choose the country" in r.content.decode() and not PayeeAccount.objects.filter(user=talent).exists()
    r = client.post("/payouts/setup/", {"country": "US"})
    assert r.status_code == 302
    (create,) = [q for q in stripe_server.requests if q["method"] == "POST" and q["path"] == "/v1/accounts"]
    assert create["params"]["country"] == "US"
    assert PayeeAccount.objects.get(user=talent).country == "US"


def test_a_transfer_is_funded_from_its_charge_when_one_charge_covers_it(stripe_server, webhook):
    order, talent = _paid_order(stripe_server, webhook, price=10_000)
    services.payee_onboarding_start(user=talent)
    webhook(stripe_server.onboard(PayeeAccount.objects.get(user=talent).account_id))
    stripe_server.available["gbp"] = 0  # nothing available yet: the charge's own funds pay the transfer
    assert services.payout_run().paid == 1
    (transfer,) = stripe_server.transfers.values()
    assert transfer["source_transaction"] == order.charge_id
    assert Payout.objects.get().source_transaction == order.charge_id
    # Two sales owed together exceed either charge: no single source, the balance pays it.
    likeness, offer = order.offer.likeness, order.offer
    stripe_server.available["gbp"] = 1_000_000
    _paid_order(stripe_server, webhook, likeness_offer=(likeness, offer))
    _paid_order(stripe_server, webhook, likeness_offer=(likeness, offer))
    assert services.payout_run().paid == 1
    latest = Payout.objects.order_by("-pk").first()
    assert latest.amount_minor == 16_000 and latest.source_transaction == ""
    posted = [q for q in stripe_server.requests if q["method"] == "POST" and q["path"] == "/v1/transfers"]
    assert "source_transaction" not in posted[-1]["params"]
    assert_ledger_balanced()


def test_a_payout_whose_outcome_stays_unknown_stops_after_the_limit_and_shows_why(client, stripe_server, webhook, settings):
    settings.PAYOUT_MAX_ATTEMPTS = 3
    order, talent = _paid_order(stripe_server, webhook, price=10_000)
    services.payee_onboarding_start(user=talent)
    webhook(stripe_server.onboard(PayeeAccount.objects.get(user=talent).account_id))
    real = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing answers there
    for attempt in range(1, 4):
        services.payout_run()
        payout = Payout.objects.get()
        assert payout.status == "reserved" and payout.attempts == attempt
    assert payout.gave_up_at is not None and "after 3 attempts" in payout.error
    services.payout_run()
    assert Payout.objects.get().attempts == 3  # no more automatic tries
    client.force_login(talent)
    page = client.get("/talent/earnings/").content.decode()
    assert "finance is looking into it" in page and "after 3 attempts" in page
    settings.STRIPE_API_BASE = real
    with pytest.raises(Exception):
        services.payout_retry(payout_id=payout.pk, actor=talent)  # not finance
    staff = UserFactory(kind=User.Kind.MODERATOR, is_staff=True)
    payout = services.payout_retry(payout_id=payout.pk, actor=staff)
    assert payout.status == "paid" and len(stripe_server.transfers) == 1
    assert owed(talent) == 0
    assert_ledger_balanced()


def test_a_refund_after_payout_shows_its_cause_and_is_recovered_from_later_earnings(client, stripe_server, webhook):
    order, talent = _paid_order(stripe_server, webhook, price=10_000)
    services.payee_onboarding_start(user=talent)
    webhook(stripe_server.onboard(PayeeAccount.objects.get(user=talent).account_id))
    assert services.payout_run().paid == 1
    services.order_refund(order=order, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=5_000)
    assert owed(talent) == -4_000
    client.force_login(talent)
    page = client.get("/talent/earnings/").content.decode()
    assert 'id="debt-gbp"' in page and "Refund" in page and "recovered from later earnings" in page
    _paid_order(stripe_server, webhook, likeness_offer=(order.offer.likeness, order.offer))
    assert owed(talent) == 8_000 - 4_000  # the next sale pays the debt first
    services.payout_run()
    assert Payout.objects.order_by("-pk").first().amount_minor == 4_000
    assert 'id="debt-gbp"' not in client.get("/talent/earnings/").content.decode()
    assert_ledger_balanced()
