from django.urls import path

from . import api

urlpatterns = [
    path("me/", api.MeApi.as_view(), name="api-me"),
    path("auth/tokens/", api.TokensApi.as_view(), name="api-tokens"),
    path("auth/tokens/<int:token_id>/", api.TokenRevokeApi.as_view(), name="api-token-revoke"),
]
