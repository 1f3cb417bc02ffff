from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    """Every error answer: `detail` (the message) and `code`; a domain refusal may add `reasons`;
    a form that did not validate names each field with its messages instead."""

    detail = serializers.CharField(required=False)
    code = serializers.CharField(required=False)
    reasons = serializers.ListField(child=serializers.CharField(), required=False)


_ERRORS = {
    "400": "The input was refused; `detail` says why, or each field lists its messages.",
    "401": "Not signed in, or the token is unknown, revoked or expired.",
    "403": "Signed in, but not allowed (or a read-only token on a write).",
    "404": "No such object, or not one of yours.",
    "409": "The object is not in a state that allows this.",
    "413": "The request body is larger than the limit.",
    "429": "Too many requests; `Retry-After` says when to come back.",
}


class AutoSchema(BaseAutoSchema):
    """Serializers nested in their view (`TokenApi.InputSerializer`, the styleguide's convention)
    are named after the view in the OpenAPI schema (`TokenApiInput`), so they never collide."""

    def get_serializer_name(self, serializer, direction):
        qualname = type(serializer).__qualname__
        return qualname.replace(".", "") if "." in qualname else type(serializer).__name__

    def _get_response_bodies(self, direction="response"):
        """The view's own answers, and every error answer it can give (documented once, here)."""
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        public = any(isinstance(p, AllowAny) for p in self.view.get_permissions())
        codes = ["400", "413"] if self.method in ("POST", "PUT", "PATCH") else ["400"]
        if not public:
            codes += ["401", "403"]
        if "{" in self.path:
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH", "DELETE") and not public:
            codes.append("409")
        if public or getattr(self.view, "throttle_classes", None):
            codes.append("429")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(OpenApiResponse(ErrorSerializer, description=_ERRORS[code]), code)
        return responses


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.tokens.ApiTokenAuthentication"
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token from the sign-in flow (/_allauth/app/v1/auth/login) or POST /api/auth/tokens/.",
        }
