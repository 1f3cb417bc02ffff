"""A revoked licence's pro-rata refund covers its paid add-ons: each add-on's unused share of what it
added (days from the end of the term, generations after the licence's own), its own refund, ledger
keys and credit note, once, less what was already refunded of it; an add-on paid after the licence
ended is refunded whole; a fully refunded add-on takes back what it added that is unused (a partial
refund keeps it; a failed refund puts it back). On the offline backend (SQLite)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.errors import Conflict
from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence, RefundDue
from marketplace import services
from marketplace.models import CreditNote, LedgerTransaction, LicenceAddOn, Refund, RevocationSettlement
from marketplace.prorata import DAY
from marketplace.services.addons import addon_create, addon_mark_paid, offline_addon_complete
from marketplace.services.refunds import refund_apply, refundable, revocation_refund_settle
from marketplace.tasks import refunds_pending
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.money import assert_ledger_balanced, buy, use

pytestmark = pytest.mark.django_db


def _licence(*, price=30_000, quota=10, days=30, gen_price=100, day_price=1_000):
    likeness, _ = listed_likeness()
    offer = services.offer_create(likeness=likeness, actor=likeness.owner, title="Extendable", price_minor=price, currency="gbp",
                                  generation_quota=quota, duration_days=days, addon_generation_price_minor=gen_price,
                                  addon_day_price_minor=day_price)
    brand = UserFactory(kind=User.Kind.BRAND)
    order = buy(brand, offer)
    return likeness, brand, order


def _addon(brand, order, **what) -> LicenceAddOn:
    addon = addon_create(buyer=brand, licence=Licence.objects.get(pk=order.licence_id), **what)
    offline_addon_complete(addon=addon, buyer=brand, pay=True)
    addon.refresh_from_db()
    assert addon.status == "paid"
    return addon


def _started(order, *, days_ago: float):
    """Move the licence's term back so that `days_ago` days of it have passed."""
    licence = Licence.objects.get(pk=order.licence_id)
    shift = timezone.now() - timedelta(days=days_ago) - licence.starts_at
    Licence.objects.filter(pk=licence.pk).update(starts_at=licence.starts_at + shift, ends_at=licence.ends_at + shift)


def test_revocation_refunds_each_paid_add_on_its_unused_share_once_beside_the_order():
    likeness, brand, order = _licence()
    days = _addon(brand, order, days=10)  # 10,000: the term's last 10 days
    gens = _addon(brand, order, generations=20)  # 2,000: generations 11-30
    _started(order, days_ago=10)  # 10 of the order's own 30 days gone; 30 days left of 40
    licence = Licence.objects.get(pk=order.licence_id)
    assert licence.terms.generation_quota == 30
    for i in range(15):  # the licence's own 10, then 5 of the add-on's 20
        use(licence, f"brief-{i}")

    licensing.likeness_revoke(likeness=likeness, actor=likeness.owner, reason="changed my mind")
    assert refunds_pending() >= 1  # the sweep (the task sent on commit, which a test's transaction never reaches)
    assert refunds_pending() == 0  # once

    by = {(r.order_id, r.addon_id): r for r in Refund.objects.all()}
    assert len(by) == 3 and {r.reason for r in by.values()} == {"revocation"} and {r.status for r in by.values()} == {"succeeded"}
    assert by[(order.pk, None)].amount_minor == 20_000  # 20 of its own 30 days: the add-on's 10 are not the order's
    assert by[(None, days.pk)].amount_minor == 10_000  # all 10 days unused
    assert by[(None, gens.pk)].amount_minor == 1_500  # 15 of 20 generations unused
    settlement = RevocationSettlement.objects.get()
    assert (settlement.amount_minor, settlement.addons_amount_minor) == (20_000, 11_500)
    days.refresh_from_db()
    gens.refresh_from_db()
    assert days.status == "refunded" and gens.status == "paid"  # wholly and partly given back
    assert (days.generations_withdrawn, days.days_withdrawn) == (0, 0)  # the licence ended: nothing to take back
    # each add-on's refund has its own ledger keys and a credit note on its own invoice
    for addon in (days, gens):
        refund = addon.refunds.get()
        assert LedgerTransaction.objects.filter(idempotency_key=f"addon-{addon.pk}-refund-{refund.pk}").exists()
        assert LedgerTransaction.objects.filter(idempotency_key=f"addon-{addon.pk}-refund-settled-{refund.pk}").exists()
        assert refund.credit_note.invoice == addon.invoice and refund.credit_note.total_minor == refund.amount_minor
    assert CreditNote.objects.count() == 3

    # run again, or revoke again: nothing more
    assert revocation_refund_settle(refund_due_id=RefundDue.objects.get().pk) is None
    with pytest.raises(Conflict):
        licensing.licence_revoke(licence=Licence.objects.get(pk=order.licence_id), actor=None, reason="again")
    assert Refund.objects.count() == 3 and RevocationSettlement.objects.count() == 1 and RefundDue.objects.count() == 1
    assert_ledger_balanced()


def test_an_add_on_partly_refunded_before_the_revocation_gets_only_what_is_left():
    likeness, brand, order = _licence()
    addon = _addon(brand, order, days=10)  # 10,000
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    services.addon_refund(addon=addon, actor=moderator, amount_minor=3_000, note="goodwill")
    licence = Licence.objects.get(pk=order.licence_id)
    assert licence.terms.duration_days == 40  # a partial refund keeps the days
    licensing.likeness_revoke(likeness=likeness, actor=likeness.owner, reason="stop")
    refunds_pending()
    revocation = addon.refunds.get(reason="revocation")
    assert revocation.amount_minor == 7_000  # all 10 days unused: 10,000, less the 3,000 already back
    addon.refresh_from_db()
    assert addon.status == "refunded" and refundable(addon) == 0
    assert sum(addon.refunds.values_list("amount_minor", flat=True)) == 10_000  # never more than was paid
    assert_ledger_balanced()


def test_an_add_on_fully_refunded_before_the_revocation_gets_nothing_more_and_its_days_stay_counted_as_taken_back():
    likeness, brand, order = _licence()
    first = _addon(brand, order, days=10)
    later = _addon(brand, order, days=5)
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    services.addon_refund(addon=first, actor=moderator, amount_minor=10_000)
    first.refresh_from_db()
    assert first.status == "refunded" and first.days_withdrawn == 10  # none of its days had started
    licence = Licence.objects.get(pk=order.licence_id)
    assert licence.terms.duration_days == 35
    licensing.likeness_revoke(likeness=likeness, actor=likeness.owner, reason="stop")
    refunds_pending()
    assert not first.refunds.filter(reason="revocation").exists()
    assert later.refunds.get(reason="revocation").amount_minor == 5_000
    assert abs(order.refunds.get(reason="revocation").amount_minor - 30_000) <= 1  # its own 30 days, all left
    assert_ledger_balanced()


def test_an_add_on_paid_after_the_licence_was_revoked_is_never_applied_and_comes_back_whole_once():
    likeness, brand, order = _licence()
    addon = addon_create(buyer=brand, licence=Licence.objects.get(pk=order.licence_id), generations=5, days=2)  # checkout open
    licensing.likeness_revoke(likeness=likeness, actor=likeness.owner, reason="notice given")
    refunds_pending()
    before = Licence.objects.select_related("terms").get(pk=order.licence_id)
    offline_addon_complete(addon=addon, buyer=brand, pay=True)  # the brand pays during the notice period
    addon.refresh_from_db()
    after = Licence.objects.select_related("terms").get(pk=order.licence_id)
    assert (after.terms_id, after.ends_at) == (before.terms_id, before.ends_at)  # not applied
    assert (addon.generations_withdrawn, addon.days_withdrawn) == (5, 2)
    (refund,) = addon.refunds.all()
    assert (refund.reason, refund.amount_minor, refund.status) == ("not_applied", 2_500, "succeeded")
    assert addon.status == "refunded" and refund.credit_note.invoice == addon.invoice
    addon_mark_paid(addon_id=addon.pk, payment_intent_id=addon.payment_intent_id, amount_minor=2_500, currency="gbp")  # a replay
    refunds_pending()
    assert addon.refunds.count() == 1 and not RevocationSettlement.objects.filter(addons_amount_minor__gt=0).exists()
    assert_ledger_balanced()


def test_amounts_that_do_not_divide_evenly_round_half_up_and_never_exceed_what_was_paid():
    likeness, brand, order = _licence(price=9_999, quota=3, days=7, gen_price=333, day_price=777)
    addon = _addon(brand, order, generations=3, days=3)  # 999 + 2,331 = 3,330
    _started(order, days_ago=1.5)  # 8.5 of 10 days left: the add-on's 3 whole, 5.5 of the order's 7
    licence = Licence.objects.get(pk=order.licence_id)
    for i in range(4):  # the licence's own 3, then 1 of the add-on's 3
        use(licence, f"b{i}")
    licensing.likeness_revoke(likeness=likeness, actor=likeness.owner, reason="stop")
    refunds_pending()
    due = RefundDue.objects.get()
    own_left = due.remaining_seconds - 3 * DAY
    assert order.refunds.get().amount_minor == (2 * 9_999 * own_left + 7 * DAY) // (2 * 7 * DAY)  # ~7,856.36: 7,856
    # 2 of 3 generations (2 x 333 = 666) and all 3 days (2,331) unused: 2,997 of 3,330, exactly
    assert addon.refunds.get().amount_minor == 2_997
    assert order.refunds.get().amount_minor + addon.refunds.get().amount_minor <= 9_999 + 3_330
    assert_ledger_balanced()


def test_a_full_refund_takes_back_unused_generations_and_days_not_started_and_a_partial_one_keeps_them(client):
    likeness, brand, order = _licence(quota=5)
    addon = _addon(brand, order, generations=10, days=6)  # 1,000 + 6,000
    licence = Licence.objects.get(pk=order.licence_id)
    for i in range(8):  # the licence's own 5, then 3 of the add-on's
        use(licence, f"b{i}")
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    client.force_login(moderator)
    page = client.get(f"/moderation/add-ons/{addon.pk}/refund/").content.decode()
    assert "A partial refund leaves them on the licence." in page

    services.addon_refund(addon=addon, actor=moderator, amount_minor=1_000)  # partial: keeps them
    licence.refresh_from_db()
    assert (licence.terms.generation_quota, licence.terms.duration_days) == (15, 36)
    ends = licence.ends_at
    services.addon_refund(addon=addon, actor=moderator, amount_minor=6_000)  # the rest: now fully refunded
    addon.refresh_from_db()
    licence.refresh_from_db()
    assert addon.status == "refunded" and (addon.generations_withdrawn, addon.days_withdrawn) == (7, 6)
    assert (licence.terms.generation_quota, licence.terms.duration_days, licence.quota_used) == (8, 30, 8)  # never below used
    assert licence.ends_at == ends - timedelta(days=6)

    # the provider fails that last refund: paid again, what was taken back goes back on
    last = addon.refunds.order_by("-created_at").first()
    refund_apply(refund_id=last.pk, provider_refund_id=None, status="failed")
    addon.refresh_from_db()
    licence.refresh_from_db()
    assert addon.status == "paid" and (addon.generations_withdrawn, addon.days_withdrawn) == (0, 0)
    assert (licence.terms.generation_quota, licence.terms.duration_days, licence.ends_at) == (15, 36, ends)
    assert_ledger_balanced()


def test_a_full_refund_of_a_part_used_add_on_keeps_the_day_under_way():
    likeness, brand, order = _licence(quota=5)
    addon = _addon(brand, order, days=4)
    _started(order, days_ago=31.5)  # 2.5 of the add-on's 4 days left: its third day is under way
    services.addon_refund(addon=addon, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=4_000)
    addon.refresh_from_db()
    licence = Licence.objects.get(pk=order.licence_id)
    assert addon.days_withdrawn == 2 and licence.terms.duration_days == 32 and licence.ends_at > timezone.now()


def test_revocation_refunds_show_on_the_receipt_the_add_ons_page_and_the_api(client):
    likeness, brand, order = _licence()
    addon = _addon(brand, order, days=10)
    licensing.likeness_revoke(likeness=likeness, actor=likeness.owner, reason="stop")
    refunds_pending()
    refund = addon.refunds.get()
    client.force_login(brand)
    receipt = client.get(f"/receipts/{order.pk}/").content.decode()
    assert 'id="addon-revocation-refunds"' in receipt and "£100.00" in receipt and refund.credit_note.reference in receipt
    addons_page = client.get(f"/licences/{order.licence_id}/add-ons/").content.decode()
    assert "licence revoked: unused part of the term" in addons_page and refund.credit_note.reference in addons_page
    receipts = client.get("/receipts/").content.decode()
    assert refund.credit_note.reference in receipts and "(licence revoked: unused part of the term)" in receipts
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(brand)
    (row,) = api.get("/api/receipts/").json()["addons"]
    assert row["refunded_minor"] == 10_000 and row["refunds"][0]["reason"] == "revocation"
    assert row["credit_notes"][0]["refund_id"] == str(refund.pk)


def test_an_earlier_refund_counts_toward_an_add_ons_unused_share():
    likeness, brand, order = _licence()
    addon = _addon(brand, order, generations=20)  # 2,000
    licence = Licence.objects.get(pk=order.licence_id)
    for i in range(15):  # the licence's own 10, then 5 of the add-on's: 15 of 20 unused, a share of 1,500
        use(licence, f"b{i}")
    services.addon_refund(addon=addon, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=500, note="5 unused, said the brand")
    licensing.likeness_revoke(likeness=likeness, actor=likeness.owner, reason="stop")
    refunds_pending()
    assert addon.refunds.get(reason="revocation").amount_minor == 1_000  # 1,500 less the 500 already back
    assert sum(addon.refunds.values_list("amount_minor", flat=True)) == 1_500
    assert_ledger_balanced()
