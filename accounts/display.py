"""How values read on a page: money in the viewer's locale (Babel), and human names for the codes
the rights core stores (channels, territories, statuses). The viewer's locale is negotiated once per
request from Accept-Language (`ViewerLocaleMiddleware`) and read by the template filters."""
from __future__ import annotations

import contextvars

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision

DEFAULT_LOCALE = "en_GB"
# Locales we format money for; Accept-Language is negotiated against these (Babel knows them all).
SUPPORTED_LOCALES = ["en_GB", "en_US", "en_IE", "fr_FR", "de_DE", "es_ES", "it_IT", "nl_NL", "pt_PT", "pt_BR", "pl_PL", "sv_SE", "ja_JP"]

_viewer_locale: contextvars.ContextVar[str] = contextvars.ContextVar("viewer_locale", default=DEFAULT_LOCALE)

CHANNEL_NAMES = {
    "organic_social": "Organic social media",
    "paid_social": "Paid social media",
    "web": "Websites",
    "tv": "Television",
    "out_of_home": "Billboards and posters",
    "print": "Print",
}


def negotiate_locale(accept_language: str) -> str:
    """The best supported locale for an Accept-Language header ("fr-FR,fr;q=0.9,en;q=0.8")."""
    wanted = []
    for part in (accept_language or "").split(","):
        tag, _, q = part.strip().partition(";q=")
        if not tag or tag == "*":
            continue
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        wanted.append((weight, tag.replace("-", "_")))
    wanted.sort(key=lambda pair: -pair[0])
    found = Locale.negotiate([tag for _, tag in wanted], SUPPORTED_LOCALES, sep="_") if wanted else None
    return str(found) if found else DEFAULT_LOCALE


def viewer_locale() -> str:
    return _viewer_locale.get()


def set_viewer_locale(locale: str):
    return _viewer_locale.set(locale)


def money(amount_minor, currency: str, locale: str | None = None) -> str:
    """Integer minor units and an ISO currency as money in the viewer's locale: 25000, "gbp" →
    "£250.00" (en_GB), "250,00 £GB" (fr_FR). Never a float on the way."""
    from decimal import Decimal

    if amount_minor is None or amount_minor == "":
        return ""
    code = (currency or "").upper()
    if not code:
        return str(amount_minor)
    digits = get_currency_precision(code)
    value = Decimal(int(amount_minor)).scaleb(-digits)
    return format_currency(value, code, locale=locale or viewer_locale())


def percent(value, locale: str | None = None) -> str:
    """A rate in percent (Stripe Tax's `percentage`: 20.0, 7.5, or its string) in the viewer's locale,
    as precise as it was given and no more: 20.0 → "20%", 7.5 → "7.5%", de_DE "20 %", fr_FR "7,5 %".
    Decimal on the way (a float's repr, never its binary value); "" when there is no rate."""
    from decimal import Decimal, InvalidOperation

    from babel.numbers import format_percent

    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        rate = Decimal(str(value))
    except InvalidOperation:
        return ""
    if not rate.is_finite():
        return ""
    rate = rate.normalize()
    if rate == rate.to_integral():
        rate = rate.quantize(Decimal(1))
    return format_percent(rate.scaleb(-2), locale=locale or viewer_locale(), decimal_quantization=False)


def currency_symbol(currency: str, locale: str | None = None) -> str:
    from babel.numbers import get_currency_symbol

    return get_currency_symbol((currency or "").upper(), locale=locale or viewer_locale())


def channel_name(code: str) -> str:
    return CHANNEL_NAMES.get(code, (code or "").replace("_", " ").capitalize())


def territory_name(code: str, locale: str | None = None) -> str:
    """An ISO 3166 alpha-2 code as the country's name in the viewer's language; "" is worldwide."""
    if not code:
        return "Worldwide"
    try:
        return Locale.parse(locale or viewer_locale()).territories.get(code.upper(), code.upper())
    except (UnknownLocaleError, ValueError):
        return code.upper()


def territory_choices() -> list[tuple[str, str]]:
    names = Locale.parse(DEFAULT_LOCALE).territories
    return sorted(((code, name) for code, name in names.items() if len(code) == 2 and code.isalpha() and code not in {"ZZ", "XA", "XB", "EU", "EZ", "UN", "QO"}), key=lambda p: p[1])


class ViewerLocaleMiddleware:
    """Negotiate the viewer's locale from Accept-Language for the money filter (Django's own
    translation is left alone: the interface is written in English)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        locale = negotiate_locale(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        request.viewer_locale = locale
        token = set_viewer_locale(locale)
        try:
            return self.get_response(request)
        finally:
            _viewer_locale.reset(token)


def plain_reason(text: str) -> str:
    """A refusal as a person reads it: the screening's scores stay in the record, not on the page.
    'refused by the rule “no alcohol” (similarity 0.77 of "beer" to "alcohol")' becomes
    'refused by the rule “no alcohol” (“beer” reads as “alcohol”)'."""
    import re

    text = re.sub(r'([^():]+: )?similarity [0-9.]+ of "([^"]*)" to "([^"]*)"', r"“\2” reads as “\3”", text or "")
    text = re.sub(r"\s*\((\w*Error|\w*Exception)\)", "", text)
    return text
