"""Each role's home: it composes every app's selectors, so it lives in config (above the apps)."""
from django.shortcuts import render

from generation.selectors import brief_list_for_requester, use_list_for_talent
from licensing.selectors import (
    approvals_pending_for,
    ip_assets_for,
    licence_list_for_licensee,
    likeness_list_owned,
    likenesses_represented,
    representing_organisations,
)
from marketplace.selectors import (
    credit_summary_for,
    earnings_summary_for,
    listing_list,
    offer_list_for_likeness,
    studio_earnings_for,
)


def home(request):
    """The dashboard for whoever is signed in (talent and estates, studios, brands, creators,
    moderators each have their own); the landing page for everyone else."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home/visitor.html", {"listings": listing_list()[:6]})
    kind = user.kind
    organisations = representing_organisations(user=user) if kind == "talent" else []
    if organisations:
        return _representative_home(request, organisations)
    if kind == "talent":
        likenesses = list(likeness_list_owned(user=user))
        ctx = {
            "likenesses": likenesses,
            "managed_for_others": [lk for lk in likenesses if lk.managed_by != "self"],
            "approvals": approvals_pending_for(user=user),
            "earnings": earnings_summary_for(user=user),
            "recent_uses": use_list_for_talent(user=user)[:6],
        }
        return render(request, "home/talent.html", ctx)
    if kind == "studio":
        ctx = {
            "assets": ip_assets_for(user=user),
            "approvals": approvals_pending_for(user=user),
            "earnings": earnings_summary_for(user=user),
            "studios": studio_earnings_for(user=user),
            "recent_uses": use_list_for_talent(user=user)[:6],
        }
        return render(request, "home/studio.html", ctx)
    if kind == "moderator":
        from licensing.selectors import verifications_to_review

        ctx = {"queue": verifications_to_review(user=user)[:10], "recent_uses": _recent_briefs()}
        return render(request, "home/moderator.html", ctx)
    ctx = {
        "licences": licence_list_for_licensee(user=user),
        "briefs": brief_list_for_requester(user=user)[:8],
        "credit": credit_summary_for(user=user),
        "earnings": earnings_summary_for(user=user) if kind == "creator" else [],
    }
    return render(request, "home/creator.html" if kind == "creator" else "home/brand.html", ctx)


def _recent_briefs():
    from generation.models import Brief

    return Brief.objects.select_related("licence__likeness", "licence__ip_asset", "requester", "job").order_by("-created_at")[:10]


def _representative_home(request, organisations):
    """An agency member's or an estate's home: the likenesses they act for, with what waits for
    their say and the offers on each."""
    user = request.user
    approvals = approvals_pending_for(user=user)
    represented = []
    for r in likenesses_represented(user=user):
        lk = r["likeness"]
        represented.append({
            **r,
            "approvals": [a for a in approvals if a.likeness_id == lk.pk],
            "offers": [o for o in offer_list_for_likeness(likeness=lk) if o.is_active],
            "holds_it": lk.owner_id == user.pk,  # the estate's own account opens the control room
            "open_reports": lk.misuse_reports.filter(status__in=["new", "investigating"]).count() if lk.owner_id == user.pk else 0,
        })
    kinds = {o.kind for o in organisations}
    ctx = {
        "organisations": organisations,
        "is_estate": kinds == {"estate"},
        "represented": represented,
        "approvals": approvals,
        "earnings": earnings_summary_for(user=user),
        "own": [lk for lk in likeness_list_owned(user=user) if lk.pk not in {r["likeness"].pk for r in represented}],
    }
    return render(request, "home/representative.html", ctx)
