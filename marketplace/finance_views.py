"""Finance pages for staff: revenue by period, the ledger browser, the latest reconciliation, stuck
payouts and campaign checkouts' failed refunds (each with a retry)."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.web import form_errors_as_page

from . import finance
from .models import LedgerAccount
from .services import payout_retry
from .services.bundles import bundle_refund_retry


class LedgerFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any kind"), *LedgerAccount.Kind.choices], required=False)
    owner = forms.CharField(label="Owner's e-mail contains", max_length=100, required=False)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(choices=[("month", "By month"), ("day", "By day")], required=False)


class PayoutRetryForm(forms.Form):
    payout = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class BundleRefundRetryForm(forms.Form):
    bundle = forms.UUIDField(widget=forms.HiddenInput)


@login_required
@require_http_methods(["GET", "POST"])
@form_errors_as_page
def finance_home(request):
    finance.require_finance(request.user)
    bundle_retry = BundleRefundRetryForm(request.POST) if "bundle" in request.POST else None
    if bundle_retry is not None and bundle_retry.is_valid():
        bundle = bundle_refund_retry(bundle_id=bundle_retry.cleaned_data["bundle"], actor=request.user)
        from accounts.display import money

        owed = money(bundle.refund_owed_minor, bundle.currency)
        if bundle.refund_gave_up_at:
            messages.error(request, f"The refund of {owed} to {bundle.buyer} failed again: pay them another way.")
        else:
            messages.success(request, f"The refund of {owed} to {bundle.buyer} was asked for again.")
        return redirect("marketplace:finance")
    retry = PayoutRetryForm(request.POST if request.POST and bundle_retry is None else None)
    if request.method == "POST" and retry.is_valid():
        payout = payout_retry(payout_id=retry.cleaned_data["payout"], actor=request.user)
        messages.success(request, f"Payout {payout.pk}: {payout.get_status_display()}.")
        return redirect("marketplace:finance")
    period = PeriodForm(request.GET or None)
    chosen = period.cleaned_data.get("period") if period.is_valid() else "month"
    return render(request, "marketplace/finance.html", {
        "period_form": period,
        "revenue": finance.revenue_by_period(period=chosen or "month"),
        "reconciliation": finance.latest_reconciliation(),
        "stuck": finance.stuck_payouts(),
        "failed_bundle_refunds": finance.failed_bundle_refunds(),
        "bundle_disputes": finance.bundle_disputes(),
    })


@login_required
@form_errors_as_page
def finance_ledger(request):
    finance.require_finance(request.user)
    form = LedgerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return render(request, "marketplace/finance_ledger.html", {
        "form": form, "accounts": finance.ledger_accounts(kind=data.get("kind", ""), owner=data.get("owner", "")),
    })


@login_required
@form_errors_as_page
def finance_account(request, account_id):
    finance.require_finance(request.user)
    account = finance.access_ledger_account(account_id=account_id)
    return render(request, "marketplace/finance_account.html", {"account": account, "entries": finance.account_entries(account=account)})


@login_required
@form_errors_as_page
def finance_transaction(request, txn_id):
    finance.require_finance(request.user)
    txn = finance.access_ledger_transaction(txn_id=txn_id)
    return render(request, "marketplace/finance_transaction.html", {
        "txn": txn, "entries": finance.transaction_entries(txn=txn),
        # what a moderator can refund from here: the order, or the add-on whose sale or tax this is
        "refund_order": txn.order_id if request.user.is_moderator and txn.order_id else None,
        "refund_addon": finance.transaction_addon_id(txn=txn) if request.user.is_moderator else None,
    })
