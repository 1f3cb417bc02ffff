from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.errors import Forbidden, InvalidInput
from accounts.web import form_errors_as_page
from licensing.selectors import (
    access_likeness_owned,
    access_likeness_public,
    licence_list_for_licensee,
)

from . import services
from .selectors import (
    access_offer_buyable,
    access_order,
    balance_for,
    earnings_for,
    listing_list,
    offer_list_for_likeness,
)

CHANNELS = ["organic_social", "paid_social", "web", "tv", "out_of_home", "print"]


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


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def offers_manage(request, likeness_id):
    """Talent: the offers of one of your likenesses, and a form for a new one."""
    likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
    if request.method == "POST":
        price_major = (request.POST.get("price") or "").strip()
        try:
            from decimal import Decimal, InvalidOperation

            price = Decimal(price_major)
            if price != price.quantize(Decimal("0.01")) or price < 0:
                raise InvalidOperation
            price_minor = int(price * 100)
        except Exception:
            raise InvalidInput("The price is an amount like 250 or 250.00 (at most two decimals).")
        services.offer_create(
            likeness=likeness,
            actor=request.user,
            title=request.POST.get("title", ""),
            price_minor=price_minor,
            currency=request.POST.get("currency", "gbp"),
            commercial_use=request.POST.get("commercial_use") == "on",
            channels=[c for c in request.POST.getlist("channels") if c in CHANNELS],
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


@login_required
@form_errors_as_page
def earnings(request):
    if request.user.kind != "talent":
        raise Forbidden("This page is for talent accounts.")
    return render(
        request,
        "marketplace/earnings.html",
        {"balances": balance_for(user=request.user), "entries": earnings_for(user=request.user)[:200]},
    )
