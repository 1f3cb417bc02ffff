"""The C2PA Soft Binding Resolution API, mounted at /c2pa/."""
from django.urls import path

from . import c2pa_api

urlpatterns = [
    path("services/supportedAlgorithms", c2pa_api.SupportedAlgorithmsApi.as_view(), name="c2pa-supported-algorithms"),
    path("matches/byBinding", c2pa_api.MatchesByBindingApi.as_view(), name="c2pa-matches-by-binding"),
    path("matches/byContent", c2pa_api.MatchesByContentApi.as_view(), name="c2pa-matches-by-content"),
    path("manifests/<str:manifest_id>", c2pa_api.ManifestApi.as_view(), name="c2pa-manifest"),
]
