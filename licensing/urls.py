from django.urls import path

from . import screening_views, views

app_name = "licensing"
urlpatterns = [
    path("talent/likenesses/new/", views.likeness_new, name="likeness-new"),
    path("talent/likenesses/<uuid:likeness_id>/", views.likeness_detail, name="likeness"),
    path("talent/likenesses/<uuid:likeness_id>/references/<uuid:reference_id>/", views.reference_image, name="reference"),
    path("moderation/verifications/", views.moderation, name="moderation"),
    path("moderation/verifications/<uuid:verification_id>/media/", views.verification_media, name="verification-media"),
    path("studio/assets/", views.studio_assets, name="studio-assets"),
    path("talent/screening/test/", screening_views.rules_test, name="screening-test"),
    path("moderation/screening/", screening_views.screening_moderation, name="screening-moderation"),
]
