"""A refund of a taxed order gives its tax back: Stripe refunds an amount of the charge, price and
tax together; the split is ours. Each refund takes its proportional part of the order's tax out of
tax_collected, rounded so that all of an order's refunds together return exactly the tax it
collected and never more; a double refund, a replayed refund webhook, a refund made at Stripe's
dashboard or one that fails return nothing twice. The buyer's receipt and invoice state the tax
part. Through the real SDK against the project's Stripe-shaped server, webhooks signed."""
import pytest

from accounts.errors import Conflict
from accounts.models import User
from marketplace import services
from marketplace.models import LedgerAccount, LedgerEntry, LedgerTransaction, Order, Refund
from marketplace.services.refunds import order_tax, refundable, tax_part
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.money import assert_ledger_balanced, owed
from tests.marketplace.test_sales_tax import _tax_collected, _taxed

pytestmark = pytest.mark.django_db

PRICE = 10_005
TAX = 1_900  # 19% of 10,005 is 1,900.95: Stripe Tax rounds down per line
PAID = PRICE + TAX


def _taxed_order(stripe_server, webhook, settings):
    _taxed(stripe_server, settings)
    likeness, offer = listed_likeness(price_minor=PRICE)
    brand = UserFactory(kind=User.Kind.BRAND)
    order = services.order_create(buyer=brand, offer=offer)
    event = stripe_server.complete_session(order.checkout_session_id)
    assert event["data"]["object"]["amount_total"] == PAID
    assert webhook(event)["status"] == "processed"
    order.refresh_from_db()
    assert order.status == "paid" and order_tax(order) == TAX == _tax_collected() and refundable(order) == PAID
    return likeness, order


def _ledger() -> tuple:
    return LedgerTransaction.objects.count(), LedgerEntry.objects.count(), _tax_collected()


def _replay_refund_events(stripe_server, webhook) -> None:
    for e in [e for e in stripe_server.events if e["type"].startswith(("refund.", "charge.refunded"))]:
        assert webhook(e)["status"] in ("processed", "ignored")


def test_refunds_in_thirds_return_exactly_the_tax_collected_and_a_double_refund_nothing(stripe_server, webhook, settings, client):
    likeness, order = _taxed_order(stripe_server, webhook, settings)
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    client.force_login(moderator)
    page = client.get(f"/moderation/orders/{order.pk}/refund/").content.decode()
    assert 'id="refundable">£119.05<' in page and "paid £119.05 (tax £19.00" in page
    parts = [3_968, 3_968, 3_969]  # the 11,905 paid, in thirds
    # 19% rounded per refund would return 633 + 633 + 633 = 1,899 and leave a unit owed to no one;
    # the cumulative rule returns 633 + 634 + 633
    assert sum(round(TAX * p / PAID) for p in parts) == TAX - 1
    refunds = [services.order_refund(order=order, actor=moderator, amount_minor=p) for p in parts]
    assert [r.tax_minor for r in refunds] == [633, 634, 633] and sum(r.tax_minor for r in refunds) == TAX
    assert all(r.status == "succeeded" for r in refunds)
    # Stripe is asked for the money the buyer gets back: price and tax together
    assert [int(p["params"]["amount"]) for p in stripe_server.posts("/v1/refunds")] == parts
    for refund in refunds:
        (txn,) = LedgerTransaction.objects.filter(idempotency_key=f"refund-{refund.pk}")
        assert txn.entries.get(account__kind=LedgerAccount.Kind.TAX_COLLECTED).amount_minor == refund.tax_minor
        assert -txn.entries.get(account__kind=LedgerAccount.Kind.REFUNDS_DUE).amount_minor == refund.amount_minor
    assert _tax_collected() == 0 and owed(likeness.owner) == 0  # tax and every share back, exactly
    order.refresh_from_db()
    assert order.status == "refunded" and refundable(order) == 0

    before = _ledger()
    with pytest.raises(Conflict):  # a careless second refund: nothing left
        services.order_refund(order=order, actor=moderator, amount_minor=1)
    _replay_refund_events(stripe_server, webhook)  # the refund webhooks, delivered again
    _replay_refund_events(stripe_server, webhook)
    assert _ledger() == before and Refund.objects.count() == 3
    services.provider_fees_sync()
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, report.differences
    assert_ledger_balanced()

    client.force_login(order.buyer)
    receipt = client.get(f"/receipts/{order.pk}/").content.decode()
    assert "of which tax £6.34" in receipt and "£19.00" in receipt
    invoice = client.get(f"/receipts/{order.pk}/invoice/").content.decode()
    assert "Refunded since: £119.05, of which tax £19.00" in invoice


def test_a_refund_made_at_stripes_dashboard_of_the_whole_charge_returns_the_tax_once(stripe_server, webhook, settings):
    """Before, a dashboard refund of what the buyer paid (price and tax) exceeded the price and was
    refused, leaving Stripe and the books apart."""
    likeness, order = _taxed_order(stripe_server, webhook, settings)
    stripe_server.refund_from_dashboard(order.payment_intent_id, PAID)
    _replay_refund_events(stripe_server, webhook)
    (refund,) = Refund.objects.all()
    assert (refund.reason, refund.amount_minor, refund.tax_minor, refund.status) == ("external", PAID, TAX, "succeeded")
    assert _tax_collected() == 0 and owed(likeness.owner) == 0
    before = _ledger()
    _replay_refund_events(stripe_server, webhook)
    assert _ledger() == before and Refund.objects.count() == 1
    assert_ledger_balanced()


def test_a_failed_refund_puts_its_tax_back_and_the_rest_still_adds_up(stripe_server, webhook, settings):
    likeness, order = _taxed_order(stripe_server, webhook, settings)
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    first = services.order_refund(order=order, actor=moderator, amount_minor=5_000)
    assert first.tax_minor == 798  # 1,900 x 5,000 / 11,905 = 797.98
    assert _tax_collected() == TAX - 798
    failed = stripe_server.fail_refund(first.provider_refund_id)
    assert webhook(failed)["status"] == "processed"
    first.refresh_from_db()
    assert first.status == "failed" and _tax_collected() == TAX and refundable(Order.objects.get(pk=order.pk)) == PAID
    assert webhook(failed)["status"] == "processed" and _tax_collected() == TAX  # replayed: put back once
    small = services.order_refund(order=order, actor=moderator, amount_minor=1)
    assert small.tax_minor == 0  # 1,900 / 11,905 of a unit rounds to nothing
    rest = services.order_refund(order=order, actor=moderator, amount_minor=PAID - 1)
    assert rest.tax_minor == TAX and _tax_collected() == 0 and owed(likeness.owner) == 0
    with pytest.raises(Conflict):
        services.order_refund(order=order, actor=moderator, amount_minor=1)
    assert_ledger_balanced()


def test_no_sequence_of_refunds_returns_more_tax_than_was_collected(stripe_server, webhook, settings):
    """An attacker's split: many one-unit refunds (each rounding up would return a unit of tax each
    time), then the rest. The tax returned follows T x refunded / paid, and ends at T exactly."""
    _, order = _taxed_order(stripe_server, webhook, settings)
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    back = 0
    for _ in range(12):
        r = services.order_refund(order=order, actor=moderator, amount_minor=1)
        back += r.amount_minor
        returned = TAX - _tax_collected()
        assert returned == (2 * TAX * back + PAID) // (2 * PAID) and returned <= TAX
    assert tax_part(order, refundable(order)) == TAX - (TAX - _tax_collected())
    services.order_refund(order=order, actor=moderator, amount_minor=refundable(order))
    assert _tax_collected() == 0 and sum(Refund.objects.values_list("tax_minor", flat=True)) == TAX
    assert_ledger_balanced()


def test_an_untaxed_order_is_refunded_as_before(stripe_server, webhook):
    _, offer = listed_likeness(price_minor=4_000)
    order = services.order_create(buyer=UserFactory(kind=User.Kind.BRAND), offer=offer)
    webhook(stripe_server.complete_session(order.checkout_session_id))
    order.refresh_from_db()
    refund = services.order_refund(order=order, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=4_000)
    assert (refund.amount_minor, refund.tax_minor) == (4_000, 0)
    assert not LedgerEntry.objects.filter(account__kind=LedgerAccount.Kind.TAX_COLLECTED).exists()
    assert_ledger_balanced()


def test_a_lost_dispute_of_the_whole_charge_returns_the_tax_once(stripe_server, webhook, settings):
    """A chargeback takes what the buyer paid, tax included: its tax part leaves tax_collected as a
    refund's would (before, all of it was taken from the price's shares and the platform)."""
    likeness, order = _taxed_order(stripe_server, webhook, settings)
    opened = stripe_server.dispute(order.charge_id)
    assert webhook(opened)["status"] == "processed"
    lost = stripe_server.close_dispute(opened["data"]["object"]["id"], won=False)
    assert webhook(lost)["status"] == "processed"
    assert _tax_collected() == 0 and owed(likeness.owner) == 0
    before = _ledger()
    assert webhook(lost)["status"] == "processed"  # replayed
    assert _ledger() == before
    order.refresh_from_db()
    assert order.status == "refunded" and refundable(order) == 0
    assert_ledger_balanced()
