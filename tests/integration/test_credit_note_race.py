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
