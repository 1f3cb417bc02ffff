"""Campaigns: many talents under a ceiling and a budget, paid in one (offline) checkout, one
brief with a {talent} placeholder, one job (or N variants) per talent under each one's terms."""
import pytest

from accounts.models import User
from campaigns.models import CampaignTalent
from generation.models import Brief, GenerationJob
from licensing import services as licensing
from tests.factories import UserFactory, listed_likeness


def _talents(prices):
    return [listed_likeness(name=f"Talent {i:02d}", price_minor=p, quota=5) for i, p in enumerate(prices)]


@pytest.mark.django_db(transaction=True)
def test_a_campaign_buys_pays_once_briefs_each_talent_and_keeps_refusals(api, builtin_model):
    (l0, _), (l1, _), (l2, _), (l3, _) = _talents([1000, 2000, 3000, 9000])
    licensing.controls_update(holding=l1, actor=l1.owner, blocked_words=["soda"])
    brand = UserFactory(kind=User.Kind.BRAND)
    api.force_authenticate(brand)
    r = api.post("/api/campaigns/", {"name": "Summer", "budget_minor": 6000, "price_ceiling_minor": 5000, "currency": "gbp"}, format="json", HTTP_IDEMPOTENCY_KEY="camp-1")
    assert r.status_code == 201, r.content
    c = r.json()
    assert sorted(t["talent"] for t in c["talents"]) == ["Talent 00", "Talent 01", "Talent 02"]  # 9000 is above the ceiling
    assert all(t["status"] == "awaiting_payment" for t in c["talents"]) and c["spent_minor"] == 0
    assert api.post("/api/campaigns/", {"name": "Summer", "budget_minor": 6000, "price_ceiling_minor": 5000, "currency": "gbp"}, format="json", HTTP_IDEMPOTENCY_KEY="camp-1").json()["id"] == c["id"]
    r = api.post(f"/api/campaigns/{c['id']}/brief/", {"prompt_template": "{talent} with a soda"}, format="json")
    assert r.status_code == 409 and "pay" in r.json()["detail"]
    c = api.post(f"/api/campaigns/{c['id']}/offline-checkout/").json()
    assert all(t["status"] == "licensed" for t in c["talents"]) and c["spent_minor"] == 6000
    r = api.post(f"/api/campaigns/{c['id']}/brief/", {"prompt_template": "no placeholder"}, format="json")
    assert r.status_code == 400 and "{talent}" in r.json()["detail"]
    r = api.post(f"/api/campaigns/{c['id']}/brief/", {"prompt_template": "{talent} with a soda on a beach", "variants": 2}, format="json")
    assert r.status_code == 201, r.content
    c = r.json()
    by_name = {t["talent"]: t for t in c["talents"]}
    # the brand learns that a rule of the rights holder refused it, never the holder's private words
    reason = by_name["Talent 01"]["reason"].lower()
    assert by_name["Talent 01"]["status"] == "refused" and "rule of the rights holder" in reason and "soda" not in reason
    for name in ("Talent 00", "Talent 02"):
        assert by_name[name]["status"] == "briefed" and len(by_name[name]["briefs"]) == 2
    prompts = set(Brief.objects.filter(status="accepted").values_list("prompt", flat=True))
    assert prompts == {"Talent 00 with a soda on a beach", "Talent 02 with a soda on a beach"}
    assert GenerationJob.objects.filter(status="released").count() == 4
    c = api.get(f"/api/campaigns/{c['id']}/").json()
    assert c["counts"]["released"] == 4 and c["counts"]["refused"] >= 1
    # another brand sees nothing
    api.force_authenticate(UserFactory(kind=User.Kind.BRAND))
    assert api.get(f"/api/campaigns/{c['id']}/").status_code == 404


@pytest.mark.django_db
def test_twenty_talents_with_three_variants_each(api):
    _talents([1000] * 20)
    brand = UserFactory(kind=User.Kind.BRAND)
    api.force_authenticate(brand)
    c = api.post("/api/campaigns/", {"name": "Big", "budget_minor": 20000, "price_ceiling_minor": 1000}, format="json").json()
    assert len(c["talents"]) == 20
    api.post(f"/api/campaigns/{c['id']}/offline-checkout/")
    r = api.post(f"/api/campaigns/{c['id']}/brief/", {"prompt_template": "{talent} waves", "variants": 3}, format="json")
    assert r.status_code == 201
    assert CampaignTalent.objects.filter(status="briefed").count() == 20
    assert Brief.objects.filter(status="accepted").count() == 60 and GenerationJob.objects.count() == 60
    assert len(set(GenerationJob.objects.values_list("mark_id", flat=True))) == 60


@pytest.mark.django_db
def test_bad_campaigns_are_refused_clearly(api, client):
    _talents([5000])
    brand = UserFactory(kind=User.Kind.BRAND)
    api.force_authenticate(brand)
    r = api.post("/api/campaigns/", {"name": "Cheap", "budget_minor": 100000, "price_ceiling_minor": 100}, format="json")
    assert r.status_code == 400 and "ceiling" in r.json()["detail"]
    api.force_authenticate(UserFactory(kind=User.Kind.CREATOR))
    assert api.post("/api/campaigns/", {"name": "x", "budget_minor": 1, "price_ceiling_minor": 1}, format="json").status_code == 403
    client.force_login(brand)
    r = client.post("/campaigns/new/", {"name": "Cheap", "currency": "gbp", "budget_minor": "1000.00", "price_ceiling_minor": "1.00"})
    assert r.status_code == 400 and "No listed talent fits" in r.content.decode() and 'value="Cheap"' in r.content.decode()
    r = client.post("/campaigns/new/", {"name": "", "currency": "gbp", "budget_minor": "-1", "price_ceiling_minor": "x"})
    assert r.status_code == 400


@pytest.mark.django_db
def test_the_campaign_page_pays_and_briefs(client):
    _talents([1000, 1000])
    brand = UserFactory(kind=User.Kind.BRAND)
    client.force_login(brand)
    r = client.post("/campaigns/new/", {"name": "Page", "currency": "gbp", "budget_minor": "50.00", "price_ceiling_minor": "20.00"}, follow=True)
    assert "Campaign started with 2 talents" in r.content.decode()
    url = r.redirect_chain[-1][0]
    r = client.post(url, {"action": "pay"}, follow=True)
    assert "Every waiting licence of the campaign is paid." in r.content.decode() and "£20.00 of £50.00" in r.content.decode()
    r = client.post(url, {"action": "brief", "prompt_template": "no name", "variants": "1", "media": "image"})
    assert r.status_code == 400 and "{talent}" in r.content.decode()
    r = client.post(url, {"action": "brief", "prompt_template": "{talent} smiles", "variants": "1", "media": "image"}, follow=True)
    assert "Briefed: one brief per licensed talent" in r.content.decode()
    assert Brief.objects.count() == 2
