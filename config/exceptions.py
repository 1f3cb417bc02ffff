"""One place that turns domain errors into HTTP answers with clear messages (never a 500)."""
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
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
    if isinstance(exc, SuspiciousOperation):  # a client's mistake: a clear answer, no traceback
        return Response(*_suspicious(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return exception_handler(exc, context)


def _suspicious(exc: SuspiciousOperation) -> tuple[dict, int]:
    from django.conf import settings

    if isinstance(exc, RequestDataTooBig):
        return {"detail": f"The request is too large (the limit is {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes).", "code": "too_large"}, 413
    if isinstance(exc, TooManyFieldsSent):
        return {"detail": f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields.", "code": "too_many_fields"}, 400
    if isinstance(exc, TooManyFilesSent):
        return {"detail": f"Send at most {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files.", "code": "too_many_files"}, 400
    return {"detail": "The request could not be accepted.", "code": "bad_request"}, 400


def _api_or_page(request, status: int, detail: str, code: str, page_handler):
    if request.path.startswith(("/api/", "/_allauth/")):
        from django.http import JsonResponse

        return JsonResponse({"detail": detail, "code": code}, status=status)
    return page_handler()


# Django's own answers for errors raised outside a view (a bad Host header, a body refused in a
# middleware): JSON on the API, the usual pages elsewhere. Wired in config/urls.py.
def handler400(request, exception=None):
    from django.views import defaults

    if isinstance(exception, SuspiciousOperation):
        body, status = _suspicious(exception)
    else:
        body, status = {"detail": "Bad request.", "code": "bad_request"}, 400
    if status == 413:
        return _api_or_page(request, 413, body["detail"], body["code"], lambda: defaults.bad_request(request, exception))
    return _api_or_page(request, 400, body["detail"], body["code"], lambda: defaults.bad_request(request, exception))


def handler403(request, exception=None):
    from django.views import defaults

    return _api_or_page(request, 403, "You do not have permission to do this.", "permission_denied",
                        lambda: defaults.permission_denied(request, exception))


def handler404(request, exception=None):
    from django.views import defaults

    return _api_or_page(request, 404, "Not found.", "not_found", lambda: defaults.page_not_found(request, exception))


def handler500(request):
    from django.views import defaults

    return _api_or_page(request, 500, "Something went wrong on our side; it has been logged.", "server_error",
                        lambda: defaults.server_error(request))
