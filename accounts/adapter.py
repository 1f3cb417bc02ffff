"""allauth's account adapter: the lockout every password check goes through (the browser login,
the headless API login that issues tokens, the admin, which signs in through the same login, and
re-authentication). Attempts are counted on atomic cache counters per account and per IP
(`accounts.throttle`) before the password is checked, so parallel guesses cannot race past the
limit; a successful sign-in gives its attempt back. While an account or an address is locked,
even the right password is refused with 429 and `Retry-After`."""
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse

from accounts import throttle


def _login_key(credentials) -> str:
    return str(credentials.get("email") or credentials.get("username") or "")


class AccountAdapter(DefaultAccountAdapter):
    def authenticate(self, request, **credentials):
        key = _login_key(credentials)
        wait = throttle.hit(request, "login", key=key)
        if wait is not None:
            raise ImmediateHttpResponse(throttle.too_many_response(request, wait))
        user = super().authenticate(request, **credentials)
        if user is not None:
            throttle.give_back(request, "login", key=key)
        return user
