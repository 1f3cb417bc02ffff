"""The manifest repository served through the C2PA Soft Binding Resolution API (C2PA 2.x, the
OpenAPI document "C2PA Soft Binding Resolution API" 1.0.0): any C2PA client that read our
watermark (``alg`` com.rightscast.watermark.3, ``value`` the 8-byte id, base64), or that holds a
copy of a file, gets back the manifest store the output was signed with.

    GET  /c2pa/services/supportedAlgorithms   {"watermarks": [{"alg": ...}], "fingerprints": []}
    GET  /c2pa/matches/byBinding?alg=&value=   {"matches": [{"manifestId": ..., "similarityScore": 100}]}
    POST /c2pa/matches/byBinding               the same, the query as JSON {"alg", "value"}
    POST /c2pa/matches/byContent?alg=          the asset itself as the body (image/*, video/*)
    GET  /c2pa/manifests/{manifestId}          the manifest store, application/c2pa

Public and read-only, like the verify page.  Only released outputs are matched (an output held
for approval or quarantined was never published).  The licence state today is not part of a
manifest (it is signed once): the verify answer gives it.
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import BaseParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import InvalidInput
from accounts.uploads import read_bounded

from .models import GenerationJob, StoredManifest
from .provenance import credentials

MAX_RESULTS = 10


class AssetParser(BaseParser):
    """The body of /matches/byContent: the asset's bytes, read through the upload gate."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        size = int((request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0) or None

        class _Body:
            name = "asset"

            def __init__(self, raw, length):
                self.raw, self.size = raw, length

            def read(self, n):
                return self.raw.read(n) if self.raw is not None else b""

        return read_bounded(_Body(stream, size), settings.UPLOAD_MAX_BYTES)


def _max_results(request) -> int:
    raw = request.query_params.get("maxResults", MAX_RESULTS)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise InvalidInput("maxResults must be a whole number of at least 1.", code="invalid_query")
    if value < 1:
        raise InvalidInput("maxResults must be a whole number of at least 1.", code="invalid_query")
    return min(value, 100)


def _check_alg(alg) -> None:
    if alg != credentials.SOFT_BINDING_ALG:
        raise InvalidInput(
            f"Unsupported soft binding algorithm {str(alg)[:100]!r}; this service resolves {credentials.SOFT_BINDING_ALG}.",
            code="unsupported_alg",
        )


def _matches_for_mark(mark_id: int | None, limit: int) -> dict:
    if mark_id is None:
        return {"matches": []}
    rows = (
        StoredManifest.objects.filter(
            binding_value=credentials.soft_binding_value(mark_id), job__status=GenerationJob.Status.RELEASED
        )
        .order_by("created_at")
        .values_list("manifest_id", flat=True)[:limit]
    )
    # The watermark's keyed check verified: an exact match, not a similarity.
    return {"matches": [{"manifestId": m, "similarityScore": 100} for m in rows]}


def _value_to_mark(value) -> int:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("Give the soft binding value, base64-encoded, as 'value'.", code="invalid_query")
    mark_id = credentials.mark_id_from_binding(value)
    if mark_id is None:
        raise InvalidInput("The value is not base64 of an 8-byte watermark id.", code="invalid_query")
    return mark_id


_MATCHES = inline_serializer(
    "SoftBindingQueryResult",
    {
        "matches": serializers.ListField(
            child=inline_serializer(
                "SoftBindingMatch",
                {"manifestId": serializers.CharField(), "similarityScore": serializers.IntegerField(min_value=0, max_value=100)},
            )
        )
    },
)
_QUERY = inline_serializer("SoftBindingQuery", {"alg": serializers.CharField(), "value": serializers.CharField()})
_MAX = OpenApiParameter("maxResults", int, description="At most this many manifest ids (default 10, at most 100).")
_TAGS = ["c2pa soft binding resolution"]


class SupportedAlgorithmsApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        tags=_TAGS, operation_id="getSupportedBindings",
        responses=inline_serializer(
            "SoftBindingAlgList",
            {
                "watermarks": serializers.ListField(child=inline_serializer("SoftBindingAlg", {"alg": serializers.CharField()})),
                "fingerprints": serializers.ListField(child=inline_serializer("SoftBindingFingerprintAlg", {"alg": serializers.CharField()})),
            },
        ),
    )
    def get(self, request):
        return Response({"watermarks": [{"alg": credentials.SOFT_BINDING_ALG}], "fingerprints": []})


class MatchesByBindingApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [JSONParser]

    @extend_schema(
        tags=_TAGS, operation_id="queryByBinding",
        parameters=[
            OpenApiParameter("alg", str, required=True, description=f"The soft binding algorithm: {credentials.SOFT_BINDING_ALG}."),
            OpenApiParameter("value", str, required=True, description="The soft binding value, base64."),
            _MAX,
        ],
        responses={200: _MATCHES, 400: OpenApiResponse(description="Invalid query value or unsupported algorithm")},
    )
    def get(self, request):
        _check_alg(request.query_params.get("alg"))
        return Response(_matches_for_mark(_value_to_mark(request.query_params.get("value")), _max_results(request)))

    @extend_schema(
        tags=_TAGS, operation_id="queryByLargeBinding", parameters=[_MAX], request=_QUERY,
        responses={200: _MATCHES, 400: OpenApiResponse(description="Invalid query value or unsupported algorithm")},
    )
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        _check_alg(body.get("alg"))
        return Response(_matches_for_mark(_value_to_mark(body.get("value")), _max_results(request)))


class MatchesByContentApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [MultiPartParser, AssetParser]

    @extend_schema(
        tags=_TAGS, operation_id="uploadFile",
        parameters=[
            OpenApiParameter("alg", str, description=f"Optional; if given, {credentials.SOFT_BINDING_ALG}."),
            _MAX,
        ],
        request={"image/*": OpenApiTypes.BINARY, "video/*": OpenApiTypes.BINARY},
        responses={
            200: _MATCHES,
            400: OpenApiResponse(description="Empty or too large body, or an unsupported algorithm"),
            415: OpenApiResponse(description="Not an image or video this service reads"),
        },
    )
    def post(self, request):
        from .verification import mark_of

        alg = request.query_params.get("alg")
        if alg:
            _check_alg(alg)
        limit = _max_results(request)
        data = request.data if isinstance(request.data, bytes) else None
        if data is None:  # a multipart form with the asset as "file"
            f = request.FILES.get("file")
            if f is None:
                raise InvalidInput("Send the asset as the request body (image/* or video/*).", code="empty_file")
            data = read_bounded(f, settings.UPLOAD_MAX_BYTES)
        try:
            mark_id = mark_of(data, name="asset")
        except InvalidInput as exc:
            if exc.code in ("wrong_type", "invalid"):
                return Response({"detail": exc.message, "code": "unsupported_media_type"}, status=415)
            raise
        return Response(_matches_for_mark(mark_id, limit))


class ManifestApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        tags=_TAGS, operation_id="getManifestById",
        parameters=[
            OpenApiParameter(
                "returnActiveManifest", bool,
                description="Accepted for compatibility; the whole manifest store (which holds the active manifest) is returned.",
            )
        ],
        responses={
            (200, "application/c2pa"): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="Invalid C2PA Manifest Id"),
            404: OpenApiResponse(description="C2PA Manifest Id not found"),
        },
    )
    def get(self, request, manifest_id: str):
        if not manifest_id.startswith("urn:") or len(manifest_id) > 200:
            raise InvalidInput("A C2PA manifest id looks like urn:c2pa:<uuid>.", code="invalid_manifest_id")
        row = (
            StoredManifest.objects.filter(manifest_id=manifest_id, job__status=GenerationJob.Status.RELEASED)
            .only("store", "manifest_id")
            .first()
        )
        if row is None:
            from accounts.errors import NotFound

            raise NotFound("No manifest with that id.")
        response = HttpResponse(bytes(row.store), content_type="application/c2pa")
        response["Content-Disposition"] = f'attachment; filename="{manifest_id.rsplit(":", 1)[-1]}.c2pa"'
        return response
