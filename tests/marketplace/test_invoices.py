"""Receipts that are invoices: seller and buyer details (as Checkout collected them, tax ids
included), the tax Stripe Tax computed (none without it), numbered in the seller's series without
gaps (a rolled-back issue gives its number back); a page, a printable and a downloadable form;
only the buyer sees it. With tax, the ledger still matches the provider to the cent."""
import pytest
from django.db import transaction

from accounts.models import User
from marketplace import services
from marketplace.models import Invoice, LedgerAccount
from marketplace.services.invoices import invoice_issue
from tests.factories import UserFactory, listed_likeness, studio_with_asset
from tests.marketplace.money import assert_ledger_balanced, buy

pytestmark = pytest.mark.django_db


def test_each_paid_purchase_gets_the_next_number_and_its_page_says_who_sold_what_to_whom(client, settings):
    settings.INVOICE_SELLER = {"name": "Rightscast Ltd", "address": "2 Quay Lane\nBristol BS1 1AA", "country": "GB", "tax_id": "GB123456789"}
    likeness, offer = listed_likeness(name="Nia Talent", price_minor=25_000)
    brand = UserFactory(kind=User.Kind.BRAND, display_name="Fizz Co")
    first, second = buy(brand, offer), buy(UserFactory(kind=User.Kind.BRAND), offer)
    assert (first.invoice.reference, second.invoice.reference) == ("RC-000001", "RC-000002")
    inv = first.invoice
    assert (inv.subtotal_minor, inv.tax_minor, inv.total_minor, inv.tax_lines) == (25_000, 0, 25_000, [])
    assert inv.buyer["name"] == "Fizz Co" and inv.licensor == {"name": "Nia Talent", "kind": "talent"}
    client.force_login(brand)
    receipt = client.get(f"/receipts/{first.pk}/").content.decode()
    assert "Invoice RC-000001" in receipt
    page = client.get(f"/receipts/{first.pk}/invoice/")
    body = page.content.decode()
    assert page.status_code == 200 and "attachment" not in page.get("Content-Disposition", "")
    for seen in ("Invoice RC-000001", "Rightscast Ltd", "Bristol BS1 1AA", "United Kingdom", "Tax id: GB123456789", "Fizz Co",
                 "Licensed from Nia Talent (talent)", "No tax charged", "£250.00"):
        assert seen in body, seen
    download = client.get(f"/receipts/{first.pk}/invoice/?download=1")
    assert download["Content-Disposition"] == 'attachment; filename="invoice-RC-000001.html"'
    assert "Invoice RC-000001" in download.content.decode()
    assert "RC-000001" in client.get("/receipts/").content.decode()
    client.force_login(UserFactory(kind=User.Kind.BRAND))  # someone else's invoice reads as not found
    assert client.get(f"/receipts/{first.pk}/invoice/").status_code == 404
    client.logout()
    assert client.get(f"/receipts/{first.pk}/invoice/").status_code == 302  # to log in


def test_a_studio_sale_names_the_studio_and_a_free_grant_has_no_invoice():
    asset, member = studio_with_asset(name="Captain Comet")
    offer = services.offer_create(ip_asset=asset, actor=member, title="Character", price_minor=4_000, currency="eur")
    inv = buy(UserFactory(kind=User.Kind.BRAND), offer).invoice
    assert inv.licensor == {"name": asset.studio.name, "kind": "studio", "work": "Captain Comet"} and inv.currency == "eur"
    likeness, _ = listed_likeness()
    free = services.offer_create(likeness=likeness, actor=likeness.owner, title="Free", price_minor=0, currency="gbp")
    assert not Invoice.objects.filter(order=buy(UserFactory(kind=User.Kind.CREATOR), free)).exists()


def test_a_number_taken_by_a_purchase_that_rolls_back_is_given_to_the_next(django_capture_on_commit_callbacks):
    likeness, offer = listed_likeness()
    paid = buy(UserFactory(kind=User.Kind.BRAND), offer)
    assert paid.invoice.number == 1
    pending = services.order_create(buyer=UserFactory(kind=User.Kind.BRAND), offer=offer)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert invoice_issue(order=pending).number == 2
        raise RuntimeError("the purchase failed after its number was taken")
    assert not Invoice.objects.filter(order=pending).exists()
    assert services.offline_checkout_complete(order=pending, buyer=pending.buyer, pay=True).invoice.number == 2


def test_stripe_tax_lines_buyer_details_and_the_ledger_to_the_cent(stripe_server, webhook, client, settings):
    settings.STRIPE_AUTOMATIC_TAX = True
    stripe_server.tax_bps = 1_900
    stripe_server.customer = {"name": "Fizz GmbH", "email": "billing@fizz.example", "tax_ids": [{"type": "eu_vat", "value": "DE811907980"}],
                              "address": {"line1": "Hauptstr. 5", "city": "Berlin", "postal_code": "10115", "country": "DE"}}
    likeness, offer = listed_likeness(price_minor=10_000)
    buyer = UserFactory(kind=User.Kind.BRAND)
    order = services.order_create(buyer=buyer, offer=offer)
    session = stripe_server.requests[-1]["params"]
    assert session["billing_address_collection"] == "required" and session["tax_id_collection"] == {"enabled": "true"}
    webhook(stripe_server.complete_session(order.checkout_session_id))
    order.refresh_from_db()
    assert order.status == "paid"
    inv = order.invoice
    assert (inv.subtotal_minor, inv.tax_minor, inv.total_minor) == (10_000, 1_900, 11_900)
    assert inv.tax_lines == [{"label": "VAT", "percentage": 19.0, "jurisdiction": "DE", "amount_minor": 1_900}]
    assert inv.buyer["country"] == "DE" and inv.buyer["tax_ids"] == [{"type": "eu_vat", "value": "DE811907980"}]
    tax_owed = services.account_balance(services.account_for(kind=LedgerAccount.Kind.TAX_COLLECTED, currency="gbp"))
    assert tax_owed == -1_900  # owed to the tax authorities, not shared with anyone
    services.provider_fees_sync()
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, report.differences
    client.force_login(buyer)
    body = client.get(f"/receipts/{order.pk}/invoice/").content.decode()
    for seen in ("Fizz GmbH", "Hauptstr. 5", "Germany", "Tax id: DE811907980", "VAT 19% (DE)", "£19.00", "£119.00"):
        assert seen in body, seen
    assert "19.0%" not in body  # the rate as a person writes it, not Stripe's float
    german = client.get(f"/receipts/{order.pk}/invoice/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert "VAT 19\xa0% (DE)" in german and "119,00\xa0£" in german  # the viewer's locale: rate and money alike
    assert_ledger_balanced()


def test_a_payment_that_does_not_match_the_price_and_its_tax_is_refused(stripe_server, webhook):
    stripe_server.tax_bps = 2_000  # set up at Stripe, but the session was made without automatic_tax: no tax
    likeness, offer = listed_likeness(price_minor=10_000)
    order = services.order_create(buyer=UserFactory(kind=User.Kind.BRAND), offer=offer)
    event = stripe_server.complete_session(order.checkout_session_id)
    event["data"]["object"]["total_details"] = {"amount_tax": 500}  # claims tax the total does not carry
    from marketplace.services.events import payment_event_ingest

    stored = payment_event_ingest(backend="stripe", event=event)
    assert stored.status == "failed" and "does not match" in stored.error
    order.refresh_from_db()
    assert order.status == "pending" and not Invoice.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_issued_invoice_cannot_be_edited_or_deleted_by_any_code_path():
    """A hostile or careless write (the ORM, a queryset, raw SQL) to an issued invoice is refused by
    the database, and the invoice reads as it was issued; `manage.py flush` still empties it.

    Transactional, as `manage.py flush` really runs: in its own transaction. Inside the test's
    wrapping transaction, PostgreSQL refuses the flush's TRUNCATE ("pending trigger events"): the
    rows the test wrote queued checks of Django's foreign keys, which are DEFERRABLE INITIALLY
    DEFERRED and fire at commit, and TRUNCATE cannot run past queued events on its table. The
    guards themselves are unchanged: every edit and delete is still refused on both databases."""
    from django.core.management import call_command

    assert_invoices_are_fixed()
    call_command("flush", interactive=False, verbosity=0)
    assert not Invoice.objects.exists()


def assert_invoices_are_fixed():
    """(Also run on PostgreSQL by tests/integration/test_records_append_only.py.)"""
    from django.db import IntegrityError, connection

    likeness, offer = listed_likeness(price_minor=25_000)
    inv = buy(UserFactory(kind=User.Kind.BRAND), offer).invoice
    attempts = [
        lambda: Invoice.objects.filter(pk=inv.pk).update(total_minor=1, subtotal_minor=1),
        lambda: Invoice.objects.filter(pk=inv.pk).update(buyer={"name": "Someone else"}),
        lambda: Invoice.objects.filter(pk=inv.pk).delete(),
        lambda: connection.cursor().execute("UPDATE marketplace_invoice SET number = number + 1"),
        lambda: connection.cursor().execute("DELETE FROM marketplace_invoice"),
    ]
    for attempt in attempts:
        with pytest.raises(IntegrityError, match="fixed once issued"):
            with transaction.atomic():
                attempt()
    inv.lines = [{"description": "changed", "amount_minor": 1}]
    with pytest.raises(IntegrityError, match="fixed once issued"):
        with transaction.atomic():
            inv.save()
    fresh = Invoice.objects.get(pk=inv.pk)
    assert (fresh.number, fresh.buyer, fresh.total_minor, fresh.lines[0]["amount_minor"]) == (inv.number, inv.buyer, 25_000, 25_000)
    assert services.ledger_checks()["guards_missing"] == []
