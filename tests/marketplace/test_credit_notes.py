"""Credit notes: every refund the provider confirms is documented once, against the invoice of the
purchase it refunds, numbered without gaps in its own series; price and tax as the refund split them
(the tax spread over the invoice's tax lines to the cent); a replayed webhook issues nothing more; a
refund not yet paid back or failed has none; only the buyer sees it; an issued note is fixed."""
import pytest
from django.db import DatabaseError, IntegrityError, transaction

from accounts.models import User
from marketplace import services
from marketplace.models import CreditNote, Refund
from marketplace.services.invoices import _spread, credit_note_issue
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.money import assert_ledger_balanced, buy
from tests.marketplace.test_refund_tax import PAID, TAX, _replay_refund_events, _taxed_order

pytestmark = pytest.mark.django_db


def test_refunds_in_thirds_get_three_notes_that_credit_exactly_what_went_back(stripe_server, webhook, settings, client):
    likeness, order = _taxed_order(stripe_server, webhook, settings)
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    parts = [3_968, 3_968, 3_969]
    refunds = [services.order_refund(order=order, actor=moderator, amount_minor=p) for p in parts]
    notes = [r.credit_note for r in refunds]
    assert [n.reference for n in notes] == ["RC-CN-000001", "RC-CN-000002", "RC-CN-000003"]
    for refund, note in zip(refunds, notes):
        assert note.invoice == order.invoice and note.currency == order.currency
        assert (note.total_minor, note.tax_minor, note.subtotal_minor) == (refund.amount_minor, refund.tax_minor, refund.amount_minor - refund.tax_minor)
        assert sum(t["amount_minor"] for t in note.tax_lines) == note.tax_minor
        assert note.tax_lines[0]["label"] == "VAT" and note.tax_lines[0]["jurisdiction"] == "DE"
        assert note.buyer == order.invoice.buyer and note.seller == order.invoice.seller
    # together the notes credit the whole invoice, tax to the cent
    assert sum(n.total_minor for n in notes) == PAID and sum(n.tax_minor for n in notes) == TAX == order.invoice.tax_minor

    _replay_refund_events(stripe_server, webhook)  # the refund webhooks again: no second note
    _replay_refund_events(stripe_server, webhook)
    assert CreditNote.objects.count() == 3
    assert_ledger_balanced()

    client.force_login(order.buyer)
    api = client.get(f"/api/receipts/{order.pk}/").json()
    assert [(n["reference"], n["total_minor"], n["tax_minor"], n["invoice"]) for n in api["credit_notes"]] == [
        (n.reference, n.total_minor, n.tax_minor, order.invoice.reference) for n in notes]
    receipt = client.get(f"/receipts/{order.pk}/").content.decode()
    assert all(f"Credit note {n.reference}" in receipt for n in notes)
    page = client.get(f"/receipts/credit-notes/{refunds[1].pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "attachment" not in page.get("Content-Disposition", "")
    for seen in ("Credit note RC-CN-000002", f"credits invoice {order.invoice.reference}", "Fizz GmbH", "Tax id: DE811907980",
                 "VAT 19% (DE)", "-£33.34", "-£6.34", "-£39.68"):  # 3,968 = 3,334 price + 634 tax
        assert seen in body, seen
    download = client.get(f"/receipts/credit-notes/{refunds[1].pk}/?download=1")
    assert download["Content-Disposition"] == 'attachment; filename="credit-note-RC-CN-000002.html"'
    client.force_login(UserFactory(kind=User.Kind.BRAND))  # someone else's credit note reads as not found
    assert client.get(f"/receipts/credit-notes/{refunds[1].pk}/").status_code == 404
    client.force_login(moderator)  # not the buyer's document either
    assert client.get(f"/receipts/credit-notes/{refunds[1].pk}/").status_code == 404
    client.logout()
    assert client.get(f"/receipts/credit-notes/{refunds[1].pk}/").status_code == 302  # to log in


def test_a_refund_made_at_stripes_dashboard_gets_its_note(stripe_server, webhook, settings):
    likeness, order = _taxed_order(stripe_server, webhook, settings)
    stripe_server.refund_from_dashboard(order.payment_intent_id, PAID)
    _replay_refund_events(stripe_server, webhook)
    (note,) = CreditNote.objects.all()
    assert (note.total_minor, note.tax_minor, note.refund.reason) == (PAID, TAX, "external")
    assert "Refund (Made at the payment provider) of invoice" in note.lines[0]["description"]


def test_a_refund_not_yet_paid_back_or_failed_has_no_note(stripe_server, webhook, settings):
    likeness, order = _taxed_order(stripe_server, webhook, settings)
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    stripe_server.refund_status = "pending"  # the provider takes its time
    refund = services.order_refund(order=order, actor=moderator, amount_minor=5_000)
    assert refund.status == "pending" and not CreditNote.objects.exists()
    failed = stripe_server.fail_refund(refund.provider_refund_id)
    assert webhook(failed)["status"] == "processed"
    refund.refresh_from_db()
    assert refund.status == "failed" and not CreditNote.objects.exists()


def test_an_untaxed_refunds_note_is_fixed_and_issuing_again_returns_it():
    _, offer = listed_likeness(price_minor=5_000)
    order = buy(UserFactory(kind=User.Kind.BRAND), offer)
    refund = services.order_refund(order=order, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=2_000)
    note = refund.credit_note  # an untaxed order: a note without tax
    assert (note.total_minor, note.subtotal_minor, note.tax_minor, note.tax_lines) == (2_000, 2_000, 0, [])
    assert credit_note_issue(refund=Refund.objects.get(pk=refund.pk)) == note and CreditNote.objects.count() == 1
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        CreditNote.objects.filter(pk=note.pk).update(total_minor=1, subtotal_minor=1)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        CreditNote.objects.filter(pk=note.pk).delete()
    assert CreditNote.objects.get(pk=note.pk).total_minor == 2_000


@pytest.mark.parametrize("total, weights", [(634, [1_900]), (1, [3, 3, 3]), (100, [1, 1, 1]), (1_899, [950, 949, 1]), (7, [0, 0]), (0, [5, 5])])
def test_tax_spread_over_lines_adds_up_and_stays_within_a_unit_of_its_share(total, weights):
    parts = _spread(total, weights)
    assert sum(parts) == total and all(p >= 0 for p in parts)
    whole = sum(weights)
    if whole:
        assert all(abs(p - total * w / whole) < 1 for p, w in zip(parts, weights))


def test_a_refund_the_provider_returns_after_it_succeeded_keeps_its_note_which_says_so(stripe_server, webhook, settings, client):
    likeness, order = _taxed_order(stripe_server, webhook, settings)
    refund = services.order_refund(order=order, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=5_000)
    note = refund.credit_note
    assert webhook(stripe_server.fail_refund(refund.provider_refund_id))["status"] == "processed"
    refund.refresh_from_db()
    assert refund.status == "failed" and CreditNote.objects.get() == note  # fixed: never edited or deleted
    client.force_login(order.buyer)
    assert "Credit note" not in client.get(f"/receipts/{order.pk}/").content.decode()  # the receipt lists no failed refund
    assert "returned this refund after this note was issued" in client.get(f"/receipts/credit-notes/{refund.pk}/").content.decode()
    assert_ledger_balanced()



def test_the_receipts_list_reads_credit_notes_without_a_query_per_refund(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    brand, moderator = UserFactory(kind=User.Kind.BRAND), UserFactory(kind=User.Kind.MODERATOR)
    client.force_login(brand)

    def refunded_purchase():
        _, offer = listed_likeness(price_minor=5_000)
        services.order_refund(order=buy(brand, offer), actor=moderator, amount_minor=1_000)

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            page = client.get("/receipts/")
        assert page.status_code == 200
        return len(seen)

    refunded_purchase()
    one = queries()
    refunded_purchase()
    refunded_purchase()
    assert queries() == one and client.get("/receipts/").content.decode().count("Credit note RC-CN-") == 3
    assert len(client.get("/api/receipts/").json()["orders"][0]["credit_notes"]) == 1
