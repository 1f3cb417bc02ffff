"""The signed-in dashboard composes every app's selectors, so it lives in config (above the apps)."""
from django.shortcuts import render

from generation.selectors import brief_list_for_requester, use_list_for_talent
from licensing.selectors import licence_list_for_licensee, likeness_list_owned
from marketplace.selectors import balance_for


def home(request):
    """The dashboard for whoever is signed in; the landing page for everyone else."""
    user = request.user
    ctx = {}
    if user.is_authenticated:
        if user.kind == "talent":
            ctx["likenesses"] = likeness_list_owned(user=user)
            ctx["balances"] = balance_for(user=user)
            ctx["recent_uses"] = use_list_for_talent(user=user)[:5]
        else:
            ctx["licences"] = licence_list_for_licensee(user=user)
            ctx["briefs"] = brief_list_for_requester(user=user)[:10]
    return render(request, "home.html", ctx)
