"""allauth's account adapter and the lockout every password check goes through (the browser login,
the headless API login that issues tokens, the admin, which signs in through the same login, and
re-authentication). Two layers, both keyed by the account:

- atomic cache counters (`accounts.throttle`, scope `login`): attempts counted per account and
  per IP before the password is checked, so parallel guesses cannot race past the limit; a
  correct password gives its attempt back;
- django-axes, through `LockoutBackend`, first of AUTHENTICATION_BACKENDS: every failed
  `authenticate()` is recorded per account in the database (AccessAttempt, in the admin), and
  `AXES_FAILURE_LIMIT` failures in a row lock the account for `AXES_COOLOFF_TIME`; a completed
  sign-in (after two-factor) clears them. Axes counts after the fact, so it can be raced by a
  few parallel requests: the atomic counters are the hard limit, axes the long one that a slow
  guesser (a few tries per window, for days) runs into, and the record staff can read and lift.

allauth's own failed-login limit (`ACCOUNT_RATE_LIMITS["login_failed"]`) stays on as well, and
answers the same way. While an account or an address is locked, even the right password is
refused with 429 and `Retry-After`, on every path alike."""
import ipaddress

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from axes.backends import AxesStandaloneBackend
from django import forms
from django.conf import settings

from accounts import throttle


def _login_key(credentials) -> str:
    return str(credentials.get("email") or credentials.get("username") or "")


def axes_username(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE: the e-mail being tried, as the atomic counters key it."""
    return _login_key(credentials or {}).strip().lower()


def axes_client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the same client address the atomic counters and allauth use, or
    None when the request has none (an ASGI server on a Unix socket, a request built in code):
    axes writes it to an address column, which PostgreSQL refuses to fill with anything else, and
    the sign-in would fail with a 500."""
    address = throttle.client_ip(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def _cool_off_seconds() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds()))


def axes_lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: our 429 (JSON on the API, the error page in the browser)."""
    return throttle.too_many_response(request, _cool_off_seconds())


class LockoutBackend(AxesStandaloneBackend):
    """axes' backend, for calls that come with a request. Without one (Django's test client
    `login()`, a shell) there is no client to lock out: it stands aside instead of raising."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _allauth_login_failed_window() -> int:
    spec = allauth_settings.RATE_LIMITS.get("login_failed") or ""
    return max([throttle.Limit.parse("login_failed", p.strip()).seconds for p in spec.split(",") if p.strip()] or [60])


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """allauth's own failed-login limit, answered as ours are: 429 with Retry-After, not a form error."""
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            raise ImmediateHttpResponse(throttle.too_many_response(request, _allauth_login_failed_window()))

    def authenticate(self, request, **credentials):
        key = _login_key(credentials)
        wait = throttle.hit(request, "login", key=key)
        if wait is not None:
            raise ImmediateHttpResponse(throttle.too_many_response(request, wait))
        user = super().authenticate(request, **credentials)
        if user is not None:
            throttle.give_back(request, "login", key=key)
        elif getattr(request, "axes_locked_out", False):
            raise ImmediateHttpResponse(axes_lockout_response(request))
        return user
