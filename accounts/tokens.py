"""API tokens: issued only at the end of allauth's headless login flow, so a token is never had for
a password alone (the flow asks for the verified e-mail, the TOTP or recovery code when two-factor
is on, and is subject to the same lockouts as the browser login). Owners list, mint (read-only or
full) and revoke them. Keys are random; only their SHA-256 is stored; every token expires."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS

from accounts.errors import InvalidInput, get_or_not_found
from accounts.models import ApiToken, User

KEY_PREFIX = "rc_"
KEYWORDS = (b"bearer", b"token")
MAX_DAYS = 365


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_issue(*, user: User, scope: str = ApiToken.Scope.FULL, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns it and its key (shown once, never stored)."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"A token lasts between 1 and {MAX_DAYS} days.", code="bad_expiry")
    if scope not in ApiToken.Scope.values:
        raise InvalidInput("Scope is 'read' or 'full'.", code="bad_scope")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, scope=scope, name=name[:80], key_hash=_hash(key), prefix=key[:10],
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, key


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = get_or_not_found(ApiToken.objects.select_for_update().filter(user=user), "No such token.", pk=token_id)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def api_tokens_revoke_all(*, user: User) -> int:
    """Every live token of the user: after the password is changed or reset, no token issued
    before stays valid."""
    return ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())


def api_token_list_for(*, user: User):
    """The owner's live tokens (not revoked, not expired), newest first."""
    return ApiToken.objects.filter(user=user, revoked_at=None, expires_at__gt=timezone.now()).order_by("-created_at", "-pk")


def api_token_resolve(key: str) -> ApiToken | None:
    """The live token for `key` (not revoked, not expired, its user active), or None: for callers
    outside DRF (the progress websocket, the MCP server)."""
    key = (key or "").strip()
    if not key:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key), revoked_at=None, expires_at__gt=timezone.now()).first()
    if token is None or not token.user.is_active:
        return None
    return token


class ApiTokenStrategy(SessionTokenStrategy):
    """allauth's headless app flow: the session token carries the login through its stages; once
    the person is fully signed in, the response's `meta.access_token` is a full-scope API token."""

    def create_access_token_payload(self, request):
        if not request.user.is_authenticated:
            return None
        token, key = api_token_issue(user=request.user, name="sign-in")
        return {"access_token": key, "expires_in": int((token.expires_at - timezone.now()).total_seconds()), "scope": token.scope}


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <key>` (or `Token <key>`). A read-only token may only read."""

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() not in KEYWORDS:
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed("Send the token as 'Authorization: Bearer <token>'.")
        try:
            key = auth[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.")
        token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
        now = timezone.now()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("The token is not valid, or was revoked.")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("The token has expired; sign in again for a new one.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This account is disabled.")
        if token.scope == ApiToken.Scope.READ and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied("This token is read-only.")
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
