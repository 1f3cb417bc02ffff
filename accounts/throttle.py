"""Limits that guard security: per IP and per account, on atomic cache counters.

DRF's own throttles read a history, append and write it back, so parallel requests race past
them. Here every hit is one `cache.add` (create the window's counter) and one `cache.incr` (an
atomic increment on Redis and on the in-process cache alike), so N parallel requests see N
distinct counts and only the first `count` of a window pass.

Windows are fixed (aligned to the clock): a client can spend up to twice a limit across a window
boundary, which is the usual price of a counter that cannot be raced.

A limit is written `"<count>/<period>/<key>"`: period `s`, `m`, `h`, `d` or a number of seconds
(`300s`); key `ip` (the client address), `user` (the signed-in account, else the IP) or `key`
(a value the caller passes, such as the e-mail address being tried). `SECURITY_LIMITS` in the
settings names the scopes; views apply them with `AtomicScopeThrottle` (DRF) or `limited`
(Django views)."""
from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    seconds: int
    key: str  # ip | user | key

    @classmethod
    def parse(cls, scope: str, spec: str) -> "Limit":
        count, period, key = spec.split("/")
        if period in _PERIODS:
            seconds = _PERIODS[period]
        else:
            seconds = int(period.rstrip("s"))
        if key not in ("ip", "user", "key"):
            raise ValueError(f"unknown limit key {key!r} in {spec!r}")
        return cls(scope=scope, count=int(count), seconds=seconds, key=key)


def limits_for(scope: str) -> list[Limit]:
    specs = settings.SECURITY_LIMITS.get(scope, "")
    return [Limit.parse(scope, s.strip()) for s in specs.split(",") if s.strip()]


def client_ip(request) -> str:
    """The client's address as allauth's limits see it: behind `ALLAUTH_TRUSTED_PROXY_COUNT`
    proxies, the matching X-Forwarded-For entry (set it in production, or every client shares
    the proxy's address); else REMOTE_ADDR."""
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import ImproperlyConfigured, PermissionDenied

    try:
        return get_adapter(request).get_client_ip(request)
    except (ImproperlyConfigured, PermissionDenied, ValueError):
        return request.META.get("REMOTE_ADDR") or "unknown"


def _ident(limit: Limit, request, key: str | None) -> str | None:
    if limit.key == "ip":
        raw = client_ip(request)
    elif limit.key == "user":
        user = getattr(request, "user", None)
        raw = f"u{user.pk}" if user is not None and user.is_authenticated else "ip" + client_ip(request)
    else:
        if not key:
            return None
        raw = key.strip().lower()
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _bucket(limit: Limit, ident: str, now: float) -> tuple[str, float]:
    start = int(now // limit.seconds) * limit.seconds
    return f"rl:{limit.scope}:{limit.key}:{limit.seconds}:{ident}:{start}", start + limit.seconds - now


def _incr(cache_key: str, by: int, timeout: int) -> int:
    cache.add(cache_key, 0, timeout=timeout)
    try:
        return cache.incr(cache_key, by) if by > 0 else cache.decr(cache_key, -by)
    except ValueError:  # the window expired between add and incr: a fresh one
        cache.add(cache_key, max(by, 0), timeout=timeout)
        return max(by, 0)


def hit(request, scope: str, *, key: str | None = None, now: float | None = None) -> float | None:
    """Spend one from every limit of `scope`. Returns None when within all of them, else the
    seconds until the tightest exhausted window ends (the `Retry-After`)."""
    now = time.time() if now is None else now
    wait = None
    for limit in limits_for(scope):
        ident = _ident(limit, request, key)
        if ident is None:
            continue
        cache_key, left = _bucket(limit, ident, now)
        if _incr(cache_key, 1, limit.seconds + 1) > limit.count:
            wait = max(wait or 0, left)
    return None if wait is None else max(1, math.ceil(wait))


def give_back(request, scope: str, *, key: str | None = None, now: float | None = None) -> None:
    """Undo one `hit` (a login that succeeded does not count against the account)."""
    now = time.time() if now is None else now
    for limit in limits_for(scope):
        ident = _ident(limit, request, key)
        if ident is not None:
            cache_key, _ = _bucket(limit, ident, now)
            _incr(cache_key, -1, limit.seconds + 1)


def too_many_message(wait: float) -> str:
    minutes = math.ceil(wait / 60)
    when = f"{int(wait)} seconds" if wait < 120 else f"{minutes} minutes"
    return f"Too many attempts. Try again in {when}."


def too_many_response(request, wait: float):
    """A 429 with `Retry-After`: JSON for API clients, the error page for browsers."""
    message = too_many_message(wait)
    if request.path.startswith(("/api/", "/_allauth/")):
        response = JsonResponse({"detail": message, "code": "throttled", "status": 429}, status=429)
    else:
        response = render(request, "error.html", {"message": message}, status=429)
    response["Retry-After"] = str(int(wait))
    return response


class AtomicScopeThrottle(BaseThrottle):
    """DRF throttle for `view.throttle_scope` (a key of SECURITY_LIMITS): 429 with Retry-After.
    `view.throttle_methods` (optional) limits it to those methods."""

    def allow_request(self, request, view):
        scope = getattr(view, "throttle_scope", None)
        methods = getattr(view, "throttle_methods", None)
        if not scope or (methods and request.method not in methods):
            return True
        self._wait = hit(request, scope)
        return self._wait is None

    def wait(self):
        return self._wait


def limited(scope: str, *, methods=("POST",)):
    """Decorator for Django views: apply SECURITY_LIMITS[scope] to these methods."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                wait = hit(request, scope)
                if wait is not None:
                    return too_many_response(request, wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
