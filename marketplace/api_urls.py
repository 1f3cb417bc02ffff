from django.urls import path

from . import api

urlpatterns = [
    path("listings/", api.ListingListApi.as_view(), name="api-listings"),
    path("likenesses/<str:likeness_id>/offers/", api.OfferCreateApi.as_view(), name="api-offer-create"),
    path("offers/<str:offer_id>/purchase/", api.OfferPurchaseApi.as_view(), name="api-offer-purchase"),
    path("orders/<str:order_id>/", api.OrderDetailApi.as_view(), name="api-order"),
    path("orders/<str:order_id>/offline-checkout/", api.OfflineCheckoutApi.as_view(), name="api-offline-checkout"),
    path("balance/", api.BalanceApi.as_view(), name="api-balance"),
    path("stripe/webhook/", api.StripeWebhookApi.as_view(), name="api-stripe-webhook"),
]
