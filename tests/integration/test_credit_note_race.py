"""Refunds of four orders confirmed at the same moment on PostgreSQL, each confirmation delivered
twice (threads, each on its own connection): every refund gets one credit note, the credit-note
series has no gap and no duplicate, and the ledger balances."""
import pytest
from django.db import connection

from accounts.models import User
from marketplace import services
from marketplace.models import CreditNote, InvoiceSeries, Order, Refund
from marketplace.services.refunds import refund_apply
from tests.factories import UserFactory, listed_likeness
from tests.integration.money_support import deliver, in_threads
from tests.marketplace.money import assert_ledger_balanced

pytestmark = pytest.mark.django_db(transaction=True)


def test_refunds_confirmed_at_once_get_one_note_each_numbered_without_gaps(fake, settings):
    assert connection.vendor == "postgresql"
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    fake.refund_status = "pending"  # the provider confirms later, all at once
    refunds = []
    for i in range(4):
        _, offer = listed_likeness(name=f"Talent {i}", price_minor=1_000 + i)
        order = services.order_create(buyer=UserFactory(kind=User.Kind.BRAND), offer=offer)
        assert deliver(fake.complete_session(order.checkout_session_id)) == 200
        assert Order.objects.get(pk=order.pk).status == "paid"
        refunds.append(services.order_refund(order=Order.objects.get(pk=order.pk), actor=moderator, amount_minor=600 + i))
    assert {r.status for r in refunds} == {"pending"} and not CreditNote.objects.exists()

    def confirm(refund):
        refund_apply(refund_id=refund.pk, provider_refund_id=refund.provider_refund_id, status="succeeded")
        return True

    assert in_threads(confirm, refunds + refunds, workers=8) == [True] * 8

    assert set(Refund.objects.values_list("status", flat=True)) == {"succeeded"}
    assert sorted(CreditNote.objects.values_list("number", flat=True)) == [1, 2, 3, 4]  # once each, no gap
    assert InvoiceSeries.objects.get(name=settings.CREDIT_NOTE_SERIES).next_number == 5
    assert sorted(CreditNote.objects.values_list("total_minor", flat=True)) == [600, 601, 602, 603]
    assert_ledger_balanced()


def test_an_add_on_refunded_twice_at_once_beside_its_licence_is_refunded_once_and_noted_once(fake, settings):
    """Two moderators refund all of a paid add-on at the same moment, a third the licence's order:
    under the add-on's lock one refund of it passes and the other is told nothing is left; the
    order's refund is independent of it; each gets one credit note, numbered without gaps."""
    from accounts.errors import Conflict
    from marketplace.models import LicenceAddOn
    from marketplace.services.addons import addon_create
    from marketplace.services.refunds import refundable

    assert connection.vendor == "postgresql"
    likeness, _ = listed_likeness(name="Talent A")
    offer = services.offer_create(likeness=likeness, actor=likeness.owner, title="Extendable", price_minor=1_000, currency="gbp",
                                  generation_quota=5, addon_generation_price_minor=150)
    brand = UserFactory(kind=User.Kind.BRAND)
    order = services.order_create(buyer=brand, offer=offer)
    assert deliver(fake.complete_session(order.checkout_session_id)) == 200
    order = Order.objects.get(pk=order.pk)
    addon = addon_create(buyer=brand, licence=order.licence, generations=4)
    assert deliver(fake.complete_session(addon.checkout_session_id)) == 200
    addon = LicenceAddOn.objects.get(pk=addon.pk)
    assert addon.status == "paid" and refundable(addon) == 600

    def refund(item):
        kind, purchase = item
        try:
            if kind == "addon":
                return services.addon_refund(addon=purchase, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=600).status
            return services.order_refund(order=purchase, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=1_000).status
        except Conflict as exc:
            return str(exc)

    results = in_threads(refund, [("addon", addon), ("addon", addon), ("order", order)], workers=3)
    assert sorted(results) == ["At most 0 GBP minor units of this add-on can still be refunded.", "succeeded", "succeeded"]
    assert Refund.objects.filter(addon=addon).count() == 1 and Refund.objects.filter(order=order).count() == 1
    assert LicenceAddOn.objects.get(pk=addon.pk).status == "refunded" and Order.objects.get(pk=order.pk).status == "refunded"
    assert sorted(CreditNote.objects.values_list("number", "total_minor")) in ([(1, 600), (2, 1_000)], [(1, 1_000), (2, 600)])
    assert_ledger_balanced()
