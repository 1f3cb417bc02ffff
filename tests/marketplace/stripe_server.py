"""A local HTTP server that speaks the parts of Stripe's API Rightscast uses, for the official SDK
to talk to in tests (never a patched SDK). It checks what Stripe checks (a bearer key, form
encoding, required and unknown parameters, idempotency keys replaying the first answer and refusing
reuse with other parameters, the balance covering a transfer) and answers in Stripe's shapes.
Webhooks are signed with Stripe's scheme: `t=<ts>,v1=HMAC-SHA256(secret, "<ts>.<payload>")`.

Endpoints: POST /v1/checkout/sessions, GET /v1/checkout/sessions/:id/line_items (`taxes` only
when expanded, as Stripe includes it), GET /v1/payment_intents/:id, POST /v1/accounts,
GET /v1/accounts/:id, POST /v1/account_links, POST /v1/transfers, GET /v1/transfers(/:id),
POST /v1/refunds, GET /v1/refunds, GET /v1/events, GET /v1/balance_transactions.

What happens on Stripe's side (a customer paying, onboarding finishing, a dispute, a reversal in
the dashboard) is simulated by methods that change the state, record balance transactions and
return the event Stripe would send (also listed by GET /v1/events)."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

FEE_BPS = 150  # the processing fee recorded on charge balance transactions (informational)
FX_FEE_BPS = 200  # Stripe's currency conversion fee on a charge settled in another currency


def unflatten(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding (a[b][0][c]=v) back into nested dicts and lists."""
    root: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = root
        for i, part in enumerate(parts):
            if i == len(parts) - 1:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_lists(node[k]) for k in sorted(node, key=int)]
        return {k: _lists(v) for k, v in node.items()}
    return node


class StripeError(Exception):
    def __init__(self, status: int, message: str, *, kind: str = "invalid_request_error", code: str | None = None, param: str | None = None):
        super().__init__(message)
        self.status, self.message, self.kind, self.code, self.param = status, message, kind, code, param

    def body(self) -> bytes:
        err = {"type": self.kind, "message": self.message}
        if self.code:
            err["code"] = self.code
        if self.param:
            err["param"] = self.param
        return json.dumps({"error": err}).encode()


def _new(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:24]}"


def _check(params: dict, *, required: set, allowed: set) -> None:
    for name in required:
        if name not in params or params[name] in ("", None):
            raise StripeError(400, f"Missing required param: {name}.", code="parameter_missing", param=name)
    for name in params:
        if name not in allowed | required:
            raise StripeError(400, f"Received unknown parameter: {name}", code="parameter_unknown", param=name)


def _amount(params: dict, name: str = "amount", *, required: bool = True) -> int | None:
    if name not in params:
        if required:
            raise StripeError(400, f"Missing required param: {name}.", code="parameter_missing", param=name)
        return None
    try:
        value = int(params[name])
    except (TypeError, ValueError):
        raise StripeError(400, f"Invalid integer: {params[name]}", code="parameter_invalid_integer", param=name)
    if value <= 0:
        raise StripeError(400, "This value must be greater than or equal to 1.", code="parameter_invalid_integer", param=name)
    return value


class FakeStripe:
    def __init__(self, api_key: str = "sk_test_rightscast"):
        self.api_key = api_key
        self.requests: list[dict] = []
        self.sessions: dict[str, dict] = {}
        self.payment_intents: dict[str, dict] = {}
        self.charges: dict[str, dict] = {}
        self.accounts: dict[str, dict] = {}
        self.account_links: list[dict] = []
        self.transfers: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.disputes: dict[str, dict] = {}
        self.events: list[dict] = []
        self.balance_transactions: list[dict] = []
        self.available: dict[str, int] = {}
        # The account's settlement currency (None: every currency is settled as it is). A charge or
        # refund in another currency is converted at `fx_rates[currency]` (settlement units per
        # unit) and its balance transaction carries `exchange_rate`, in the settlement currency.
        self.settlement_currency: str | None = None
        self.fx_rates: dict[str, str] = {}
        # The buyer as Checkout collects them, and Stripe Tax's rate (None: no tax computed).
        self.customer: dict = {"name": "Ada Buyer", "email": "ada@example.com", "tax_ids": [],
                               "address": {"line1": "1 Market St", "city": "London", "postal_code": "N1 1AA", "country": "GB"}}
        self.tax_bps: int | None = None
        self.refund_status = "succeeded"  # what new refunds report
        # GET paths whose query parameters the server refuses (as an older API version or a proxy
        # might): {path: {param, ...}} answered with a 400 invalid_request_error naming the param.
        self.refuse_params: dict[str, set] = {}
        # Hold the response to the n-th transfer create (after Stripe has made the transfer): the
        # test then kills the client. `transfer_held` is set when it happens.
        self.hold_transfer_number: int | None = None
        self.transfer_held = threading.Event()
        self.release_held = threading.Event()
        self.transfer_creates = 0
        self.transfer_delay = 0.0  # seconds before answering a transfer (to make concurrent runs overlap)
        self._idem: dict[str, tuple[str, int, bytes]] = {}
        self._lock = threading.RLock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, client_address: None  # a client killed mid-answer is expected
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release_held.set()
        self.server.shutdown()
        self.server.server_close()

    # --- HTTP ---------------------------------------------------------------------------------------

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body: bytes):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Request-Id", f"req_{uuid.uuid4().hex[:14]}")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                    self._send(401, StripeError(401, "Invalid API Key provided.").body())
                    return False
                return True

            def do_GET(self):
                if not self._authorised():
                    return
                url = urlsplit(self.path)
                params = unflatten(parse_qsl(url.query, keep_blank_values=True))
                with fake._lock:
                    fake.requests.append({"method": "GET", "path": url.path, "params": params, "idempotency_key": None})
                    try:
                        body = json.dumps(fake._get(url.path, params)).encode()
                        status = 200
                    except StripeError as exc:
                        status, body = exc.status, exc.body()
                self._send(status, body)

            def do_POST(self):
                if not self._authorised():
                    return
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                params = unflatten(parse_qsl(raw, keep_blank_values=True))
                key = self.headers.get("Idempotency-Key")
                hold = False
                with fake._lock:
                    fake.requests.append({"method": "POST", "path": self.path, "params": params, "idempotency_key": key})
                    digest = hashlib.sha256(f"{self.path}?{raw}".encode()).hexdigest()
                    if key and key in fake._idem:
                        first_digest, status, body = fake._idem[key]
                        if first_digest != digest:
                            status, body = 400, StripeError(
                                400, "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                                kind="idempotency_error",
                            ).body()
                    else:
                        try:
                            body = json.dumps(fake._post(self.path, params)).encode()
                            status = 200
                        except StripeError as exc:
                            status, body = exc.status, exc.body()
                        if key and status < 500:
                            fake._idem[key] = (digest, status, body)
                        if self.path == "/v1/transfers" and status == 200:
                            fake.transfer_creates += 1
                            hold = fake.hold_transfer_number == fake.transfer_creates
                if hold:
                    fake.transfer_held.set()
                    fake.release_held.wait(120)
                if self.path == "/v1/transfers" and fake.transfer_delay:
                    time.sleep(fake.transfer_delay)
                self._send(status, body)

        return Handler

    def _post(self, path: str, params: dict) -> dict:
        if path == "/v1/checkout/sessions":
            return self._create_session(params)
        if path == "/v1/accounts":
            return self._create_account(params)
        if path == "/v1/account_links":
            return self._create_account_link(params)
        if path == "/v1/transfers":
            return self._create_transfer(params)
        if path == "/v1/refunds":
            return self._create_refund(params)
        raise StripeError(404, f"Unrecognized request URL (POST: {path}).")

    def _get(self, path: str, params: dict) -> dict:
        for name in self.refuse_params.get(path, ()):
            if name in params:
                raise StripeError(400, f"Received unknown parameter: {name}", param=name)
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[1] == "payment_intents":
            return self._find(self.payment_intents, parts[2], "payment_intent")
        if len(parts) == 3 and parts[1] == "accounts":
            return self._find(self.accounts, parts[2], "account")
        if len(parts) == 3 and parts[1] == "transfers":
            return self._find(self.transfers, parts[2], "transfer")
        if path == "/v1/transfers":
            rows = [t for t in self.transfers.values() if not params.get("transfer_group") or t["transfer_group"] == params["transfer_group"]]
            return self._list(path, rows, params)
        if path == "/v1/refunds":
            rows = [r for r in self.refunds.values() if not params.get("payment_intent") or r["payment_intent"] == params["payment_intent"]]
            return self._list(path, rows, params)
        if len(parts) == 5 and parts[1:3] == ["checkout", "sessions"] and parts[4] == "line_items":
            _check(params, required=set(), allowed={"limit", "starting_after", "ending_before", "expand"})
            session = self._find(self.sessions, parts[3], "checkout.session")
            expand = params.get("expand") or []
            for name in expand:
                if name not in ("data.taxes", "data.discounts", "data.price.product"):
                    raise StripeError(400, f"This property cannot be expanded ({name}).", param="expand")
            # `taxes` is includable: Stripe leaves it out unless expanded
            rows = [{**{k: v for k, v in li.items() if not k.startswith("_")}, **({"taxes": li["_taxes"]} if "data.taxes" in expand else {})}
                    for li in session["_line_items"]]
            return self._list(path, rows, params, newest_first=False)
        if path == "/v1/events":
            return self._list(path, self.events, params)
        if path == "/v1/balance_transactions":
            return self._list(path, self.balance_transactions, params)
        raise StripeError(404, f"Unrecognized request URL (GET: {path}).")

    @staticmethod
    def _find(table: dict, object_id: str, kind: str) -> dict:
        if object_id not in table:
            raise StripeError(404, f"No such {kind}: '{object_id}'", code="resource_missing", param="id")
        return table[object_id]

    @staticmethod
    def _list(url: str, rows: list[dict], params: dict, *, newest_first: bool = True) -> dict:
        created = params.get("created") or {}
        if isinstance(created, dict) and "gte" in created:
            rows = [r for r in rows if r["created"] >= int(created["gte"])]
        if newest_first:  # as Stripe lists objects; a session's line items come in the order they were given
            rows = list(reversed(rows))
        if params.get("starting_after"):
            ids = [r["id"] for r in rows]
            if params["starting_after"] not in ids:
                raise StripeError(400, "starting_after is not an object in this list.", param="starting_after")
            rows = rows[ids.index(params["starting_after"]) + 1:]
        limit = int(params.get("limit") or 10)
        if not 1 <= limit <= 100:
            raise StripeError(400, "Invalid limit: must be between 1 and 100", param="limit")
        return {"object": "list", "url": url, "has_more": len(rows) > limit, "data": rows[:limit]}

    # --- objects ------------------------------------------------------------------------------------

    def _bt(self, *, amount: int, currency: str, kind: str, source: str, fee: int = 0, fx_fee_bps: int = 0) -> dict:
        """A balance transaction: converted into the settlement currency when there is one (the
        rate rounds half up to the minor unit), with a conversion fee of `fx_fee_bps` of the
        converted amount beside `fee` (which is then computed on the converted amount too)."""
        from decimal import ROUND_HALF_UP, Decimal

        exchange_rate = None
        details = [{"amount": fee, "currency": currency, "type": "stripe_fee",
                    "description": "Dispute fee" if kind == "adjustment" else "Stripe processing fees"}] if fee else []
        if self.settlement_currency and currency != self.settlement_currency:
            rate = Decimal(self.fx_rates[currency])
            converted = int((Decimal(amount) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            fee = converted * FEE_BPS // 10_000 if fee else 0
            fx_fee = abs(converted) * fx_fee_bps // 10_000
            currency, amount, exchange_rate = self.settlement_currency, converted, float(rate)
            details = [d for d in ({"amount": fee, "currency": currency, "type": "stripe_fee", "description": "Stripe processing fees"},
                                   {"amount": fx_fee, "currency": currency, "type": "stripe_fee", "description": "Currency conversion fee"})
                       if d["amount"]]
            fee += fx_fee
        bt = {
            "id": _new("txn"), "object": "balance_transaction", "amount": amount, "currency": currency, "fee": fee,
            "net": amount - fee, "type": kind, "source": source, "status": "available", "created": int(time.time()),
            "exchange_rate": exchange_rate, "fee_details": details,
        }
        self.balance_transactions.append(bt)
        self.available[currency] = self.available.get(currency, 0) + amount - fee
        return bt

    def _event(self, kind: str, obj: dict, previous: dict | None = None) -> dict:
        event = {
            "id": _new("evt"), "object": "event", "api_version": "2026-10-28.endive", "created": int(time.time()),
            "type": kind, "livemode": False, "pending_webhooks": 1,
            "data": {"object": json.loads(json.dumps(obj))},
        }
        if previous:
            event["data"]["previous_attributes"] = previous
        self.events.append(event)
        return event

    def _create_session(self, params: dict) -> dict:
        _check(params, required={"mode", "success_url", "line_items"},
               allowed={"client_reference_id", "metadata", "payment_intent_data", "cancel_url", "automatic_tax",
                        "billing_address_collection", "tax_id_collection"})
        for flag in ("automatic_tax", "tax_id_collection"):
            if flag in params:
                _check(params[flag], required={"enabled"}, allowed=set())
                if params[flag]["enabled"] not in ("true", "false"):
                    raise StripeError(400, f"Invalid boolean: {flag}[enabled]", param=f"{flag}[enabled]")
        if params.get("billing_address_collection", "auto") not in ("auto", "required"):
            raise StripeError(400, "Invalid billing_address_collection", param="billing_address_collection")
        intent = params.get("payment_intent_data") or {}
        _check(intent, required=set(), allowed={"transfer_group", "metadata"})
        items = params["line_items"]
        if not isinstance(items, list) or not items:
            raise StripeError(400, "line_items must be a non-empty list.", param="line_items")
        taxed = bool(self.tax_bps) and (params.get("automatic_tax") or {}).get("enabled") == "true"
        rate = {"id": _new("txr"), "object": "tax_rate", "display_name": "VAT", "percentage": (self.tax_bps or 0) / 100,
                "country": self.customer["address"]["country"], "jurisdiction": self.customer["address"]["country"], "inclusive": False}
        line_items = []
        for item in items:
            _check(item, required={"price_data"}, allowed={"quantity", "metadata"})
            price = item["price_data"]
            _check(price, required={"currency", "unit_amount", "product_data"}, allowed=set())
            _check(price["product_data"], required={"name"}, allowed=set())
            quantity = int(item.get("quantity", 1))
            subtotal = _amount(price, "unit_amount") * quantity
            # Stripe Tax, where asked for and set up here (`tax_bps`): tax added on top of each
            # line's price (rounded down per line), computed from the buyer's address (`customer`);
            # the session's total tax is the sum of its lines'.
            tax = subtotal * self.tax_bps // 10_000 if taxed else 0
            line_items.append({
                "id": _new("li"), "object": "item", "amount_discount": 0, "amount_subtotal": subtotal, "amount_tax": tax,
                "amount_total": subtotal + tax, "currency": price["currency"], "description": price["product_data"]["name"],
                "metadata": item.get("metadata") or {}, "quantity": quantity,
                "price": {"id": _new("price"), "object": "price", "currency": price["currency"], "unit_amount": int(price["unit_amount"]),
                          "product": _new("prod"), "type": "one_time", "tax_behavior": "unspecified"},
                "_taxes": [{"amount": tax, "rate": rate, "taxability_reason": "standard_rated", "taxable_amount": subtotal}] if tax else [],
            })
        amount = sum(li["amount_subtotal"] for li in line_items)
        tax = sum(li["amount_tax"] for li in line_items)
        sid = _new("cs_test")
        breakdown = [{"amount": tax, "rate": rate, "taxability_reason": "standard_rated", "taxable_amount": amount}] if tax else []
        session = {
            "id": sid, "object": "checkout.session", "mode": params["mode"], "status": "open", "payment_status": "unpaid",
            "amount_subtotal": amount, "amount_total": amount + tax, "total_details": {"amount_tax": tax, "breakdown": {"taxes": breakdown}},
            "customer_details": None, "currency": items[0]["price_data"]["currency"],
            "client_reference_id": params.get("client_reference_id"), "metadata": params.get("metadata", {}),
            "payment_intent": None, "success_url": params["success_url"], "cancel_url": params.get("cancel_url"),
            "url": f"{self.url}/c/pay/{sid}", "created": int(time.time()), "livemode": False,
            "_intent": intent, "_line_items": line_items,
        }
        self.sessions[sid] = session
        return {k: v for k, v in session.items() if not k.startswith("_")}

    def _create_account(self, params: dict) -> dict:
        _check(params, required={"type"}, allowed={"country", "email", "capabilities", "metadata"})
        if params["type"] != "express":
            raise StripeError(400, "Only Express accounts in this test server.", param="type")
        acct = {
            "id": _new("acct"), "object": "account", "type": "express", "country": params.get("country", "GB"),
            "email": params.get("email"), "details_submitted": False, "charges_enabled": False, "payouts_enabled": False,
            "capabilities": {name: "inactive" for name in (params.get("capabilities") or {})},
            "requirements": {"currently_due": ["external_account", "tos_acceptance.date"], "disabled_reason": "requirements.past_due"},
            "metadata": params.get("metadata", {}), "created": int(time.time()),
        }
        self.accounts[acct["id"]] = acct
        return acct

    def _create_account_link(self, params: dict) -> dict:
        _check(params, required={"account", "refresh_url", "return_url", "type"}, allowed={"collect"})
        if params["type"] not in ("account_onboarding", "account_update"):
            raise StripeError(400, "Invalid type.", param="type")
        self._find(self.accounts, params["account"], "account")
        link = {"object": "account_link", "created": int(time.time()), "expires_at": int(time.time()) + 300,
                "url": f"{self.url}/setup/e/{params['account']}/{uuid.uuid4().hex[:12]}"}
        self.account_links.append({**link, "account": params["account"], "return_url": params["return_url"]})
        return link

    def _create_transfer(self, params: dict) -> dict:
        _check(params, required={"amount", "currency", "destination"},
               allowed={"transfer_group", "metadata", "source_transaction", "description"})
        amount = _amount(params)
        currency = params["currency"]
        acct = self.accounts.get(params["destination"])
        if acct is None:
            raise StripeError(400, f"No such destination: '{params['destination']}'", code="resource_missing", param="destination")
        if acct["capabilities"].get("transfers") != "active":
            raise StripeError(400, "Your destination account needs to have at least one of the following capabilities enabled: "
                              "transfers, crypto_transfers, legacy_payments", code="insufficient_capabilities_for_transfer")
        source = params.get("source_transaction")
        if source:
            charge = self.charges.get(source)
            if charge is None:
                raise StripeError(400, f"No such charge: '{source}'", code="resource_missing", param="source_transaction")
            if charge["currency"] != currency:
                raise StripeError(400, "The currency of source_transaction's balance transaction must match the transfer currency.",
                                  param="currency")
            used = sum(t["amount"] for t in self.transfers.values() if t.get("source_transaction") == source)
            if used + amount > charge["amount"]:
                raise StripeError(400, "Transfers using this transaction as a source must not exceed the source amount of "
                                  f"{charge['amount']}.", param="amount")
        elif self.available.get(currency, 0) < amount:
            raise StripeError(400, "You have insufficient available funds in your Stripe account.", code="balance_insufficient")
        tr = {
            "id": _new("tr"), "object": "transfer", "amount": amount, "amount_reversed": 0, "currency": currency,
            "destination": params["destination"], "transfer_group": params.get("transfer_group"),
            "metadata": params.get("metadata", {}), "reversed": False, "created": int(time.time()),
            "reversals": {"object": "list", "data": [], "has_more": False, "url": ""}, "source_transaction": source or None,
        }
        tr["reversals"]["url"] = f"/v1/transfers/{tr['id']}/reversals"
        self.transfers[tr["id"]] = tr
        self._bt(amount=-amount, currency=currency, kind="transfer", source=tr["id"])
        self._event("transfer.created", tr)
        return tr

    def _create_refund(self, params: dict) -> dict:
        _check(params, required=set(), allowed={"payment_intent", "charge", "amount", "metadata", "reason"})
        pi = self.payment_intents.get(params.get("payment_intent") or "")
        if pi is None:
            raise StripeError(400, f"No such payment_intent: '{params.get('payment_intent')}'", code="resource_missing", param="payment_intent")
        charge = self.charges[pi["latest_charge"]]
        left = charge["amount"] - charge["amount_refunded"]
        amount = _amount(params, required=False) or left
        if amount > left:
            raise StripeError(400, f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                              code="amount_too_large", param="amount")
        return self._refund(charge, amount, params.get("metadata") or {}, self.refund_status)

    def _refund(self, charge: dict, amount: int, metadata: dict, status: str) -> dict:
        refund = {
            "id": _new("re"), "object": "refund", "amount": amount, "currency": charge["currency"], "charge": charge["id"],
            "payment_intent": charge["payment_intent"], "metadata": metadata, "status": status, "created": int(time.time()),
        }
        self.refunds[refund["id"]] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        if status == "succeeded":
            self._bt(amount=-amount, currency=charge["currency"], kind="refund", source=refund["id"])
        self._event("refund.created", refund)
        self._event("charge.refunded", charge)
        return refund

    # --- what happens on Stripe's side ---------------------------------------------------------------

    def complete_session(self, session_id: str) -> dict:
        """The customer pays: a payment intent and a charge (its balance transaction), and the
        checkout.session.completed event."""
        with self._lock:
            session = self.sessions[session_id]
            if session["payment_intent"]:
                return next(e for e in self.events if e["type"] == "checkout.session.completed" and e["data"]["object"]["id"] == session_id)
            intent = session["_intent"]
            pi_id, ch_id = _new("pi"), _new("ch")
            amount, currency = session["amount_total"], session["currency"]
            self.charges[ch_id] = {
                "id": ch_id, "object": "charge", "amount": amount, "amount_refunded": 0, "currency": currency, "paid": True,
                "refunded": False, "payment_intent": pi_id, "transfer_group": intent.get("transfer_group"),
                "metadata": intent.get("metadata", {}), "status": "succeeded", "created": int(time.time()),
            }
            self.payment_intents[pi_id] = {
                "id": pi_id, "object": "payment_intent", "amount": amount, "amount_received": amount, "currency": currency,
                "status": "succeeded", "latest_charge": ch_id, "transfer_group": intent.get("transfer_group"),
                "metadata": intent.get("metadata", {}), "created": int(time.time()),
            }
            self._bt(amount=amount, currency=currency, kind="charge", source=ch_id, fee=amount * FEE_BPS // 10_000, fx_fee_bps=FX_FEE_BPS)
            session.update(status="complete", payment_status="paid", payment_intent=pi_id, customer_details=dict(self.customer))
            self._event("charge.succeeded", self.charges[ch_id])
            return self._event("checkout.session.completed", {k: v for k, v in session.items() if not k.startswith("_")})

    completed_event = complete_session

    def expire_session(self, session_id: str) -> dict:
        with self._lock:
            session = self.sessions[session_id]
            session.update(status="expired")
            return self._event("checkout.session.expired", {k: v for k, v in session.items() if not k.startswith("_")})

    def onboard(self, account_id: str, *, ready: bool = True) -> dict:
        """The payee finishes (or loses) onboarding: the account changes and account.updated is sent."""
        with self._lock:
            acct = self.accounts[account_id]
            acct.update(details_submitted=ready, charges_enabled=ready, payouts_enabled=ready)
            acct["capabilities"]["transfers"] = "active" if ready else "inactive"
            acct["requirements"] = {"currently_due": [] if ready else ["external_account"], "disabled_reason": None if ready else "requirements.past_due"}
            event = self._event("account.updated", acct)
            event["account"] = account_id  # a Connect event: it happened on the connected account
            return event

    def refund_from_dashboard(self, payment_intent_id: str, amount: int) -> list[dict]:
        with self._lock:
            charge = self.charges[self.payment_intents[payment_intent_id]["latest_charge"]]
            before = len(self.events)
            self._refund(charge, amount, {}, "succeeded")
            return self.events[before:]

    def fail_refund(self, refund_id: str) -> dict:
        with self._lock:
            refund = self.refunds[refund_id]
            if refund["status"] == "succeeded":
                self._bt(amount=refund["amount"], currency=refund["currency"], kind="refund_failure", source=refund_id)
            if refund["status"] != "failed":  # the money is back on the charge: it can be refunded again
                charge = self.charges[refund["charge"]]
                charge["amount_refunded"] -= refund["amount"]
                charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
            refund["status"] = "failed"
            return self._event("refund.failed", refund)

    def dispute(self, charge_id: str, *, amount: int | None = None, reason: str = "fraudulent") -> dict:
        with self._lock:
            charge = self.charges[charge_id]
            amount = amount or charge["amount"]
            du = {
                "id": _new("du"), "object": "dispute", "amount": amount, "currency": charge["currency"], "charge": charge_id,
                "payment_intent": charge["payment_intent"], "reason": reason, "status": "needs_response", "created": int(time.time()),
            }
            self.disputes[du["id"]] = du
            self._bt(amount=-amount, currency=charge["currency"], kind="adjustment", source=du["id"], fee=1500)
            return self._event("charge.dispute.created", du)

    def close_dispute(self, dispute_id: str, *, won: bool, fee_refund: int = 0) -> dict:
        """`fee_refund`: the dispute fee Stripe gives back with a won dispute (a negative fee)."""
        with self._lock:
            du = self.disputes[dispute_id]
            du["status"] = "won" if won else "lost"
            if won:
                self._bt(amount=du["amount"], currency=du["currency"], kind="adjustment", source=dispute_id, fee=-fee_refund)
            return self._event("charge.dispute.closed", du)

    def reverse_transfer(self, transfer_id: str, amount: int) -> dict:
        with self._lock:
            tr = self.transfers[transfer_id]
            rev = {"id": _new("trr"), "object": "transfer_reversal", "amount": amount, "currency": tr["currency"],
                   "transfer": transfer_id, "created": int(time.time())}
            tr["reversals"]["data"].append(rev)
            tr["amount_reversed"] += amount
            tr["reversed"] = tr["amount_reversed"] >= tr["amount"]
            self._bt(amount=amount, currency=tr["currency"], kind="transfer_refund", source=rev["id"])
            return self._event("transfer.reversed", tr)

    def transfers_to(self, account_id: str) -> list[dict]:
        return [t for t in self.transfers.values() if t["destination"] == account_id]

    def posts(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST" and r["path"] == path]


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    ts = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={ts},v1={mac}"
