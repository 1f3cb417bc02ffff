"""The marketplace in a visitor's terms: signed out, talent and characters side by side, search,
filters, sort, pages, and the portrait the holder chose (never a private reference photo)."""
import pytest

from tests.factories import face_png, listed_likeness, studio_with_asset, upload

pytestmark = pytest.mark.django_db


def test_browse_signed_out_with_search_filters_sort_and_pages(client):
    cheap, _ = listed_likeness(name="Ava Stone", price_minor=5_000)
    dear, _ = listed_likeness(name="Bo Marsh", price_minor=90_000)
    asset, _ = studio_with_asset(name="Captain Comet")
    r = client.get("/market/")
    body = r.content.decode()
    assert r.status_code == 200 and "Ava Stone" in body and "Bo Marsh" in body and "Captain Comet" in body
    assert "From <strong>£50.00</strong>" in body
    assert "Bo Marsh" not in client.get("/market/?q=ava").content.decode()
    body = client.get("/market/?kind=character").content.decode()
    assert "Captain Comet" in body and "Ava Stone" not in body
    body = client.get("/market/?max_price=100").content.decode()
    assert "Ava Stone" in body and "Bo Marsh" not in body
    body = client.get("/market/?sort=price_high").content.decode()
    assert body.index("Bo Marsh") < body.index("Ava Stone")
    r = client.get("/market/?min_price=abc")
    assert r.status_code == 400 and "Enter an amount like 250" in r.content.decode()
    for i in range(12):
        listed_likeness(name=f"Extra {i:02d}")
    body = client.get("/market/?sort=name").content.decode()
    assert "Page 1 of 2" in body and "page=2" in body
    assert "Page 2 of 2" in client.get("/market/?sort=name&page=2").content.decode()
    assert client.get(f"/market/{cheap.pk}/").status_code == 200
    assert client.get(f"/market/ip/{asset.pk}/").status_code == 200


def test_the_holder_chooses_a_public_portrait(client):
    likeness, _ = listed_likeness(name="Ava Stone")
    client.force_login(likeness.owner)
    url = f"/listing/likeness/{likeness.pk}/portrait/"
    r = client.post(url, {"image": upload("notes.png", b"not an image")})
    assert r.status_code == 400 and "not a readable image" in r.content.decode()
    r = client.post(url, {"image": upload("me.png", face_png()), "alt_text": "Ava smiling"})
    assert r.status_code == 302
    client.logout()
    body = client.get("/market/").content.decode()
    portrait = likeness.portrait
    assert f"/market/portraits/{portrait.pk}/" in body and "/references/" not in body
    r = client.get(f"/market/portraits/{portrait.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.post(url, {"image": upload("me.png", face_png())}).status_code == 404


def test_earnings_chart_by_month(client):
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    from tests.factories import UserFactory
    from tests.marketplace.money import buy

    likeness, offer = listed_likeness(price_minor=25_000)
    then = timezone.now() - timedelta(days=62)
    with mock.patch("django.utils.timezone.now", return_value=then):
        buy(UserFactory(), offer)
    buy(UserFactory(), offer)
    client.force_login(likeness.owner)
    body = client.get("/talent/earnings/").content.decode()
    svg = body[body.index("<svg"):body.index("</svg>")]
    assert svg.count("<rect") == 2 and "£200.00" in svg and then.strftime("%b %Y") in svg
