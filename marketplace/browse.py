"""The marketplace's browse selector: listed talent and studio characters side by side, full-text
search (PostgreSQL's search when the database is PostgreSQL, a plain substring match on SQLite),
filters over their offers, sorting. Text and kind narrow in the database; offer terms (JSON lists
that SQLite cannot query) are matched in Python over the prefetched offers."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from licensing.models import IPAsset, Likeness

from .models import Offer

SORTS = {"relevance": "Best match", "name": "Name", "price_low": "Price: low to high", "price_high": "Price: high to low", "newest": "Newest"}


@dataclass
class Card:
    kind: str  # "talent" | "character" (any studio IP: character, world, brand asset)
    holding: object
    offers: list = field(default_factory=list)
    rank: float = 0.0

    @property
    def name(self) -> str:
        return self.holding.name

    @property
    def blurb(self) -> str:
        return getattr(self.holding, "bio", None) or getattr(self.holding, "description", "") or ""

    @property
    def cheapest(self):
        return min(self.offers, key=lambda o: o.price_minor) if self.offers else None

    @property
    def portrait(self):
        return getattr(self.holding, "portrait", None) if _has_portrait(self.holding) else None


def _has_portrait(holding) -> bool:
    try:
        return bool(holding.portrait.image)
    except Exception:  # RelatedObjectDoesNotExist: no portrait chosen
        return False


def _text(qs: QuerySet, q: str, fields: list[str]) -> QuerySet:
    if not q:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*fields, config="english")
        query = SearchQuery(q, search_type="websearch", config="english")
        return qs.annotate(search_rank=SearchRank(vector, query)).filter(Q(search_rank__gt=0) | Q(name__icontains=q))
    cond = Q()
    for word in q.split()[:8]:
        cond &= Q(**{f"{fields[0]}__icontains": word}) | Q(**{f"{fields[1]}__icontains": word})
    return qs.filter(cond)


def _offer_matches(o: Offer, f: dict) -> bool:
    if f.get("min_price") is not None and o.price_minor < f["min_price"]:
        return False
    if f.get("max_price") is not None and o.price_minor > f["max_price"]:
        return False
    if f.get("channel") and o.terms.channels and f["channel"] not in o.terms.channels:
        return False
    if f.get("territory") and o.terms.territories and f["territory"] not in o.terms.territories:
        return False
    if f.get("remix") and o.terms.derivatives == "none":
        return False
    return True


def browse(*, q: str = "", kind: str = "", min_price: int | None = None, max_price: int | None = None, channel: str = "",
           territory: str = "", remix: bool = False, available: bool = False, sort: str = "relevance") -> list[Card]:
    filters = {"min_price": min_price, "max_price": max_price, "channel": channel, "territory": territory, "remix": remix}
    needs_offer = any(v for v in filters.values()) or available
    cards: list[Card] = []
    if kind in ("", "talent"):
        likenesses = _text(
            Likeness.objects.filter(status=Likeness.Status.LISTED).select_related("owner", "portrait").prefetch_related(
                Prefetch("offers", queryset=Offer.objects.filter(is_active=True).select_related("terms").order_by("price_minor"))
            ),
            q, ["name", "bio"],
        )
        for lk in likenesses:
            offers = [o for o in lk.offers.all() if _offer_matches(o, filters)]
            if needs_offer and not offers:
                continue
            cards.append(Card("talent", lk, offers, getattr(lk, "search_rank", 0.0) or 0.0))
    if kind in ("", "character"):
        assets = _text(IPAsset.objects.filter(status=IPAsset.Status.LISTED).select_related("studio", "portrait"), q, ["name", "description"])
        for a in assets:
            offers = _asset_offers(a)
            offers = [o for o in offers if _offer_matches(o, filters)]
            if needs_offer and not offers and (any(v for v in filters.values())):
                continue
            cards.append(Card("character", a, offers, getattr(a, "search_rank", 0.0) or 0.0))
    return _sorted(cards, sort, bool(q))


def _asset_offers(asset) -> list:
    """Offers on studio IP, where the money side has them (sold through Checkout); studios also
    grant character licences directly."""
    related = getattr(asset, "offers", None)
    if related is None:
        return []
    return [o for o in related.all() if getattr(o, "is_active", True)]


def _sorted(cards: list[Card], sort: str, searching: bool) -> list[Card]:
    big = 10**15
    if sort == "price_low":
        return sorted(cards, key=lambda c: (c.cheapest.price_minor if c.cheapest else big, c.name.lower()))
    if sort == "price_high":
        return sorted(cards, key=lambda c: (-(c.cheapest.price_minor if c.cheapest else -1), c.name.lower()))
    if sort == "newest":
        return sorted(cards, key=lambda c: c.holding.created_at, reverse=True)
    if sort == "relevance" and searching:
        return sorted(cards, key=lambda c: (-c.rank, c.name.lower()))
    return sorted(cards, key=lambda c: c.name.lower())
