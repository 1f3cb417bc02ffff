"""Websockets for API clients: `Authorization: Token <key>` on the handshake authenticates the
connection (as the REST API's token does). Such a handshake carries no ambient credential, so it
needs no Origin check; one without the header goes the browser's way (session cookie, checked
Origin)."""
from __future__ import annotations

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser


def _token_from(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            kind, _, key = value.decode("latin-1").strip().partition(" ")
            if kind.lower() in ("token", "bearer") and key.strip():
                return key.strip()
            return ""  # an Authorization header we cannot use: refuse, never fall back to cookies
    return None


@database_sync_to_async
def _user_for(key: str):
    from accounts.tokens import api_token_resolve

    token = api_token_resolve(key)
    return AnonymousUser() if token is None else token.user


class TokenOrSessionAuth:
    """Route a handshake with an Authorization header to token auth, others to `browser`."""

    def __init__(self, inner, browser):
        self.inner, self.browser = inner, browser

    async def __call__(self, scope, receive, send):
        key = _token_from(scope)
        if key is None:
            return await self.browser(scope, receive, send)
        user = await _user_for(key) if key else AnonymousUser()
        return await self.inner({**scope, "user": user}, receive, send)
