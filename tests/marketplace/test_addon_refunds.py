"""A paid add-on is refunded as an order is: by a moderator (page and API) or at Stripe's dashboard
(its webhook matched to the add-on by its payment), never more than was paid (price and tax), its
shares and tax reversed by the order's own functions under keys of its own (the order's refundable
amount untouched), refunded once all of it went back, paid again when the refund fails; a credit
note per confirmed refund crediting the add-on's invoice, the tax spread to the cent, seen by its
buyer alone; a replayed webhook posts nothing twice. Through the real SDK against the project's
Stripe-shaped server, webhooks signed as Stripe signs them."""
import pytest
from django.db import IntegrityError, transaction

from accounts.errors import Conflict, Forbidden
from accounts.models import User
from licensing.models import Licence
from marketplace import services
from marketplace.models import CreditNote, Dispute, LedgerAccount, LedgerEntry, LedgerTransaction, LicenceAddOn, Refund
from marketplace.services.addons import addon_create
from marketplace.services.refunds import order_tax, refundable
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.money import assert_ledger_balanced, owed
from tests.marketplace.test_refund_tax import _replay_refund_events
from tests.marketplace.test_sales_tax import _tax_collected, _taxed

pytestmark = pytest.mark.django_db

PRICE, TAX = 1_407, 267  # 7 generations at 2.01; 19% of 1,407 rounded down, as Stripe Tax does per line
PAID = PRICE + TAX


def _taxed_addon(stripe_server, webhook, settings):
    """A licence bought untaxed, then a taxed add-on to it paid through Checkout's webhook."""
    likeness, _ = listed_likeness()
    offer = services.offer_create(likeness=likeness, actor=likeness.owner, title="Extendable", price_minor=10_000, currency="gbp",
                                  generation_quota=5, addon_generation_price_minor=201, addon_day_price_minor=0)
    brand = UserFactory(kind=User.Kind.BRAND)
    order = services.order_create(buyer=brand, offer=offer)
    assert webhook(stripe_server.complete_session(order.checkout_session_id))["status"] == "processed"
    order.refresh_from_db()
    owed_before = owed(likeness.owner)
    _taxed(stripe_server, settings)
    addon = addon_create(buyer=brand, licence=Licence.objects.get(pk=order.licence_id), generations=7)
    assert webhook(stripe_server.complete_session(addon.checkout_session_id))["status"] == "processed"
    addon.refresh_from_db()
    assert addon.status == "paid" and order_tax(addon) == TAX == _tax_collected() and refundable(addon) == PAID
    return likeness, order, addon, owed_before


def _ledger() -> tuple:
    return LedgerTransaction.objects.count(), LedgerEntry.objects.count(), _tax_collected()


def test_an_add_on_refunded_in_two_steps_returns_its_shares_and_tax_exactly_and_no_more(stripe_server, webhook, settings, client):
    likeness, order, addon, owed_before = _taxed_addon(stripe_server, webhook, settings)
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    client.force_login(moderator)
    page = client.get(f"/moderation/add-ons/{addon.pk}/refund/").content.decode()
    assert 'id="refundable">£16.74<' in page and "paid £16.74 (tax £2.67" in page and "7 more generations" in page

    first = services.addon_refund(addon=addon, actor=moderator, amount_minor=1_000, note="half the generations unused")
    addon.refresh_from_db()
    # 267 x 1,000 / 1,674 = 159.5...: 159 of tax, the rest price
    assert (first.addon_id, first.order_id, first.status, first.tax_minor) == (addon.pk, None, "succeeded", 159)
    assert addon.status == "paid" and refundable(addon) == 674
    before = _ledger()
    with pytest.raises(Conflict, match="At most 674 GBP minor units of this add-on can still be refunded"):
        services.addon_refund(addon=addon, actor=moderator, amount_minor=675)
    assert _ledger() == before and Refund.objects.count() == 1  # refused whole: no row, no posting
    second = services.addon_refund(addon=addon, actor=moderator, amount_minor=674)
    assert second.tax_minor == TAX - 159 and second.status == "succeeded"
    assert [int(p["params"]["amount"]) for p in stripe_server.posts("/v1/refunds")] == [1_000, 674]
    assert stripe_server.posts("/v1/refunds")[0]["params"]["payment_intent"] == addon.payment_intent_id
    for refund in (first, second):  # reversed as an order's refund is, under the add-on's own keys, on its licence's order
        (txn,) = LedgerTransaction.objects.filter(idempotency_key=f"addon-{addon.pk}-refund-{refund.pk}")
        assert txn.kind == "refund" and txn.order_id == order.pk
        assert txn.entries.get(account__kind=LedgerAccount.Kind.TAX_COLLECTED).amount_minor == refund.tax_minor
        assert -txn.entries.get(account__kind=LedgerAccount.Kind.REFUNDS_DUE).amount_minor == refund.amount_minor
    addon.refresh_from_db()
    order.refresh_from_db()
    assert addon.status == "refunded" and refundable(addon) == 0
    assert _tax_collected() == 0 and owed(likeness.owner) == owed_before  # every share of the add-on back, tax to the cent
    # the licence's own purchase is untouched: still paid, all of it refundable, the licence active
    assert order.status == "paid" and refundable(order) == order.amount_minor and Licence.objects.get(pk=order.licence_id).status == "active"

    before = _ledger()
    with pytest.raises(Conflict, match="At most 0 GBP"):
        services.addon_refund(addon=addon, actor=moderator, amount_minor=1)
    _replay_refund_events(stripe_server, webhook)  # every refund webhook, twice over
    _replay_refund_events(stripe_server, webhook)
    assert _ledger() == before and Refund.objects.count() == 2 and CreditNote.objects.count() == 2

    # the credit notes: each credits the add-on's invoice, the two add up to it, tax to the cent
    notes = [first.credit_note, second.credit_note]
    invoice = addon.invoice
    assert [n.reference for n in notes] == ["RC-CN-000001", "RC-CN-000002"]
    assert [(n.subtotal_minor, n.tax_minor, n.total_minor) for n in notes] == [(841, 159, 1_000), (566, 108, 674)]
    assert all(n.invoice == invoice and n.buyer == invoice.buyer and n.licensor == invoice.licensor for n in notes)
    assert [n.tax_lines for n in notes] == [[{**invoice.tax_lines[0], "amount_minor": 159}], [{**invoice.tax_lines[0], "amount_minor": 108}]]
    assert sum(n.total_minor for n in notes) == invoice.total_minor and sum(n.tax_minor for n in notes) == invoice.tax_minor
    assert "7 more generations" in notes[0].lines[0]["description"] and invoice.reference in notes[0].lines[0]["description"]
    services.provider_fees_sync()
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, report.differences
    assert_ledger_balanced()

    # the buyer sees them where an order's are: the receipts page and API, the add-ons page, the invoice
    client.force_login(addon.buyer)
    receipts = client.get("/receipts/").content.decode()
    assert "Credit note RC-CN-000001" in receipts and "Credit note RC-CN-000002" in receipts
    (row,) = client.get("/api/receipts/").json()["addons"]
    assert (row["status"], row["refunded_minor"], row["tax_minor"], row["invoice"]) == ("refunded", PAID, TAX, invoice.reference)
    assert [(n["reference"], n["total_minor"], n["tax_minor"], n["invoice"]) for n in row["credit_notes"]] == [
        (n.reference, n.total_minor, n.tax_minor, invoice.reference) for n in notes]
    assert "Credit note RC-CN-000002" in client.get(f"/licences/{addon.licence_id}/add-ons/").content.decode()
    inv_page = client.get(f"/receipts/add-ons/{addon.pk}/invoice/").content.decode()
    assert "Refunded since: £16.74, of which tax £2.67" in inv_page
    note_page = client.get(f"/receipts/credit-notes/{second.pk}/")
    body = note_page.content.decode()
    assert note_page.status_code == 200
    for seen in ("Credit note RC-CN-000002", f"credits invoice {invoice.reference}", "Fizz GmbH", "VAT 19% (DE)", "-£5.66", "-£1.08",
                 "-£6.74", "Licence and add-ons", f"/licences/{addon.licence_id}/add-ons/"):
        assert seen in body, seen
    # nobody else reads them: another brand, the moderator who refunded it, no one signed in
    for other in (UserFactory(kind=User.Kind.BRAND), moderator):
        client.force_login(other)
        assert client.get(f"/receipts/credit-notes/{second.pk}/").status_code == 404
        assert client.get(f"/receipts/add-ons/{addon.pk}/invoice/").status_code == 404
        assert client.get("/api/receipts/").json()["addons"] == []
    client.logout()
    assert client.get(f"/receipts/credit-notes/{second.pk}/").status_code == 302


def test_a_dashboard_refund_of_an_add_ons_charge_is_matched_to_it_and_applied_once(stripe_server, webhook, settings):
    likeness, order, addon, owed_before = _taxed_addon(stripe_server, webhook, settings)
    events = stripe_server.refund_from_dashboard(addon.payment_intent_id, PAID)
    assert [e["type"] for e in events] == ["refund.created", "charge.refunded"]
    assert [webhook(e)["status"] for e in events] == ["processed", "processed"]  # before: deferred for ever (no order paid by it)
    (refund,) = Refund.objects.all()
    addon.refresh_from_db()
    assert (refund.addon_id, refund.reason, refund.amount_minor, refund.tax_minor, refund.status) == (addon.pk, "external", PAID, TAX, "succeeded")
    assert addon.status == "refunded" and _tax_collected() == 0 and owed(likeness.owner) == owed_before
    note = refund.credit_note
    assert (note.invoice, note.total_minor, note.tax_minor) == (addon.invoice, PAID, TAX)
    assert "Refund (Made at the payment provider) of invoice" in note.lines[0]["description"]
    before = _ledger()
    _replay_refund_events(stripe_server, webhook)  # the same webhooks again
    for e in events:  # and as new deliveries of the same facts (another event id)
        assert webhook({**e, "id": e["id"] + "_again"})["status"] == "processed"
    assert _ledger() == before and Refund.objects.count() == 1 and CreditNote.objects.count() == 1
    order.refresh_from_db()
    assert order.status == "paid" and refundable(order) == order.amount_minor
    services.provider_fees_sync()
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, report.differences
    assert_ledger_balanced()


def test_a_failed_add_on_refund_restores_its_shares_and_tax_and_it_reads_as_paid_again(stripe_server, webhook, settings):
    likeness, order, addon, owed_before = _taxed_addon(stripe_server, webhook, settings)
    with_addon = owed(likeness.owner)
    stripe_server.refund_status = "pending"  # the provider takes its time
    refund = services.addon_refund(addon=addon, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=PAID)
    addon.refresh_from_db()
    assert refund.status == "pending" and addon.status == "refunded" and owed(likeness.owner) == owed_before and _tax_collected() == 0
    assert not CreditNote.objects.exists()  # not paid back yet: no note
    failed = stripe_server.fail_refund(refund.provider_refund_id)
    assert webhook(failed)["status"] == "processed"
    refund.refresh_from_db()
    addon.refresh_from_db()
    assert refund.status == "failed" and addon.status == "paid" and refundable(addon) == PAID
    assert owed(likeness.owner) == with_addon and _tax_collected() == TAX and not CreditNote.objects.exists()
    (restored,) = LedgerTransaction.objects.filter(idempotency_key=f"addon-{addon.pk}-refund-failed-{refund.pk}")
    assert restored.kind == "refund_failed"
    before = _ledger()
    assert webhook(failed)["status"] == "processed"
    assert webhook({**failed, "id": failed["id"] + "_again"})["status"] == "processed"
    assert _ledger() == before
    assert_ledger_balanced()


def test_the_refund_api_for_an_add_on_is_idempotent_checks_its_input_and_is_for_moderators(stripe_server, webhook, settings, api):
    likeness, order, addon, _ = _taxed_addon(stripe_server, webhook, settings)
    url = f"/api/add-ons/{addon.pk}/refunds/"
    api.force_authenticate(addon.buyer)  # the buyer cannot refund themselves
    assert api.post(url, {"amount_minor": 100}, format="json").status_code == 403
    api.force_authenticate(UserFactory(kind=User.Kind.MODERATOR))
    r = api.post(url, {"amount_minor": 500}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["addon_id"], body["amount_minor"], body["tax_minor"], body["status"]) == (str(addon.pk), 500, 80, "succeeded")
    again = api.post(url, {"amount_minor": 500}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")  # a retried request
    assert again.status_code == 201 and again.json()["id"] == body["id"] and Refund.objects.count() == 1
    before = _ledger()
    for amount in (0, "ten", None):  # what is wrong, beside the field
        r = api.post(url, {"amount_minor": amount}, format="json")
        assert r.status_code == 400 and r.json()["amount_minor"], (amount, r.content)
    r = api.post(url, {"amount_minor": PAID}, format="json")  # more than is left
    assert r.status_code == 409 and "At most 1174 GBP minor units of this add-on can still be refunded" in r.json()["detail"]
    assert _ledger() == before and Refund.objects.count() == 1
    assert api.post("/api/add-ons/00000000-0000-0000-0000-000000000000/refunds/", {"amount_minor": 1}, format="json").status_code == 404
    # an add-on not paid yet has nothing to refund
    pending = addon_create(buyer=addon.buyer, licence=Licence.objects.get(pk=order.licence_id), generations=1)
    r = api.post(f"/api/add-ons/{pending.pk}/refunds/", {"amount_minor": 1}, format="json")
    assert r.status_code == 409 and r.json()["detail"] == "Only a paid add-on can be refunded."
    with pytest.raises(Forbidden):
        services.addon_refund(addon=addon, actor=addon.buyer, amount_minor=1)


def test_a_lost_dispute_of_an_add_ons_charge_reverses_its_shares_once(stripe_server, webhook, settings):
    likeness, order, addon, owed_before = _taxed_addon(stripe_server, webhook, settings)
    opened = stripe_server.dispute(addon.charge_id)
    assert webhook(opened)["status"] == "processed"  # before: deferred for ever
    lost = stripe_server.close_dispute(opened["data"]["object"]["id"], won=False)
    assert webhook(lost)["status"] == "processed"
    before = _ledger()
    assert webhook({**lost, "id": lost["id"] + "_again"})["status"] == "processed"
    assert _ledger() == before
    dispute = Dispute.objects.get()
    addon.refresh_from_db()
    order.refresh_from_db()
    assert (dispute.addon_id, dispute.order_id, dispute.status) == (addon.pk, None, "lost")
    assert addon.status == "refunded" and refundable(addon) == 0 and owed(likeness.owner) == owed_before and _tax_collected() == 0
    assert order.status == "paid" and refundable(order) == order.amount_minor
    assert_ledger_balanced()


def test_a_refund_is_of_exactly_one_of_an_order_or_an_add_on(stripe_server, webhook, settings):
    _, order, addon, _ = _taxed_addon(stripe_server, webhook, settings)
    for both_or_neither in ({"order": order, "addon": addon}, {}):
        with pytest.raises(IntegrityError, match="refund_of_order_or_addon"), transaction.atomic():
            Refund.objects.create(amount_minor=1, currency="gbp", reason="requested", **both_or_neither)
    assert LicenceAddOn.objects.get(pk=addon.pk).status == "paid"


def test_finance_links_a_moderator_from_an_add_on_sale_to_its_refund_page(stripe_server, webhook, settings, client):
    """The add-on's sale and its tax in the ledger browser lead a moderator to the add-on's refund
    page; the licence's own sale leads to the order's (finance is for staff, who may act as
    moderators)."""
    likeness, order, addon, _ = _taxed_addon(stripe_server, webhook, settings)
    client.force_login(UserFactory(kind=User.Kind.MODERATOR, is_staff=True))
    for key in (f"addon-{addon.pk}", f"addon-tax-{addon.pk}"):
        txn = LedgerTransaction.objects.get(idempotency_key=key)
        page = client.get(f"/finance/ledger/transactions/{txn.pk}/").content.decode()
        assert f'href="/moderation/add-ons/{addon.pk}/refund/"' in page and "/moderation/orders/" not in page
    sale = LedgerTransaction.objects.get(idempotency_key=f"sale-{order.pk}")
    page = client.get(f"/finance/ledger/transactions/{sale.pk}/").content.decode()
    assert f'href="/moderation/orders/{order.pk}/refund/"' in page and "/moderation/add-ons/" not in page
    assert client.get(f"/moderation/orders/{order.pk}/refund/").status_code == 200
    payment = LedgerTransaction.objects.filter(order=order).exclude(idempotency_key__startswith="addon-").exclude(pk=sale.pk).first()
    if payment is not None:  # the licence's other transactions (its payment's fees) lead to the order too
        assert f'href="/moderation/orders/{order.pk}/refund/"' in client.get(f"/finance/ledger/transactions/{payment.pk}/").content.decode()
