"""Sending one signed POST to a receiver: http(s) only, no redirects followed, private addresses
refused unless allowed (development), bounded time and bytes. No Django models here."""
from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from accounts.errors import InvalidInput

USER_AGENT = "Rightscast-Webhooks/1"


def check_url(url: str, *, allow_private: bool) -> str:
    """The URL if a delivery may go there; else InvalidInput saying why (no file:, gopher:, ...;
    no credentials in it; no internal addresses unless allowed)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InvalidInput("A webhook URL starts with https:// (or http://).")
    if not parts.hostname:
        raise InvalidInput("The webhook URL has no host.")
    if parts.username or parts.password:
        raise InvalidInput("Put no user name or password in the webhook URL: deliveries are signed instead.")
    try:
        port = parts.port
    except ValueError:
        raise InvalidInput("The webhook URL's port is not a number between 1 and 65535.")
    if not allow_private:
        try:
            infos = socket.getaddrinfo(parts.hostname, port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError):
            raise InvalidInput(f"The host {parts.hostname} cannot be found.")
        for info in infos:
            addr = ipaddress.ip_address(info[4][0].split("%")[0])
            if not addr.is_global or addr.is_multicast:
                raise InvalidInput("Webhooks go to public internet addresses only, not to internal or local ones.")
    return url


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx is the answer (a failure), never followed to somewhere else


_opener = urllib.request.build_opener(_NoRedirects)


@dataclass(frozen=True)
class Result:
    ok: bool
    status_code: int | None
    error: str
    duration_ms: int


def post(url: str, body: bytes, headers: dict, *, timeout: float, allow_private: bool) -> Result:
    started = time.monotonic()
    try:
        check_url(url, allow_private=allow_private)
        req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers})
        with _opener.open(req, timeout=timeout) as resp:
            resp.read(64 * 1024)
            code = resp.status
    except InvalidInput as exc:
        return Result(False, None, exc.message, _ms(started))
    except urllib.error.HTTPError as exc:
        return Result(False, exc.code, f"HTTP {exc.code}", _ms(started))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Result(False, None, f"{exc.__class__.__name__}: {reason}"[:500], _ms(started))
    return Result(200 <= code < 300, code, "" if 200 <= code < 300 else f"HTTP {code}", _ms(started))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
