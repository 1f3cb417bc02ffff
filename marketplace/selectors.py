from __future__ import annotations

from django.db.models import Prefetch, QuerySet, Sum

from accounts.errors import get_or_not_found
from accounts.models import User
from licensing.models import Likeness
from licensing.selectors import likeness_list_listed

from .models import LedgerAccount, LedgerEntry, Offer, Order


def listing_list() -> QuerySet[Likeness]:
    """The marketplace: listed likenesses with their active offers."""
    return likeness_list_listed().prefetch_related(
        Prefetch("offers", queryset=Offer.objects.filter(is_active=True).select_related("terms").order_by("price_minor"))
    )


def access_offer_buyable(*, offer_id) -> Offer:
    return get_or_not_found(
        Offer.objects.select_related("likeness", "terms"),
        "No such offer.",
        pk=offer_id,
        is_active=True,
        likeness__status=Likeness.Status.LISTED,
    )


def access_order(*, user: User, order_id) -> Order:
    return get_or_not_found(
        Order.objects.select_related("offer__likeness", "licence"), "No such order.", pk=order_id, buyer=user
    )


def offer_list_for_likeness(*, likeness: Likeness) -> QuerySet[Offer]:
    return likeness.offers.select_related("terms").order_by("-created_at")


def balance_for(*, user: User) -> list[dict]:
    """What the platform owes `user`, per currency: credits to their payable accounts."""
    rows = (
        LedgerEntry.objects.filter(account__owner=user, account__kind=LedgerAccount.Kind.PAYABLE)
        .values("currency")
        .annotate(total=Sum("amount_minor"))
        .order_by("currency")
    )
    return [{"currency": r["currency"], "owed_minor": -int(r["total"] or 0)} for r in rows]


def earnings_for(*, user: User) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(account__owner=user, account__kind=LedgerAccount.Kind.PAYABLE)
        .select_related("transaction__order__offer__likeness")
        .order_by("-transaction__created_at")
    )
