"""Revocation's pro-rata refund of a licence with paid add-ons, raced on PostgreSQL (threads, each on
its own connection): the likeness revoked twice at once, and the settlement task run four times at
once beside the sweep, refund the order and each add-on exactly once (one refund, one credit note
each, numbered without gaps), an add-on partly refunded before getting only what is left of it, and
the ledger balances."""
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.errors import Conflict
from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence, RefundDue
from marketplace import services
from marketplace.models import CreditNote, LicenceAddOn, Refund, RevocationSettlement
from marketplace.services.addons import addon_create, offline_addon_complete
from marketplace.services.refunds import revocation_refund_settle, revocation_refunds_sweep
from tests.factories import UserFactory, listed_likeness
from tests.integration.money_support import in_threads
from tests.marketplace.money import assert_ledger_balanced, buy

pytestmark = pytest.mark.django_db(transaction=True)


def _licence_with_addons():
    likeness, _ = listed_likeness()
    offer = services.offer_create(likeness=likeness, actor=likeness.owner, title="Extendable", price_minor=30_000, currency="gbp",
                                  generation_quota=10, duration_days=30, addon_generation_price_minor=100, addon_day_price_minor=1_000)
    brand = UserFactory(kind=User.Kind.BRAND)
    order = buy(brand, offer)
    addons = []
    for what in ({"days": 10}, {"generations": 20}):
        addon = addon_create(buyer=brand, licence=Licence.objects.get(pk=order.licence_id), **what)
        offline_addon_complete(addon=addon, buyer=brand, pay=True)
        addons.append(LicenceAddOn.objects.get(pk=addon.pk))
    services.addon_refund(addon=addons[0], actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=2_500)  # before the revocation
    licence = Licence.objects.get(pk=order.licence_id)
    shift = timezone.now() - timedelta(days=10) - licence.starts_at  # 10 of the order's own 30 days gone
    Licence.objects.filter(pk=licence.pk).update(starts_at=licence.starts_at + shift, ends_at=licence.ends_at + shift)
    return likeness, order, addons


def _assert_refunded_once(order, addons):
    revocation = Refund.objects.filter(reason="revocation")
    assert revocation.filter(order=order).count() == 1 and revocation.get(order=order).amount_minor == 20_000
    assert revocation.get(addon=addons[0]).amount_minor == 7_500  # 10,000 unused, less the 2,500 refunded before
    assert revocation.get(addon=addons[1]).amount_minor == 2_000  # none of its 20 generations used
    assert revocation.count() == 3 and set(revocation.values_list("status", flat=True)) == {"succeeded"}
    assert RevocationSettlement.objects.count() == 1 and RevocationSettlement.objects.get().addons_amount_minor == 9_500
    assert sorted(CreditNote.objects.values_list("number", flat=True)) == [1, 2, 3, 4]  # the earlier refund's, then one each
    assert_ledger_balanced()


def test_a_likeness_revoked_twice_at_once_refunds_the_order_and_each_add_on_once():
    assert connection.vendor == "postgresql"
    likeness, order, addons = _licence_with_addons()

    def revoke(_):
        try:
            licensing.likeness_revoke(likeness=likeness, actor=likeness.owner, reason="race")  # its task runs on commit
            return "revoked"
        except Conflict:
            return "already"

    assert sorted(in_threads(revoke, [1, 2], workers=2)) == ["already", "revoked"]
    assert RefundDue.objects.count() == 1
    revocation_refunds_sweep()  # the safety net finds it settled
    _assert_refunded_once(order, addons)


def test_the_settlement_task_run_four_times_at_once_beside_the_sweep_refunds_once():
    assert connection.vendor == "postgresql"
    from unittest import mock

    likeness, order, addons = _licence_with_addons()
    with mock.patch("licensing.services.holdings.send_task"):  # the revocation's task is not sent: the threads below run it
        licensing.likeness_revoke(likeness=likeness, actor=likeness.owner, reason="race")
    due = RefundDue.objects.get()
    assert not RevocationSettlement.objects.exists()

    def settle(kind):
        if kind == "sweep":
            return revocation_refunds_sweep() >= 0
        settlement = revocation_refund_settle(refund_due_id=due.pk)
        return settlement is None or settlement.refund_due_id == due.pk

    assert in_threads(settle, ["task", "task", "task", "task", "sweep"], workers=5) == [True] * 5
    _assert_refunded_once(order, addons)
