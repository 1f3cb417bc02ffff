from accounts.errors import get_or_not_found

from .models import WebhookDelivery, WebhookEndpoint


def endpoint_list_for(*, user):
    return WebhookEndpoint.objects.filter(owner=user, active=True).order_by("created_at")


def delivery_list_for(*, user, endpoint_id=None, limit: int = 100):
    qs = WebhookDelivery.objects.filter(endpoint__owner=user).select_related("endpoint").order_by("-created_at")
    if endpoint_id:
        qs = qs.filter(endpoint_id=endpoint_id)
    return qs[:limit]


def access_endpoint(*, user, endpoint_id) -> WebhookEndpoint:
    return get_or_not_found(WebhookEndpoint.objects.filter(owner=user, active=True), "No such webhook endpoint.", pk=endpoint_id)


def access_delivery(*, user, delivery_id) -> WebhookDelivery:
    return get_or_not_found(WebhookDelivery.objects.select_related("endpoint").filter(endpoint__owner=user), "No such delivery.", pk=delivery_id)
