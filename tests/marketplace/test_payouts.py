"""Payouts on the offline backend (the embedded default), onboarding through its stand-in page,
and what earners see: balance, pending, paid, history, CSV."""
import csv
import io

import pytest

from accounts.models import User
from marketplace import services
from marketplace.models import LedgerTransaction, Payout, PayoutRun
from marketplace.tasks import payout_run_scheduled
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.money import assert_ledger_balanced, buy, owed, ready_payee, summary

pytestmark = pytest.mark.django_db


def test_nobody_is_paid_before_they_are_ready_and_the_money_waits():
    likeness, offer = listed_likeness(price_minor=10_000)
    buy(UserFactory(), offer)
    talent = likeness.owner
    assert payout_run_scheduled() is not None
    assert Payout.objects.count() == 0 and owed(talent) == 8_000
    services.payee_onboarding_start(user=talent)  # started, not finished
    services.payout_run()
    assert Payout.objects.count() == 0
    services.offline_onboarding_complete(user=talent)
    run = services.payout_run()
    assert run.paid == 1 and owed(talent) == 0
    s = summary(talent)
    assert (s["owed_minor"], s["pending_minor"], s["paid_minor"], s["earned_minor"]) == (0, 0, 8_000, 8_000)
    assert_ledger_balanced()


def test_below_the_minimum_waits_for_a_later_run(settings):
    settings.PAYOUT_MINIMUM_MINOR = 5_000
    likeness, offer = listed_likeness(price_minor=5_000)
    ready_payee(likeness.owner)
    buy(UserFactory(), offer)
    assert services.payout_run().reserved == 0  # 4000 owed < 5000
    buy(UserFactory(), offer)
    assert services.payout_run().paid == 1
    assert Payout.objects.get().amount_minor == 8_000  # one transfer for everything owed


def test_one_payout_per_payee_per_run_and_reserved_ones_are_resumed():
    likeness, offer = listed_likeness(price_minor=10_000)
    talent = likeness.owner
    ready_payee(talent)
    buy(UserFactory(), offer)
    dead = PayoutRun.objects.create(triggered_by="test")
    payable = services.account_for(kind="payable", currency="gbp", owner=talent)
    first = services.payout_reserve(run=dead, payable_id=payable.pk, minimum=1)
    assert services.payout_reserve(run=dead, payable_id=payable.pk, minimum=1) is None  # nothing left, and one open payout
    assert summary(talent)["pending_minor"] == 8_000 and owed(talent) == 0
    buy(UserFactory(), offer)  # more earned while the first payout is in flight
    run = services.payout_run()
    assert run.reserved == 0  # the open payout blocks a second one for the same payee
    assert Payout.objects.get(pk=first.pk).status == "paid"
    assert services.payout_run().paid == 1  # the next run pays what came in meanwhile
    assert owed(talent) == 0 and summary(talent)["paid_minor"] == 16_000
    assert_ledger_balanced()


def test_a_run_skips_when_another_holds_the_lock():
    from marketplace.db import run_lock
    from marketplace.services.payouts import RUN_LOCK

    with run_lock(RUN_LOCK) as held:
        assert held
        assert services.payout_run() is None


def test_earnings_page_api_and_csv(client, api):
    likeness, offer = listed_likeness(price_minor=25_000)
    talent = likeness.owner
    buy(UserFactory(), offer)
    client.force_login(talent)
    page = client.get("/talent/earnings/").content.decode()
    assert 'id="balance-gbp">£200.00<' in page and "Set up payouts" in page and "minor units" not in page
    r = client.post("/payouts/setup/")
    assert r.status_code == 302 and r["Location"].startswith("/payouts/offline-onboarding/?account=acct_offline_")
    assert "no money moves" in client.get(r["Location"]).content.decode()
    r = client.post("/payouts/offline-onboarding/")
    assert r.status_code == 302
    services.payout_run()
    page = client.get("/talent/earnings/").content.decode()
    assert 'id="paid-gbp">£200.00<' in page and 'id="balance-gbp">£0.00<' in page and "Paid" in page

    api.force_authenticate(talent)
    body = api.get("/api/balance/").json()
    assert body["balances"] == [{"currency": "gbp", "owed_minor": 0}]
    assert body["summary"][0]["paid_minor"] == 20_000 and body["payee"]["is_ready"] is True
    assert [p["status"] for p in body["payouts"]] == ["paid"]

    rows = list(csv.DictReader(io.StringIO(client.get("/talent/earnings.csv").content.decode())))
    assert [(r["kind"], r["amount_minor"], r["balance_minor"]) for r in rows] == [("sale", "20000", "20000"), ("payout_reserved", "-20000", "0")]
    assert api.get("/api/earnings/export/").content.decode().startswith("date,kind,description")


def test_earnings_are_for_earners():
    from django.test import Client

    client = Client()
    client.force_login(UserFactory(kind=User.Kind.BRAND))
    assert client.get("/talent/earnings/").status_code == 403
    assert client.get("/talent/earnings.csv").status_code == 403
    assert client.post("/payouts/setup/").status_code == 403


def test_creators_paid_from_remixes_see_earnings(client):
    from tests.marketplace.money import remix_chain

    talent, creators, uses, _ = remix_chain(depth=2, fee=1_000, share_bps=2_500)
    client.force_login(creators[0])
    page = client.get("/talent/earnings/").content.decode()
    # 25% of the 800 net of creator 1's fee goes to the parent work, shared by its maker and the talent in it
    assert 'id="balance-gbp">£1.00<' in page
    assert LedgerTransaction.objects.filter(kind="usage_fee").count() == 2
