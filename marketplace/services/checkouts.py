"""What every pending checkout of the money side shares (a prepaid top-up, a licence add-on): a
row that waits in PENDING for its provider's answer, is cancelled once when the checkout expires
or fails, and, on the offline backend, is answered by its buyer on the offline hosted page with
the same event the provider would send. The model has `buyer`, `payment_backend`, `status` with
PENDING and CANCELLED, `amount_minor`, `currency` and `checkout_session_id`."""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from accounts.errors import Conflict, Forbidden
from accounts.models import User

from ..payments.offline import OfflineGateway


def payment_must_match(*, noun: str, amount_minor: int | None, currency: str | None, price_minor: int, price_currency: str,
                       tax: int) -> None:
    """The one check (and the one message, in the user's language) that a payment is the price plus
    the tax Stripe Tax added, in the price's currency: an order's, a campaign checkout's, an
    add-on's. `noun` is gettext's already ("order", "checkout", "add-on"). None: no amount was
    reported (the offline backend's own completion), nothing to compare."""
    if amount_minor is None:
        return
    if amount_minor == price_minor + tax and (currency or "").lower() == price_currency:
        return
    price = gettext("%(amount)s %(currency)s") % {"amount": price_minor, "currency": price_currency}
    if tax:
        price = gettext("%(price)s and %(tax)s tax") % {"price": price, "tax": tax}
    raise Conflict(gettext("The payment (%(amount)s %(currency)s) does not match the %(noun)s (%(price)s).")
                   % {"amount": amount_minor, "currency": currency, "noun": noun, "price": price})


def pending_checkout_cancel(*, model, pk):
    """The checkout expired or failed: a pending row becomes cancelled (once); any other is left."""
    with transaction.atomic():
        row = model.objects.select_for_update().get(pk=pk)
        if row.status == model.Status.PENDING:
            row.status = model.Status.CANCELLED
            row.save(update_fields=["status"])
    return row


def offline_checkout_answer(*, row, kind: str, noun: str, buyer: User, pay: bool):
    """The buyer answered the offline backend's hosted page for `row`: feed the event Stripe would
    send (`checkout.session.completed` or `.expired`, metadata `kind`) through the one door."""
    from .events import payment_event_ingest

    if row.buyer_id != buyer.pk:
        raise Forbidden(f"This is someone else's {noun}.")
    if row.payment_backend != "offline":
        raise Conflict(f"This {noun} is not paid through the offline backend.")
    if row.status != row.Status.PENDING:
        raise Conflict(f"This {noun} is already {row.get_status_display().lower()}.")
    event = OfflineGateway._session_event(kind=kind, reference=str(row.pk), session_id=row.checkout_session_id,
                                          amount=row.amount_minor, currency=row.currency, paid=pay)
    payment_event_ingest(backend="offline", event=event)
    row.refresh_from_db()
    return row
