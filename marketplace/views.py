from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.errors import Forbidden, InvalidInput, NotFound
from accounts.web import form_errors_as_page, form_submit, page
from licensing.selectors import (
    access_likeness_managed,
    access_likeness_owned,
    access_likeness_public,
    licence_list_for_licensee,
)

from . import services
from .charts import bar_chart, earnings_by_month
from .forms import BuyForm, OfferForm, RefundForm, TopUpForm
from .selectors import (
    access_addon_for_moderation,
    access_credit_note,
    access_offer_buyable,
    access_order,
    access_order_for_moderation,
    access_receipt,
    access_topup,
    addon_refunds,
    credit_history_for,
    credit_summary_for,
    earnings_csv_for,
    earnings_for,
    earnings_sources,
    earnings_summary_for,
    licence_addon_revocation_refunds,
    offer_list_for_likeness,
    payee_account_by_provider_id,
    payee_account_for,
    payouts_for,
    receipt_for,
    receipts_for,
    usage_charges_for,
)
from .services.payees import PAYEE_KINDS


def market(request):
    """Browsable signed out: talent and characters side by side, search, filters, sort, pages."""
    from django.core.paginator import Paginator

    from .browse import browse
    from .forms import BrowseForm

    form = BrowseForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    cards = browse(
        q=(params.get("q") or "").strip(), kind=params.get("kind") or "", min_price=params.get("min_price"), max_price=params.get("max_price"),
        channel=params.get("channel") or "", territory=params.get("territory") or "", remix=bool(params.get("remix")),
        available=bool(params.get("available")), sort=params.get("sort") or "relevance",
    )
    page_obj = Paginator(cards, 12).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request, "marketplace/market.html", {"form": form, "page_obj": page_obj, "total": len(cards), "query": query.urlencode()}, status=status
    )


@form_errors_as_page
def listing_detail(request, likeness_id):
    likeness = access_likeness_public(likeness_id=likeness_id)
    offers = likeness.offers.filter(is_active=True).select_related("terms").order_by("price_minor")
    return render(request, "marketplace/listing_detail.html", {"holding": likeness, "kind": "talent", "offers": offers,
                                                               "remix_of": _remix_param(request)})


@form_errors_as_page
def asset_listing(request, asset_id):
    """A studio's character, world or brand asset in the marketplace."""
    from accounts.errors import get_or_not_found
    from licensing.models import IPAsset

    from .browse import _asset_offers

    asset = get_or_not_found(IPAsset.objects.select_related("studio"), "No such listing.", pk=asset_id, status=IPAsset.Status.LISTED)
    return render(request, "marketplace/listing_detail.html", {"holding": asset, "kind": "character", "offers": _asset_offers(asset),
                                                               "remix_of": _remix_param(request)})


def _remix_param(request):
    """The work named by the feed's remix link (`?remix=`), when it is a well-formed id."""
    form = BuyForm({"remix_of": request.GET.get("remix", "")})
    return form.cleaned_data["remix_of"] if form.is_valid() else None


def portrait_image(request, portrait_id):
    """A listing portrait: public while its holding is listed."""
    from django.http import FileResponse, Http404

    from .models import ListingPortrait

    p = ListingPortrait.objects.select_related("likeness", "ip_asset").filter(pk=portrait_id).first()
    holding = p and (p.likeness or p.ip_asset)
    if p is None or holding.status != "listed" or not p.image:
        raise Http404("No such picture.")
    response = FileResponse(p.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def portrait_edit(request, kind, holding_id):
    """The rights holder chooses the listing portrait (talent: a likeness; studio: an IP asset)."""
    from licensing.selectors import access_ip_asset_managed

    from .forms import PortraitForm

    holding = access_likeness_owned(user=request.user, likeness_id=holding_id) if kind == "likeness" else access_ip_asset_managed(user=request.user, asset_id=holding_id)
    form = PortraitForm(request.POST or None, request.FILES or None)
    back = f"/talent/likenesses/{holding.pk}/offers/" if kind == "likeness" else f"/studio/assets/{holding.pk}/"
    if request.method == "POST":
        done = form_submit(
            request, form, lambda d: services.portrait_set(holding=holding, actor=request.user, file=d["image"], alt_text=d["alt_text"]),
            success="Portrait saved: it is on your marketplace card now.", redirect_to=back,
        )
        if done:
            return done
    return page(request, "marketplace/portrait_edit.html", {"holding": holding, "form": form, "back": back}, [form])


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def offers_manage(request, likeness_id):
    """Talent (or an agency or estate acting for them): the offers of a likeness, and a form for a new one."""
    likeness = access_likeness_managed(user=request.user, likeness_id=likeness_id)
    form = OfferForm(request.POST or None)
    if request.method == "POST":
        done = form_submit(
            request, form, lambda d: services.offer_create(likeness=likeness, actor=request.user, **form.service_kwargs()),
            success=lambda o: f"Offer “{o.title}” added.", redirect_to=f"/talent/likenesses/{likeness.pk}/offers/",
        )
        if done:
            return done
    from licensing.selectors import consent_current_for, verification_passed_for

    return page(
        request,
        "marketplace/offers_manage.html",
        {
            "likeness": likeness, "offers": offer_list_for_likeness(likeness=likeness), "form": form, "section": "offers",
            "verified": verification_passed_for(likeness), "consent_current": consent_current_for(likeness),
        },
        [form],
    )


@login_required
@require_http_methods(["POST"])
@form_errors_as_page
def offer_buy(request, offer_id):
    offer = access_offer_buyable(offer_id=offer_id)
    form = BuyForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("The work to remix is not a valid id.")
    remix_of = form.cleaned_data["remix_of"]
    order = services.order_create(buyer=request.user, offer=offer, remix_of=str(remix_of) if remix_of else None)
    if order.status == order.Status.PENDING and order.checkout_url:
        return redirect(order.checkout_url)
    messages.success(request, "Your licence is active: write a brief to generate.")
    return redirect("marketplace:order-detail", order.pk)


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def offline_checkout(request, order_id):
    """The offline development backend's stand-in for Stripe's hosted checkout page."""
    order = access_order(user=request.user, order_id=order_id)
    if request.method == "POST":
        pay = request.POST.get("action") == "pay"
        services.offline_checkout_complete(order=order, buyer=request.user, pay=pay)
        messages.success(request, "Paid: your licence is active." if pay else "Payment cancelled: nothing was charged.")
        return redirect("marketplace:order-detail", order.pk)
    return render(request, "marketplace/offline_checkout.html", {"order": order})


@login_required
@form_errors_as_page
def order_detail(request, order_id):
    return render(request, "marketplace/order_detail.html", {"order": access_order(user=request.user, order_id=order_id)})


@login_required
def licences(request):
    return render(request, "marketplace/licences.html", {"licences": licence_list_for_licensee(user=request.user)})


def _payee_only(user) -> None:
    if user.kind not in PAYEE_KINDS:
        raise Forbidden("This page is for talent, studios and creators.")


@login_required
@form_errors_as_page
def earnings(request):
    """Balance (owed), pending (being transferred), paid, history, payouts, and payout setup."""
    _payee_only(request.user)
    return render(
        request,
        "marketplace/earnings.html",
        {
            "summary": earnings_summary_for(user=request.user),
            "charts": [bar_chart(points, c) for c, points in earnings_by_month(user=request.user).items()],
            "entries": earnings_sources(user=request.user, entries=earnings_for(user=request.user).select_related("transaction")[:200]),
            "payouts": payouts_for(user=request.user)[:50],
            "payee": payee_account_for(user=request.user),
            "country_form": _country_form(request.user),
        },
    )


def _country_form(user):
    from .forms import PayoutCountryForm

    payee = payee_account_for(user=user)
    return PayoutCountryForm(initial={"country": payee.country if payee else "GB"})


@login_required
@form_errors_as_page
def earnings_csv(request):
    _payee_only(request.user)
    response = HttpResponse(earnings_csv_for(user=request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rightscast-earnings.csv"'
    return response


@login_required
@require_http_methods(["POST"])
@form_errors_as_page
def payouts_setup(request):
    """Start (or continue) payout onboarding, in the country chosen (Stripe fixes it when the
    account is created): off to Stripe's hosted page, or the offline stand-in."""
    from .forms import PayoutCountryForm

    form = PayoutCountryForm(request.POST)
    country = form.cleaned_data["country"] if form.is_valid() else None
    if country is None and form["country"].data:  # a country was sent, but not one from the list
        messages.error(request, "Choose the country your bank account is in from the list.")
        return redirect("marketplace:earnings")
    return redirect(services.payee_onboarding_start(user=request.user, country=country))


@login_required
@form_errors_as_page
def payouts_return(request):
    payee = services.payee_refresh(user=request.user)
    if payee is not None and payee.is_ready:
        messages.success(request, "Your payout account is ready: what you are owed is paid in the next payout run.")
    else:
        messages.warning(request, "Your payout account is not ready yet. What you are owed waits for you.")
    return redirect("marketplace:earnings")


@login_required
@form_errors_as_page
def payouts_refresh(request):
    """Stripe sends the payee here when an onboarding link has expired: hand out a fresh one."""
    return redirect(services.payee_onboarding_start(user=request.user))


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def offline_onboarding(request):
    """The offline backend's stand-in for Stripe's hosted onboarding: for the signed-in payee, or
    (`?account=`) for a studio whose owner or admin is signed in."""
    from .services.studios import organisation_for_holder, studio_offline_onboarding_complete

    account = request.GET.get("account") or ""
    payee = payee_account_by_provider_id(account_id=account)
    studio = organisation_for_holder(payee.user_id) if payee is not None and payee.user_id != request.user.pk else None
    if studio is None:
        _payee_only(request.user)
        payee = payee_account_for(user=request.user)
    if request.method == "POST":
        if studio is not None:
            studio_offline_onboarding_complete(actor=request.user, organisation=studio)
            messages.success(request, f"{studio.name}'s payout account is ready (offline backend: no money moves).")
            return redirect("marketplace:studio-payouts", studio.pk)
        services.offline_onboarding_complete(user=request.user)
        messages.success(request, "Payout account ready (offline backend: no money moves).")
        return redirect("marketplace:earnings")
    return render(request, "marketplace/offline_onboarding.html", {"payee": payee, "studio": studio})


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def credit(request):
    """Brands: prepaid credit for per-generation fees, its history, and a top-up form."""
    form = TopUpForm(request.POST or None)
    if request.method == "POST":
        done = form_submit(
            request, form, lambda d: services.topup_create(buyer=request.user, amount_minor=d["amount"], currency=d["currency"]),
            success=None, redirect_to=lambda topup: topup.checkout_url,
        )
        if done:
            return done
    return page(
        request,
        "marketplace/credit.html",
        {
            "form": form,
            "balances": credit_summary_for(user=request.user),
            "history": credit_history_for(user=request.user)[:200],
            "charges": usage_charges_for(user=request.user)[:100],
        },
        [form],
    )


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def offline_topup(request, topup_id):
    topup = access_topup(user=request.user, topup_id=topup_id)
    if request.method == "POST":
        pay = request.POST.get("action") == "pay"
        services.offline_topup_complete(topup=topup, buyer=request.user, pay=pay)
        messages.success(request, "Credit added." if pay else "Top-up cancelled: nothing was charged.")
        return redirect("marketplace:credit")
    return render(request, "marketplace/offline_topup.html", {"topup": topup})


@login_required
def receipts(request):
    found = receipts_for(user=request.user)
    orders = [receipt_for(order=o) for o in found["orders"][:200]]
    addons = [(a, addon_refunds(a)) for a in found["addons"][:200]]
    return render(request, "marketplace/receipts.html", {"orders": orders, "addons": addons, "topups": found["topups"][:200]})


@login_required
@form_errors_as_page
def receipt_detail(request, order_id):
    order = access_receipt(user=request.user, order_id=order_id)
    return render(request, "marketplace/receipt.html",
                  {"r": receipt_for(order=order), "addon_refunds": licence_addon_revocation_refunds(licence_id=order.licence_id)})


@login_required
@form_errors_as_page
def invoice_detail(request, order_id):
    """The invoice on its own, laid out to print (or save as PDF from the print dialog);
    `?download=1` answers the same page as a file to keep."""
    r = receipt_for(order=access_receipt(user=request.user, order_id=order_id))
    if r["invoice"] is None:
        raise NotFound("This purchase has no invoice.")
    response = render(request, "marketplace/invoice.html", {"r": r, "invoice": r["invoice"]})
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="invoice-{r["invoice"].reference}.html"'
    return response


@login_required
@form_errors_as_page
def credit_note_detail(request, refund_id):
    """A refund's credit note on its own, laid out to print as the invoice is; `?download=1` as a file."""
    note = access_credit_note(user=request.user, refund_id=refund_id)
    if note.refund.addon_id:  # an add-on's: its licence's add-ons page lists it with its invoice
        back = {"back_url": reverse("marketplace:licence-addons", args=[note.refund.addon.licence_id]), "back_label": "Licence and add-ons"}
    else:
        back = {"back_url": reverse("marketplace:receipt", args=[note.refund.order_id]), "back_label": "Receipt"}
    response = render(request, "marketplace/credit_note.html", {"note": note, **back})
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="credit-note-{note.reference}.html"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def order_refund(request, order_id):
    """Moderators: refund part or all of a paid order."""
    order = access_order_for_moderation(user=request.user, order_id=order_id)
    return _refund_page(request, purchase=order, offer=order.offer, refund=services.order_refund, kwarg="order",
                        redirect_to=f"/moderation/orders/{order.pk}/refund/")


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def addon_refund(request, addon_id):
    """Moderators: refund part or all of a paid add-on (its price and tax), as an order's."""
    addon = access_addon_for_moderation(user=request.user, addon_id=addon_id)
    return _refund_page(request, purchase=addon, offer=addon.order.offer, refund=services.addon_refund, kwarg="addon",
                        redirect_to=f"/moderation/add-ons/{addon.pk}/refund/", addon=addon)


def _refund_page(request, *, purchase, offer, refund, kwarg: str, redirect_to: str, addon=None):
    """The moderators' refund page of an order or an add-on: what was paid, what is left, and the
    form that asks `refund` (services.order_refund or addon_refund) for part or all of it."""
    from accounts.display import money

    from .services.refunds import order_tax, refundable

    form = RefundForm(request.POST or None)
    if request.method == "POST":
        done = form_submit(
            request, form, lambda d: refund(**{kwarg: purchase}, actor=request.user, amount_minor=d["amount"], note=d["note"]),
            success=lambda r: f"Refund of {money(r.amount_minor, r.currency)}: {r.get_status_display().lower()}.",
            redirect_to=redirect_to,
        )
        if done:
            return done
    tax = order_tax(purchase)
    return page(
        request, "marketplace/order_refund.html",
        {"purchase": purchase, "offer": offer, "addon": addon, "form": form, "refundable": refundable(purchase), "tax": tax,
         "paid": purchase.amount_minor + tax, "refunds": purchase.refunds.order_by("-created_at")}, [form],
    )
