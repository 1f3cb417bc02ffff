"""Builders and checks for the money tests. They take the real service paths (the offline
payment backend, licensing's usage_record) rather than writing rows directly."""
from django.db import transaction
from django.db.models import Sum

from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence
from marketplace import services
from marketplace.models import LedgerEntry
from marketplace.selectors import balance_for, earnings_summary_for
from marketplace.services.reconcile import imbalanced_transactions
from tests.factories import UserFactory, listed_likeness


def assert_ledger_balanced():
    assert imbalanced_transactions() == 0
    for row in LedgerEntry.objects.values("currency").annotate(t=Sum("amount_minor")):
        assert row["t"] == 0, row


def owed(user, currency="gbp") -> int:
    return next((b["owed_minor"] for b in balance_for(user=user) if b["currency"] == currency), 0)


def summary(user, currency="gbp") -> dict:
    return next((s for s in earnings_summary_for(user=user) if s["currency"] == currency), {})


def ready_payee(user):
    """Onboard `user` as a payee with whichever backend is configured (offline: its stand-in)."""
    services.payee_onboarding_start(user=user)
    return services.offline_onboarding_complete(user=user)


def buy(buyer, offer):
    order = services.order_create(buyer=buyer, offer=offer)
    if order.status == "pending":
        order = services.offline_checkout_complete(order=order, buyer=buyer, pay=True)
    assert order.status == "paid"
    return order


def top_up(buyer, amount: int, currency: str = "gbp"):
    topup = services.topup_create(buyer=buyer, amount_minor=amount, currency=currency)
    topup = services.offline_topup_complete(topup=topup, buyer=buyer, pay=True)
    assert topup.status == "paid"
    return topup


def use(licence, reference: str, parent=None):
    """One generation's use of a licence, as generation records it (licence locked)."""
    with transaction.atomic():
        locked = Licence.objects.select_for_update().select_related("terms").get(pk=licence.pk)
        return licensing.usage_record(licence=locked, reference=reference, parent=parent)


def remix_chain(*, depth: int, fee: int = 1_000, price: int = 5_000, share_bps: int = 1_000, quota: int = 50, **offer_kwargs):
    """A talent's likeness offered with a per-generation fee and remix share; `depth` creators each
    license it and remix the previous creator's generation. Returns (talent, creators, uses,
    licences): uses[k] is creator k's use, whose parent is uses[k-1]."""
    likeness, _ = listed_likeness(price_minor=price, quota=quota)
    offer = services.offer_create(
        likeness=likeness, actor=likeness.owner, title="Remixable", price_minor=price, currency="gbp",
        per_generation_fee_minor=fee, generation_quota=quota, derivatives="allowed", revenue_share_bps=share_bps, **offer_kwargs,
    )
    creators, uses, licences = [], [], []
    parent = None
    for k in range(depth):
        creator = UserFactory(kind=User.Kind.CREATOR)
        order = buy(creator, offer)
        top_up(creator, 100_000)
        parent = use(order.licence, f"gen-{k}-{creator.pk}", parent=parent)
        creators.append(creator)
        uses.append(parent)
        licences.append(order.licence)
    return likeness.owner, creators, uses, licences
