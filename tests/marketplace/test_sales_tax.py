"""Stripe Tax on every licence sale, through the real SDK against the project's Stripe-shaped server
and webhooks signed Stripe's way: a campaign's one Checkout (tax per line item, read back from the
session's line items), an add-on; prepaid credit untaxed. Each order's tax is booked to
tax_collected exactly and invoiced with the buyer's details; a payment short by the tax grants
nothing; a duplicate webhook changes nothing; a line refused at payment is refunded with its tax."""
import pytest
from django.db.models import Sum

from accounts.errors import Conflict
from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence
from marketplace import services
from marketplace.models import (
    CheckoutBundle,
    Invoice,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    LicenceAddOn,
    Order,
    PaymentEvent,
)
from marketplace.payments import gateway_for
from marketplace.services.addons import addon_create
from marketplace.services.bundles import bundle_checkout_create, bundle_mark_paid
from marketplace.services.events import payment_event_ingest
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.money import assert_ledger_balanced, owed

pytestmark = pytest.mark.django_db

# 19% of each line, rounded down per line (as Stripe Tax computes per line item): 190 + 380 + 570
# = 1,140, where 19% of the bundle's 6,015 would round to 1,142. Only a per-line attribution is right.
PRICES = [1_005, 2_005, 3_005]
TAX = {1_005: 190, 2_005: 380, 3_005: 570}
BUYER = {"name": "Fizz GmbH", "email": "billing@fizz.example", "tax_ids": [{"type": "eu_vat", "value": "DE811907980"}],
         "address": {"line1": "Hauptstr. 5", "city": "Berlin", "postal_code": "10115", "country": "DE"}}


def _taxed(stripe_server, settings):
    settings.STRIPE_AUTOMATIC_TAX = True
    stripe_server.tax_bps = 1_900
    stripe_server.customer = dict(BUYER)


def _bundle(buyer=None) -> CheckoutBundle:
    buyer = buyer or UserFactory(kind=User.Kind.BRAND)
    orders = []
    for i, price in enumerate(PRICES):
        _, offer = listed_likeness(name=f"Talent {i:02d}", price_minor=price)
        orders.append(services.order_create(buyer=buyer, offer=offer, checkout=False))
    return bundle_checkout_create(buyer=buyer, orders=orders, title="Autumn", return_url="https://example.test/c/")


def _tax_collected() -> int:
    return -services.account_balance(services.account_for(kind=LedgerAccount.Kind.TAX_COLLECTED, currency="gbp"))


def _state() -> tuple:
    """Everything a payment writes: statuses, ledger, invoices."""
    return (sorted(Order.objects.values_list("status", flat=True)), LedgerTransaction.objects.count(), LedgerEntry.objects.count(),
            sorted(Invoice.objects.values_list("number", "tax_minor")), CheckoutBundle.objects.get().status)


def test_a_taxed_bundle_books_and_invoices_each_orders_own_tax_once(stripe_server, webhook, settings, client):
    _taxed(stripe_server, settings)
    bundle = _bundle()
    (created,) = stripe_server.posts("/v1/checkout/sessions")
    assert created["params"]["automatic_tax"] == {"enabled": "true"} and created["params"]["billing_address_collection"] == "required"
    by_line = {li["metadata"]["order_id"]: int(li["price_data"]["unit_amount"]) for li in created["params"]["line_items"]}
    assert by_line == {str(o.pk): o.amount_minor for o in bundle.orders.all()}
    event = stripe_server.complete_session(bundle.checkout_session_id)
    assert event["data"]["object"]["amount_total"] == sum(PRICES) + 1_140
    assert webhook(event)["status"] == "processed"
    (read,) = [r for r in stripe_server.requests if r["path"].endswith("/line_items")]
    assert read["method"] == "GET" and read["params"]["expand"] == ["data.taxes"]

    bundle.refresh_from_db()
    assert bundle.status == "paid" and bundle.refund_minor == 0
    for order in Order.objects.select_related("invoice"):
        assert order.status == "paid"
        (tax,) = LedgerTransaction.objects.filter(order=order, kind=LedgerTransaction.Kind.TAX)
        assert tax.idempotency_key == f"tax-{order.pk}"
        owed_to_tax = tax.entries.get(account__kind=LedgerAccount.Kind.TAX_COLLECTED).amount_minor
        assert owed_to_tax == -TAX[order.amount_minor]
        # the tax is not shared: the sale's parties split the price alone
        sale = LedgerTransaction.objects.get(order=order, kind=LedgerTransaction.Kind.SALE)
        assert -sale.entries.exclude(account__kind=LedgerAccount.Kind.CLEARING).aggregate(t=Sum("amount_minor"))["t"] == order.amount_minor
        inv = order.invoice
        assert (inv.subtotal_minor, inv.tax_minor, inv.total_minor) == (order.amount_minor, TAX[order.amount_minor],
                                                                        order.amount_minor + TAX[order.amount_minor])
        assert inv.tax_lines == [{"label": "VAT", "percentage": 19.0, "jurisdiction": "DE", "amount_minor": TAX[order.amount_minor]}]
        assert inv.buyer["name"] == "Fizz GmbH" and inv.buyer["country"] == "DE" and inv.buyer["address"]["city"] == "Berlin"
        assert inv.buyer["tax_ids"] == [{"type": "eu_vat", "value": "DE811907980"}]
    assert _tax_collected() == 1_140 == event["data"]["object"]["total_details"]["amount_tax"]
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2, 3]  # no gap, no duplicate
    assert_ledger_balanced()
    client.force_login(bundle.buyer)
    one = Order.objects.get(amount_minor=2_005)
    body = client.get(f"/receipts/{one.pk}/invoice/").content.decode()
    for seen in ("Fizz GmbH", "Tax id: DE811907980", "VAT 19% (DE)", "£3.80", "£23.85"):
        assert seen in body, seen

    # a duplicate delivery, and Stripe's other "paid" event for the same session: nothing changes
    before = _state()
    assert webhook(event)["status"] == "processed"
    again = {**event, "id": event["id"] + "_async", "type": "checkout.session.async_payment_succeeded"}
    assert webhook(again)["status"] == "processed"
    assert _state() == before and PaymentEvent.objects.filter(event_id=event["id"]).count() == 1
    assert _tax_collected() == 1_140
    assert_ledger_balanced()


def test_a_bundle_payment_short_by_the_tax_is_refused_and_grants_nothing(stripe_server, webhook, settings):
    _taxed(stripe_server, settings)
    bundle = _bundle()
    event = stripe_server.complete_session(bundle.checkout_session_id)
    short = {**event, "data": {"object": {**event["data"]["object"], "amount_total": sum(PRICES)}}}  # the price, not its tax
    out = webhook(short)
    assert out["status"] == "failed"
    stored = PaymentEvent.objects.get(event_id=event["id"])
    assert "does not match" in stored.error and "1140 tax" in stored.error
    assert set(Order.objects.values_list("status", flat=True)) == {"pending"}
    assert set(Licence.objects.values_list("status", flat=True)) == {"pending"}
    assert not LedgerTransaction.objects.exists() and not Invoice.objects.exists() and CheckoutBundle.objects.get().status == "pending"


def test_tax_that_cannot_be_attributed_to_the_bundles_orders_grants_nothing(stripe_server, settings):
    """Line items that do not add up to the session's tax, a taxed line naming another order, or no
    line items at all for a taxed session: refused (a Conflict), nothing granted or booked."""
    _taxed(stripe_server, settings)
    bundle = _bundle()
    session = stripe_server.complete_session(bundle.checkout_session_id)["data"]["object"]
    items = gateway_for("stripe").checkout_line_items(session_id=bundle.checkout_session_id)
    assert sorted(i["amount_tax"] for i in items) == [190, 380, 570] and all(i["taxes"] for i in items)
    stranger = listed_likeness(name="Elsewhere")[1]
    other = services.order_create(buyer=UserFactory(kind=User.Kind.BRAND), offer=stranger, checkout=False)
    wrong = [
        None,
        items[:2],
        [items[0], items[1], {**items[2], "metadata": {"order_id": str(other.pk)}}],
        [items[0], items[1], {**items[2], "metadata": {"order_id": items[1]["metadata"]["order_id"]}}],
        [items[0], items[1], {**items[2], "amount_tax": -570}],
    ]
    for line_items in wrong:
        with pytest.raises(Conflict):
            bundle_mark_paid(bundle_id=bundle.pk, reference="evt_x", amount_minor=session["amount_total"], currency="gbp",
                             checkout=session, line_items=line_items)
    assert set(Order.objects.values_list("status", flat=True)) == {"pending"}
    assert not LedgerTransaction.objects.exists() and not Invoice.objects.exists()


@pytest.mark.django_db(transaction=True)  # the refund is asked for after the grant commits
def test_a_line_revoked_before_payment_is_refunded_with_its_tax(stripe_server, webhook, settings):
    _taxed(stripe_server, settings)
    bundle = _bundle()
    gone = Order.objects.get(amount_minor=2_005)
    licensing.likeness_revoke(likeness=gone.offer.likeness, actor=gone.offer.likeness.owner)  # between checkout and payment
    assert webhook(stripe_server.complete_session(bundle.checkout_session_id))["status"] == "processed"
    bundle.refresh_from_db()
    assert bundle.status == "paid" and bundle.refund_minor == 2_005 + 380
    (refund,) = stripe_server.posts("/v1/refunds")
    assert refund["params"] == {"payment_intent": bundle.payment_intent_id, "amount": str(2_005 + 380), "metadata": {"bundle_id": str(bundle.pk), "attempt": "1"}}
    assert Order.objects.get(pk=gone.pk).status == "cancelled"
    assert not LedgerTransaction.objects.filter(order=gone).exists() and not Invoice.objects.filter(order=gone).exists()
    assert _tax_collected() == 190 + 570
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2]  # the refused line takes no number
    assert sorted(Invoice.objects.values_list("tax_minor", flat=True)) == [190, 570]
    charge = stripe_server.charges[bundle.charge_id]
    assert charge["amount"] - charge["amount_refunded"] == 1_005 + 190 + 3_005 + 570  # kept: exactly the granted lines and their tax
    # the refund's own webhook settles nothing twice (applied when it was made); the charge's is not a sale's refund
    for e in [e for e in stripe_server.events if e["type"] in ("refund.created", "charge.refunded")]:
        assert webhook(e)["status"] == ("processed" if e["type"] == "refund.created" else "ignored")
    assert LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REFUND_SETTLED).count() == 1
    assert_ledger_balanced()


def test_an_add_on_is_taxed_its_tax_owed_not_shared_and_a_short_payment_refused(stripe_server, webhook, settings):
    likeness, _ = listed_likeness()
    offer = services.offer_create(likeness=likeness, actor=likeness.owner, title="Extendable", price_minor=10_000, currency="gbp",
                                  generation_quota=5, addon_generation_price_minor=201, addon_day_price_minor=0)
    brand = UserFactory(kind=User.Kind.BRAND)
    order = services.order_create(buyer=brand, offer=offer)
    webhook(stripe_server.complete_session(order.checkout_session_id))
    order.refresh_from_db()
    _taxed(stripe_server, settings)
    addon = addon_create(buyer=brand, licence=Licence.objects.get(pk=order.licence_id), generations=7)
    assert stripe_server.posts("/v1/checkout/sessions")[-1]["params"]["automatic_tax"] == {"enabled": "true"}
    event = stripe_server.complete_session(addon.checkout_session_id)
    assert event["data"]["object"]["amount_total"] == 1_407 + 267  # 19% of 1,407, rounded down
    short = {**event, "id": event["id"] + "_short", "data": {"object": {**event["data"]["object"], "amount_total": 1_407}}}
    assert payment_event_ingest(backend="stripe", event=short).status == "failed"
    assert LicenceAddOn.objects.get().status == "pending" and _tax_collected() == 0
    before = owed(likeness.owner)
    assert webhook(event)["status"] == "processed"
    addon.refresh_from_db()
    assert addon.status == "paid"
    assert _tax_collected() == 267
    (tax,) = LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.TAX, idempotency_key=f"addon-tax-{addon.pk}")
    assert tax.external_id == addon.charge_id
    fee = 1_407 * settings.PLATFORM_FEE_BPS // 10_000
    assert owed(likeness.owner) - before == 1_407 - fee  # the talent shares the price, not the tax
    assert webhook(event)["status"] == "processed" and _tax_collected() == 267  # a duplicate changes nothing
    services.provider_fees_sync()
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, report.differences
    assert_ledger_balanced()


def test_prepaid_credit_is_not_taxed_when_bought(stripe_server, webhook, settings):
    """A top-up is a multi-purpose voucher: tax falls when the credit is spent on a licence."""
    _taxed(stripe_server, settings)
    topup = services.topup_create(buyer=UserFactory(kind=User.Kind.BRAND), amount_minor=5_000, currency="gbp")
    params = stripe_server.posts("/v1/checkout/sessions")[-1]["params"]
    assert "automatic_tax" not in params
    assert webhook(stripe_server.complete_session(topup.checkout_session_id))["status"] == "processed"
    topup.refresh_from_db()
    assert topup.status == "paid" and _tax_collected() == 0


def test_one_message_says_a_payment_does_not_match_the_price_and_its_tax():
    """Orders, campaign checkouts and add-ons ask one check: the amount and the currency must both
    be the price plus its tax; its message is one sentence, translated as a whole."""
    from marketplace.services.checkouts import payment_must_match

    payment_must_match(noun="order", amount_minor=1_190, currency="GBP", price_minor=1_000, price_currency="gbp", tax=190)
    payment_must_match(noun="order", amount_minor=None, currency=None, price_minor=1_000, price_currency="gbp", tax=190)
    for amount, currency in ((1_000, "gbp"), (1_191, "gbp"), (1_190, "eur")):
        with pytest.raises(Conflict) as refused:
            payment_must_match(noun="add-on", amount_minor=amount, currency=currency, price_minor=1_000, price_currency="gbp", tax=190)
        assert refused.value.message == f"The payment ({amount} {currency}) does not match the add-on (1000 gbp and 190 tax)."
    with pytest.raises(Conflict, match=r"^The payment \(999 gbp\) does not match the checkout \(1000 gbp\)\.$"):
        payment_must_match(noun="checkout", amount_minor=999, currency="gbp", price_minor=1_000, price_currency="gbp", tax=0)


def test_a_paid_add_on_gets_its_own_fixed_invoice_in_the_same_series_seen_by_its_buyer_alone(stripe_server, webhook, settings, client):
    from django.db import IntegrityError, transaction

    likeness, _ = listed_likeness()
    offer = services.offer_create(likeness=likeness, actor=likeness.owner, title="Extendable", price_minor=10_000, currency="gbp",
                                  generation_quota=5, addon_generation_price_minor=201, addon_day_price_minor=0)
    brand = UserFactory(kind=User.Kind.BRAND)
    order = services.order_create(buyer=brand, offer=offer)
    webhook(stripe_server.complete_session(order.checkout_session_id))
    _taxed(stripe_server, settings)
    licence = Licence.objects.get(pk=order.licence_id)
    addon = addon_create(buyer=brand, licence=licence, generations=7)
    client.force_login(brand)
    assert client.get(f"/receipts/add-ons/{addon.pk}/invoice/").status_code == 404  # not paid: no invoice
    event = stripe_server.complete_session(addon.checkout_session_id)
    assert webhook(event)["status"] == "processed"
    assert webhook(event)["status"] == "processed"  # a duplicate: no second invoice, no number taken
    inv = Invoice.objects.get(addon=addon)
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2] and inv.number == 2 and inv.order is None
    assert Invoice.objects.get(order=order).number == 1
    assert (inv.subtotal_minor, inv.tax_minor, inv.total_minor) == (1_407, 267, 1_674) == (1_407, _tax_collected(), 1_674)
    assert inv.tax_lines == [{"label": "VAT", "percentage": 19.0, "jurisdiction": "DE", "amount_minor": 267}]
    assert inv.buyer["name"] == "Fizz GmbH" and inv.buyer["tax_ids"] == [{"type": "eu_vat", "value": "DE811907980"}]
    assert inv.licensor == {"name": likeness.name, "kind": "talent"} and "7 more generations" in inv.lines[0]["description"]
    page = client.get(f"/receipts/add-ons/{addon.pk}/invoice/").content.decode()
    for seen in (inv.reference, "Fizz GmbH", "VAT 19% (DE)", "£2.67", "£16.74", "7 more generations"):
        assert seen in page, seen
    assert inv.reference in client.get(f"/licences/{licence.pk}/add-ons/").content.decode()
    client.force_login(UserFactory(kind=User.Kind.BRAND))
    assert client.get(f"/receipts/add-ons/{addon.pk}/invoice/").status_code == 404  # someone else's
    # fixed once issued, as an order's; an invoice is for an order or an add-on, never both or neither
    for attempt in (lambda: Invoice.objects.filter(pk=inv.pk).update(tax_minor=0, total_minor=1_407),
                    lambda: Invoice.objects.filter(pk=inv.pk).delete()):
        with pytest.raises(IntegrityError, match="fixed once issued"), transaction.atomic():
            attempt()
    with pytest.raises(IntegrityError, match="invoice_for_an_order_or_an_addon"), transaction.atomic():
        Invoice.objects.create(series="X", number=1, currency="gbp", subtotal_minor=1, total_minor=1)  # for nothing bought
    assert services.ledger_checks()["guards_missing"] == []
    assert_ledger_balanced()
