"""Request bodies bounded while they stream, and heavy decoding bounded in concurrency.

`UploadLimitsMiddleware` sits before everything that reads a body (CSRF reads the form):
- a body larger than its limit (`UPLOAD_MAX_REQUEST_BYTES` for multipart, else
  `DATA_UPLOAD_MAX_MEMORY_SIZE`) is refused from its Content-Length, before a byte is read;
- a multipart or form body is parsed here, through `BoundedUploadHandler`, which refuses a file
  as soon as its chunks pass `UPLOAD_MAX_BYTES` (or all files pass `UPLOAD_MAX_REQUEST_BYTES`), so
  an oversized file is never received whole; Django's own field and file counts apply too;
- a refusal is a JSON answer on the API (`{"detail", "code"}`) and the error page elsewhere, with
  413 for size and 400 for the rest: a client's mistake, logged as one line, not a traceback;
- a request that uploads files takes one of `UPLOAD_HEAVY_CONCURRENCY` slots for its whole run,
  shared by every web process through the cache (`accounts.cache_semaphore`: leases that expire,
  so a crashed process leaks no slot; the rest wait up to 2 s, then are answered 429 with Retry-After), and gets one decode budget
  (`accounts.uploads.DecodeBudget`: pixels across every frame, and a deadline)."""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from accounts import cache_semaphore, uploads

log = logging.getLogger(__name__)


class UploadTooLarge(RequestDataTooBig):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BoundedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts each file's bytes as they arrive."""

    def __init__(self, request=None):
        super().__init__(request)
        self.total = 0
        self.current = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.current = 0

    def receive_data_chunk(self, raw_data, start):
        self.current += len(raw_data)
        self.total += len(raw_data)
        if self.current > settings.UPLOAD_MAX_BYTES:
            raise UploadTooLarge(f"'{self.file_name}' is larger than {settings.UPLOAD_MAX_BYTES:,} bytes.")
        if self.total > settings.UPLOAD_MAX_REQUEST_BYTES:
            raise UploadTooLarge(f"The files together are larger than {settings.UPLOAD_MAX_REQUEST_BYTES:,} bytes.")
        return raw_data

    def file_complete(self, file_size):
        return None


HEAVY_SLOTS = "upload-heavy"


def heavy_slot(*, wait: float = 2.0):
    """One of `UPLOAD_HEAVY_CONCURRENCY` slots shared by every web process through the cache (a
    lease of `UPLOAD_HEAVY_LEASE_SECONDS`, so a crashed holder's slot comes back); None if busy."""
    return cache_semaphore.acquire(
        HEAVY_SLOTS, size=settings.UPLOAD_HEAVY_CONCURRENCY, lease=settings.UPLOAD_HEAVY_LEASE_SECONDS, wait=wait
    )


def refusal(request, message: str, *, status: int, code: str):
    """A client's mistake, answered in the client's terms: JSON on the API, the error page elsewhere."""
    log.warning("%s %s refused (%s): %s", request.method, request.path, code, message)
    if request.path.startswith(("/api/", "/_allauth/")):
        response = JsonResponse({"detail": message, "code": code}, status=status)
    else:
        response = render(request, "error.html", {"message": message}, status=status)
    if status == 429:
        response["Retry-After"] = "5"
    return response


def _content_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def parse_errors(request):
    """Parse a form or multipart body now; a refusal response if it breaks a limit, else None."""
    try:
        request.POST  # noqa: B018 -- parses the body (and the files, through BoundedUploadHandler)
        request.FILES  # noqa: B018
    except UploadTooLarge as exc:
        return refusal(request, exc.message, status=413, code="too_large")
    except RequestDataTooBig:
        return refusal(request, f"The request is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes.", status=413, code="too_large")
    except TooManyFieldsSent:
        return refusal(request, f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields.", status=400, code="too_many_fields")
    except TooManyFilesSent:
        return refusal(request, f"Send at most {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files.", status=400, code="too_many_files")
    except (MultiPartParserError, SuspiciousOperation, UnicodeDecodeError, ValueError) as exc:
        return refusal(request, f"The request body could not be read ({exc.__class__.__name__}).", status=400, code="parse_error")
    return None


class UploadLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        multipart = content_type.startswith("multipart/")
        length = _content_length(request)
        limit = settings.UPLOAD_MAX_REQUEST_BYTES + 64 * 1024 if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            return refusal(request, f"The request is {length:,} bytes; the limit is {limit:,}.", status=413, code="too_large")
        if request.method not in ("POST", "PUT", "PATCH"):
            return self.get_response(request)
        if multipart or content_type.startswith("application/x-www-form-urlencoded"):
            refused = parse_errors(request)
            if refused is not None:
                return refused
        if not (multipart and request.FILES):
            return self.get_response(request)
        slot = heavy_slot()
        if slot is None:
            return refusal(request, "The server is busy reading other uploads; try again in a few seconds.", status=429, code="busy")
        try:
            with uploads.decode_budget():
                return self.get_response(request)
        finally:
            slot.release()
