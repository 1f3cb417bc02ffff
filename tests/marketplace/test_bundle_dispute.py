"""A campaign checkout's one charge disputed, and its refund of refused lines failed and retried:
through the real SDK against the project's Stripe-shaped server, with webhooks signed Stripe's way.

A dispute names the bundle's charge (its orders' own references are empty): it resolves to the
bundle, withdraws and reinstates under the dispute's id, and a loss reverses each paid order's sale
and tax by the single order's reversal, split exactly. A bundle refund the provider fails is asked
for again under a new key, a bounded number of times, visible to finance."""
from fractions import Fraction

import pytest
from django.db.models import Sum

from accounts.models import User
from licensing import services as licensing
from marketplace import services
from marketplace.models import CheckoutBundle, Dispute, LedgerAccount, LedgerEntry, LedgerTransaction, Order, PaymentEvent
from marketplace.services.bundles import bundle_refund_submit, bundle_refunds_submit_pending
from marketplace.services.refunds import order_tax, refundable
from tests.factories import UserFactory
from tests.marketplace.money import assert_ledger_balanced
from tests.marketplace.test_bundle_reconcile import PRICES, _balance, _bundle, _ledger_state, _reconciled, _taxed

pytestmark = pytest.mark.django_db
TK, K = LedgerTransaction.Kind, LedgerAccount.Kind
TAXES = [190, 380, 570]  # 19% of each price, as the server's Stripe Tax computes them


def _paid(stripe_server, webhook, settings, *, refuse=None):
    _taxed(stripe_server, settings)
    bundle = _bundle()
    if refuse is not None:
        gone = Order.objects.get(amount_minor=refuse)
        licensing.likeness_revoke(likeness=gone.offer.likeness, actor=gone.offer.likeness.owner)
    assert webhook(stripe_server.complete_session(bundle.checkout_session_id))["status"] == "processed"
    bundle.refresh_from_db()
    assert bundle.status == "paid" and bundle.charge_id
    return bundle


def _lost_by_order() -> dict:
    """What each order's lost-dispute reversal took back (its sale's shares and its tax), from the ledger."""
    rows = (LedgerEntry.objects.filter(transaction__kind=TK.DISPUTE_LOST, account__kind=K.DISPUTED).exclude(transaction__order=None)
            .values_list("transaction__order__amount_minor").annotate(t=Sum("amount_minor")))
    return {price: -int(t) for price, t in rows}


def _tax_back_by_order() -> dict:
    rows = (LedgerEntry.objects.filter(transaction__kind=TK.DISPUTE_LOST, account__kind=K.TAX_COLLECTED)
            .values_list("transaction__order__amount_minor").annotate(t=Sum("amount_minor")))
    return {price: int(t) for price, t in rows}


def test_a_lost_dispute_of_a_bundles_whole_charge_reverses_every_order_and_its_tax(stripe_server, webhook, settings):
    bundle = _paid(stripe_server, webhook, settings)
    charge = stripe_server.charges[bundle.charge_id]
    opened = stripe_server.dispute(bundle.charge_id)  # the whole charge, as a bank disputes it
    assert webhook(opened)["status"] == "processed"  # before: deferred forever, nothing withdrawn
    du = opened["data"]["object"]["id"]
    dispute = Dispute.objects.get(provider_dispute_id=du)
    assert dispute.bundle_id == bundle.pk and dispute.order_id is None and dispute.amount_minor == charge["amount"]
    (withdrawn,) = LedgerTransaction.objects.filter(kind=TK.DISPUTE_OPENED)
    assert withdrawn.external_id == du and _balance(K.DISPUTED, "gbp") == charge["amount"]
    services.provider_fees_sync()
    _reconciled()  # the withdrawal and its fee under the dispute's id

    lost = stripe_server.close_dispute(du, won=False)
    assert webhook(lost)["status"] == "processed"
    # every order gives back exactly what it was paid, price and tax, and the parts add up to the charge
    assert _lost_by_order() == {p: p + t for p, t in zip(PRICES, TAXES, strict=True)}
    assert _tax_back_by_order() == dict(zip(PRICES, TAXES, strict=True))
    assert sum(_lost_by_order().values()) == charge["amount"]
    assert _balance(K.DISPUTED, "gbp") == 0 and _balance(K.TAX_COLLECTED, "gbp") == 0 
    assert LedgerEntry.objects.filter(account__kind__in=[K.PAYABLE, K.PLATFORM_REVENUE]).aggregate(t=Sum("amount_minor"))["t"] == 0
    for order in Order.objects.all():
        assert order.status == "refunded" and refundable(order) == 0
        assert order.licence.status == "revoked"
    before = _ledger_state()
    for event in (lost, opened, lost):  # replayed, and out of order
        assert webhook({**event, "id": event["id"] + "_again"})["status"] == "processed"
    assert _ledger_state() == before
    services.provider_fees_sync()
    _reconciled()
    assert_ledger_balanced()
    # the receipt of a bundled order says what the chargeback took of it
    order = Order.objects.get(amount_minor=PRICES[1])
    from marketplace.selectors import receipt_for

    assert receipt_for(order=order)["disputed_minor"] == PRICES[1] + TAXES[1]


def _largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Independently of the code under test: floor of each exact share, then one unit each to the
    largest fractional remainders (ties to the earlier)."""
    whole = sum(weights)
    shares = [Fraction(total * w, whole) for w in weights]
    parts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


@pytest.mark.parametrize("amount", [1_001, 7, 5_000])
def test_a_partial_bundle_dispute_lost_is_split_exactly_across_the_orders(stripe_server, webhook, settings, amount):
    bundle = _paid(stripe_server, webhook, settings)
    opened = stripe_server.dispute(bundle.charge_id, amount=amount)
    webhook(opened)
    assert webhook(stripe_server.close_dispute(opened["data"]["object"]["id"], won=False))["status"] == "processed"
    paid = [p + t for p, t in zip(PRICES, TAXES, strict=True)]
    expected = _largest_remainder(amount, paid)
    got = _lost_by_order()
    assert [got.get(p, 0) for p in PRICES] == expected and sum(got.values()) == amount
    # each order's tax part is its own proportional part of what it gave back (half up), no more
    taxes = _tax_back_by_order()
    for price, tax, part in zip(PRICES, TAXES, expected, strict=True):
        assert taxes.get(price, 0) == (2 * tax * part + price + tax) // (2 * (price + tax))
    assert set(Order.objects.values_list("status", flat=True)) == {"paid"}  # none fully reversed
    assert _balance(K.DISPUTED, "gbp") == 0
    services.provider_fees_sync()
    _reconciled()
    assert_ledger_balanced()
    # what is left refundable per order is what it was paid less its part
    for order in Order.objects.order_by("amount_minor"):
        i = PRICES.index(order.amount_minor)
        assert refundable(order) == paid[i] - expected[i] and order_tax(order) == TAXES[i]


def test_a_bundle_dispute_won_reinstates_and_reverses_nothing(stripe_server, webhook, settings):
    bundle = _paid(stripe_server, webhook, settings)
    opened = stripe_server.dispute(bundle.charge_id)
    webhook(opened)
    won = stripe_server.close_dispute(opened["data"]["object"]["id"], won=True, fee_refund=1_500)
    assert webhook(won)["status"] == "processed"
    before = _ledger_state()
    assert webhook({**won, "id": won["id"] + "_again"})["status"] == "processed"
    assert _ledger_state() == before
    assert not LedgerTransaction.objects.filter(kind=TK.DISPUTE_LOST).exists()
    assert _balance(K.DISPUTED, "gbp") == 0 and _balance(K.TAX_COLLECTED, "gbp") == -sum(TAXES)
    assert set(Order.objects.values_list("status", flat=True)) == {"paid"}
    assert Dispute.objects.get().status == "won"
    services.provider_fees_sync()
    _reconciled()
    assert_ledger_balanced()


@pytest.mark.django_db(transaction=True)
def test_a_lost_dispute_of_a_bundle_with_a_refunded_line_takes_only_what_the_orders_hold(stripe_server, webhook, settings):
    """The whole charge disputed after its refused line was refunded: the paid orders give back what
    they were paid (the dispute less what the refund returned); the refused line's amount, paid back
    twice, is the platform's loss, and the disputed account clears."""
    bundle = _paid(stripe_server, webhook, settings, refuse=PRICES[1])
    assert bundle.refund_minor == PRICES[1] + TAXES[1]
    charge = stripe_server.charges[bundle.charge_id]
    opened = stripe_server.dispute(bundle.charge_id, amount=charge["amount"])
    webhook(opened)
    platform_before = _balance(K.PLATFORM_REVENUE, "gbp")
    assert webhook(stripe_server.close_dispute(opened["data"]["object"]["id"], won=False))["status"] == "processed"
    got = _lost_by_order()
    assert got == {PRICES[0]: PRICES[0] + TAXES[0], PRICES[2]: PRICES[2] + TAXES[2]}  # the refused order: nothing sold to reverse
    assert sum(got.values()) == charge["amount"] - bundle.refund_minor
    assert _balance(K.DISPUTED, "gbp") == 0 and _balance(K.TAX_COLLECTED, "gbp") == 0
    (unmatched,) = LedgerTransaction.objects.filter(kind=TK.DISPUTE_LOST, order=None)
    assert _balance(K.PLATFORM_REVENUE, "gbp") - platform_before >= bundle.refund_minor  # borne by the platform
    assert unmatched.entries.get(account__kind=K.DISPUTED).amount_minor == -bundle.refund_minor
    services.provider_fees_sync()
    _reconciled()
    assert_ledger_balanced()


def test_a_dispute_before_the_bundle_is_recorded_waits_then_applies(stripe_server, webhook, settings):
    _taxed(stripe_server, settings)
    bundle = _bundle()
    paid = stripe_server.complete_session(bundle.checkout_session_id)
    charge_id = paid["data"]["object"]["payment_intent"]
    charge_id = stripe_server.payment_intents[charge_id]["latest_charge"]
    opened = stripe_server.dispute(charge_id)
    assert webhook(opened)["status"] == "deferred"  # the payment is not recorded yet
    assert webhook(paid)["status"] == "processed"
    services.payment_events_retry()  # (the paid event's handling may already have retried it)
    assert PaymentEvent.objects.get(event_id=opened["id"]).status == "processed"
    assert Dispute.objects.get().bundle_id == bundle.pk
    assert _balance(K.DISPUTED, "gbp") == stripe_server.charges[charge_id]["amount"]


# --- a failed bundle refund, retried ----------------------------------------------------------------

def _refund_keys(stripe_server) -> list:
    return [r["idempotency_key"] for r in stripe_server.posts("/v1/refunds")]


@pytest.mark.django_db(transaction=True)  # the refund is asked for after the grant commits
def test_a_failed_bundle_refund_is_asked_for_again_once_and_reconciles(stripe_server, webhook, settings):
    bundle = _paid(stripe_server, webhook, settings, refuse=PRICES[1])
    first = bundle.provider_refund_id
    failed = stripe_server.fail_refund(first)
    assert webhook(failed)["status"] == "processed"
    bundle.refresh_from_db()
    # the failed refund superseded by a new one, under a new key, which the provider made
    keys = _refund_keys(stripe_server)
    assert len(keys) == 2 and len(set(keys)) == 2 and keys[0] == f"bundle-refund-{bundle.pk}"
    assert bundle.provider_refund_id and bundle.provider_refund_id != first and bundle.failed_refund_ids == [first]
    assert bundle.refund_attempts == 1 and bundle.refund_error == "" and bundle.refund_gave_up_at is None
    assert stripe_server.refunds[bundle.provider_refund_id]["status"] == "succeeded"
    assert _balance(K.REFUNDS_DUE, "gbp") == 0  # paid out once, by the second refund
    settled = LedgerTransaction.objects.filter(kind=TK.REFUND_SETTLED).values_list("external_id", flat=True)
    assert sorted(settled) == sorted([first, bundle.provider_refund_id])
    services.provider_fees_sync()
    _reconciled()

    # the failure replayed (and the first refund's created event late): nothing restored twice, no third refund
    before = _ledger_state()
    assert webhook({**failed, "id": failed["id"] + "_again"})["status"] == "processed"
    created = [e for e in stripe_server.events if e["type"] == "refund.created" and e["data"]["object"]["id"] == first]
    for e in created:
        assert webhook({**e, "id": e["id"] + "_late"})["status"] == "processed"
    bundle_refund_submit(bundle_id=bundle.pk)
    assert bundle_refunds_submit_pending() == 0
    assert len(_refund_keys(stripe_server)) == 2 and _ledger_state() == before
    bundle.refresh_from_db()
    assert bundle.failed_refund_ids == [first] and bundle.refund_attempts == 1
    _reconciled()
    assert_ledger_balanced()


@pytest.mark.django_db(transaction=True)
def test_a_bundle_refund_failing_every_time_gives_up_and_finance_sees_it(stripe_server, webhook, settings, client):
    settings.BUNDLE_REFUND_MAX_ATTEMPTS = 2
    bundle = _paid(stripe_server, webhook, settings, refuse=PRICES[2])
    owed = PRICES[2] + TAXES[2]
    for _ in range(2):
        bundle.refresh_from_db()
        assert webhook(stripe_server.fail_refund(bundle.provider_refund_id))["status"] == "processed"
    bundle.refresh_from_db()
    assert len(_refund_keys(stripe_server)) == 2  # bounded: no third attempt
    assert bundle.refund_attempts == 2 and bundle.refund_gave_up_at and bundle.provider_refund_id == ""
    assert "2 times" in bundle.refund_error and _balance(K.REFUNDS_DUE, "gbp") == -owed
    assert bundle_refunds_submit_pending() == 0 and len(_refund_keys(stripe_server)) == 2
    services.provider_fees_sync()
    _reconciled()

    staff = UserFactory(kind=User.Kind.BRAND, is_staff=True)
    client.force_login(staff)
    page = client.get("/finance/").content.decode()
    assert str(bundle.pk) in page and "2 times" in page
    r = client.post("/finance/", {"bundle": str(bundle.pk)}, follow=True)
    assert r.status_code == 200
    bundle.refresh_from_db()
    keys = _refund_keys(stripe_server)
    assert len(keys) == 3 and len(set(keys)) == 3 and bundle.refund_gave_up_at is None
    assert _balance(K.REFUNDS_DUE, "gbp") == 0 and bundle.refund_error == ""
    assert str(bundle.pk) not in client.get("/finance/").content.decode()
    services.provider_fees_sync()
    _reconciled()
    assert_ledger_balanced()
    assert CheckoutBundle.objects.get(pk=bundle.pk).failed_refund_ids == [k for k in bundle.failed_refund_ids]


# --- a refused line's refund and a dispute of the same charge: paid back once ----------------------

def _refused_pending(stripe_server, webhook, settings, refuse=PRICES[1]):
    """A bundle whose refused line's refund is pending at the provider, and the whole charge disputed."""
    stripe_server.refund_status = "pending"
    bundle = _paid(stripe_server, webhook, settings, refuse=refuse)
    assert bundle.provider_refund_id and stripe_server.refunds[bundle.provider_refund_id]["status"] == "pending"
    return bundle


def _fail(stripe_server, refund_id, reason="charge_for_pending_refund_disputed"):
    stripe_server.refunds[refund_id]["failure_reason"] = reason
    return stripe_server.fail_refund(refund_id)


def _platform_loss() -> int:
    """What the platform bore for the charge as a whole (not an order's reversal of its own fee):
    a lost dispute's part no order gave back, a refund paid beside it."""
    return LedgerEntry.objects.filter(account__kind=K.PLATFORM_REVENUE, transaction__order=None,
                                      transaction__kind__in=[TK.DISPUTE_LOST, TK.REFUND_SETTLED, TK.REFUND_UNSETTLED]).aggregate(
        t=Sum("amount_minor"))["t"] or 0


@pytest.mark.django_db(transaction=True)
def test_a_lost_dispute_pays_back_the_refused_line_once_and_no_retry_goes_out(stripe_server, webhook, settings, client):
    """The attacker's order: a line refused, its refund pending; the card holder disputes the whole
    charge; the provider fails the pending refund (charge disputed); the dispute is lost. The refused
    line's money went back with the chargeback: no retry while the dispute is open, none after the
    loss, refunds due cleared by the dispute (not the platform's loss), and it reconciles."""
    bundle = _refused_pending(stripe_server, webhook, settings)
    owed = bundle.refund_minor
    charge = stripe_server.charges[bundle.charge_id]
    opened = stripe_server.dispute(bundle.charge_id, amount=charge["amount"])
    assert webhook(opened)["status"] == "processed"
    assert webhook(_fail(stripe_server, bundle.provider_refund_id))["status"] == "processed"
    bundle.refresh_from_db()
    assert len(_refund_keys(stripe_server)) == 1  # no retry while the charge is disputed
    assert bundle.refund_attempts == 1 and bundle.provider_refund_id == "" and "disputed" in bundle.refund_error
    bundle_refund_submit(bundle_id=bundle.pk)
    assert bundle_refunds_submit_pending() == 0 and len(_refund_keys(stripe_server)) == 1

    du = opened["data"]["object"]["id"]
    assert webhook(stripe_server.close_dispute(du, won=False))["status"] == "processed"
    bundle.refresh_from_db()
    assert bundle.refund_disputed_minor == owed and bundle.refund_error == "" and bundle.refund_gave_up_at is None
    assert _balance(K.REFUNDS_DUE, "gbp") == 0 and _balance(K.DISPUTED, "gbp") == 0
    assert _platform_loss() == 0  # nobody paid twice: the refused line went back once, with the chargeback
    bundle_refund_submit(bundle_id=bundle.pk)
    assert bundle_refunds_submit_pending() == 0 and len(_refund_keys(stripe_server)) == 1
    # finance's Retry cannot send it a second time either
    staff = UserFactory(kind=User.Kind.BRAND, is_staff=True)
    from accounts.errors import Conflict
    from marketplace.services.bundles import bundle_refund_retry

    with pytest.raises(Conflict):
        bundle_refund_retry(bundle_id=bundle.pk, actor=staff)
    assert len(_refund_keys(stripe_server)) == 1
    services.provider_fees_sync()
    _reconciled()
    assert_ledger_balanced()


@pytest.mark.django_db(transaction=True)
def test_a_refund_given_up_then_a_lost_dispute_leaves_nothing_for_finance_to_retry(stripe_server, webhook, settings, client):
    settings.BUNDLE_REFUND_MAX_ATTEMPTS = 1
    bundle = _refused_pending(stripe_server, webhook, settings)
    assert webhook(_fail(stripe_server, bundle.provider_refund_id, "declined"))["status"] == "processed"
    bundle.refresh_from_db()
    assert bundle.refund_gave_up_at
    opened = stripe_server.dispute(bundle.charge_id)
    webhook(opened)
    assert webhook(stripe_server.close_dispute(opened["data"]["object"]["id"], won=False))["status"] == "processed"
    bundle.refresh_from_db()
    assert bundle.refund_gave_up_at is None and bundle.refund_disputed_minor == bundle.refund_minor
    assert _balance(K.REFUNDS_DUE, "gbp") == 0 and _platform_loss() == 0
    staff = UserFactory(kind=User.Kind.BRAND, is_staff=True)
    client.force_login(staff)
    page = client.get("/finance/").content.decode()
    assert str(bundle.pk) not in page  # off the failed refunds: nothing is owed
    owed = f"£{bundle.refund_minor // 100}.{bundle.refund_minor % 100:02d}"
    assert f"Lines not granted, paid back by the chargeback: {owed}" in page  # the dispute's share, as booked
    client.post("/finance/", {"bundle": str(bundle.pk)})
    assert len(_refund_keys(stripe_server)) == 1
    services.provider_fees_sync()
    _reconciled()
    assert_ledger_balanced()


@pytest.mark.django_db(transaction=True)
def test_a_pending_refund_that_goes_through_after_the_dispute_was_lost_is_the_platforms_loss_once(stripe_server, webhook, settings):
    """The provider lets the pending refund through after the chargeback: the buyer got the line back
    twice; refunds due is cleared once and the second payment is booked as the platform's loss, so it
    still reconciles."""
    bundle = _refused_pending(stripe_server, webhook, settings)
    owed = bundle.refund_minor
    opened = stripe_server.dispute(bundle.charge_id)
    webhook(opened)
    webhook(stripe_server.close_dispute(opened["data"]["object"]["id"], won=False))
    settled = stripe_server.settle_refund(bundle.provider_refund_id)
    assert webhook(settled)["status"] == "processed"
    assert webhook({**settled, "id": settled["id"] + "_again"})["status"] == "processed"
    assert _balance(K.REFUNDS_DUE, "gbp") == 0 and _balance(K.DISPUTED, "gbp") == 0
    assert _platform_loss() == owed
    services.provider_fees_sync()
    _reconciled()
    assert_ledger_balanced()


@pytest.mark.django_db(transaction=True)
def test_a_partial_lost_dispute_covers_part_and_the_retry_asks_for_the_rest(stripe_server, webhook, settings):
    bundle = _refused_pending(stripe_server, webhook, settings)
    owed = bundle.refund_minor
    charge = stripe_server.charges[bundle.charge_id]
    covered = 101
    opened = stripe_server.dispute(bundle.charge_id, amount=charge["amount"] - owed + covered)
    webhook(opened)
    stripe_server.refund_status = "succeeded"
    webhook(_fail(stripe_server, bundle.provider_refund_id))
    assert len(_refund_keys(stripe_server)) == 1
    assert webhook(stripe_server.close_dispute(opened["data"]["object"]["id"], won=False))["status"] == "processed"
    bundle.refresh_from_db()
    assert bundle.refund_disputed_minor == covered
    refunds = stripe_server.posts("/v1/refunds")
    assert len(refunds) == 2 and int(refunds[1]["params"]["amount"]) == owed - covered  # only what the chargeback did not return
    assert _balance(K.REFUNDS_DUE, "gbp") == 0 and _balance(K.DISPUTED, "gbp") == 0 and _platform_loss() == 0
    services.provider_fees_sync()
    _reconciled()
    assert_ledger_balanced()


@pytest.mark.django_db(transaction=True)
def test_a_won_dispute_lets_the_held_refund_go_out(stripe_server, webhook, settings):
    bundle = _refused_pending(stripe_server, webhook, settings)
    opened = stripe_server.dispute(bundle.charge_id)
    webhook(opened)
    stripe_server.refund_status = "succeeded"
    webhook(_fail(stripe_server, bundle.provider_refund_id))
    assert len(_refund_keys(stripe_server)) == 1
    assert webhook(stripe_server.close_dispute(opened["data"]["object"]["id"], won=True))["status"] == "processed"
    assert len(_refund_keys(stripe_server)) == 2
    bundle.refresh_from_db()
    assert bundle.refund_disputed_minor == 0 and bundle.refund_error == ""
    assert _balance(K.REFUNDS_DUE, "gbp") == 0 and _platform_loss() == 0
    services.provider_fees_sync()
    _reconciled()
    assert_ledger_balanced()
