from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import InvalidInput, NotFound
from accounts.idempotency import idempotent

from . import services
from .models import LicenceTerms
from .selectors import (
    access_licence,
    access_likeness_managed,
    access_likeness_owned,
    access_verification,
    consent_current_for,
    consent_document_current,
    licence_list_for_licensee,
    likeness_list_owned,
    verification_passed_for,
)


class TermsSerializer(serializers.ModelSerializer):
    plain_language = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = LicenceTerms
        fields = [
            "commercial_use", "channels", "territories", "duration_days", "generation_quota",
            "derivatives", "revenue_share_bps", "attribution", "content_standards",
            "exclusivity_category", "sublicensable", "ai_training", "model_name", "plain_language",
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
    likeness_id = serializers.UUIDField(allow_null=True)
    ip_asset_id = serializers.UUIDField(allow_null=True)
    holding_name = serializers.CharField(source="holding.name")
    status = serializers.CharField()
    quota_used = serializers.IntegerField()
    quota_left = serializers.IntegerField()
    starts_at = serializers.DateTimeField(allow_null=True)  # null while pending
    ends_at = serializers.DateTimeField(allow_null=True)  # null: no end
    terms = TermsSerializer()


class LikenessListCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=120)
        bio = serializers.CharField(max_length=2000, required=False, allow_blank=True)
        date_of_birth = serializers.DateField(help_text="The person's date of birth (the ward's, for a guardian).")
        as_guardian = serializers.BooleanField(default=False, help_text="I am the parent or guardian of this person, who is under 18.")
        ward_email = serializers.EmailField(required=False, allow_blank=True, help_text="For a minor: where to ask them to take over at 18.")

    @extend_schema(responses=LikenessOutput(many=True))
    def get(self, request):
        return Response(LikenessOutput(likeness_list_owned(user=request.user), many=True).data)

    @idempotent
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
        likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        likeness = services.likeness_revoke(likeness=likeness, actor=request.user, **s.validated_data)
        return Response(LikenessOutput(likeness).data)


class VerificationOutput(serializers.Serializer):
    id = serializers.UUIDField()
    likeness_id = serializers.UUIDField()
    challenge = serializers.CharField(help_text="The head movements to perform, in order: front, left, right.")
    instructions = serializers.SerializerMethodField()
    status = serializers.CharField()
    review_status = serializers.CharField()
    review_note = serializers.CharField()
    face_match = serializers.SerializerMethodField(help_text="This face matches another talent's verified likeness: listing waits for a moderator.")
    frames_checked = serializers.IntegerField()
    frames_with_face = serializers.IntegerField()
    failure_reason = serializers.CharField()
    expires_at = serializers.DateTimeField()

    def get_instructions(self, obj) -> list[str]:
        return services.challenge_instructions(obj.challenge)

    def get_face_match(self, obj) -> bool:
        return obj.face_match_id is not None


class VerificationStartApi(APIView):
    @idempotent
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

    @idempotent
    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, likeness_id):
        likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        if not s.validated_data["agree"]:
            raise InvalidInput("Consent needs an explicit agreement (agree: true).")
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


# --- the holder's controls, lists and requests ------------------------------------------------------

class ControlsSerializer(serializers.Serializer):
    permission_level = serializers.ChoiceField(choices=["only_me", "approved", "verified_brands", "everyone"], required=False)
    allowed_categories = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=10)
    blocked_words = serializers.ListField(child=serializers.CharField(max_length=300), required=False, max_length=200)
    content_rules = serializers.ListField(child=serializers.CharField(max_length=300), required=False, max_length=200)
    require_brief_approval = serializers.BooleanField(required=False)
    require_output_approval = serializers.BooleanField(required=False)
    approval_window_hours = serializers.IntegerField(min_value=1, max_value=720, required=False)
    notice_period_days = serializers.IntegerField(min_value=0, max_value=365, required=False)


class LikenessControlsApi(APIView):
    """Who may use the likeness and how: permission level, content rules, approvals, notice period.
    Widening any of them needs a verification in the last 30 minutes (409, code `reverify`)."""

    @extend_schema(responses=ControlsSerializer)
    def get(self, request, likeness_id):
        likeness = access_likeness_managed(user=request.user, likeness_id=likeness_id)
        return Response(ControlsSerializer(likeness).data)

    @extend_schema(request=ControlsSerializer, responses=ControlsSerializer)
    def patch(self, request, likeness_id):
        likeness = access_likeness_managed(user=request.user, likeness_id=likeness_id)
        s = ControlsSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        likeness = services.controls_update(holding=likeness, actor=request.user, **s.validated_data)
        return Response(ControlsSerializer(likeness).data)


class ProfileClaimOutput(serializers.Serializer):
    id = serializers.IntegerField()
    likeness = serializers.UUIDField(source="likeness_id")
    profile = serializers.CharField()
    statement = serializers.CharField()
    status = serializers.CharField()
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()


class ScreeningProfileOutput(serializers.Serializer):
    profile = serializers.CharField(source="screening_profile")
    relaxable_categories = serializers.ListField(child=serializers.CharField())
    latest_claim = ProfileClaimOutput(allow_null=True)


class LikenessScreeningProfileApi(APIView):
    """The likeness's screening profile (general, politician, adult performer) and its latest claim.
    POST a profile to claim it: only the talent themselves, never for a minor, after a verification
    in the last 30 minutes (409 `reverify`); a moderator approves it. POST `general` to go back at
    once (it only narrows: relaxations the general profile does not allow are blocked again)."""

    class InputSerializer(serializers.Serializer):
        profile = serializers.ChoiceField(choices=["general", "politician", "adult_performer"])
        statement = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    def _out(self, likeness):
        from .screening import relaxable_categories
        from .selectors import screening_profile_claim_latest

        relaxable = [] if services.is_ward(likeness) else sorted(
            relaxable_categories(is_minor=services.is_minor(likeness), profile=likeness.screening_profile)
        )
        return ScreeningProfileOutput({
            "screening_profile": likeness.screening_profile or "general", "relaxable_categories": relaxable,
            "latest_claim": screening_profile_claim_latest(likeness=likeness),
        }).data

    @extend_schema(responses=ScreeningProfileOutput)
    def get(self, request, likeness_id):
        return Response(self._out(access_likeness_managed(user=request.user, likeness_id=likeness_id)))

    @extend_schema(request=InputSerializer, responses={200: ScreeningProfileOutput, 201: ScreeningProfileOutput})
    def post(self, request, likeness_id):
        likeness = access_likeness_managed(user=request.user, likeness_id=likeness_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        if s.validated_data["profile"] == "general":
            likeness = services.screening_profile_reset(likeness=likeness, actor=request.user)
            return Response(self._out(likeness))
        services.screening_profile_claim(
            likeness=likeness, actor=request.user, profile=s.validated_data["profile"], statement=s.validated_data.get("statement", "")
        )
        return Response(self._out(likeness), status=status.HTTP_201_CREATED)


class ProfileClaimQueueApi(APIView):
    """Moderators: profile claims waiting for a decision."""

    @extend_schema(responses=ProfileClaimOutput(many=True))
    def get(self, request):
        from .selectors import screening_profile_claims_pending

        return Response(ProfileClaimOutput(screening_profile_claims_pending(user=request.user), many=True).data)


class ProfileClaimDecideApi(APIView):
    """Moderators: approve a profile claim (the likeness takes the profile) or reject it with a reason."""

    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()
        reason = serializers.CharField(max_length=500, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=ProfileClaimOutput)
    def post(self, request, claim_id):
        from accounts.errors import Forbidden

        if not request.user.is_moderator:  # before the input: anyone else learns nothing of the claim
            raise Forbidden("Only a moderator can decide a profile claim.")
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        claim = services.screening_profile_decide(
            claim_id=claim_id, actor=request.user, approve=s.validated_data["approve"], reason=s.validated_data.get("reason", "")
        )
        return Response(ProfileClaimOutput(claim).data)


class AccessEntryApi(APIView):
    """Allow or deny one user (by e-mail); DELETE removes the entry."""

    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        kind = serializers.ChoiceField(choices=["allow", "deny"], required=False)

    @extend_schema(request=InputSerializer, responses={200: None})
    def post(self, request, likeness_id):
        likeness = access_likeness_managed(user=request.user, likeness_id=likeness_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        user = user_by_email(s.validated_data["email"])
        services.access_entry_set(holding=likeness, actor=request.user, user=user, kind=s.validated_data.get("kind", "allow"))
        return Response({"email": user.email, "kind": s.validated_data.get("kind", "allow")})

    @extend_schema(request=InputSerializer, responses={204: None})
    def delete(self, request, likeness_id):
        likeness = access_likeness_managed(user=request.user, likeness_id=likeness_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.access_entry_remove(holding=likeness, actor=request.user, user=user_by_email(s.validated_data["email"]))
        return Response(status=status.HTTP_204_NO_CONTENT)


def user_by_email(email: str):
    from accounts.errors import get_or_not_found
    from accounts.models import User

    return get_or_not_found(User.objects.all(), "No user with that e-mail address.", email=email.lower())


class UseRequestOutput(serializers.Serializer):
    id = serializers.UUIDField()
    likeness_id = serializers.UUIDField()
    requester = serializers.CharField(source="requester.email")
    message = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class UseRequestCreateApi(APIView):
    """Ask a talent (whose likeness is for 'people I approve') to let you use it."""

    class InputSerializer(serializers.Serializer):
        message = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    @idempotent
    @extend_schema(request=InputSerializer, responses={201: UseRequestOutput})
    def post(self, request, likeness_id):
        from .selectors import access_likeness_public

        likeness = access_likeness_public(likeness_id=likeness_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        req = services.use_request_create(likeness=likeness, requester=request.user, message=s.validated_data.get("message", ""))
        return Response(UseRequestOutput(req).data, status=status.HTTP_201_CREATED)


class UseRequestListApi(APIView):
    """Talent: requests to use your likenesses."""

    @extend_schema(responses=UseRequestOutput(many=True))
    def get(self, request):
        from .selectors import use_requests_for

        return Response(UseRequestOutput(use_requests_for(user=request.user), many=True).data)


class UseRequestDecideApi(APIView):
    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses=UseRequestOutput)
    def post(self, request, request_id):
        from .selectors import access_use_request

        req = access_use_request(user=request.user, request_id=request_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        req = services.use_request_decide(request=req, actor=request.user, approve=s.validated_data["approve"])
        return Response(UseRequestOutput(req).data)


class ConsentWithdrawApi(APIView):
    """Withdrawing consent revokes the likeness and every licence on it."""

    class InputSerializer(serializers.Serializer):
        confirm = serializers.BooleanField()
        reason = serializers.CharField(max_length=255, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=LikenessOutput)
    def post(self, request, likeness_id):
        likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        if not s.validated_data["confirm"]:
            raise InvalidInput("Withdrawing consent needs confirm: true.")
        services.consent_withdraw(
            user=request.user, likeness=likeness, ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", ""), reason=s.validated_data.get("reason", ""),
        )
        likeness.refresh_from_db()
        return Response(LikenessOutput(likeness).data)


class LicenceRevokeApi(APIView):
    """Talent: revoke one licence on your likeness (notice period and pro-rata refund apply)."""

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=255)

    @extend_schema(request=InputSerializer, responses=LicenceOutput)
    def post(self, request, licence_id):
        from accounts.errors import Forbidden

        licence = access_licence(user=request.user, licence_id=licence_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        if licence.likeness is None or licence.likeness.owner_id != request.user.pk:
            raise Forbidden("Only the rights holder can revoke a licence.")
        licence = services.licence_revoke(licence=licence, actor=request.user, reason=s.validated_data["reason"])
        return Response(LicenceOutput(licence).data)


class VerificationReviewListApi(APIView):
    """Moderators: passed verifications waiting for review."""

    @extend_schema(responses=VerificationOutput(many=True))
    def get(self, request):
        from .selectors import verifications_to_review

        return Response(VerificationOutput(verifications_to_review(user=request.user), many=True).data)


class VerificationReviewApi(APIView):
    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()
        note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=VerificationOutput)
    def post(self, request, verification_id):
        from .selectors import access_verification_for_review

        v = access_verification_for_review(user=request.user, verification_id=verification_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = services.verification_review(verification=v, moderator=request.user, approve=s.validated_data["approve"], note=s.validated_data.get("note", ""))
        return Response(VerificationOutput(v).data)


class IPAssetOutput(serializers.Serializer):
    id = serializers.UUIDField()
    studio = serializers.CharField(source="studio.name")
    kind = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField()
    opted_in_at = serializers.DateTimeField(allow_null=True)


class IPAssetListCreateApi(APIView):
    """Studios: your IP assets. New ones are never available until opted in."""

    class InputSerializer(serializers.Serializer):
        studio_id = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=["character", "world", "brand_asset"])
        name = serializers.CharField(max_length=160)
        description = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    @extend_schema(responses=IPAssetOutput(many=True))
    def get(self, request):
        from .selectors import ip_assets_for

        return Response(IPAssetOutput(ip_assets_for(user=request.user), many=True).data)

    @idempotent
    @extend_schema(request=InputSerializer, responses={201: IPAssetOutput})
    def post(self, request):
        from .selectors import access_studio

        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        studio = access_studio(user=request.user, studio_id=data["studio_id"])
        asset = services.ip_asset_create(studio=studio, actor=request.user, kind=data["kind"], name=data["name"], description=data.get("description", ""))
        return Response(IPAssetOutput(asset).data, status=status.HTTP_201_CREATED)


class IPAssetActionApi(APIView):
    """opt-in | revoke"""

    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(choices=["opt_in", "revoke"])
        reason = serializers.CharField(max_length=255, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=IPAssetOutput)
    def post(self, request, asset_id):
        from .selectors import access_ip_asset_managed

        asset = access_ip_asset_managed(user=request.user, asset_id=asset_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        if s.validated_data["action"] == "opt_in":
            asset = services.ip_asset_opt_in(asset=asset, actor=request.user)
        else:
            asset = services.ip_asset_revoke(asset=asset, actor=request.user, reason=s.validated_data.get("reason", ""))
        return Response(IPAssetOutput(asset).data)


class IPAssetControlsApi(APIView):
    @extend_schema(request=ControlsSerializer, responses=ControlsSerializer)
    def patch(self, request, asset_id):
        from .selectors import access_ip_asset_managed

        asset = access_ip_asset_managed(user=request.user, asset_id=asset_id)
        s = ControlsSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        asset = services.controls_update(holding=asset, actor=request.user, **s.validated_data)
        return Response(ControlsSerializer(asset).data)


class LicenceGrantApi(APIView):
    """Rights holders: grant a licence on your IP asset directly (no sale), active at once."""

    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        commercial_use = serializers.BooleanField(default=True)
        duration_days = serializers.IntegerField(min_value=1, max_value=3650, default=30)
        generation_quota = serializers.IntegerField(min_value=1, max_value=1_000_000, default=10)
        derivatives = serializers.ChoiceField(choices=LicenceTerms.Derivatives.choices, default="none")
        channels = serializers.ListField(child=serializers.CharField(max_length=32), default=list, max_length=10)
        territories = serializers.ListField(child=serializers.CharField(min_length=2, max_length=2), default=list, max_length=250)

    @idempotent
    @extend_schema(request=InputSerializer, responses={201: LicenceOutput})
    def post(self, request, asset_id):
        from .selectors import access_ip_asset_managed

        asset = access_ip_asset_managed(user=request.user, asset_id=asset_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        licence = services.licence_grant(holding=asset, actor=request.user, licensee=user_by_email(data.pop("email")), **data)
        return Response(LicenceOutput(licence).data, status=status.HTTP_201_CREATED)


# --- misuse reports ---------------------------------------------------------------------------------

class MisuseReportOutput(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    status = serializers.CharField()
    description = serializers.CharField()
    link = serializers.CharField()
    generation_id = serializers.CharField()
    likeness_id = serializers.UUIDField(allow_null=True)
    licence_id = serializers.UUIDField(allow_null=True)
    auto_check = serializers.JSONField()
    due_at = serializers.DateTimeField()
    actions = serializers.JSONField()
    answer = serializers.CharField()
    created_at = serializers.DateTimeField()


class MisuseReportCreateApi(APIView):
    """Anyone, signed in or not: report misuse of a likeness or an output, with a link, a file,
    a generation id (from the verify answer or an output's page) or the likeness. Throttled."""

    from rest_framework.permissions import AllowAny

    from accounts.throttle import AtomicScopeThrottle

    permission_classes = [AllowAny]
    throttle_classes = [AtomicScopeThrottle]
    throttle_scope = "public"  # SECURITY_LIMITS["public"] (accounts.throttle)
    parser_classes = [MultiPartParser, JSONParser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=["my_likeness", "breaks_terms", "other"])
        description = serializers.CharField(max_length=4000)
        email = serializers.EmailField(required=False, allow_blank=True)
        link = serializers.CharField(max_length=1000, required=False, allow_blank=True)
        generation_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
        likeness_id = serializers.UUIDField(required=False, allow_null=True)
        file = serializers.FileField(required=False, allow_null=True)

    @extend_schema(request=InputSerializer, responses={201: MisuseReportOutput})
    def post(self, request):
        from .models import Likeness

        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        likeness = Likeness.objects.filter(pk=d["likeness_id"]).first() if d.get("likeness_id") else None
        report = services.misuse_report_create(
            reporter=request.user if request.user.is_authenticated else None, email=d.get("email", ""), kind=d["kind"],
            description=d["description"], link=d.get("link", ""), evidence=d.get("file"), generation_id=d.get("generation_id", ""),
            likeness=likeness,
        )
        return Response({"id": str(report.pk), "status": report.status, "due_at": report.due_at}, status=status.HTTP_201_CREATED)


class MisuseReportQueueApi(APIView):
    """Moderators: the reports queue (`?status=new`), oldest due first."""

    @extend_schema(responses=MisuseReportOutput(many=True))
    def get(self, request):
        from .selectors import misuse_reports_queue

        return Response(MisuseReportOutput(misuse_reports_queue(user=request.user, status=request.query_params.get("status") or None), many=True).data)


class MisuseReportHandleApi(APIView):
    """Moderators: move a report (`status`), act on it (`action`), answer the reporter (`answer`)."""

    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=["investigating", "actioned", "dismissed"], required=False)
        action = serializers.ChoiceField(choices=["takedown", "licence_suspension", "account_suspension", "referral"], required=False)
        note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
        answer = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=MisuseReportOutput)
    def post(self, request, report_id):
        from .selectors import access_misuse_report

        report = access_misuse_report(user=request.user, report_id=report_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        if not (d.get("status") or d.get("action") or d.get("answer")):
            raise InvalidInput("Give a status, an action or an answer.")
        if d.get("status"):
            report = services.misuse_report_transition(report=report, moderator=request.user, to=d["status"], note=d["note"])
        if d.get("action"):
            report = services.misuse_report_act(report=report, moderator=request.user, action=d["action"], note=d["note"])
        if d.get("answer"):
            report = services.misuse_report_answer(report=report, moderator=request.user, answer=d["answer"])
        return Response(MisuseReportOutput(report).data)


class MisuseReportsAboutMeApi(APIView):
    """Talent: the reports about their likenesses."""

    @extend_schema(responses=MisuseReportOutput(many=True))
    def get(self, request):
        from .selectors import misuse_reports_for_talent

        return Response(MisuseReportOutput(misuse_reports_for_talent(user=request.user), many=True).data)


# --- agencies and estates ---------------------------------------------------------------------------

class ManagementGrantApi(APIView):
    """The talent lets an agency manage a likeness (POST `agency_id`), or takes it back (DELETE `agency_id`)."""

    class InputSerializer(serializers.Serializer):
        agency_id = serializers.IntegerField()

    @extend_schema(request=InputSerializer, responses={201: dict})
    def post(self, request, likeness_id):
        from accounts.errors import get_or_not_found
        from accounts.models import Organisation

        likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        agency = get_or_not_found(Organisation.objects.all(), "No such agency.", pk=s.validated_data["agency_id"])
        grant = services.management_grant(likeness=likeness, talent=request.user, agency=agency)
        return Response({"id": grant.pk, "agency_id": agency.pk, "created_at": grant.created_at}, status=status.HTTP_201_CREATED)

    @extend_schema(request=InputSerializer, responses={200: dict})
    def delete(self, request, likeness_id):
        from accounts.errors import get_or_not_found

        from .models import ManagementGrant

        likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        grant = get_or_not_found(
            ManagementGrant.objects.select_related("likeness"), "No such grant.", likeness=likeness, agency_id=s.validated_data["agency_id"], revoked_at__isnull=True
        )
        grant = services.management_revoke(grant=grant, talent=request.user)
        return Response({"id": grant.pk, "revoked_at": grant.revoked_at})


class EstateAuthoritySubmitApi(APIView):
    """An estate member sends its proof of authority (`estate_id`, `document`: PDF, PNG or JPEG)."""

    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        estate_id = serializers.IntegerField()
        document = serializers.FileField()

    @extend_schema(request=InputSerializer, responses={201: dict})
    def post(self, request, likeness_id):
        from accounts.errors import get_or_not_found
        from accounts.models import Organisation

        likeness = access_likeness_owned(user=request.user, likeness_id=likeness_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        estate = get_or_not_found(Organisation.objects.all(), "No such estate.", pk=s.validated_data["estate_id"])
        authority = services.estate_authority_submit(likeness=likeness, estate=estate, actor=request.user, document=s.validated_data["document"])
        return Response({"id": str(authority.pk), "status": authority.status}, status=status.HTTP_201_CREATED)


class EstateAuthorityReviewApi(APIView):
    """Moderators accept or reject an estate's proof of authority."""

    class InputSerializer(serializers.Serializer):
        accept = serializers.BooleanField()
        note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses={200: dict})
    def post(self, request, authority_id):
        from accounts.errors import Forbidden, get_or_not_found

        from .models import EstateAuthority

        if not request.user.is_moderator:
            raise Forbidden("Only moderators review an estate's authority.")
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        authority = get_or_not_found(EstateAuthority.objects.all(), "No such proof.", pk=authority_id)
        authority = services.estate_authority_review(authority=authority, moderator=request.user, **s.validated_data)
        return Response({"id": str(authority.pk), "status": authority.status})
