from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.errors import DomainError
from accounts.web import status_for

from . import services
from .forms import CampaignBriefForm, CampaignForm
from .selectors import access_campaign, campaign_progress


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    form = CampaignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = services.campaign_create(owner=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = status_for(exc)
            else:
                messages.success(request, f"Campaign started with {campaign.talents.count()} talents. Pay for their licences, then brief them.")
                return redirect("campaigns:detail", campaign.pk)
        else:
            status = 400
    return render(request, "campaigns/new.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_detail(request, campaign_id):
    try:
        campaign = access_campaign(user=request.user, campaign_id=campaign_id)
    except DomainError as exc:
        return render(request, "error.html", {"message": exc.message}, status=status_for(exc))
    form = CampaignBriefForm(request.POST if request.POST.get("action") == "brief" else None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "pay":
                bundle = services.campaign_checkout(campaign=campaign, actor=request.user)
                if bundle.payment_backend != "offline":  # one hosted Checkout for every talent
                    return redirect(bundle.checkout_url)
                services.campaign_offline_checkout(campaign=campaign, actor=request.user)
                messages.success(request, "Every waiting licence of the campaign is paid.")
                return redirect("campaigns:detail", campaign.pk)
            if form.is_valid():
                services.campaign_brief(campaign=campaign, actor=request.user, **form.cleaned_data)
                messages.success(request, "Briefed: one brief per licensed talent, each under their own terms.")
                return redirect("campaigns:detail", campaign.pk)
            status = 400
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = status_for(exc)
    services.campaign_refresh(campaign=campaign)
    return render(request, "campaigns/detail.html", {"campaign": campaign, "progress": campaign_progress(campaign=campaign), "form": form}, status=status)
