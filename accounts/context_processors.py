"""What the navigation shows on every page: counts that need the person's attention. Other apps
register small providers here (accounts sits under everything and imports none of them)."""
from collections.abc import Callable

_PROVIDERS: list[Callable] = []


def register_nav_provider(fn: Callable) -> Callable:
    """`fn(request) -> dict` adds keys to the `nav` context (e.g. {"approvals": 3})."""
    _PROVIDERS.append(fn)
    return fn


def navigation(request):
    nav: dict = {}
    for provider in _PROVIDERS:
        try:
            nav.update(provider(request) or {})
        except Exception:  # a count must never take a page down
            import logging

            logging.getLogger(__name__).exception("nav provider %s failed", provider)
    return {"nav": nav}


@register_nav_provider
def _notifications(request):
    if not request.user.is_authenticated:
        return {}
    from .models import Notification

    return {"notifications_url": "/notifications/", "unread": Notification.objects.filter(user=request.user, read_at__isnull=True).count()}
