from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.errors import DomainError, InvalidInput
from accounts.web import status_for

from . import services
from .forms import EndpointForm
from .selectors import access_delivery, access_endpoint, delivery_list_for, endpoint_list_for


@login_required
@require_http_methods(["GET", "POST"])
def endpoints(request):
    """Your webhook endpoints, a form to add one, and the delivery log with replay."""
    form = EndpointForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "add")
        try:
            if action == "add":
                form = EndpointForm(request.POST)
                if form.is_valid():
                    services.endpoint_create(owner=request.user, **form.cleaned_data)
                    messages.success(request, "Endpoint added. Verify deliveries with its signing secret.")
                    return redirect("webhooks:endpoints")
                status = 400
            elif action == "remove":
                services.endpoint_remove(endpoint=access_endpoint(user=request.user, endpoint_id=request.POST.get("endpoint")), actor=request.user)
                messages.success(request, "Endpoint removed; nothing more is sent to it.")
                return redirect("webhooks:endpoints")
            elif action == "ping":
                services.webhook_ping(endpoint=access_endpoint(user=request.user, endpoint_id=request.POST.get("endpoint")), actor=request.user)
                messages.success(request, "Test event sent: its delivery is at the top of the log.")
                return redirect("webhooks:endpoints")
            elif action == "replay":
                services.delivery_replay(delivery_row=access_delivery(user=request.user, delivery_id=request.POST.get("delivery")), actor=request.user)
                messages.success(request, "Delivery sent again: the new attempt is at the top of the log.")
                return redirect("webhooks:endpoints")
            else:
                raise InvalidInput("Unknown action.")
        except DomainError as exc:
            if action == "add":
                form.add_error("url", exc.message)
            else:
                messages.error(request, exc.message)
            status = status_for(exc)
    return render(
        request, "webhooks/endpoints.html",
        {"form": form, "endpoints": endpoint_list_for(user=request.user), "deliveries": delivery_list_for(user=request.user, limit=50)},
        status=status,
    )
