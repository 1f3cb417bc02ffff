"""The provider's fees booked from balance transactions (processing, dispute, fee refunds), once
each, in any order of events; reconciliation comparing net and fees per source; a provider that
refuses the date filter does not stop `ledger_reconcile --days 1`."""
import io

import pytest
from django.core.management import call_command

from accounts.models import User
from marketplace import services
from marketplace.models import LedgerAccount, LedgerTransaction
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.money import assert_ledger_balanced
from tests.marketplace.stripe_server import FEE_BPS

pytestmark = pytest.mark.django_db


def _fees_booked(currency="gbp") -> int:
    return services.account_balance(services.account_for(kind=LedgerAccount.Kind.PROVIDER_FEES, currency=currency))


def _order(stripe_server, webhook=None, price=10_000):
    likeness, offer = listed_likeness(price_minor=price)
    order = services.order_create(buyer=UserFactory(), offer=offer)
    event = stripe_server.complete_session(order.checkout_session_id)
    if webhook:
        webhook(event)
    order.refresh_from_db()
    return order, event


def test_processing_and_dispute_fees_and_a_fee_refund_are_booked_once(stripe_server, webhook):
    order, _ = _order(stripe_server, webhook, price=10_000)
    assert services.provider_fees_sync() == {"booked": 1, "waiting": []}
    assert services.provider_fees_sync()["booked"] == 0  # once
    assert _fees_booked() == 10_000 * FEE_BPS // 10_000
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, report.differences
    assert report.checks["provider_fees_by_currency"] == {"gbp": 150} == report.checks["ledger_fees_by_currency"]

    webhook(stripe_server.dispute(order.charge_id, amount=4_000))
    services.provider_fees_sync()
    assert _fees_booked() == 150 + 1_500
    dispute_id = next(iter(stripe_server.disputes))
    webhook(stripe_server.close_dispute(dispute_id, won=True, fee_refund=1_500))
    assert services.provider_fees_sync()["booked"] == 1
    assert _fees_booked() == 150
    assert LedgerTransaction.objects.filter(kind="provider_fee_refund").count() == 1
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, report.differences
    assert_ledger_balanced()


def test_a_fee_whose_charge_arrives_late_waits_and_is_booked_once(stripe_server, webhook):
    order, event = _order(stripe_server, webhook=None)  # paid at Stripe; the webhook is late
    first = services.provider_fees_sync()
    assert first["booked"] == 0 and first["waiting"] == [stripe_server.balance_transactions[-1]["source"]]
    assert _fees_booked() == 0
    webhook(event)
    assert services.provider_fees_sync()["booked"] == 1
    assert services.ledger_reconcile(backend="stripe").ok
    assert_ledger_balanced()


def test_reconciliation_reports_each_difference_by_source(stripe_server, webhook):
    order, _ = _order(stripe_server, webhook, price=20_000)
    report = services.ledger_reconcile(backend="stripe")  # fees not booked yet
    problems = {(d["source"], d["problem"]) for d in report.differences}
    assert problems == {(order.charge_id, "net differs"), (order.charge_id, "fees differ")}
    fee_diff = next(d for d in report.differences if d["problem"] == "fees differ")
    assert fee_diff["provider_fee"] == 300 and fee_diff["ledger_fee"] == 0 and fee_diff["difference"] == 300
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("ledger_reconcile", stdout=out)
    assert f"source={order.charge_id}" in out.getvalue() and "problem=fees differ" in out.getvalue()
    out = io.StringIO()
    call_command("ledger_reconcile", "--book-fees", stdout=out)
    assert "reconciled: no differences" in out.getvalue(), out.getvalue()


def test_reconcile_days_survives_a_provider_that_refuses_the_date_filter(stripe_server, webhook):
    _order(stripe_server, webhook, price=5_000)
    stripe_server.refuse_params["/v1/balance_transactions"] = {"created"}
    out = io.StringIO()
    call_command("ledger_reconcile", "--days", "1", "--book-fees", stdout=out)
    assert "reconciled: no differences" in out.getvalue(), out.getvalue()
    refused = [r for r in stripe_server.requests if r.get("path") == "/v1/balance_transactions" and "created" in (r.get("params") or {})]
    assert refused  # it was asked with the filter first, refused, then read unfiltered
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("ledger_reconcile", "--days", "0", stdout=io.StringIO())


def test_a_refund_and_a_payout_reconcile_with_fees(stripe_server, webhook, settings):
    order, _ = _order(stripe_server, webhook, price=10_000)
    services.order_refund(order=order, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=2_500)
    talent = order.offer.likeness.owner
    services.payee_onboarding_start(user=talent)
    payee = services.payee_refresh(user=talent)
    webhook(stripe_server.onboard(payee.account_id))
    services.payout_run(minimum=1)
    services.provider_fees_sync()
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, report.differences
    assert_ledger_balanced()


def test_stripe_tax_is_asked_for_on_checkout_when_configured(stripe_server, settings):
    _, offer = listed_likeness(price_minor=1_000)
    services.order_create(buyer=UserFactory(), offer=offer)
    settings.STRIPE_AUTOMATIC_TAX = True
    services.order_create(buyer=UserFactory(), offer=offer)
    first, second = [q for q in stripe_server.requests if q["path"] == "/v1/checkout/sessions"]
    assert "automatic_tax" not in first["params"] and second["params"]["automatic_tax"] == {"enabled": "true"}


def _usd_order(stripe_server, webhook, price):
    likeness, _ = listed_likeness()
    offer = services.offer_create(likeness=likeness, actor=likeness.owner, title="Dollars", price_minor=price, currency="usd")
    order = services.order_create(buyer=UserFactory(), offer=offer)
    event = stripe_server.complete_session(order.checkout_session_id)
    if webhook:
        webhook(event)
    order.refresh_from_db()
    return order, event


def _balance(kind, currency) -> int:
    return services.account_balance(services.account_for(kind=kind, currency=currency))


def test_a_charge_settled_in_another_currency_books_its_conversion_and_fees_and_reconciles_to_the_cent(stripe_server, webhook):
    stripe_server.settlement_currency, stripe_server.fx_rates = "gbp", {"usd": "0.7913"}
    order, _ = _usd_order(stripe_server, webhook, price=10_001)
    bt = stripe_server.balance_transactions[-1]
    # 10001 USD at 0.7913 = 7913.79 -> 7914 GBP; 1.5% processing (118) and 2% conversion (158)
    assert (bt["currency"], bt["amount"], bt["fee"], bt["exchange_rate"]) == ("gbp", 7_914, 118 + 158, 0.7913)
    report = services.ledger_reconcile(backend="stripe")  # the sale is in USD, the provider settled GBP
    assert [d["problem"] for d in report.differences] == ["currencies differ (not converted)"]
    assert report.differences[0]["ledger_net"] == {"usd": 10_001}

    assert services.provider_fees_sync() == {"booked": 1, "converted": 1, "waiting": []}
    assert services.provider_fees_sync() == {"booked": 0, "waiting": []}  # each once
    assert _balance(LedgerAccount.Kind.CLEARING, "usd") == 0
    assert _balance(LedgerAccount.Kind.CLEARING, "gbp") == 7_914 - 276 == bt["net"]
    assert _balance(LedgerAccount.Kind.CONVERSION, "usd") == 10_001 and _balance(LedgerAccount.Kind.CONVERSION, "gbp") == -7_914
    assert _fees_booked("gbp") == 276 and _fees_booked("usd") == 0
    fee_txn = LedgerTransaction.objects.get(kind="provider_fee")
    assert "Currency conversion fee 158" in fee_txn.description and "Stripe processing fees 118" in fee_txn.description
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, report.differences

    # A partial refund is converted back at its own rate; a second sync changes nothing.
    stripe_server.fx_rates["usd"] = "0.8"
    services.order_refund(order=order, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=2_501)
    assert services.provider_fees_sync()["converted"] == 1
    assert services.provider_fees_sync() == {"booked": 0, "waiting": []}
    assert _balance(LedgerAccount.Kind.CLEARING, "usd") == 0
    assert _balance(LedgerAccount.Kind.CONVERSION, "gbp") == -7_914 + 2_001  # 2501 * 0.8 = 2000.8 -> 2001
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, report.differences
    assert_ledger_balanced()


def test_a_conversion_whose_charge_arrives_late_waits_and_is_booked_once(stripe_server, webhook):
    stripe_server.settlement_currency, stripe_server.fx_rates = "gbp", {"eur": "0.86"}
    likeness, _ = listed_likeness()
    offer = services.offer_create(likeness=likeness, actor=likeness.owner, title="Euros", price_minor=5_000, currency="eur")
    order = services.order_create(buyer=UserFactory(), offer=offer)
    event = stripe_server.complete_session(order.checkout_session_id)  # the webhook is late
    first = services.provider_fees_sync()
    assert first["booked"] == 0 and "converted" not in first and first["waiting"] == [stripe_server.balance_transactions[-1]["source"]]
    assert not LedgerTransaction.objects.filter(kind="conversion").exists()
    webhook(event)
    assert services.provider_fees_sync() == {"booked": 1, "converted": 1, "waiting": []}
    assert services.ledger_reconcile(backend="stripe").ok
    assert_ledger_balanced()
