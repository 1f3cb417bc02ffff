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
            messages.error(request, friendly(exc.message.split(":")[0].rstrip(".") + "." if exc.reasons else exc.message))
            for reason in exc.reasons:
                messages.warning(request, friendly(reason))
            request.method = "GET"
            try:
                response = view(request, *args, **kwargs)
            except DomainError as again:
                from django.shortcuts import render

                return render(request, "error.html", {"message": again.message}, status=status_for(again))
            response.status_code = status_for(exc)
            return response

    return wrapper


def form_submit(request, form, action, *, success: str | None, redirect_to):
    """The one way a page form is handled (Django's forms, as in Oscar's dashboard): a valid form
    calls `action(form.cleaned_data)` (one service call), adds one success message and redirects;
    a domain error is attached to the form (beside the field it names, else above the form), so the
    page re-renders with the person's input kept. Returns the redirect, or None with
    `form.status_code` set (400, or the domain error's 4xx)."""
    from django.shortcuts import redirect

    form.status_code = 400
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except DomainError as exc:
        form.status_code = status_for(exc)
        field = getattr(exc, "field", None)
        headline = exc.message.split(":")[0].rstrip(".") + "." if exc.reasons else exc.message
        form.add_error(field if field in form.fields else None, friendly(headline))
        for reason in exc.reasons:
            form.add_error(None, friendly(reason))
        return None
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)
    target = redirect_to(result) if callable(redirect_to) else redirect_to
    return redirect(target)


def friendly(text: str) -> str:
    from accounts.display import plain_reason

    return plain_reason(text)


def page(request, template: str, context: dict, forms=()):
    """Render a page; the status is the first failed form's (a 4xx), else 200."""
    from django.shortcuts import render

    status = next((getattr(f, "status_code", 200) for f in forms if f is not None and f.is_bound and getattr(f, "status_code", None)), 200)
    return render(request, template, context, status=status)
