"""The API's busiest lists: the number of queries a request takes does not grow with the rows it
returns (no N+1), and the marketplace list's direct representation equals DRF's generic one."""
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework import serializers

from accounts.models import User
from generation.models import Brief, GenerationJob
from licensing.models import LicenceTerms, Likeness
from marketplace.api import ListingOutput
from marketplace.models import Offer
from marketplace.selectors import listing_list, listing_rows
from tests.factories import UserFactory, granted_licence, listed_likeness

pytestmark = pytest.mark.django_db


def _more_rows(n: int, brand, lead) -> None:
    """`n` more listed likenesses with two offers each, and `n` more briefs (with jobs) by `brand`
    on `lead`'s likeness (rows written directly: this is about reading them)."""
    owners = [UserFactory(kind=User.Kind.TALENT) for _ in range(n)]
    likes = Likeness.objects.bulk_create([Likeness(owner=o, name=f"T {uuid.uuid4().hex[:6]}", status="listed") for o in owners])
    terms = LicenceTerms.objects.create(channels=["web"], territories=["GB"], exclusivity_category="Soft drinks", revenue_share_bps=250)
    Offer.objects.bulk_create([Offer(likeness=lk, title=f"Offer {i}", terms=terms, price_minor=100 + i) for lk in likes for i in range(2)])
    briefs = Brief.objects.bulk_create([
        Brief(requester=brand, licence=lead, prompt=f"take {i}", seed=i, status="accepted", decision={"allowed": True}) for i in range(n)
    ])
    GenerationJob.objects.bulk_create([GenerationJob(brief=b, status="released", mark_id=10**9 + i + n * 1000) for i, b in enumerate(briefs)])


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, r.content[:200]
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_rows(api):
    brand = UserFactory(kind=User.Kind.BRAND)
    lead = granted_licence(licensee=brand)
    talent = lead.likeness.owner
    _more_rows(2, brand, lead)
    urls = {"listings": (reverse("api-listings"), brand), "briefs": (reverse("api-briefs"), brand), "uses": (reverse("api-uses"), talent)}
    small = {}
    for name, (url, user) in urls.items():
        api.force_login(user)
        small[name] = _count(api, url)
    _more_rows(25, brand, lead)
    for name, (url, user) in urls.items():
        api.force_login(user)
        assert _count(api, url) == small[name], name
    api.force_login(brand)
    assert len(api.get(reverse("api-briefs")).json()) == 27
    assert len(api.get(reverse("api-listings")).json()) == 28


def test_the_marketplace_list_says_what_the_generic_serializer_says():
    listed_likeness()
    brand = UserFactory(kind=User.Kind.BRAND)
    _more_rows(2, brand, granted_licence(licensee=brand))
    rows = list(listing_list())
    assert rows and any(list(r.offers.all()) for r in rows)
    generic = [_plain(serializers.Serializer.to_representation(ListingOutput(), r)) for r in rows]
    assert [dict(x) for x in ListingOutput(rows, many=True).data] == generic  # the direct path on model rows
    assert [dict(x) for x in ListingOutput(listing_rows(), many=True).data] == generic  # ... and on the API's rows


def _plain(value):
    """DRF's OrderedDicts and UUIDs as JSON would show them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, uuid.UUID) else value
