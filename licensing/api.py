from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import InvalidInput, NotFound

from . import services
from .models import LicenceTerms
from .selectors import (
    access_licence,
    access_likeness_owned,
    access_verification,
    consent_current_for,
    consent_document_current,
    licence_list_for_licensee,
    likeness_list_owned,
    verification_passed_for,
)


class TermsSerializer(serializers.ModelSerializer):
    class Meta:
        model = LicenceTerms
        fields = [
            "commercial_use", "channels", "territories", "duration_days", "generation_quota",
            "derivatives", "revenue_share_bps", "attribution", "content_standards",
        ]


class LikenessOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    bio = serializers.CharField()
    status = serializers.CharField()
    verified = serializers.SerializerMethodField()
    consent_current = serializers.SerializerMethodField()
    reference_count = serializers.SerializerMethodField()

    def get_verified(self, obj) -> bool:
        return verification_passed_for(obj)

    def get_consent_current(self, obj) -> bool:
        return consent_current_for(obj)

    def get_reference_count(self, obj) -> int:
        return obj.references.count()


class LicenceOutput(serializers.Serializer):
    id = serializers.UUIDField()
    likeness_id = serializers.UUIDField()
    likeness_name = serializers.CharField(source="likeness.name")
    status = serializers.CharField()
    quota_used = serializers.IntegerField()
    quota_left = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    terms = TermsSerializer()


class LikenessListCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=120)
        bio = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    @extend_schema(responses=LikenessOutput(many=True))
    def get(self, request):
        return Response(LikenessOutput(likeness_list_owned(user=request.user), many=True).data)

    @extend_schema(request=InputSerializer, responses={201: LikenessOutput})
    def post(self, request):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        likeness = services.likeness_create(owner=request.user, **s.validated_data)
        return Response(LikenessOutput(likeness).data, status=status.HTTP_201_CREATED)


class LikenessPublishApi(APIView):
    @extend_schema(request=None, responses=LikenessOutput)
    def post(self, request, likeness_id):
        likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
        likeness = services.likeness_publish(likeness=likeness, actor=request.user)
        return Response(LikenessOutput(likeness).data)


class LikenessRevokeApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=255, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=LikenessOutput)
    def post(self, request, likeness_id):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
        likeness = services.likeness_revoke(likeness=likeness, actor=request.user, **s.validated_data)
        return Response(LikenessOutput(likeness).data)


class VerificationOutput(serializers.Serializer):
    id = serializers.UUIDField()
    likeness_id = serializers.UUIDField()
    challenge = serializers.CharField()
    status = serializers.CharField()
    frames_checked = serializers.IntegerField()
    frames_with_face = serializers.IntegerField()
    failure_reason = serializers.CharField()
    expires_at = serializers.DateTimeField()


class VerificationStartApi(APIView):
    @extend_schema(request=None, responses={201: VerificationOutput})
    def post(self, request, likeness_id):
        likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
        v = services.verification_start(user=request.user, likeness=likeness)
        return Response(VerificationOutput(v).data, status=status.HTTP_201_CREATED)


class VerificationSubmitApi(APIView):
    """Upload photos (PNG/JPEG/WebP) or a short clip (MP4/WebM) as `files`, saying the phrase."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}},
        responses=VerificationOutput,
    )
    def post(self, request, verification_id):
        v = access_verification(user=request.user, verification_id=verification_id)
        v = services.verification_submit(verification=v, user=request.user, files=request.FILES.getlist("files"))
        return Response(VerificationOutput(v).data)


class ConsentDocumentApi(APIView):
    class OutputSerializer(serializers.Serializer):
        version = serializers.IntegerField()
        title = serializers.CharField()
        text = serializers.CharField()
        sha256 = serializers.CharField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        doc = consent_document_current()
        if doc is None:
            raise NotFound("No consent document has been published yet.")
        return Response(self.OutputSerializer(doc).data)


class ConsentAcceptApi(APIView):
    class InputSerializer(serializers.Serializer):
        version = serializers.IntegerField(min_value=1)
        agree = serializers.BooleanField()

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        document_version = serializers.IntegerField(source="document.version")
        document_sha256 = serializers.CharField()
        accepted_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, likeness_id):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        if not s.validated_data["agree"]:
            raise InvalidInput("Consent needs an explicit agreement (agree: true).")
        likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
        record = services.consent_accept(
            user=request.user,
            likeness=likeness,
            document_version=s.validated_data["version"],
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        return Response(self.OutputSerializer(record).data, status=status.HTTP_201_CREATED)


class LicenceListApi(APIView):
    @extend_schema(responses=LicenceOutput(many=True))
    def get(self, request):
        return Response(LicenceOutput(licence_list_for_licensee(user=request.user), many=True).data)


class LicenceDetailApi(APIView):
    @extend_schema(responses=LicenceOutput)
    def get(self, request, licence_id):
        return Response(LicenceOutput(access_licence(user=request.user, licence_id=licence_id)).data)
