"""Template filters for how values read on a page: `{{ offer.price_minor|money:offer.currency }}`,
`{{ code|channel_name }}`, `{{ code|territory_name }}`, `{{ rate|percent }}` (a tax rate in percent).
Money and rates are never formatted inline."""
from django import template

from accounts import display

register = template.Library()


@register.filter
def money(amount_minor, currency):
    return display.money(amount_minor, currency)


@register.filter
def percent(value):
    return display.percent(value)


@register.filter
def negate(value):
    return -int(value or 0)


@register.filter
def channel_name(code):
    return display.channel_name(code)


@register.filter
def channel_names(codes):
    return ", ".join(display.channel_name(c) for c in codes or []) or "Every channel"


@register.filter
def territory_name(code):
    return display.territory_name(code)


@register.filter
def territory_names(codes):
    return ", ".join(display.territory_name(c) for c in codes or []) or "Worldwide"


@register.filter
def plain_reason(text):
    return display.plain_reason(text)
