from django.urls import path

from . import moderation_views, views

app_name = "licensing"
urlpatterns = [
    path("talent/likenesses/new/", views.likeness_new, name="likeness-new"),
    path("talent/likenesses/<uuid:likeness_id>/", views.likeness_detail, name="likeness"),
    path("talent/likenesses/<uuid:likeness_id>/references/<uuid:reference_id>/", views.reference_image, name="reference"),
    path("moderation/verifications/", views.moderation, name="moderation"),
    path("moderation/verifications/<uuid:verification_id>/media/", views.verification_media, name="verification-media"),
    path("studio/assets/", views.studio_assets, name="studio-assets"),
    path("report/", moderation_views.report, name="report"),
    path("moderation/consent-document/", moderation_views.consent_document, name="consent-document"),
    path("moderation/reports/", moderation_views.reports_queue, name="reports"),
    path("moderation/audit/", moderation_views.audit_trail, name="audit"),
    path("moderation/likenesses/<uuid:likeness_id>/history/", moderation_views.likeness_history, name="likeness-history"),
]
