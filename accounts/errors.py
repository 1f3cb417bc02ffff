"""Domain errors. Services raise these; config/exceptions.py (API) and the views map them to 4xx
answers with the message shown to the user. `accounts` sits under every app, so they live here."""


class DomainError(Exception):
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, reasons: list[str] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.reasons = reasons or []


class InvalidInput(DomainError):
    code = "invalid"


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"


class Gone(DomainError):
    code = "gone"


def get_or_not_found(queryset, message: str, *args, **lookup):
    """`queryset.get(...)`, with a missing row or a malformed id (not a UUID, say) answered as
    NotFound. Every `access_*` function fetches through this."""
    from django.core.exceptions import ValidationError

    try:
        return queryset.get(*args, **lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound(message)
