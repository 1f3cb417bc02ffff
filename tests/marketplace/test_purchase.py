import pytest

from accounts.models import User
from licensing.models import Licence
from marketplace import services
from marketplace.models import LedgerEntry, LedgerTransaction, PaymentEvent
from marketplace.selectors import balance_for
from tests.factories import UserFactory, listed_likeness

pytestmark = pytest.mark.django_db


def test_offline_purchase_moves_through_stripes_states(settings):
    brand = UserFactory()
    likeness, offer = listed_likeness(price_minor=9_999)
    order = services.order_create(buyer=brand, offer=offer)
    assert order.status == "pending" and order.licence.status == "pending"
    order = services.offline_checkout_complete(order=order, buyer=brand, pay=True)
    assert order.status == "paid"
    assert Licence.objects.get(pk=order.licence_id).status == "active"
    event = PaymentEvent.objects.get()
    assert event.type == "checkout.session.completed" and event.status == "processed"
    fee = 9_999 * settings.PLATFORM_FEE_BPS // 10_000
    assert balance_for(user=likeness.owner) == [{"currency": "gbp", "owed_minor": 9_999 - fee}]
    assert sum(LedgerEntry.objects.values_list("amount_minor", flat=True)) == 0


def test_paying_twice_charges_once():
    brand = UserFactory()
    _, offer = listed_likeness()
    order = services.order_create(buyer=brand, offer=offer)
    services.order_mark_paid(order_id=order.pk, reference="a")
    services.order_mark_paid(order_id=order.pk, reference="b")
    assert LedgerTransaction.objects.count() == 1


def test_cancelled_checkout_leaves_no_licence_and_no_money():
    brand = UserFactory()
    _, offer = listed_likeness()
    order = services.order_create(buyer=brand, offer=offer)
    order = services.offline_checkout_complete(order=order, buyer=brand, pay=False)
    assert order.status == "cancelled"
    assert Licence.objects.get(pk=order.licence_id).status == "revoked"
    assert LedgerEntry.objects.count() == 0


def test_free_offer_grants_at_once():
    brand = UserFactory()
    _, offer = listed_likeness(price_minor=0)
    order = services.order_create(buyer=brand, offer=offer)
    assert order.status == "paid" and order.payment_backend == "free"
    assert Licence.objects.get(pk=order.licence_id).status == "active"
    assert LedgerEntry.objects.count() == 0


def test_talent_cannot_buy_and_nobody_buys_their_own():
    talent = UserFactory(kind=User.Kind.TALENT)
    likeness, offer = listed_likeness(owner=talent)
    from accounts.errors import DomainError

    with pytest.raises(DomainError):
        services.order_create(buyer=talent, offer=offer)


def test_fee_split_is_exact():
    for amount in (1, 3, 99, 100, 12_345, 10**10 + 7):
        fee, share = services.split_sale(amount_minor=amount, fee_bps=2000)
        assert fee + share == amount and fee >= 0 and share >= 0
