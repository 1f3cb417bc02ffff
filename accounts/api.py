from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken
from accounts.throttle import AtomicScopeThrottle
from accounts.tokens import MAX_DAYS, api_token_issue, api_token_list_for, api_token_revoke


class MeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        email = serializers.EmailField()
        display_name = serializers.CharField()
        kind = serializers.CharField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        return Response(self.OutputSerializer(request.user).data)


class TokensApi(APIView):
    """The signed-in person's API tokens. Tokens come from the sign-in flow
    (`/_allauth/app/v1/auth/login`, then `/_allauth/app/v1/auth/2fa/authenticate` when two-factor is
    on); a signed-in owner may also mint one here, read-only or full, for a script."""

    throttle_classes = [AtomicScopeThrottle]
    throttle_scope = "token"
    throttle_methods = ("POST",)

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
        scope = serializers.ChoiceField(choices=ApiToken.Scope.choices, default=ApiToken.Scope.READ)
        days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, default=30)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        scope = serializers.ChoiceField(choices=ApiToken.Scope.choices)
        prefix = serializers.CharField()
        created_at = serializers.DateTimeField()
        expires_at = serializers.DateTimeField()
        last_used_at = serializers.DateTimeField(allow_null=True)

    class CreatedSerializer(OutputSerializer):
        key = serializers.CharField(help_text="Shown once: store it now.")

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request):
        return Response(self.OutputSerializer(api_token_list_for(user=request.user), many=True).data)

    @extend_schema(request=InputSerializer, responses={201: CreatedSerializer})
    def post(self, request):
        s = self.InputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        token, key = api_token_issue(user=request.user, **s.validated_data)
        body = self.OutputSerializer(token).data
        body["key"] = key
        return Response(body, status=201)


class TokenRevokeApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, token_id: int):
        api_token_revoke(user=request.user, token_id=token_id)
        return Response(status=204)
