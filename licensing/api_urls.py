from django.urls import path

from . import api

urlpatterns = [
    path("likenesses/", api.LikenessListCreateApi.as_view(), name="api-likenesses"),
    path("likenesses/<str:likeness_id>/publish/", api.LikenessPublishApi.as_view(), name="api-likeness-publish"),
    path("likenesses/<str:likeness_id>/revoke/", api.LikenessRevokeApi.as_view(), name="api-likeness-revoke"),
    path("likenesses/<str:likeness_id>/verifications/", api.VerificationStartApi.as_view(), name="api-verification-start"),
    path("likenesses/<str:likeness_id>/consent/", api.ConsentAcceptApi.as_view(), name="api-consent-accept"),
    path("verifications/<str:verification_id>/submit/", api.VerificationSubmitApi.as_view(), name="api-verification-submit"),
    path("consent-document/", api.ConsentDocumentApi.as_view(), name="api-consent-document"),
    path("licences/", api.LicenceListApi.as_view(), name="api-licences"),
    path("licences/<str:licence_id>/", api.LicenceDetailApi.as_view(), name="api-licence"),
    path("licences/<str:licence_id>/revoke/", api.LicenceRevokeApi.as_view(), name="api-licence-revoke"),
    path("likenesses/<str:likeness_id>/controls/", api.LikenessControlsApi.as_view(), name="api-likeness-controls"),
    path("likenesses/<str:likeness_id>/access/", api.AccessEntryApi.as_view(), name="api-likeness-access"),
    path("likenesses/<str:likeness_id>/use-requests/", api.UseRequestCreateApi.as_view(), name="api-use-request-create"),
    path("likenesses/<str:likeness_id>/consent/withdraw/", api.ConsentWithdrawApi.as_view(), name="api-consent-withdraw"),
    path("use-requests/", api.UseRequestListApi.as_view(), name="api-use-requests"),
    path("use-requests/<str:request_id>/decide/", api.UseRequestDecideApi.as_view(), name="api-use-request-decide"),
    path("moderation/verifications/", api.VerificationReviewListApi.as_view(), name="api-review-queue"),
    path("moderation/verifications/<str:verification_id>/", api.VerificationReviewApi.as_view(), name="api-review"),
    path("reports/", api.MisuseReportCreateApi.as_view(), name="api-report-create"),
    path("reports/about-me/", api.MisuseReportsAboutMeApi.as_view(), name="api-reports-about-me"),
    path("moderation/reports/", api.MisuseReportQueueApi.as_view(), name="api-report-queue"),
    path("moderation/reports/<str:report_id>/", api.MisuseReportHandleApi.as_view(), name="api-report-handle"),
    path("ip-assets/", api.IPAssetListCreateApi.as_view(), name="api-ip-assets"),
    path("ip-assets/<str:asset_id>/actions/", api.IPAssetActionApi.as_view(), name="api-ip-asset-action"),
    path("ip-assets/<str:asset_id>/controls/", api.IPAssetControlsApi.as_view(), name="api-ip-asset-controls"),
    path("ip-assets/<str:asset_id>/licences/", api.LicenceGrantApi.as_view(), name="api-ip-asset-grant"),
]
