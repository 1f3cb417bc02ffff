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
]
