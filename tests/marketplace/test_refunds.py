"""Refunds on the offline backend: requested (moderator), revocation's pro-rata refunds (from
licensing's RefundDue records), reversed down the remix chain; receipts; bad input."""
import pytest

from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence, RefundDue
from marketplace import services
from marketplace.models import Order, Refund, RevocationSettlement
from marketplace.tasks import refunds_pending
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.money import assert_ledger_balanced, buy, owed, remix_chain

pytestmark = pytest.mark.django_db


def test_revocation_refunds_the_unused_part_of_the_term_once():
    likeness, offer = listed_likeness(price_minor=30_000)
    brand = UserFactory()
    order = buy(brand, offer)
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()  # a third of the 30-day term used
    Licence.objects.filter(pk=order.licence_id).update(starts_at=now - timedelta(days=10), ends_at=now + timedelta(days=20))
    licensing.likeness_revoke(likeness=likeness, actor=likeness.owner, reason="changed my mind")
    due = RefundDue.objects.get(licence=order.licence)
    expected = (2 * 30_000 * due.remaining_seconds + due.total_seconds) // (2 * due.total_seconds)
    assert refunds_pending() >= 1
    assert refunds_pending() == 0  # handled once
    refund = Refund.objects.get()
    assert abs(expected - 20_000) <= 1
    assert refund.reason == "revocation" and refund.amount_minor == expected and refund.status == "succeeded"
    assert RevocationSettlement.objects.get().refund == refund
    taken = 24_000 - owed(likeness.owner)
    assert abs(taken - expected * 0.8) < 1  # the talent's 80% of the refund, within a minor unit
    assert Licence.objects.get(pk=order.licence_id).status == "revoked"
    order.refresh_from_db()
    assert order.status == "paid"  # partly refunded
    assert_ledger_balanced()


def test_a_priced_order_refunded_in_thirds_gives_back_every_share_exactly():
    likeness, offer = listed_likeness(price_minor=9_999)
    order = buy(UserFactory(), offer)
    assert owed(likeness.owner) == 8_000  # 9999 less a 1999 fee (rounded down)
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    for _ in range(3):
        services.order_refund(order=order, actor=moderator, amount_minor=3_333)
    assert owed(likeness.owner) == 0
    order.refresh_from_db()
    assert order.status == "refunded" and Licence.objects.get(pk=order.licence_id).status == "revoked"
    refunds_pending()  # the revocation's RefundDue finds nothing left to refund
    assert Refund.objects.filter(reason="revocation").count() == 0
    assert_ledger_balanced()


def test_a_refunded_fee_takes_back_every_share_down_the_remix_chain(api):
    talent, creators, uses, _ = remix_chain(depth=4, fee=999, price=0, share_bps=3_333)
    before = {u.pk: owed(u) for u in [talent, *creators]}
    last = uses[-1].charge
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    api.force_authenticate(creators[-1])
    assert api.post(f"/api/usage-charges/{last.pk}/refund/", {}, format="json").status_code == 403
    api.force_authenticate(moderator)
    credit_before = services.credit_balance(user=creators[-1], currency="gbp")
    r = api.post(f"/api/usage-charges/{last.pk}/refund/", {"note": "output taken down"}, format="json")
    assert r.status_code == 200, r.content
    assert services.credit_balance(user=creators[-1], currency="gbp") == credit_before + 999
    # the fee had paid the talent and creators 0..2 (creator 3 made the generation): each gives back its share
    from marketplace.models import LedgerEntry

    fee_lines = {e.account.owner_id: -e.amount_minor for e in LedgerEntry.objects.filter(
        transaction__idempotency_key=f"usage-fee-{uses[-1].pk}", account__kind="payable").select_related("account")}
    assert set(fee_lines) == {talent.pk, creators[0].pk, creators[1].pk, creators[2].pk}
    for user in [talent, *creators]:
        assert owed(user) == before[user.pk] - fee_lines.get(user.pk, 0)
    assert api.post(f"/api/usage-charges/{last.pk}/refund/", {}, format="json").status_code == 409
    assert_ledger_balanced()


def test_a_refund_is_refused_when_the_order_is_not_paid():
    _, offer = listed_likeness(price_minor=1_000)
    brand = UserFactory()
    order = services.order_create(buyer=brand, offer=offer)
    from accounts.errors import Conflict

    with pytest.raises(Conflict):
        services.order_refund(order=order, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=100)
    assert Refund.objects.count() == 0


def test_moderator_refund_page(client):
    _, offer = listed_likeness(price_minor=10_000)
    order = buy(UserFactory(), offer)
    client.force_login(UserFactory(kind=User.Kind.MODERATOR))
    page = client.get(f"/moderation/orders/{order.pk}/refund/").content.decode()
    assert 'id="refundable">£100.00<' in page
    r = client.post(f"/moderation/orders/{order.pk}/refund/", {"amount": "12.5x"})
    assert r.status_code == 400 and Refund.objects.count() == 0
    r = client.post(f"/moderation/orders/{order.pk}/refund/", {"amount": "200.00"})
    assert r.status_code == 409 and Refund.objects.count() == 0
    r = client.post(f"/moderation/orders/{order.pk}/refund/", {"amount": "25.00", "note": "goodwill"})
    assert r.status_code == 302 and Refund.objects.get().amount_minor == 2_500
    client.force_login(order.buyer)
    assert client.get(f"/moderation/orders/{order.pk}/refund/").status_code == 403


def test_receipts_for_brands(client, api):
    _, offer = listed_likeness(price_minor=10_000)
    brand = UserFactory()
    order = buy(brand, offer)
    services.order_refund(order=order, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=1_000)
    client.force_login(brand)
    assert "RC-" in client.get("/receipts/").content.decode()
    page = client.get(f"/receipts/{order.pk}/").content.decode()
    assert 'id="receipt-amount">£100.00<' in page and 'id="receipt-net">£90.00<' in page
    api.force_authenticate(brand)
    receipt = api.get(f"/api/receipts/{order.pk}/").json()
    assert (receipt["amount_minor"], receipt["refunded_minor"], receipt["net_minor"]) == (10_000, 1_000, 9_000)
    assert api.get("/api/receipts/").json()["orders"][0]["order_id"] == str(order.pk)
    other = UserFactory()
    client.force_login(other)
    assert client.get(f"/receipts/{order.pk}/").status_code == 404
    api.force_authenticate(other)
    assert api.get(f"/api/receipts/{order.pk}/").status_code == 404
    assert api.get("/api/receipts/nope/").status_code == 404


def test_credit_page_and_offline_top_up(client):
    brand = UserFactory()
    client.force_login(brand)
    assert client.post("/credit/", {"amount": "abc", "currency": "gbp"}).status_code == 400
    assert client.post("/credit/", {"amount": "0.50", "currency": "gbp"}).status_code == 400
    r = client.post("/credit/", {"amount": "20.00", "currency": "gbp"})
    assert r.status_code == 302 and r["Location"].startswith("/pay/offline/top-up/")
    assert "no money moves" in client.get(r["Location"]).content.decode()
    client.post(r["Location"], {"action": "pay"})
    assert 'id="credit-gbp">£20.00<' in client.get("/credit/").content.decode()
    assert client.post(r["Location"], {"action": "pay"}).status_code == 409
    assert services.credit_balance(user=brand, currency="gbp") == 2_000
    client.force_login(UserFactory())
    assert client.get(r["Location"]).status_code == 404


def test_offer_form_takes_a_per_generation_fee(client):
    likeness, _ = listed_likeness(price_minor=1_000)
    client.force_login(likeness.owner)
    r = client.post(f"/talent/likenesses/{likeness.pk}/offers/", {"title": "Per use", "price": "10", "per_generation_fee": "2.5x"})
    assert r.status_code == 400
    form = {"title": "Per use", "price": "10", "per_generation_fee": "2.50", "currency": "gbp", "duration_days": "30",
            "generation_quota": "10", "derivatives": "none", "channels": ["organic_social"]}
    r = client.post(f"/talent/likenesses/{likeness.pk}/offers/", {**form, "price": "10.005"})
    assert r.status_code == 400 and 'value="10.005"' in r.content.decode() and "At most two decimals" in r.content.decode()
    r = client.post(f"/talent/likenesses/{likeness.pk}/offers/", form)
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "£10.00 + £2.50 per generation" in page and "Offer “Per use” added." in page and "Organic social" not in page.split("<table")[0]
    assert likeness.offers.get(title="Per use").per_generation_fee_minor == 250
    assert Order.objects.count() == 0
