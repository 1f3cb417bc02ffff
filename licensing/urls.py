from django.urls import path

from . import views

app_name = "licensing"
urlpatterns = [
    path("talent/likenesses/new/", views.likeness_new, name="likeness-new"),
    path("talent/likenesses/<uuid:likeness_id>/", views.likeness_detail, name="likeness"),
    path("talent/likenesses/<uuid:likeness_id>/verification/", views.likeness_verification, name="likeness-verification"),
    path("talent/likenesses/<uuid:likeness_id>/consent/", views.likeness_consent, name="likeness-consent"),
    path("talent/likenesses/<uuid:likeness_id>/access/", views.likeness_access, name="likeness-access"),
    path("talent/likenesses/<uuid:likeness_id>/rules/", views.likeness_rules, name="likeness-rules"),
    path("talent/likenesses/<uuid:likeness_id>/named/", views.likeness_named, name="likeness-named"),
    path("talent/likenesses/<uuid:likeness_id>/representation/", views.likeness_representation, name="likeness-representation"),
    path("talent/managed/", views.likenesses_managed, name="managed"),
    path("talent/likenesses/<uuid:likeness_id>/references/<uuid:reference_id>/", views.reference_image, name="reference"),
    path("moderation/verifications/", views.moderation, name="moderation"),
    path("moderation/verifications/<uuid:verification_id>/media/", views.verification_media, name="verification-media"),
    path("moderation/estates/", views.estate_proofs, name="estate-proofs"),
    path("moderation/estates/<uuid:authority_id>/document/", views.estate_proof_document, name="estate-proof-document"),
    path("studio/assets/", views.studio_assets, name="studio-assets"),
    path("studio/assets/<uuid:asset_id>/", views.studio_asset_detail, name="studio-asset"),
    path("talent/screening/test/", views.rules_test, name="screening-test"),
    path("moderation/screening/", views.screening_moderation, name="screening-moderation"),
    path("moderation/screening/review-list/", views.screening_review_export, name="screening-review-export"),
    path("report/", views.report, name="report"),
    path("moderation/consent-document/", views.consent_document, name="consent-document"),
    path("moderation/reports/", views.reports_queue, name="reports"),
    path("moderation/audit/", views.audit_trail, name="audit"),
    path("moderation/likenesses/<uuid:likeness_id>/history/", views.likeness_history, name="likeness-history"),
]
