from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("campaigns/new/", views.campaign_new, name="new"),
    path("campaigns/<uuid:campaign_id>/", views.campaign_detail, name="detail"),
]
