from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.errors import Forbidden, InvalidInput
from accounts.web import form_errors_as_page
from licensing.models import CHANNELS
from licensing.selectors import (
    access_likeness_owned,
    access_likeness_public,
    licence_list_for_licensee,
)

from . import services
from .selectors import (
    access_offer_buyable,
    access_order,
    access_order_for_moderation,
    access_receipt,
    access_topup,
    credit_history_for,
    credit_summary_for,
    earnings_csv_for,
    earnings_for,
    earnings_sources,
    earnings_summary_for,
    listing_list,
    offer_list_for_likeness,
    payee_account_by_provider_id,
    payee_account_for,
    payouts_for,
    receipt_for,
    receipts_for,
    usage_charges_for,
)
from .services.payees import PAYEE_KINDS


@login_required
def market(request):
    return render(request, "marketplace/market.html", {"listings": listing_list()})


@login_required
@form_errors_as_page
def listing_detail(request, likeness_id):
    likeness = access_likeness_public(likeness_id=likeness_id)
    return render(request, "marketplace/listing_detail.html", {"likeness": likeness, "offers": likeness.offers.filter(is_active=True).select_related("terms")})


def _int_field(request, name: str, label: str, default: int | None = None) -> int:
    raw = (request.POST.get(name) or "").strip()
    if not raw and default is not None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(f"{label} must be a whole number.")


def _minor_field(request, name: str, label: str, allow_blank: bool = False) -> int:
    """An amount typed in major units ("250" or "250.00") as minor units, exactly."""
    raw = (request.POST.get(name) or "").strip()
    if not raw and allow_blank:
        return 0
    try:
        amount = Decimal(raw)
        if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")) or amount < 0 or amount > Decimal("100000000"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{label} is an amount like 250 or 250.00 (at most two decimals).")
    return int(amount * 100)


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def offers_manage(request, likeness_id):
    """Talent: the offers of one of your likenesses, and a form for a new one."""
    likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
    if request.method == "POST":
        price_minor = _minor_field(request, "price", "The price")
        fee_minor = _minor_field(request, "per_generation_fee", "The per-generation fee", allow_blank=True)
        services.offer_create(
            likeness=likeness,
            actor=request.user,
            title=request.POST.get("title", ""),
            price_minor=price_minor,
            per_generation_fee_minor=fee_minor,
            currency=request.POST.get("currency", "gbp"),
            commercial_use=request.POST.get("commercial_use") == "on",
            channels=[c for c in request.POST.getlist("channels") if c in CHANNELS],
            territories=[t.strip() for t in (request.POST.get("territories") or "").replace(";", ",").split(",") if t.strip()],
            exclusivity_category=request.POST.get("exclusivity_category", ""),
            sublicensable=request.POST.get("sublicensable") == "on",
            ai_training=request.POST.get("ai_training") == "on",
            duration_days=_int_field(request, "duration_days", "The term in days", 30),
            generation_quota=_int_field(request, "generation_quota", "The generation quota", 10),
        )
        return redirect("marketplace:offers", likeness.pk)
    return render(
        request,
        "marketplace/offers_manage.html",
        {"likeness": likeness, "offers": offer_list_for_likeness(likeness=likeness), "channels": CHANNELS},
    )


@login_required
@require_http_methods(["POST"])
@form_errors_as_page
def offer_buy(request, offer_id):
    offer = access_offer_buyable(offer_id=offer_id)
    order = services.order_create(buyer=request.user, offer=offer)
    if order.status == order.Status.PENDING and order.checkout_url:
        return redirect(order.checkout_url)
    return redirect("marketplace:order-detail", order.pk)


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def offline_checkout(request, order_id):
    """The offline development backend's stand-in for Stripe's hosted checkout page."""
    order = access_order(user=request.user, order_id=order_id)
    if request.method == "POST":
        services.offline_checkout_complete(order=order, buyer=request.user, pay=request.POST.get("action") == "pay")
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
    if request.method == "POST":
        topup = services.topup_create(
            buyer=request.user,
            amount_minor=_minor_field(request, "amount", "The amount"),
            currency=request.POST.get("currency", "gbp"),
        )
        return redirect(topup.checkout_url)
    return render(
        request,
        "marketplace/credit.html",
        {
            "balances": credit_summary_for(user=request.user),
            "history": credit_history_for(user=request.user)[:200],
            "charges": usage_charges_for(user=request.user)[:100],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def offline_topup(request, topup_id):
    topup = access_topup(user=request.user, topup_id=topup_id)
    if request.method == "POST":
        services.offline_topup_complete(topup=topup, buyer=request.user, pay=request.POST.get("action") == "pay")
        return redirect("marketplace:credit")
    return render(request, "marketplace/offline_topup.html", {"topup": topup})


@login_required
def receipts(request):
    found = receipts_for(user=request.user)
    orders = [receipt_for(order=o) for o in found["orders"].prefetch_related("refunds", "disputes")[:200]]
    return render(request, "marketplace/receipts.html", {"orders": orders, "topups": found["topups"][:200]})


@login_required
@form_errors_as_page
def receipt_detail(request, order_id):
    return render(request, "marketplace/receipt.html", {"r": receipt_for(order=access_receipt(user=request.user, order_id=order_id))})


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def order_refund(request, order_id):
    """Moderators: refund part or all of a paid order."""
    order = access_order_for_moderation(user=request.user, order_id=order_id)
    if request.method == "POST":
        refund = services.order_refund(
            order=order, actor=request.user, amount_minor=_minor_field(request, "amount", "The amount"),
            note=(request.POST.get("note") or "")[:255],
        )
        messages.success(request, f"Refund of {refund.amount_minor} {refund.currency.upper()} minor units: {refund.get_status_display()}.")
        return redirect("marketplace:order-refund", order.pk)
    from .services.refunds import refundable

    return render(request, "marketplace/order_refund.html", {"order": order, "refundable": refundable(order), "refunds": order.refunds.order_by("-created_at")})
