"""Sending one signed POST to a receiver: http(s) only, no redirects followed, bounded time and
bytes, and an SSRF / DNS-rebinding guard. No Django models here.

The guard: the host is resolved once; every address it resolves to must be a public one
(`is_global`, IPv4-mapped IPv6 unwrapped; loopback, private, link-local and the cloud metadata
address 169.254.169.254, shared, reserved, multicast and unspecified addresses refused) unless
the deployment allows it (`allow_private`, development) or it lies in an allow-listed network
(`allowed_networks`, the tests' 127.0.0.1). The connection then goes to that resolved address
(the Host header and TLS name stay the URL's), so a second resolution by the HTTP library, which
a rebinding DNS server would answer differently, never happens."""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from accounts.errors import InvalidInput

USER_AGENT = "Rightscast-Webhooks/1"
MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the resolved IP the connection goes to


def _networks(allowed_networks) -> list:
    return [ipaddress.ip_network(n, strict=False) for n in (allowed_networks or ())]


def address_refusal(address: str, *, allow_private: bool, allowed_networks=()) -> str | None:
    """Why a delivery may not go to this IP address, or None when it may."""
    addr = ipaddress.ip_address(address.split("%")[0])
    if addr.version == 6 and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(addr in net for net in _networks(allowed_networks)):
        return None
    if allow_private and not addr.is_multicast:
        return None
    if addr.is_multicast or addr.is_unspecified or not addr.is_global:
        return "Webhooks go to public internet addresses only, not to internal or local ones."
    return None


def _parse(url: str):
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
    return url, parts, port or (443 if parts.scheme == "https" else 80)


def resolve(url: str, *, allow_private: bool, allowed_networks=()) -> Target:
    """Resolve the URL's host once and check every address; the one the connection will use."""
    url, parts, port = _parse(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise InvalidInput(f"The host {parts.hostname} cannot be found.")
    if not infos:
        raise InvalidInput(f"The host {parts.hostname} cannot be found.")
    for info in infos:  # every address: a name answering public and private at once is refused
        refusal = address_refusal(info[4][0], allow_private=allow_private, allowed_networks=allowed_networks)
        if refusal:
            raise InvalidInput(refusal)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, parts.hostname, port, path, infos[0][4][0].split("%")[0])


def check_url(url: str, *, allow_private: bool, allowed_networks=()) -> str:
    """The URL if a delivery may go there; else InvalidInput saying why (no file:, gopher:, ...;
    no credentials in it; no internal addresses unless allowed)."""
    resolve(url, allow_private=allow_private, allowed_networks=allowed_networks)
    return url.strip()


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # the certificate is the URL's host's


@dataclass(frozen=True)
class Result:
    ok: bool
    status_code: int | None
    error: str
    duration_ms: int


def post(url: str, body: bytes, headers: dict, *, timeout: float, allow_private: bool, allowed_networks=()) -> Result:
    started = time.monotonic()
    try:
        target = resolve(url, allow_private=allow_private, allowed_networks=allowed_networks)
        conn = (_PinnedHTTPS if target.scheme == "https" else _PinnedHTTP)(target, timeout)
        try:
            conn.request("POST", target.path, body=body, headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers})
            resp = conn.getresponse()
            resp.read(MAX_ANSWER_BYTES)
            code = resp.status  # a 3xx is the answer (a failure), never followed to somewhere else
        finally:
            conn.close()
    except InvalidInput as exc:
        return Result(False, None, exc.message, _ms(started))
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return Result(False, None, f"{exc.__class__.__name__}: {exc}"[:500], _ms(started))
    return Result(200 <= code < 300, code, "" if 200 <= code < 300 else f"HTTP {code}", _ms(started))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
