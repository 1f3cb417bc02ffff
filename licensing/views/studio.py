"""Studios: characters, worlds and brand assets, opted in one by one; one page per asset for its
rules, direct licence grants and revocation."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from accounts.errors import InvalidInput
from accounts.models import Organisation
from accounts.web import form_errors_as_page, form_submit, page

from .. import services
from ..forms import GrantForm, IPAssetForm, RevokeForm, StudioRulesForm
from ..selectors import access_ip_asset_managed, ip_assets_for


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def studio_assets(request):
    studios = Organisation.objects.filter(kind="studio", memberships__user=request.user)
    form = IPAssetForm(request.POST or None, studios=studios)
    if request.method == "POST":
        done = form_submit(
            request, form,
            lambda d: services.ip_asset_create(studio=d["studio"], actor=request.user, kind=d["kind"], name=d["name"], description=d["description"]),
            success=lambda a: f"Added “{a.name}”. It stays unavailable until you opt it in.",
            redirect_to=lambda a: f"/studio/assets/{a.pk}/",
        )
        if done:
            return done
    return page(request, "licensing/studio_assets.html", {"studios": studios, "assets": ip_assets_for(user=request.user), "form": form}, [form])


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def studio_asset_detail(request, asset_id):
    asset = access_ip_asset_managed(user=request.user, asset_id=asset_id)
    here = f"/studio/assets/{asset.pk}/"
    action = request.POST.get("action") if request.method == "POST" else None
    rules = StudioRulesForm(
        request.POST if action == "controls" else None, initial=StudioRulesForm.initial_for(asset), prefix="rules",
        relaxable=services.relaxable_for(asset),
    )
    grant = GrantForm(request.POST if action == "grant" else None, prefix="grant")
    revoke = RevokeForm(request.POST if action == "revoke" else None, prefix="revoke")
    if action == "opt_in":
        services.ip_asset_opt_in(asset=asset, actor=request.user)
        messages.success(request, f"“{asset.name}” is opted in: licensees can now use it under your rules.")
        return redirect(here)
    if action == "controls":
        done = form_submit(
            request, rules, lambda d: services.controls_update(holding=asset, actor=request.user, **d),
            success="Saved the rules for this IP.", redirect_to=here,
        )
    elif action == "grant":
        from ..api import user_by_email

        done = form_submit(
            request, grant,
            lambda d: services.licence_grant(
                holding=asset, actor=request.user, licensee=user_by_email(d["email"]), commercial_use=d["commercial_use"],
                duration_days=d["duration_days"], generation_quota=d["generation_quota"], derivatives=d["derivatives"],
            ),
            success=lambda lic: f"Licence granted to {lic.licensee.email}.", redirect_to=here,
        )
    elif action == "revoke":
        done = form_submit(
            request, revoke, lambda d: services.ip_asset_revoke(asset=asset, actor=request.user, reason=d["reason"]),
            success="Revoked: every licence on it has ended (with its notice period).", redirect_to=here,
        )
    elif action is not None:
        raise InvalidInput("Unknown action.")
    else:
        done = None
    if done:
        return done
    licences = asset.licences.select_related("licensee", "terms").order_by("-created_at")[:100]
    return page(
        request, "licensing/studio_asset.html",
        {"asset": asset, "rules_form": rules, "grant_form": grant, "revoke_form": revoke, "licences": licences},
        [rules, grant, revoke],
    )
