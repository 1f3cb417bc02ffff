"""The notification centre and the e-mail settings."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .models import Notification
from .notifications import email_kinds_for, notification_settings_update, notifications_mark_read
from .web import form_submit, page


class NotificationSettingsForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        choices=Notification.Kind.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Also send me an e-mail for"
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        n = notifications_mark_read(user=request.user)
        messages.success(request, f"Marked {n} notification{'s' if n != 1 else ''} as read.")
        return redirect("accounts:notifications")
    page_obj = Paginator(Notification.objects.filter(user=request.user).order_by("-created_at"), 30).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page_obj": page_obj})


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    form = NotificationSettingsForm(request.POST or None, initial={"email_kinds": email_kinds_for(request.user)})
    if request.method == "POST":
        done = form_submit(
            request, form, lambda d: notification_settings_update(user=request.user, email_kinds=d["email_kinds"]),
            success="Saved your e-mail settings.", redirect_to="/notifications/settings/",
        )
        if done:
            return done
    return page(request, "accounts/notification_settings.html", {"form": form}, [form])
