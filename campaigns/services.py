"""Writes of campaigns."""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.errors import Conflict, DomainError, Forbidden, InvalidInput
from accounts.models import User
from generation.variants import MAX_VARIANTS, brief_submit_variants
from licensing import services as licensing
from marketplace import services as market
from marketplace.models import CheckoutBundle, Offer, Order
from marketplace.selectors import listing_list

from .models import Campaign, CampaignTalent

MAX_TALENTS = 100
PLACEHOLDER = "{talent}"


def _pick_offers(*, offer_ids, query: str, currency: str, ceiling: int, budget: int) -> list[Offer]:
    """The cheapest active offer per listed talent within the ceiling, in the currency, matching
    the query (or the offers named), until the budget is spent."""
    if offer_ids:
        offers = list(Offer.objects.filter(pk__in=offer_ids, is_active=True, likeness__status="listed").select_related("likeness"))
        if len(offers) != len(set(map(str, offer_ids))):
            raise InvalidInput("Some offers named are not available.")
        too_dear = [o for o in offers if o.price_minor > ceiling or o.currency != currency]
        if too_dear:
            raise InvalidInput(f"{too_dear[0].likeness.name}'s offer is above the per-talent ceiling or in another currency.")
    else:
        q = (query or "").strip().lower()
        offers = []
        for likeness in listing_list():
            if q and q not in f"{likeness.name} {likeness.bio}".lower():
                continue
            fitting = [o for o in likeness.offers.all() if o.currency == currency and o.price_minor <= ceiling]
            if fitting:
                offers.append(min(fitting, key=lambda o: o.price_minor))
    if len({o.likeness_id for o in offers}) != len(offers):
        raise InvalidInput("Name one offer per talent.")
    picked, total = [], 0
    for offer in sorted(offers, key=lambda o: (o.price_minor, str(o.pk))):
        if total + offer.price_minor <= budget and len(picked) < MAX_TALENTS:
            picked.append(offer)
            total += offer.price_minor
    if offer_ids and len(picked) != len(offers):
        raise InvalidInput("The offers named cost more than the budget.")
    if not picked:
        raise InvalidInput("No listed talent fits the ceiling, the currency and the budget.")
    return picked


def campaign_create(
    *, owner: User, name: str, budget_minor: int, price_ceiling_minor: int, currency: str = "gbp", offer_ids=None, query: str = ""
) -> Campaign:
    """A campaign and an order per talent (free offers are licensed at once; paid ones wait for
    the campaign's checkout)."""
    if owner.kind != User.Kind.BRAND:
        raise Forbidden("Campaigns are for brand accounts.")
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Name the campaign.")
    for label, value in (("budget", budget_minor), ("per-talent ceiling", price_ceiling_minor)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(f"The {label} is a whole number of minor units (pence, cents).")
    currency = (currency or "").lower()
    offers = _pick_offers(offer_ids=offer_ids or [], query=query, currency=currency, ceiling=price_ceiling_minor, budget=budget_minor)
    with transaction.atomic():
        campaign = Campaign.objects.create(owner=owner, name=name[:160], currency=currency, budget_minor=budget_minor, price_ceiling_minor=price_ceiling_minor)
        rows = [CampaignTalent.objects.create(campaign=campaign, offer=o) for o in offers]
        licensing.audit_record(actor=owner, action="campaign.created", obj=campaign, data={"offers": [str(o.pk) for o in offers]})
    for row in rows:  # orders wait for the campaign's one checkout (campaign_checkout)
        try:
            order = market.order_create(buyer=owner, offer=row.offer, checkout=False)
        except DomainError as exc:
            CampaignTalent.objects.filter(pk=row.pk).update(status=CampaignTalent.Status.NOT_LICENSED, reason=exc.message)
            continue
        status = CampaignTalent.Status.LICENSED if order.status == Order.Status.PAID else CampaignTalent.Status.AWAITING_PAYMENT
        CampaignTalent.objects.filter(pk=row.pk).update(order=order, status=status)
    return campaign


def campaign_checkout(*, campaign: Campaign, actor: User, return_url: str = "") -> CheckoutBundle:
    """One Checkout for every licence of the campaign still waiting for payment: a line item per
    talent, one payment; the paid webhook grants them all in one transaction (a talent that can no
    longer be licensed by then is refunded). Asking again resumes the same checkout."""
    if campaign.owner_id != actor.pk:
        raise Forbidden("Only the campaign's owner pays for it.")
    campaign_refresh(campaign=campaign)
    orders = [row.order for row in campaign.talents.select_related("order").filter(status=CampaignTalent.Status.AWAITING_PAYMENT) if row.order]
    if not orders:
        raise Conflict("Nothing of this campaign is waiting for payment.")
    return_url = return_url or settings.SITE_URL + reverse("campaigns:detail", args=[campaign.pk])
    return market.bundle_checkout_create(buyer=actor, orders=orders, title=f"Campaign: {campaign.name}", return_url=return_url)


def campaign_offline_checkout(*, campaign: Campaign, actor: User) -> Campaign:
    """The offline backend's one checkout for the whole campaign: the bundle's checkout answered
    at once, through the same event a hosted checkout sends."""
    bundle = campaign_checkout(campaign=campaign, actor=actor)
    if bundle.payment_backend != "offline":
        raise Conflict("This campaign is paid through Stripe Checkout: follow its checkout link.")
    market.bundle_offline_complete(bundle=bundle, buyer=actor, pay=True)
    campaign_refresh(campaign=campaign)
    return campaign


def campaign_refresh(*, campaign: Campaign) -> None:
    """Orders paid since (a hosted checkout's webhook) make their talent licensed."""
    for row in campaign.talents.select_related("order").filter(status=CampaignTalent.Status.AWAITING_PAYMENT):
        if row.order and row.order.status == Order.Status.PAID:
            CampaignTalent.objects.filter(pk=row.pk).update(status=CampaignTalent.Status.LICENSED)
        elif row.order and row.order.status in (Order.Status.CANCELLED, Order.Status.FAILED):
            why = "Could not be licensed when the checkout was paid; that part of the payment is refunded." if row.order.bundle_id else "The order was cancelled."
            CampaignTalent.objects.filter(pk=row.pk).update(status=CampaignTalent.Status.NOT_LICENSED, reason=why)


def campaign_brief(*, campaign: Campaign, actor: User, prompt_template: str, variants: int = 1, media: str = "image") -> Campaign:
    """One brief per licensed talent, `{talent}` replaced by their name, each screened and decided
    under that talent's own licence and rules; refusals are kept with their reasons."""
    if campaign.owner_id != actor.pk:
        raise Forbidden("Only the campaign's owner briefs it.")
    template = (prompt_template or "").strip()
    if PLACEHOLDER not in template:
        raise InvalidInput(f"Put {PLACEHOLDER} in the brief where each talent's name goes.")
    if isinstance(variants, bool) or not isinstance(variants, int) or not 1 <= variants <= MAX_VARIANTS:
        raise InvalidInput(f"Ask for 1 to {MAX_VARIANTS} variants per talent.")
    campaign_refresh(campaign=campaign)
    rows = list(campaign.talents.select_related("order__licence", "offer__likeness").filter(status=CampaignTalent.Status.LICENSED))
    if not rows:
        raise Conflict("No talent of this campaign is licensed yet: pay for the campaign first.")
    Campaign.objects.filter(pk=campaign.pk).update(prompt_template=template, variants=variants, briefed_at=timezone.now())
    for row in rows:
        prompt = template.replace(PLACEHOLDER, row.offer.likeness.name)
        try:
            made = brief_submit_variants(requester=actor, licence_id=row.order.licence_id, prompt=prompt, variants=variants, media=media)
        except DomainError as exc:
            reasons = " ".join(exc.reasons)
            CampaignTalent.objects.filter(pk=row.pk).update(status=CampaignTalent.Status.REFUSED, reason=(exc.message + (" " + reasons if reasons and reasons not in exc.message else ""))[:2000])
            continue
        CampaignTalent.objects.filter(pk=row.pk).update(status=CampaignTalent.Status.BRIEFED, variant_group=made[0].variant_group, first_brief=made[0], reason="")
    campaign.refresh_from_db()
    return campaign
