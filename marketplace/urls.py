from django.urls import path

from . import views

app_name = "marketplace"
urlpatterns = [
    path("market/", views.market, name="market"),
    path("market/<uuid:likeness_id>/", views.listing_detail, name="listing"),
    path("talent/likenesses/<uuid:likeness_id>/offers/", views.offers_manage, name="offers"),
    path("offers/<uuid:offer_id>/buy/", views.offer_buy, name="offer-buy"),
    path("pay/offline/<uuid:order_id>/", views.offline_checkout, name="offline-checkout"),
    path("orders/<uuid:order_id>/", views.order_detail, name="order-detail"),
    path("licences/", views.licences, name="licences"),
    path("talent/earnings/", views.earnings, name="earnings"),
]
