from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema


class AutoSchema(BaseAutoSchema):
    """Serializers nested in their view (`TokenApi.InputSerializer`, the styleguide's convention)
    are named after the view in the OpenAPI schema (`TokenApiInput`), so they never collide."""

    def get_serializer_name(self, serializer, direction):
        qualname = type(serializer).__qualname__
        return qualname.replace(".", "") if "." in qualname else type(serializer).__name__


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.tokens.ApiTokenAuthentication"
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token from the sign-in flow (/_allauth/app/v1/auth/login) or POST /api/auth/tokens/.",
        }
