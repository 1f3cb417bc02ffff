"""Invoice numbers under concurrency on PostgreSQL: many purchases completing at once (their
webhooks delivered from parallel threads, each on its own connection, duplicates included), and
some failing after taking a number, leave the series with no duplicate and no gap."""
import pytest
from django.db import transaction

from accounts.models import User
from marketplace import services
from marketplace.models import Invoice, InvoiceSeries, Order
from marketplace.services.invoices import invoice_issue
from tests.factories import UserFactory, listed_likeness
from tests.integration.money_support import deliver, in_threads
from tests.marketplace.money import assert_ledger_balanced

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_purchases_get_consecutive_numbers_with_no_duplicate_and_no_gap(fake):
    _, offer = listed_likeness(price_minor=2_000)
    orders = [services.order_create(buyer=UserFactory(kind=User.Kind.BRAND), offer=offer) for _ in range(12)]
    events = [fake.complete_session(o.checkout_session_id) for o in orders]
    codes = in_threads(deliver, events + events[:4], workers=8)  # four delivered twice, at the same time
    assert set(codes) == {200}
    assert Order.objects.filter(status="paid").count() == 12
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 13))
    assert InvoiceSeries.objects.get(name="RC").next_number == 13
    assert_ledger_balanced()


def test_purchases_that_fail_after_taking_a_number_give_it_back_under_concurrency(fake):
    _, offer = listed_likeness(price_minor=2_000)
    orders = [services.order_create(buyer=UserFactory(kind=User.Kind.BRAND), offer=offer) for _ in range(10)]

    def issue(pair):
        index, order = pair
        try:
            with transaction.atomic():
                number = invoice_issue(order=Order.objects.get(pk=order.pk)).number
                if index % 3 == 0:
                    raise RuntimeError("failed after taking a number")
                return number
        except RuntimeError:
            return None

    issued = [n for n in in_threads(issue, list(enumerate(orders)), workers=8) if n is not None]
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert sorted(issued) == numbers == list(range(1, len(numbers) + 1)) and len(numbers) == 6
