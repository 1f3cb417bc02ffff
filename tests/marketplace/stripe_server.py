"""A local HTTP server that speaks the parts of Stripe's API Rightscast uses, for the official SDK
to talk to in tests (never a patched SDK). It checks what Stripe checks (a bearer key, form
encoding, idempotency keys replaying the first answer) and answers in Stripe's shapes. Webhooks
are signed with Stripe's scheme: `t=<ts>,v1=HMAC-SHA256(secret, "<ts>.<payload>")`."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


def unflatten(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding (a[b][0][c]=v) back into nested dicts and lists."""
    root: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt = None if last else parts[i + 1]
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {} if not nxt.isdigit() else {})
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_lists(node[k]) for k in sorted(node, key=int)]
        return {k: _lists(v) for k, v in node.items()}
    return node


class FakeStripe:
    def __init__(self, api_key: str = "sk_test_rightscast"):
        self.api_key = api_key
        self.requests: list[dict] = []
        self.sessions: dict[str, dict] = {}
        self._idem: dict[str, tuple[int, bytes]] = {}
        self._lock = threading.Lock()
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body: bytes):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Request-Id", f"req_{uuid.uuid4().hex[:14]}")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _error(self, status: int, kind: str, message: str):
                self._send(status, json.dumps({"error": {"type": kind, "message": message}}).encode())

            def do_POST(self):
                if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                    return self._error(401, "invalid_request_error", "Invalid API Key provided.")
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                params = unflatten(parse_qsl(raw, keep_blank_values=True))
                key = self.headers.get("Idempotency-Key")
                with fake._lock:
                    fake.requests.append({"path": self.path, "params": params, "idempotency_key": key})
                    if key and key in fake._idem:
                        status, body = fake._idem[key]
                        return self._send(status, body)
                    if self.path == "/v1/checkout/sessions":
                        status, body = 200, json.dumps(fake._create_session(params)).encode()
                    else:
                        return self._error(404, "invalid_request_error", f"Unrecognized request URL (POST: {self.path}).")
                    if key:
                        fake._idem[key] = (status, body)
                self._send(status, body)

        return Handler

    def _create_session(self, params: dict) -> dict:
        for required in ("mode", "success_url", "line_items"):
            if required not in params:
                raise ValueError(f"missing {required}")
        items = params["line_items"]
        amount = sum(int(i["price_data"]["unit_amount"]) * int(i.get("quantity", 1)) for i in items)
        sid = f"cs_test_{uuid.uuid4().hex}"
        session = {
            "id": sid,
            "object": "checkout.session",
            "mode": params["mode"],
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": amount,
            "currency": items[0]["price_data"]["currency"],
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata", {}),
            "payment_intent": None,
            "success_url": params["success_url"],
            "cancel_url": params.get("cancel_url"),
            "url": f"{self.url}/c/pay/{sid}",
            "created": int(time.time()),
            "livemode": False,
        }
        self.sessions[sid] = session
        return session

    def completed_event(self, session_id: str) -> dict:
        session = dict(self.sessions[session_id], status="complete", payment_status="paid", payment_intent=f"pi_{uuid.uuid4().hex[:24]}")
        return {
            "id": f"evt_{uuid.uuid4().hex[:24]}",
            "object": "event",
            "api_version": "2024-06-20",
            "created": int(time.time()),
            "type": "checkout.session.completed",
            "livemode": False,
            "data": {"object": session},
        }


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    ts = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={ts},v1={mac}"
