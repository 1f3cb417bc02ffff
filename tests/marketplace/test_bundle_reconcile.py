"""A campaign checkout's one charge reconciles as a single order's does: through the real SDK against
the project's Stripe-shaped server, with webhooks signed Stripe's way. Every bundled order's sale and
tax is posted under the bundle's charge id, the provider's fee on it booked once under that id, the
lines refused at payment owed back under the charge and paid out under the refund's id; in the
buyer's currency and where the provider converts; a replayed webhook posts nothing twice."""
import pytest
from django.db.models import Sum

from accounts.models import User
from licensing import services as licensing
from marketplace import services
from marketplace.models import LedgerAccount, LedgerEntry, LedgerTransaction, Order
from marketplace.services.bundles import bundle_checkout_create, bundle_refund_submit
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.money import assert_ledger_balanced
from tests.marketplace.stripe_server import FEE_BPS

pytestmark = pytest.mark.django_db
TK, K = LedgerTransaction.Kind, LedgerAccount.Kind
PRICES = [1_005, 2_005, 3_005]


def _bundle(*, currency="gbp"):
    buyer = UserFactory(kind=User.Kind.BRAND)
    orders = []
    for i, price in enumerate(PRICES):
        likeness, _ = listed_likeness(name=f"Talent {i:02d}")
        offer = services.offer_create(likeness=likeness, actor=likeness.owner, title=f"Spot {i}", price_minor=price, currency=currency)
        orders.append(services.order_create(buyer=buyer, offer=offer, checkout=False))
    return bundle_checkout_create(buyer=buyer, orders=orders, title="Autumn", return_url="https://example.test/c/")


def _taxed(stripe_server, settings):
    settings.STRIPE_AUTOMATIC_TAX = True
    stripe_server.tax_bps = 1_900


def _balance(kind, currency) -> int:
    return services.account_balance(services.account_for(kind=kind, currency=currency))


def _ledger_state() -> tuple:
    return (LedgerTransaction.objects.count(), LedgerEntry.objects.count(),
            tuple(LedgerEntry.objects.values("account__kind", "currency").annotate(t=Sum("amount_minor"))
                  .order_by("account__kind", "currency").values_list("account__kind", "currency", "t")))


def _reconciled():
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, (report.differences, report.checks)
    assert report.provider_sources == report.ledger_sources
    return report


@pytest.mark.parametrize("taxed", [False, True])
def test_a_paid_bundle_reconciles_its_one_charge_and_a_replay_posts_nothing(stripe_server, webhook, settings, taxed):
    if taxed:
        _taxed(stripe_server, settings)
    bundle = _bundle()
    event = stripe_server.complete_session(bundle.checkout_session_id)
    assert webhook(event)["status"] == "processed"
    bundle.refresh_from_db()
    charge = stripe_server.charges[bundle.charge_id]
    assert bundle.status == "paid" and set(Order.objects.values_list("status", flat=True)) == {"paid"}
    # every movement the charge made is under its id: the sales, and their tax when taxed
    kinds = [TK.SALE, TK.TAX] if taxed else [TK.SALE]
    posted = LedgerTransaction.objects.filter(kind__in=kinds)
    assert posted.count() == len(PRICES) * len(kinds) and set(posted.values_list("external_id", flat=True)) == {bundle.charge_id}
    assert not Order.objects.exclude(charge_id=None).exists()  # the bundle holds the charge; an order's own stays empty
    held = LedgerEntry.objects.filter(transaction__external_id=bundle.charge_id, account__kind=K.CLEARING).aggregate(t=Sum("amount_minor"))["t"]
    assert held == charge["amount"] == sum(PRICES) + (190 + 380 + 570 if taxed else 0)

    report = services.ledger_reconcile(backend="stripe")  # the fee is not booked yet: only the fee differs
    assert [(d["source"], d["problem"]) for d in report.differences] == [(bundle.charge_id, "net differs"), (bundle.charge_id, "fees differ")]
    assert services.provider_fees_sync() == {"booked": 1, "waiting": []}
    assert services.provider_fees_sync() == {"booked": 0, "waiting": []}  # once
    (fee,) = LedgerTransaction.objects.filter(kind=TK.PROVIDER_FEE)
    assert fee.external_id == bundle.charge_id and _balance(K.PROVIDER_FEES, "gbp") == charge["amount"] * FEE_BPS // 10_000
    _reconciled()

    before = _ledger_state()
    assert webhook(event)["status"] == "processed"  # a duplicate delivery
    assert webhook({**event, "id": event["id"] + "_async", "type": "checkout.session.async_payment_succeeded"})["status"] == "processed"
    services.provider_fees_sync()
    assert _ledger_state() == before
    _reconciled()
    assert_ledger_balanced()


@pytest.mark.django_db(transaction=True)  # the refund is asked for after the grant commits
def test_a_bundle_with_a_refused_line_refunded_with_its_tax_reconciles(stripe_server, webhook, settings):
    _taxed(stripe_server, settings)
    bundle = _bundle()
    gone = Order.objects.get(amount_minor=2_005)
    licensing.likeness_revoke(likeness=gone.offer.likeness, actor=gone.offer.likeness.owner)
    event = stripe_server.complete_session(bundle.checkout_session_id)
    assert webhook(event)["status"] == "processed"
    bundle.refresh_from_db()
    assert bundle.refund_minor == 2_005 + 380 and bundle.provider_refund_id
    refund = stripe_server.refunds[bundle.provider_refund_id]
    # the charge's source holds all it brought in; the refund's, what went back
    by_source = dict(LedgerEntry.objects.filter(account__kind=K.CLEARING).values("transaction__external_id")
                     .annotate(t=Sum("amount_minor")).values_list("transaction__external_id", "t"))
    assert by_source == {bundle.charge_id: sum(PRICES) + 1_140, refund["id"]: -(2_005 + 380)}
    assert _balance(K.REFUNDS_DUE, "gbp") == 0 and _balance(K.TAX_COLLECTED, "gbp") == -(190 + 570)
    services.provider_fees_sync()
    _reconciled()

    # the refund's webhooks (and their replays) change nothing: it was applied when created
    before = _ledger_state()
    for e in [e for e in stripe_server.events if e["type"] in ("refund.created", "charge.refunded")] * 2:
        assert webhook(e)["status"] in ("processed", "ignored")
    assert webhook(event)["status"] == "processed"
    bundle_refund_submit(bundle_id=bundle.pk)  # asked again (the bundle page's retry): no second refund
    assert len(stripe_server.posts("/v1/refunds")) == 1
    assert _ledger_state() == before
    _reconciled()

    # the provider fails the refund later: the money is back at the charge, owed to the buyer again,
    # and asked for again under a new key (test_bundle_dispute.py: the retry, bounded, replays)
    assert webhook(stripe_server.fail_refund(refund["id"]))["status"] == "processed"
    assert LedgerTransaction.objects.get(kind=TK.REFUND_UNSETTLED).external_id == refund["id"]
    assert len(stripe_server.posts("/v1/refunds")) == 2 and _balance(K.REFUNDS_DUE, "gbp") == 0
    _reconciled()
    assert_ledger_balanced()


@pytest.mark.django_db(transaction=True)
def test_a_refund_pending_at_creation_is_paid_out_when_it_succeeds(stripe_server, webhook, settings):
    stripe_server.refund_status = "pending"
    bundle = _bundle()
    gone = Order.objects.get(amount_minor=3_005)
    licensing.likeness_revoke(likeness=gone.offer.likeness, actor=gone.offer.likeness.owner)
    assert webhook(stripe_server.complete_session(bundle.checkout_session_id))["status"] == "processed"
    bundle.refresh_from_db()
    assert _balance(K.REFUNDS_DUE, "gbp") == -3_005  # owed, not yet paid out
    services.provider_fees_sync()
    _reconciled()  # nothing has left the provider's balance yet either
    updated = stripe_server.settle_refund(bundle.provider_refund_id)
    assert webhook(updated)["status"] == "processed"
    assert webhook({**updated, "id": updated["id"] + "_again"})["status"] == "processed"  # a replay under another id
    assert _balance(K.REFUNDS_DUE, "gbp") == 0
    assert LedgerTransaction.objects.filter(kind=TK.REFUND_SETTLED, external_id=bundle.provider_refund_id).count() == 1
    _reconciled()
    assert_ledger_balanced()


@pytest.mark.django_db(transaction=True)
def test_a_bundle_in_the_buyers_currency_that_the_provider_converts_reconciles(stripe_server, webhook, settings):
    _taxed(stripe_server, settings)
    stripe_server.settlement_currency, stripe_server.fx_rates = "gbp", {"usd": "0.7913"}
    bundle = _bundle(currency="usd")
    gone = Order.objects.get(amount_minor=1_005)
    licensing.likeness_revoke(likeness=gone.offer.likeness, actor=gone.offer.likeness.owner)
    assert webhook(stripe_server.complete_session(bundle.checkout_session_id))["status"] == "processed"
    bundle.refresh_from_db()
    assert bundle.currency == "usd" and bundle.refund_minor == 1_005 + 190
    report = services.ledger_reconcile(backend="stripe")  # held in USD, settled in GBP: not converted yet
    assert {d["problem"] for d in report.differences} == {"currencies differ (not converted)"}
    assert {d["source"] for d in report.differences} == {bundle.charge_id, bundle.provider_refund_id}
    out = services.provider_fees_sync()
    assert out["booked"] == 1 and out["converted"] == 2 and not out["waiting"]
    assert services.provider_fees_sync() == {"booked": 0, "waiting": []}
    assert _balance(K.CLEARING, "usd") == 0  # every USD movement converted under its source
    _reconciled()
    assert_ledger_balanced()
