"""Prepaid credit and per-generation fees: brands top up; each use of a licence with a fee draws
it, in the same transaction as the use (licensing's usage meter), split down the remix chain."""
import pytest
from django.db import transaction

from accounts.errors import Conflict
from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence, UsageRecord
from marketplace import services
from marketplace.models import CreditTopUp, UsageCharge
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.money import assert_ledger_balanced, buy, owed, remix_chain, top_up, use

pytestmark = pytest.mark.django_db


def _fee_offer(fee=250, price=1_000, **terms):
    likeness, _ = listed_likeness(price_minor=price)
    offer = services.offer_create(
        likeness=likeness, actor=likeness.owner, title="Per use", price_minor=price, currency="gbp", per_generation_fee_minor=fee, **terms
    )
    return likeness, offer


def test_top_up_through_the_offline_checkout(api):
    brand = UserFactory(kind=User.Kind.BRAND)
    api.force_authenticate(brand)
    r = api.post("/api/credit/top-ups/", {"amount_minor": 5_000, "currency": "gbp"}, format="json")
    assert r.status_code == 201, r.content
    topup = r.json()
    assert topup["status"] == "pending" and topup["checkout_url"].startswith("/pay/offline/top-up/")
    r = api.post(f"/api/credit/top-ups/{topup['id']}/offline-checkout/", {"pay": True}, format="json")
    assert r.json()["status"] == "paid"
    assert api.get("/api/credit/").json()["balances"] == [{"currency": "gbp", "balance_minor": 5_000}]
    # paying again is refused, and changes nothing
    r = api.post(f"/api/credit/top-ups/{topup['id']}/offline-checkout/", {"pay": True}, format="json")
    assert r.status_code == 409
    assert services.credit_balance(user=brand, currency="gbp") == 5_000
    assert_ledger_balanced()


@pytest.mark.parametrize("body", [{"amount_minor": 0, "currency": "gbp"}, {"amount_minor": 10**9, "currency": "gbp"},
                                  {"amount_minor": 500, "currency": "xxx"}, {"amount_minor": "5.5", "currency": "gbp"}, {}])
def test_bad_top_ups_are_refused_and_write_nothing(api, body):
    api.force_authenticate(UserFactory(kind=User.Kind.BRAND))
    assert api.post("/api/credit/top-ups/", body, format="json").status_code == 400
    assert CreditTopUp.objects.count() == 0


def test_talent_cannot_hold_credit(api):
    api.force_authenticate(UserFactory(kind=User.Kind.TALENT))
    assert api.post("/api/credit/top-ups/", {"amount_minor": 500, "currency": "gbp"}, format="json").status_code == 403


def test_each_use_draws_the_fee_once_and_pays_the_talent():
    brand = UserFactory(kind=User.Kind.BRAND)
    likeness, offer = _fee_offer(fee=250)
    order = buy(brand, offer)
    top_up(brand, 1_000)
    first = use(order.licence, "brief-1")
    again = use(order.licence, "brief-1")  # the same use recorded twice: one fee
    assert first.pk == again.pk
    use(order.licence, "brief-2")
    assert UsageCharge.objects.count() == 2
    assert services.credit_balance(user=brand, currency="gbp") == 500
    # the sale (1000) and two fees (250 each), 20% platform fee on each
    assert owed(likeness.owner) == 800 + 200 + 200
    assert_ledger_balanced()


def test_a_use_the_credit_does_not_cover_is_refused_and_nothing_is_written():
    brand = UserFactory(kind=User.Kind.BRAND)
    likeness, offer = _fee_offer(fee=600)
    order = buy(brand, offer)
    top_up(brand, 1_000)
    use(order.licence, "brief-1")
    with pytest.raises(Conflict) as exc:
        use(order.licence, "brief-2")
    assert exc.value.code == "insufficient_credit"
    assert UsageRecord.objects.filter(licence=order.licence).count() == 1
    assert Licence.objects.get(pk=order.licence.pk).quota_used == 1
    assert services.credit_balance(user=brand, currency="gbp") == 400
    assert_ledger_balanced()


def test_a_licence_without_a_fee_draws_nothing():
    brand = UserFactory(kind=User.Kind.BRAND)
    _, offer = listed_likeness(price_minor=1_000)
    order = buy(brand, offer)
    use(order.licence, "brief-1")
    assert UsageCharge.objects.count() == 0


def test_fees_are_shared_down_a_remix_chain():
    """Creator k remixes creator k-1's generation; each licence passes 10% up the chain."""
    talent, creators, uses, _ = remix_chain(depth=3, fee=1_000, price=5_000, share_bps=1_000)
    # Each parent work is shared by its maker and the talent shown in it, equally.
    # fees: creator0 (no parent) 1000 -> 800 net to the talent; creator1: 800 -> talent 720, parent work
    # (creator0 + talent) 80 -> 40 each; creator2: 800 -> talent 720, parent (creator1 + talent) 72 -> 36
    # each, grandparent (creator0 + talent) 8 -> 4 each. Sales: 3 x 5000 -> 3 x 4000 to the talent.
    assert owed(talent) == 12_000 + 800 + (720 + 40) + (720 + 36 + 4)
    assert owed(creators[0]) == 40 + 4
    assert owed(creators[1]) == 36
    assert owed(creators[2]) == 0
    assert_ledger_balanced()


def test_generation_runs_its_use_through_the_meter():
    """The meeting point is licensing.usage_record: called in generation's transaction, licence locked."""
    brand = UserFactory(kind=User.Kind.BRAND)
    _, offer = _fee_offer(fee=300)
    order = buy(brand, offer)
    with pytest.raises(Conflict):
        with transaction.atomic():
            licence = Licence.objects.select_for_update().select_related("terms").get(pk=order.licence.pk)
            licensing.usage_record(licence=licence, reference="no-credit")
    assert not UsageRecord.objects.filter(reference="no-credit").exists()
