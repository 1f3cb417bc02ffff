from django.urls import path

from . import views

app_name = "generation"
urlpatterns = [
    path("licences/<uuid:licence_id>/brief/", views.brief_new, name="brief-new"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("variants/<uuid:group_id>/", views.variant_set, name="variants"),
    path("variants/<uuid:group_id>/export", views.variant_export, name="variants-export"),
    path("jobs/<uuid:job_id>/output", views.job_output, name="job-output"),
    path("talent/uses/", views.uses, name="uses"),
    path("talent/consent-ledger/", views.consent_ledger, name="consent-ledger"),
    path("talent/approvals/", views.approvals, name="approvals"),
    path("verify/", views.verify, name="verify"),
]
