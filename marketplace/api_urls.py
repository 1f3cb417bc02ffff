from django.urls import path

from . import api

urlpatterns = [
    path("listings/", api.ListingListApi.as_view(), name="api-listings"),
    path("likenesses/<str:likeness_id>/offers/", api.OfferCreateApi.as_view(), name="api-offer-create"),
    path("ip-assets/<str:asset_id>/offers/", api.IPOfferCreateApi.as_view(), name="api-ip-offer-create"),
    path("offers/<str:offer_id>/purchase/", api.OfferPurchaseApi.as_view(), name="api-offer-purchase"),
    path("orders/<str:order_id>/", api.OrderDetailApi.as_view(), name="api-order"),
    path("orders/<str:order_id>/offline-checkout/", api.OfflineCheckoutApi.as_view(), name="api-offline-checkout"),
    path("orders/<str:order_id>/refunds/", api.OrderRefundApi.as_view(), name="api-order-refund"),
    path("add-ons/<str:addon_id>/refunds/", api.AddOnRefundApi.as_view(), name="api-addon-refund"),
    path("balance/", api.BalanceApi.as_view(), name="api-balance"),
    path("earnings/export/", api.EarningsExportApi.as_view(), name="api-earnings-export"),
    path("payee/", api.PayeeApi.as_view(), name="api-payee"),
    path("payee/onboarding/", api.PayeeOnboardingApi.as_view(), name="api-payee-onboarding"),
    path("payee/offline-onboarding/", api.OfflineOnboardingApi.as_view(), name="api-payee-offline-onboarding"),
    path("credit/", api.CreditApi.as_view(), name="api-credit"),
    path("credit/top-ups/", api.TopUpCreateApi.as_view(), name="api-topup-create"),
    path("credit/top-ups/<str:topup_id>/offline-checkout/", api.OfflineTopUpApi.as_view(), name="api-topup-offline-checkout"),
    path("usage-charges/<str:charge_id>/refund/", api.UsageChargeRefundApi.as_view(), name="api-usage-charge-refund"),
    path("receipts/", api.ReceiptListApi.as_view(), name="api-receipts"),
    path("receipts/<str:order_id>/", api.ReceiptDetailApi.as_view(), name="api-receipt"),
    path("stripe/webhook/", api.StripeWebhookApi.as_view(), name="api-stripe-webhook"),
    path("stripe/connect-webhook/", api.StripeConnectWebhookApi.as_view(), name="api-stripe-connect-webhook"),
]
