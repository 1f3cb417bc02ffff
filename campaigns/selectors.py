from accounts.errors import get_or_not_found
from generation.models import Brief

from .models import Campaign, CampaignTalent


def _money(minor: int, currency: str) -> str:
    from accounts.display import money  # the one money format: the viewer's locale

    return money(minor, currency)


def access_campaign(*, user, campaign_id) -> Campaign:
    return get_or_not_found(Campaign.objects.filter(owner=user), "No such campaign.", pk=campaign_id)


def campaign_progress(*, campaign: Campaign) -> dict:
    """Per talent: payment, licence, the briefs' and jobs' states, refusals with reasons; and the
    spend against the budget."""
    rows = []
    spent = 0
    counts = {"queued": 0, "running": 0, "released": 0, "awaiting_approval": 0, "refused": 0, "failed": 0}
    for t in campaign.talents.select_related("offer__likeness", "order__licence").order_by("offer__likeness__name"):
        if t.order and t.order.status == "paid":
            spent += t.order.amount_minor
        briefs = []
        if t.variant_group:
            briefs = list(Brief.objects.filter(variant_group=t.variant_group).select_related("job").order_by("variant_index"))
        elif t.first_brief_id:
            briefs = [t.first_brief]
        items = []
        for b in briefs:
            job = getattr(b, "job", None)
            state = job.status if job else b.status
            items.append({"brief_id": str(b.pk), "status": b.status, "job_id": str(job.pk) if job else None, "job_status": job.status if job else None,
                          "output_url": f"/api/jobs/{job.pk}/output/" if job and job.status == "released" and not job.taken_down_at else None})
            key = "refused" if state in ("refused", "rejected") else state
            if key in counts:
                counts[key] += 1
        if t.status == CampaignTalent.Status.REFUSED:
            counts["refused"] += 1
        rows.append({
            "talent": t.offer.likeness.name, "offer_id": str(t.offer_id), "price_minor": t.offer.price_minor,
            "price_display": _money(t.offer.price_minor, campaign.currency), "status": t.status,
            "status_label": t.get_status_display(), "reason": t.reason, "order_id": str(t.order_id) if t.order_id else None,
            "checkout_url": t.order.checkout_url if t.order and t.order.status == "pending" else None,
            "licence_id": str(t.order.licence_id) if t.order else None, "briefs": items,
        })
    return {"id": str(campaign.pk), "name": campaign.name, "currency": campaign.currency, "budget_minor": campaign.budget_minor,
            "spent_minor": spent, "spent_display": _money(spent, campaign.currency), "budget_display": _money(campaign.budget_minor, campaign.currency), "price_ceiling_minor": campaign.price_ceiling_minor, "prompt_template": campaign.prompt_template,
            "variants": campaign.variants, "talents": rows, "counts": counts}
