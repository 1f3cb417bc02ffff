"""Pages for add-ons: a licensee sees usage against the caps of a licence and buys more
generations or a longer term; the offline backend's stand-in checkout for an add-on."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.web import form_errors_as_page

from .forms import AddOnForm
from .selectors import ADDON_PAID, access_addon, access_licence_held, addon_invoice_for, addons_for_licence
from .services.addons import addon_create, offline_addon_complete


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def licence_addons(request, licence_id):
    licence = access_licence_held(user=request.user, licence_id=licence_id)
    form = AddOnForm(request.POST if request.POST else None)
    if request.method == "POST" and form.is_valid():
        addon = addon_create(buyer=request.user, licence=licence, generations=form.cleaned_data["generations"], days=form.cleaned_data["days"])
        return redirect(addon.checkout_url)
    order = licence.order if hasattr(licence, "order") else None
    return render(
        request,
        "marketplace/licence_addons.html",
        {"licence": licence, "offer": order.offer if order else None, "form": form, "addons": addons_for_licence(licence=licence),
         "paid_states": ADDON_PAID},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def offline_addon(request, addon_id):
    """The offline backend's stand-in for Stripe's hosted checkout page, for an add-on."""
    addon = access_addon(user=request.user, addon_id=addon_id)
    if request.method == "POST":
        pay = "pay" in request.POST
        addon = offline_addon_complete(addon=addon, buyer=request.user, pay=pay)
        messages.success(request, "Add-on paid: the licence is extended." if addon.status == "paid" else "Add-on cancelled: nothing was charged.")
        return redirect("marketplace:licence-addons", addon.licence_id)
    return render(request, "marketplace/offline_addon.html", {"addon": addon})


@login_required
@require_http_methods(["GET"])
@form_errors_as_page
def addon_invoice(request, addon_id):
    """A paid add-on's own invoice, laid out to print as an order's; `?download=1` as a file."""
    r = addon_invoice_for(user=request.user, addon_id=addon_id)
    response = render(request, "marketplace/invoice.html", {"r": r, "invoice": r["invoice"]})
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="invoice-{r["invoice"].reference}.html"'
    return response
