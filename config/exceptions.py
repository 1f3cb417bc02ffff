"""One place that turns domain errors into HTTP answers with clear messages (never a 500)."""
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from accounts.errors import Conflict, DomainError, Forbidden, Gone, InvalidInput, NotFound


def _status_for(exc: DomainError) -> int:
    if isinstance(exc, NotFound):
        return status.HTTP_404_NOT_FOUND
    if isinstance(exc, Forbidden):
        return status.HTTP_403_FORBIDDEN
    if isinstance(exc, Conflict):
        return status.HTTP_409_CONFLICT
    if isinstance(exc, Gone):
        return status.HTTP_410_GONE
    if isinstance(exc, InvalidInput):
        return status.HTTP_400_BAD_REQUEST
    return status.HTTP_400_BAD_REQUEST


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": exc.message, "code": exc.code}
        if exc.reasons:
            body["reasons"] = exc.reasons
        return Response(body, status=_status_for(exc))
    if isinstance(exc, DjangoValidationError):
        return Response({"detail": " ".join(exc.messages), "code": "invalid"}, status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return exception_handler(exc, context)
