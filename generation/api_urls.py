from django.urls import path

from . import api, sse

urlpatterns = [
    path("briefs/", api.BriefListCreateApi.as_view(), name="api-briefs"),
    path("briefs/<str:brief_id>/winner/", api.VariantWinnerApi.as_view(), name="api-brief-winner"),
    path("variants/<str:group_id>/", api.VariantListApi.as_view(), name="api-variants"),
    path("variants/<str:group_id>/export/", api.VariantExportApi.as_view(), name="api-variants-export"),
    path("models/", api.ModelListApi.as_view(), name="api-models"),
    path("jobs/<str:job_id>/", api.JobDetailApi.as_view(), name="api-job"),
    path("jobs/<str:job_id>/events/", sse.JobEventsApi.as_view(), name="api-job-events"),
    path("jobs/<str:job_id>/cancel/", api.JobCancelApi.as_view(), name="api-job-cancel"),
    path("jobs/<str:job_id>/output/", api.JobOutputApi.as_view(), name="api-job-output"),
    path("uses/", api.UseListApi.as_view(), name="api-uses"),
    path("verify/", api.VerifyApi.as_view(), name="api-verify"),
    path("jobs/<str:job_id>/publish/", api.OutputPublishApi.as_view(), name="api-job-publish"),
    path("jobs/<str:job_id>/takedown/", api.TakedownApi.as_view(), name="api-job-takedown"),
    path("approvals/", api.ApprovalListApi.as_view(), name="api-approvals"),
    path("approvals/<str:approval_id>/decide/", api.ApprovalDecideApi.as_view(), name="api-approval-decide"),
    path("consent-ledger/", api.ConsentLedgerApi.as_view(), name="api-consent-ledger"),
]
