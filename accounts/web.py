"""Helpers for the server-rendered views: domain errors become the page again, with the message
shown and a 4xx status, and nothing changed."""
from functools import wraps

from django.contrib import messages

from accounts.errors import Conflict, DomainError, Forbidden, Gone, NotFound

_STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, Gone: 410}


def status_for(exc: DomainError) -> int:
    for cls, code in _STATUS.items():
        if isinstance(exc, cls):
            return code
    return 400


def form_errors_as_page(view):
    """Wrap a view whose POST calls services. A DomainError is shown on the re-rendered page (the
    view's GET) with a 4xx status; a NotFound on GET is a 404 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            if request.method == "GET" or isinstance(exc, (NotFound, Gone)):
                from django.shortcuts import render

                return render(request, "error.html", {"message": exc.message}, status=status_for(exc))
            messages.error(request, exc.message)
            for reason in exc.reasons:
                messages.warning(request, reason)
            request.method = "GET"
            try:
                response = view(request, *args, **kwargs)
            except DomainError as again:
                from django.shortcuts import render

                return render(request, "error.html", {"message": again.message}, status=status_for(again))
            response.status_code = status_for(exc)
            return response

    return wrapper
