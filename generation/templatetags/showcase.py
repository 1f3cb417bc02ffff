"""`{% showcase holding %}`: the outputs a rights holder chose to show, for the marketplace's
listing page (a template reaches generation by name, so marketplace code never imports it)."""
from django import template

from ..showcase import showcase_for

register = template.Library()


@register.inclusion_tag("generation/_showcase.html")
def showcase(holding):
    return {"items": showcase_for(holding=holding), "holding": holding}
