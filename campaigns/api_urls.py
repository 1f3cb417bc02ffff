from django.urls import path

from . import api

urlpatterns = [
    path("campaigns/", api.CampaignCreateApi.as_view(), name="api-campaigns"),
    path("campaigns/<str:campaign_id>/", api.CampaignDetailApi.as_view(), name="api-campaign"),
    path("campaigns/<str:campaign_id>/offline-checkout/", api.CampaignOfflineCheckoutApi.as_view(), name="api-campaign-offline-checkout"),
    path("campaigns/<str:campaign_id>/checkout/", api.CampaignCheckoutApi.as_view(), name="api-campaign-checkout"),
    path("campaigns/<str:campaign_id>/brief/", api.CampaignBriefApi.as_view(), name="api-campaign-brief"),
]
