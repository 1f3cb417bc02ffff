from django.urls import path

from . import api

urlpatterns = [
    path("webhooks/", api.EndpointListCreateApi.as_view(), name="api-webhooks"),
    path("webhooks/deliveries/", api.DeliveryListApi.as_view(), name="api-webhook-deliveries"),
    path("webhooks/deliveries/<str:delivery_id>/replay/", api.DeliveryReplayApi.as_view(), name="api-webhook-replay"),
    path("webhooks/<str:endpoint_id>/", api.EndpointDetailApi.as_view(), name="api-webhook"),
    path("webhooks/<str:endpoint_id>/ping/", api.EndpointPingApi.as_view(), name="api-webhook-ping"),
]
