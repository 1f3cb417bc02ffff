"""Every request the project sends to Stripe, checked against the official SDK's own parameter
types (the TypedDicts in `stripe.params`): each key must be one the SDK declares for that endpoint,
nested objects recursively, literal values among the declared ones, integers and booleans well
formed. The Stripe-shaped test server records every request; its fixture runs this on teardown."""
from __future__ import annotations

import re
import sys
import typing

import stripe.params as params
import stripe.params.checkout as checkout_params

ENDPOINTS = [
    ("POST", re.compile(r"^/v1/checkout/sessions$"), checkout_params.SessionCreateParams),
    ("POST", re.compile(r"^/v1/accounts$"), params.AccountCreateParams),
    ("POST", re.compile(r"^/v1/account_links$"), params.AccountLinkCreateParams),
    ("POST", re.compile(r"^/v1/transfers$"), params.TransferCreateParams),
    ("POST", re.compile(r"^/v1/refunds$"), params.RefundCreateParams),
    ("GET", re.compile(r"^/v1/transfers$"), params.TransferListParams),
    ("GET", re.compile(r"^/v1/refunds$"), params.RefundListParams),
    ("GET", re.compile(r"^/v1/events$"), params.EventListParams),
    ("GET", re.compile(r"^/v1/balance_transactions$"), params.BalanceTransactionListParams),
    ("GET", re.compile(r"^/v1/payment_intents/[^/]+$"), params.PaymentIntentRetrieveParams),
    ("GET", re.compile(r"^/v1/checkout/sessions/[^/]+/line_items$"), checkout_params.SessionLineItemListParams),
    ("GET", re.compile(r"^/v1/accounts/[^/]+$"), params.AccountRetrieveParams),
    ("GET", re.compile(r"^/v1/transfers/[^/]+$"), params.TransferRetrieveParams),
]


def _resolve(tp, module):
    if isinstance(tp, typing.ForwardRef):
        tp = tp.__forward_arg__
    if isinstance(tp, str):
        namespace = {**vars(typing), **vars(sys.modules[module])}
        try:
            return eval(tp, namespace)  # noqa: S307 - the SDK's own annotation strings
        except Exception:
            return typing.Any
    return tp


def _options(tp, module) -> list:
    """The alternatives an annotation allows, with NotRequired/Optional/Union unwrapped."""
    tp = _resolve(tp, module)
    origin = typing.get_origin(tp)
    if origin in (typing.NotRequired, typing.Required):
        return _options(typing.get_args(tp)[0], module)
    if origin is typing.Union or type(tp).__name__ == "UnionType":
        out = []
        for arg in typing.get_args(tp):
            out.extend(_options(arg, module))
        return out
    return [tp]


def _matches(value, tp, module, path: str) -> list[str]:
    problems = []
    options = _options(tp, module)
    if typing.Any in options or str in options:
        return []
    for option in options:
        origin = typing.get_origin(option)
        if isinstance(option, type) and issubclass(option, dict) and hasattr(option, "__annotations__") and isinstance(value, dict):
            return check(value, option, path)
        if origin is typing.Literal and isinstance(value, str) and value in typing.get_args(option):
            return []
        if origin in (list, typing.List) and isinstance(value, list):
            (item,) = typing.get_args(option) or (typing.Any,)
            return [p for i, v in enumerate(value) for p in _matches(v, item, module, f"{path}[{i}]")]
        if origin is dict and isinstance(value, dict):
            return []
        if option is int and isinstance(value, str) and re.fullmatch(r"-?\d+", value):
            return []
        if option is bool and value in ("true", "false"):
            return []
        if option is type(None) and value in ("", None):
            return []
    problems.append(f"{path}={value!r} is not allowed by the SDK ({options})")
    return problems


def check(sent: dict, typed, path: str = "") -> list[str]:
    """Problems with `sent` (form-decoded: every leaf a string) against the TypedDict `typed`."""
    annotations = {}
    for klass in reversed(typed.__mro__):
        annotations.update(getattr(klass, "__annotations__", {}))
    problems = []
    for key, value in sent.items():
        where = f"{path}.{key}" if path else key
        if key not in annotations:
            problems.append(f"{where}: not a parameter of {typed.__name__}")
            continue
        problems.extend(_matches(value, annotations[key], typed.__module__, where))
    return problems


def check_requests(requests: list[dict]) -> list[str]:
    problems = []
    for r in requests:
        typed = next((t for method, pattern, t in ENDPOINTS if method == r["method"] and pattern.match(r["path"])), None)
        if typed is None:
            problems.append(f"{r['method']} {r['path']}: no SDK parameter type to check it against")
            continue
        problems.extend(f"{r['method']} {r['path']}: {p}" for p in check(r.get("params") or {}, typed))
    return problems
