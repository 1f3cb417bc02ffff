from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.idempotency import idempotent

from . import services
from .models import EVENTS
from .selectors import access_delivery, access_endpoint, delivery_list_for, endpoint_list_for


class EndpointOutput(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.CharField()
    description = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    secret = serializers.CharField(help_text="Verify each delivery's Rightscast-Signature with this (see the README).")
    created_at = serializers.DateTimeField()


class DeliveryOutput(serializers.Serializer):
    id = serializers.UUIDField()
    endpoint_id = serializers.UUIDField()
    event_id = serializers.UUIDField()
    event = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    last_status_code = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField()
    replay_of = serializers.UUIDField(source="replay_of_id", allow_null=True)
    created_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    payload = serializers.JSONField()


class EndpointListCreateApi(APIView):
    """Your webhook endpoints: events about your briefs, jobs, approvals and licences are POSTed
    to them, signed (header `Rightscast-Signature`)."""

    class InputSerializer(serializers.Serializer):
        url = serializers.CharField(max_length=500)
        events = serializers.ListField(child=serializers.ChoiceField(choices=list(EVENTS)), max_length=len(EVENTS))
        description = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @extend_schema(responses=EndpointOutput(many=True))
    def get(self, request):
        return Response(EndpointOutput(endpoint_list_for(user=request.user), many=True).data)

    @idempotent
    @extend_schema(request=InputSerializer, responses={201: EndpointOutput})
    def post(self, request):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(owner=request.user, **s.validated_data)
        return Response(EndpointOutput(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetailApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, endpoint_id):
        services.endpoint_remove(endpoint=access_endpoint(user=request.user, endpoint_id=endpoint_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EndpointPingApi(APIView):
    """Send a `ping` event to this endpoint now."""

    @extend_schema(request=None, responses={202: DeliveryOutput})
    def post(self, request, endpoint_id):
        row = services.webhook_ping(endpoint=access_endpoint(user=request.user, endpoint_id=endpoint_id), actor=request.user)
        row.refresh_from_db()
        return Response(DeliveryOutput(row).data, status=status.HTTP_202_ACCEPTED)


class DeliveryListApi(APIView):
    """The delivery log, newest first (`?endpoint=<id>` for one endpoint)."""

    @extend_schema(responses=DeliveryOutput(many=True))
    def get(self, request):
        return Response(DeliveryOutput(delivery_list_for(user=request.user, endpoint_id=request.query_params.get("endpoint") or None), many=True).data)


class DeliveryReplayApi(APIView):
    """Send a delivery again (same event id and body, fresh signature), as a new log row."""

    @extend_schema(request=None, responses={202: DeliveryOutput})
    def post(self, request, delivery_id):
        row = services.delivery_replay(delivery_row=access_delivery(user=request.user, delivery_id=delivery_id), actor=request.user)
        row.refresh_from_db()
        return Response(DeliveryOutput(row).data, status=status.HTTP_202_ACCEPTED)
