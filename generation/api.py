from django.conf import settings
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import Gone, InvalidInput, NotFound
from accounts.idempotency import idempotent
from accounts.throttle import AtomicScopeThrottle
from accounts.uploads import read_bounded

from . import services, variants
from .progress import job_snapshot
from .selectors import access_job, brief_list_for_requester, may_see_output, use_list_for_talent
from .verification import verify_bytes


class JobOutput(serializers.Serializer):
    job_id = serializers.UUIDField()
    status = serializers.CharField()
    step = serializers.IntegerField()
    total_steps = serializers.IntegerField()
    error = serializers.CharField()
    output_url = serializers.CharField(allow_null=True)


class BriefOutput(serializers.Serializer):
    id = serializers.UUIDField()
    licence_id = serializers.UUIDField()
    likeness_name = serializers.CharField(source="licence.holding.name")
    requester = serializers.CharField(source="requester.email")
    prompt = serializers.CharField()
    seed = serializers.IntegerField()
    media = serializers.CharField()
    status = serializers.CharField()
    decision = serializers.JSONField()
    created_at = serializers.DateTimeField()
    job = serializers.SerializerMethodField()
    parent_id = serializers.UUIDField(allow_null=True)
    remix_strength = serializers.FloatField(allow_null=True)
    variant_group = serializers.UUIDField(allow_null=True)
    variant_index = serializers.IntegerField()
    is_winner = serializers.BooleanField()

    def get_job(self, obj) -> dict | None:
        job = getattr(obj, "job", None)
        return job_snapshot(job) if job else None


class BriefCreatedOutput(BriefOutput):
    variants = serializers.SerializerMethodField(help_text="Every brief of the set when variants > 1 (the first is this one).")

    def get_variants(self, obj) -> list:
        return BriefOutput(self.context.get("variants", []), many=True).data


class BriefListCreateApi(APIView):
    """Briefs: a prompt under a licence (the lead party), other licences the work needs (a
    character...), an optional remix parent, where it will run."""

    class InputSerializer(serializers.Serializer):
        licence_id = serializers.CharField(max_length=64)
        prompt = serializers.CharField(max_length=services.MAX_PROMPT)
        seed = serializers.IntegerField(min_value=0, max_value=2**63 - 1, required=False)
        extra_licence_ids = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=services.MAX_EXTRA_LICENCES)
        parent_brief_id = serializers.CharField(max_length=64, required=False)
        channel = serializers.CharField(max_length=32, required=False, allow_blank=True)
        territory = serializers.CharField(max_length=2, required=False, allow_blank=True)
        media = serializers.ChoiceField(choices=["image", "video"], required=False, default="image")
        remix_strength = serializers.FloatField(min_value=services.MIN_REMIX_STRENGTH, max_value=1.0, required=False, help_text="A remix: how far from the parent's output (0.05 close to it, 1 only a start). Default 0.6.")
        variants = serializers.IntegerField(min_value=1, max_value=variants.MAX_VARIANTS, required=False, default=1, help_text="A/B variants: seeds seed, seed+1, …; each uses a unit of quota.")

    @extend_schema(responses=BriefOutput(many=True))
    def get(self, request):
        return Response(BriefOutput(brief_list_for_requester(user=request.user)[:200], many=True).data)

    @idempotent
    @extend_schema(request=InputSerializer, responses={201: BriefCreatedOutput})
    def post(self, request):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        made = variants.brief_submit_variants(requester=request.user, **s.validated_data)
        return Response(BriefCreatedOutput(made[0], context={"variants": made if len(made) > 1 else []}).data, status=status.HTTP_201_CREATED)


class VariantListApi(APIView):
    """The briefs of one set of variants (yours), in order."""

    @extend_schema(responses=BriefOutput(many=True))
    def get(self, request, group_id):
        return Response(BriefOutput(variants.variant_group_briefs(user=request.user, group_id=group_id), many=True).data)


class VariantWinnerApi(APIView):
    """Mark (or unmark) a released variant as a winner."""

    class InputSerializer(serializers.Serializer):
        winner = serializers.BooleanField(default=True)

    @extend_schema(request=InputSerializer, responses=BriefOutput)
    def post(self, request, brief_id):
        from accounts.errors import get_or_not_found

        from .models import Brief

        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        brief = get_or_not_found(Brief.objects.filter(requester=request.user), "No such brief.", pk=brief_id)
        return Response(BriefOutput(variants.variant_mark_winner(brief=brief, actor=request.user, winner=s.validated_data["winner"])).data)


class VariantExportApi(APIView):
    """The winners of a set as a ZIP: each output beside its licence record (JSON), and a manifest."""

    @extend_schema(responses={(200, "application/zip"): bytes})
    def get(self, request, group_id):
        return variant_zip_response(request.user, group_id)


def variant_zip_response(user, group_id):
    from django.http import HttpResponse

    response = HttpResponse(variants.variant_winners_zip(user=user, group_id=group_id), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="rightscast-winners-{group_id}.zip"'
    return response


class JobDetailApi(APIView):
    """Polling endpoint for a job's progress (the websocket ws/jobs/<id>/ pushes the same)."""

    @extend_schema(responses=JobOutput)
    def get(self, request, job_id):
        return Response(job_snapshot(access_job(user=request.user, job_id=job_id)))


class ModelListApi(APIView):
    """The models an offer may name (`model_name`) to render its generations; none named: the
    deployment's own model."""

    class ModelOutput(serializers.Serializer):
        name = serializers.CharField()
        description = serializers.CharField()

    @extend_schema(responses=ModelOutput(many=True))
    def get(self, request):
        from .config import registered_models

        return Response([{"name": k, "description": v} for k, v in sorted(registered_models().items())])


class JobCancelApi(APIView):
    @extend_schema(request=None, responses=JobOutput)
    def post(self, request, job_id):
        job = services.job_cancel(job=access_job(user=request.user, job_id=job_id), actor=request.user)
        return Response(job_snapshot(job))


class JobOutputApi(APIView):
    """The watermarked, C2PA-signed output file."""

    @extend_schema(responses={(200, "image/png"): bytes})
    def get(self, request, job_id):
        return output_response(access_job(user=request.user, job_id=job_id), request.user)


def output_response(job, user) -> FileResponse:
    if job.taken_down_at:
        raise Gone(f"This output was taken down: {job.takedown_reason}")
    if not may_see_output(user=user, job=job):
        raise NotFound("This job has no output you can see (yet).")
    return FileResponse(job.output.open("rb"), content_type=job.output_mime, as_attachment=False, filename=f"rightscast-{job.pk}.{'mp4' if job.output_mime == 'video/mp4' else 'png'}")


class UseListApi(APIView):
    """Talent: every brief that names one of your likenesses, refused ones included."""

    @extend_schema(responses=BriefOutput(many=True))
    def get(self, request):
        return Response(BriefOutput(use_list_for_talent(user=request.user)[:500], many=True).data)


class VerifyApi(APIView):
    """Public: upload an image or an MP4 as `file`; learn whether it was made here, which
    generation and licence it is, whether that licence stands and whether the output was taken
    down. The watermark and the content credentials are read independently.

    Verdicts: `made_here` (found by the watermark, the credentials or both; `confidence` says how
    sure), `other_signer` (valid credentials from a signer this site does not vouch for) and
    `no_mark_found` (which does not mean the file was not made here). The answer's shape is
    stable: fields are only ever added."""

    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]
    throttle_classes = [AtomicScopeThrottle]
    throttle_scope = "verify"

    class OutputSerializer(serializers.Serializer):
        made_here = serializers.BooleanField()
        verdict = serializers.ChoiceField(choices=["made_here", "other_signer", "no_mark_found"])
        confidence = serializers.ChoiceField(choices=["very_high", "high", "altered"], allow_null=True)
        summary = serializers.CharField()
        media = serializers.ChoiceField(choices=["image", "video"])
        found_by = serializers.ListField(child=serializers.ChoiceField(choices=["watermark", "c2pa"]))
        signals_agree = serializers.BooleanField(allow_null=True)
        generation_id = serializers.CharField(allow_null=True)
        output_status = serializers.CharField(allow_null=True)
        taken_down = serializers.BooleanField()
        taken_down_at = serializers.DateTimeField(allow_null=True)
        licence_id = serializers.CharField(allow_null=True)
        licence_status = serializers.CharField(allow_null=True)
        licence_valid = serializers.BooleanField()
        likeness = serializers.CharField(allow_null=True)
        created_at = serializers.DateTimeField(allow_null=True)
        watermark = serializers.CharField()
        watermark_matches = serializers.BooleanField()
        c2pa_state = serializers.CharField()
        c2pa_trusted = serializers.BooleanField()
        c2pa_issues = serializers.ListField(child=serializers.CharField())
        c2pa_signer = serializers.CharField(allow_null=True)
        c2pa_development_certificate = serializers.BooleanField()
        licence_standing = serializers.ChoiceField(
            choices=["stands", "revoked", "expired", "suspended", "pending", "taken_down"], allow_null=True
        )
        training_mining = serializers.DictField(child=serializers.ChoiceField(choices=["allowed", "notAllowed"]), allow_null=True)

        class Ancestor(serializers.Serializer):
            generation_id = serializers.CharField(allow_null=True)
            licence_id = serializers.CharField()
            licence_status = serializers.CharField()
            taken_down = serializers.BooleanField()
            output_sha256 = serializers.CharField(allow_null=True)

        class Manifest(serializers.Serializer):
            id = serializers.CharField()
            url = serializers.CharField()
            recovered = serializers.BooleanField()

        lineage = Ancestor(many=True)
        manifest = Manifest(allow_null=True)
        report_misuse_url = serializers.CharField()

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
        responses=OutputSerializer,
    )
    def post(self, request):
        f = request.FILES.get("file")
        if f is None:
            raise InvalidInput("Upload the file to check as 'file'.")
        return Response(verify_bytes(read_bounded(f, settings.UPLOAD_MAX_BYTES), name=f.name))


class ApprovalOutput(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    brief_id = serializers.CharField(source="reference")
    holding = serializers.SerializerMethodField()
    requester = serializers.CharField(source="requester.email")
    summary = serializers.CharField()
    status = serializers.CharField()
    deadline = serializers.DateTimeField()

    def get_holding(self, obj) -> str:
        return (obj.likeness or obj.ip_asset).name


class ApprovalListApi(APIView):
    """Rights holders: briefs and outputs waiting for your approval."""

    @extend_schema(responses=ApprovalOutput(many=True))
    def get(self, request):
        from licensing.selectors import approvals_pending_for

        return Response(ApprovalOutput(approvals_pending_for(user=request.user), many=True).data)


class ApprovalDecideApi(APIView):
    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()
        reason = serializers.CharField(max_length=500, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=ApprovalOutput)
    def post(self, request, approval_id):
        from licensing.selectors import access_approval

        approval = access_approval(user=request.user, approval_id=approval_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        approval = services.approval_decide(approval=approval, actor=request.user, approve=s.validated_data["approve"], reason=s.validated_data.get("reason", ""))
        return Response(ApprovalOutput(approval).data)


class TakedownApi(APIView):
    """Rights holders and moderators: remove an output from everywhere it is served."""

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=500)

    @extend_schema(request=InputSerializer, responses=JobOutput)
    def post(self, request, job_id):
        job = access_job(user=request.user, job_id=job_id)
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        job = services.output_take_down(job=job, actor=request.user, reason=s.validated_data["reason"])
        return Response(job_snapshot(job))


class OutputPublishApi(APIView):
    """The requester publishes a released output to the feed (`published: false` takes it back)."""

    class InputSerializer(serializers.Serializer):
        published = serializers.BooleanField(default=True)

    @extend_schema(request=InputSerializer, responses=JobOutput)
    def post(self, request, job_id):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        job = services.output_publish(job=access_job(user=request.user, job_id=job_id), actor=request.user, **s.validated_data)
        return Response(job_snapshot(job))


class ConsentLedgerApi(APIView):
    """Per generation involving you: terms snapshot, prompt hash, approvals, model, watermark
    payload. `?format=csv` for CSV (moderators get every generation)."""

    class RowSerializer(serializers.Serializer):
        class ApprovalSerializer(serializers.Serializer):
            kind = serializers.CharField()
            holder = serializers.CharField()
            status = serializers.CharField()
            decided_at = serializers.DateTimeField(allow_null=True)

        class LicenceSerializer(serializers.Serializer):
            licence_id = serializers.CharField()
            terms = serializers.DictField()

        brief_id = serializers.CharField()
        generation_id = serializers.CharField(allow_null=True)
        created_at = serializers.DateTimeField()
        requester = serializers.EmailField()
        status = serializers.CharField()
        decision = serializers.DictField()
        prompt_sha256 = serializers.CharField()
        licences = LicenceSerializer(many=True)
        parent_brief_id = serializers.CharField(allow_null=True)
        approvals = ApprovalSerializer(many=True)
        model = serializers.CharField(allow_null=True)
        watermark_payload = serializers.CharField(allow_null=True)
        c2pa_signed = serializers.BooleanField()
        output_sha256 = serializers.CharField(allow_null=True)
        taken_down_at = serializers.DateTimeField(allow_null=True)

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["json", "csv"], required=False, description="json (default) or csv")],
        responses={(200, "application/json"): RowSerializer(many=True), (200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        from .selectors import consent_ledger_rows
        from .views import consent_ledger_queryset, ledger_response

        return ledger_response(consent_ledger_rows(briefs=consent_ledger_queryset(request.user)), request.query_params.get("format", "json"))
