"""The demo's money states (seed_demo's seed_money_demo), built through the real services on the
offline backend: a paid add-on with its own invoice, partly refunded with a credit note, a taxed order partly refunded with its tax
part, a campaign checkout whose refund the provider failed until finance must act. Seeding again
adds nothing; the ledger balances; finance sees the failed refund and its retry says so once."""
import pytest
from django.db.models import Sum

from demo.management.commands.seed_demo import (
    ADDON_OFFER,
    BRAND,
    DEMO_USERS,
    ESTATE,
    REVOKED_ADDON_OFFER,
    Command,
    ensure_user,
    seed_money_demo,
)
from licensing import services as licensing
from marketplace import services
from marketplace.models import (
    CheckoutBundle,
    Dispute,
    Invoice,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    LicenceAddOn,
    Order,
    PaymentEvent,
    Refund,
)
from tests.factories import verified_likeness
from tests.marketplace.money import assert_ledger_balanced

pytestmark = pytest.mark.django_db(transaction=True)  # a checkout's refund is asked for after its grant commits


def _demo_users() -> dict:
    users = {email: ensure_user(email, name, kind) for email, name, kind in DEMO_USERS}
    estate = users[ESTATE]
    likeness = verified_likeness(owner=estate, name="Eileen Collins (demo)")
    services.offer_create(likeness=likeness, actor=estate, title="Social campaign, 30 days", price_minor=25_000, currency="gbp",
                          channels=["organic_social", "paid_social"], duration_days=30, generation_quota=20)
    licensing.likeness_publish(likeness=likeness, actor=estate)
    Command()._organisations(users)  # Captain Comet and its offer
    return users


def _counts() -> tuple:
    return (Order.objects.count(), LicenceAddOn.objects.count(), Invoice.objects.count(), Refund.objects.count(),
            CheckoutBundle.objects.count(), PaymentEvent.objects.count(), LedgerEntry.objects.count())


def test_the_demo_shows_an_addon_invoice_a_taxed_refund_and_a_failed_checkout_refund(client):
    users = _demo_users()
    seed_money_demo(users)
    brand = users[BRAND]

    (addon,) = LicenceAddOn.objects.filter(buyer=brand, licence__order__offer__title=ADDON_OFFER)
    assert addon.status == "paid" and (addon.generations, addon.days) == (10, 7)
    assert addon.invoice.total_minor == 6_500 and addon.invoice.tax_minor == 0
    (addon_refund,) = addon.refunds.all()  # £15.00 of it back, noted against the add-on's own invoice
    assert (addon_refund.amount_minor, addon_refund.tax_minor, addon_refund.status, addon_refund.order) == (1_500, 0, "succeeded", None)
    assert addon_refund.credit_note.invoice == addon.invoice and addon_refund.credit_note.total_minor == 1_500

    # a licence revoked by its talent after its own 30 days were spent: 7 of its add-on's 10 days come back pro rata
    (revoked,) = Order.objects.filter(buyer=brand, offer__title=REVOKED_ADDON_OFFER)
    assert revoked.licence.status == "revoked" and not revoked.refunds.exists()
    (extra,) = revoked.addons.all()
    (pro_rata,) = extra.refunds.all()
    assert (extra.days, extra.amount_minor, extra.status) == (10, 5_000, "paid")
    assert (pro_rata.reason, pro_rata.amount_minor, pro_rata.status) == ("revocation", 3_500, "succeeded")
    assert pro_rata.credit_note.invoice == extra.invoice

    (taxed,) = Order.objects.filter(buyer=brand, invoice__tax_minor__gt=0)
    assert (taxed.amount_minor, taxed.invoice.tax_minor, taxed.invoice.buyer["name"]) == (25_000, 5_000, "Fizzly Drinks Ltd")
    (refund,) = taxed.refunds.all()
    assert (refund.amount_minor, refund.tax_minor, refund.status) == (6_000, 1_000, "succeeded")
    tax_left = LedgerEntry.objects.filter(account__kind=LedgerAccount.Kind.TAX_COLLECTED).aggregate(t=Sum("amount_minor"))["t"]
    assert tax_left == -4_000  # 5,000 collected, 1,000 given back

    (bundle,) = CheckoutBundle.objects.filter(buyer=brand, refund_minor__gt=0)
    # the other campaign checkout: £300.00 of its charge disputed and lost, shared by what each licence was paid
    (disputed,) = Dispute.objects.filter(bundle__buyer=brand)
    assert (disputed.status, disputed.amount_minor, disputed.bundle.refund_minor) == ("lost", 30_000, 0)
    shares = dict(LedgerEntry.objects.filter(transaction__kind=LedgerTransaction.Kind.DISPUTE_LOST, account__kind=LedgerAccount.Kind.DISPUTED)
                  .values_list("transaction__order__amount_minor", "amount_minor"))
    assert shares == {25_000: -11_538, 40_000: -18_462}  # 30,000 × 25/65 and × 40/65, by largest remainder
    assert bundle.status == "paid" and bundle.refund_minor == 40_000 and bundle.refund_attempts == 3
    assert bundle.refund_gave_up_at and bundle.refund_error == (
        "The provider failed the refund 3 times (the card has expired or was cancelled): pay the buyer another way.")
    assert sorted(bundle.orders.values_list("status", flat=True)) == ["cancelled", "paid"]
    assert_ledger_balanced()

    before = _counts()
    seed_money_demo(users)  # again: nothing added
    assert _counts() == before

    # the pages: the receipt states the refund's tax part; finance lists the failed refund, and its retry says so once
    client.force_login(brand)
    receipt = client.get(f"/receipts/{taxed.pk}/").content.decode()
    assert "of which tax £10.00" in receipt and "£240.00" in receipt
    receipts = client.get("/receipts/").content.decode()
    assert f"/receipts/add-ons/{addon.pk}/invoice/" in receipts and "10 more generations, 7 more days" in receipts
    # the list says what the charge took, as the receipt does: the price before tax, the tax, the total
    row = next(r for r in receipts.split("<tr>") if f"/receipts/{taxed.pk}/" in r)
    for label, shown in (("Price before tax", "£250.00"), ("Tax", "£50.00"), ("Total charged", "£300.00"), ("Refunded", "£60.00")):
        assert f'data-label="{label}"' in row and f">{shown}<" in row.split(f'data-label="{label}"')[1][:60], label
    assert "charged back £115.38" in receipts and "charged back £184.62" in receipts
    assert pro_rata.credit_note.reference in receipts and "(licence revoked: unused part of the term)" in receipts
    revoked_receipt = client.get(f"/receipts/{revoked.pk}/").content.decode()
    assert 'id="addon-revocation-refunds"' in revoked_receipt and "refunded £35.00" in revoked_receipt
    german = client.get("/receipts/", HTTP_ACCEPT_LANGUAGE="de-DE").content.decode()
    assert "300,00\xa0£" in german and "50,00\xa0£" in german
    # every money table reflows on a phone (a labelled card per row) and is described for screen readers
    for page in (receipts, client.get(f"/receipts/{taxed.pk}/").content.decode()):
        assert "Total charged" in page
    assert receipts.count("<table") == receipts.count('<table id="') == receipts.count('class="reflow money"') == 3
    assert receipts.count("<caption") == 3
    assert client.get(f"/receipts/add-ons/{addon.pk}/invoice/").status_code == 200
    client.force_login(users["moderator@demo.rightscast.local"])
    finance = client.get("/finance/").content.decode()
    assert finance.count("<table") == finance.count('class="reflow') and 'data-label="Owed"' in finance
    assert "Disputes of campaign checkouts" in finance and "£115.38" in finance and "£184.62" in finance
    ledger = client.get("/finance/ledger/").content.decode()
    assert 'class="reflow money"' in ledger and 'data-label="Balance"' in ledger and "£" in ledger
    assert str(bundle.pk) in finance and "£400.00" in finance and 'href="/finance/"' in finance  # (and the nav links to it)
    page = client.post("/finance/", {"bundle": str(bundle.pk)}, follow=True).content.decode()
    assert page.count('class="msg ') == 1 and "The refund of £400.00 to Fizzly Drinks was asked for again." in page
    assert "No failed checkout refunds." in page
    after_retry = _counts()
    seed_money_demo(users)  # a retried refund is left alone: the demo does not fail it again
    assert _counts() == after_retry
    bundle.refresh_from_db()
    assert bundle.refund_gave_up_at is None and bundle.refund_error == "" and bundle.provider_refund_id
    assert_ledger_balanced()
