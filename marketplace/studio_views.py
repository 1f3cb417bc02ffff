"""Pages for studios selling IP and being paid, and for buyers licensing a studio's character.
Thin views: a Django form per action, one service call, one message."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import Membership
from accounts.web import form_errors_as_page
from licensing.selectors import access_ip_asset_managed, access_studio

from . import services
from .forms import OfferForm, PayoutCountryForm
from .selectors import (
    access_ip_asset_public,
    earnings_for,
    earnings_sources,
    earnings_summary_for,
    ip_listing_list,
    offer_list_for_ip_asset,
    payee_account_for,
    payouts_for,
)
from .services.studios import PAYOUT_ROLES, organisation_holder, studio_payee_onboarding_start


@login_required
def ip_market(request):
    return render(request, "marketplace/ip_market.html", {"assets": ip_listing_list()})


@login_required
@form_errors_as_page
def ip_listing(request, asset_id):
    asset = access_ip_asset_public(asset_id=asset_id)
    return render(request, "marketplace/ip_listing.html", {"asset": asset, "offers": asset.offers.all()})


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def ip_offers_manage(request, asset_id):
    """Studio members: the offers of one of the studio's IP assets, and a form for a new one."""
    asset = access_ip_asset_managed(user=request.user, asset_id=asset_id)
    form = OfferForm(request.POST if request.POST else None)
    if request.method == "POST" and form.is_valid():
        offer = services.offer_create(ip_asset=asset, actor=request.user, **form.service_kwargs())
        messages.success(request, f"Offer “{offer.title}” added: buyers can license {asset.name} under it now.")
        return redirect("marketplace:ip-offers", asset.pk)
    return render(
        request,
        "marketplace/ip_offers_manage.html",
        {"asset": asset, "offers": offer_list_for_ip_asset(asset=asset), "form": form},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def studio_payouts(request, studio_id):
    """A studio's earnings and payout account. Every member sees them; an owner or admin sets up
    payouts, choosing the country the account is opened in."""
    studio = access_studio(user=request.user, studio_id=studio_id)
    holder = organisation_holder(organisation=studio)
    payee = payee_account_for(user=holder)
    form = PayoutCountryForm(request.POST if request.POST else None, initial={"country": payee.country if payee else "GB"})
    if request.method == "POST" and form.is_valid():
        return redirect(studio_payee_onboarding_start(actor=request.user, organisation=studio, country=form.cleaned_data["country"]))
    can_manage = Membership.objects.filter(user=request.user, organisation=studio, role__in=PAYOUT_ROLES).exists()
    return render(
        request,
        "marketplace/studio_payouts.html",
        {
            "studio": studio,
            "summary": earnings_summary_for(user=holder),
            "entries": earnings_sources(user=holder, entries=earnings_for(user=holder).select_related("transaction")[:200]),
            "payouts": payouts_for(user=holder)[:50],
            "payee": payee,
            "form": form,
            "can_manage": can_manage,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@form_errors_as_page
def studio_payouts_return(request, studio_id):
    studio = access_studio(user=request.user, studio_id=studio_id)
    payee = services.payee_refresh(user=organisation_holder(organisation=studio))
    if payee is not None and payee.is_ready:
        messages.success(request, f"{studio.name}'s payout account is ready: what the studio is owed is paid in the next payout run.")
    else:
        messages.warning(request, f"{studio.name}'s payout account is not ready yet. What the studio is owed waits for it.")
    return redirect("marketplace:studio-payouts", studio.pk)
