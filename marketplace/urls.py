from django.urls import path

from . import addon_views, finance_views, studio_views, views

app_name = "marketplace"
urlpatterns = [
    path("market/", views.market, name="market"),
    path("market/<uuid:likeness_id>/", views.listing_detail, name="listing"),
    path("market/ip/<uuid:asset_id>/", views.asset_listing, name="asset-listing"),
    path("market/portraits/<int:portrait_id>/", views.portrait_image, name="portrait"),
    path("listing/<str:kind>/<uuid:holding_id>/portrait/", views.portrait_edit, name="portrait-edit"),
    path("talent/likenesses/<uuid:likeness_id>/offers/", views.offers_manage, name="offers"),
    path("offers/<uuid:offer_id>/buy/", views.offer_buy, name="offer-buy"),
    path("pay/offline/<uuid:order_id>/", views.offline_checkout, name="offline-checkout"),
    path("pay/offline/top-up/<uuid:topup_id>/", views.offline_topup, name="offline-topup"),
    path("orders/<uuid:order_id>/", views.order_detail, name="order-detail"),
    path("licences/", views.licences, name="licences"),
    path("talent/earnings/", views.earnings, name="earnings"),
    path("talent/earnings.csv", views.earnings_csv, name="earnings-csv"),
    path("payouts/setup/", views.payouts_setup, name="payouts-setup"),
    path("payouts/return/", views.payouts_return, name="payouts-return"),
    path("payouts/refresh/", views.payouts_refresh, name="payouts-refresh"),
    path("payouts/offline-onboarding/", views.offline_onboarding, name="offline-onboarding"),
    path("credit/", views.credit, name="credit"),
    path("receipts/", views.receipts, name="receipts"),
    path("receipts/<uuid:order_id>/", views.receipt_detail, name="receipt"),
    path("moderation/orders/<uuid:order_id>/refund/", views.order_refund, name="order-refund"),
    path("licences/<uuid:licence_id>/add-ons/", addon_views.licence_addons, name="licence-addons"),
    path("pay/offline/add-on/<uuid:addon_id>/", addon_views.offline_addon, name="offline-addon"),
    path("finance/", finance_views.finance_home, name="finance"),
    path("finance/ledger/", finance_views.finance_ledger, name="finance-ledger"),
    path("finance/ledger/accounts/<int:account_id>/", finance_views.finance_account, name="finance-account"),
    path("finance/ledger/transactions/<int:txn_id>/", finance_views.finance_transaction, name="finance-transaction"),
    path("market/ip/", studio_views.ip_market, name="ip-market"),
    path("market/ip/<uuid:asset_id>/", studio_views.ip_listing, name="ip-listing"),
    path("studio/assets/<uuid:asset_id>/offers/", studio_views.ip_offers_manage, name="ip-offers"),
    path("studios/<int:studio_id>/payouts/", studio_views.studio_payouts, name="studio-payouts"),
    path("studios/<int:studio_id>/payouts/return/", studio_views.studio_payouts_return, name="studio-payouts-return"),
]
