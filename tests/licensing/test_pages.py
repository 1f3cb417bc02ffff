"""The rights core's pages in the browser's terms (Django's test client): each role reaches its
pages, forms change what they say, and bad input is shown on the page with a 4xx."""
import re

import pytest

from accounts.models import Membership, Organisation, User
from licensing.models import AccessEntry, IPAsset
from tests.factories import UserFactory, granted_licence, published_likeness

pytestmark = pytest.mark.django_db


def test_talent_controls_lists_and_requests(client):
    likeness = published_likeness()
    brand = UserFactory()
    client.force_login(likeness.owner)
    base = f"/talent/likenesses/{likeness.pk}"
    assert b"Who may use it" in client.get(f"{base}/access/").content
    r = client.post(f"{base}/access/", {"action": "level", "level-permission_level": "approved"})
    assert r.status_code == 302
    r = client.post(f"{base}/rules/", {
        "blocked_words": "motorbike\nspeedboat", "content_rules": "no alcohol", "approval_window_hours": "24",
        "notice_period_days": "14", "require_output_approval": "on",
    })
    assert r.status_code == 302
    likeness.refresh_from_db()
    assert likeness.permission_level == "approved" and likeness.blocked_words == ["motorbike", "speedboat"] and likeness.require_output_approval
    assert "Saved your content rules" in client.get(f"{base}/rules/").content.decode()
    r = client.post(f"{base}/rules/", {"approval_window_hours": "x", "notice_period_days": "1", "content_rules": "no beer\nno wine"})
    body = r.content.decode()
    assert r.status_code == 400 and "Enter a whole number" in body and "no beer\nno wine" in body  # input kept beside the error
    assert client.post(f"{base}/access/", {"action": "entry", "entry-email": brand.email, "entry-kind": "allow"}).status_code == 302
    assert AccessEntry.objects.get(likeness=likeness, user=brand).kind == "allow"
    r = client.post(f"{base}/access/", {"action": "entry", "entry-email": "nobody@example.test", "entry-kind": "deny"})
    assert r.status_code == 404 and b"No user with that e-mail" in r.content and b'value="nobody@example.test"' in r.content


def test_rules_round_trip_one_per_line_and_a_second_save_keeps_them(client):
    """The rules textarea shows real line breaks (never template code), and saving the page again
    keeps every rule separate: "guns" stays blocked."""
    likeness = published_likeness()
    client.force_login(likeness.owner)
    url = f"/talent/likenesses/{likeness.pk}/rules/"
    client.post(url, {"blocked_words": "guns\nknives", "content_rules": "no alcohol\nno politics", "approval_window_hours": "72", "notice_period_days": "7"})
    body = client.get(url).content.decode()
    assert "{{" not in body and "{%" not in body
    assert ">\nguns\nknives</textarea>" in body and ">\nno alcohol\nno politics</textarea>" in body
    import re

    form = {
        "blocked_words": re.search(r'name="blocked_words"[^>]*>(.*?)</textarea>', body, re.S).group(1),
        "content_rules": re.search(r'name="content_rules"[^>]*>(.*?)</textarea>', body, re.S).group(1),
        "approval_window_hours": "72", "notice_period_days": "7",
    }
    assert client.post(url, form).status_code == 302
    likeness.refresh_from_db()
    assert likeness.blocked_words == ["guns", "knives"] and likeness.content_rules == ["no alcohol", "no politics"]


def test_use_request_over_the_api(api):
    likeness = published_likeness()
    brand = UserFactory()
    api.force_authenticate(brand)
    r = api.post(f"/api/likenesses/{likeness.pk}/use-requests/", {"message": "Summer"}, format="json")
    assert r.status_code == 201
    assert api.post(f"/api/likenesses/{likeness.pk}/use-requests/", {}, format="json").status_code == 409
    api.force_authenticate(likeness.owner)
    (req,) = api.get("/api/use-requests/").json()
    assert api.post(f"/api/use-requests/{req['id']}/decide/", {"approve": True}, format="json").json()["status"] == "approved"
    api.force_authenticate(brand)
    assert api.post(f"/api/use-requests/{req['id']}/decide/", {"approve": True}, format="json").status_code == 404


def test_controls_api_refuses_a_buyer_and_bad_values(api):
    licence = granted_licence()
    api.force_authenticate(licence.licensee)
    assert api.patch(f"/api/likenesses/{licence.likeness.pk}/controls/", {"allowed_categories": ["violence"]}, format="json").status_code == 404
    api.force_authenticate(licence.likeness.owner)
    r = api.patch(f"/api/likenesses/{licence.likeness.pk}/controls/", {"allowed_categories": ["gambling"]}, format="json")
    assert r.status_code == 400 and "gambling" in r.json()["detail"]
    r = api.patch(f"/api/likenesses/{licence.likeness.pk}/controls/", {"permission_level": "approved"}, format="json")
    assert r.status_code == 200 and r.json()["permission_level"] == "approved"


def test_studio_pages_and_moderation_queue(client):
    member = UserFactory(kind=User.Kind.STUDIO)
    studio = Organisation.objects.create(name="S", kind="studio")
    Membership.objects.create(user=member, organisation=studio)
    client.force_login(member)
    r = client.post("/studio/assets/", {"studio": studio.pk, "kind": "character", "name": ""})
    assert r.status_code == 400 and b"This field is required" in r.content
    r = client.post("/studio/assets/", {"studio": studio.pk, "kind": "character", "name": "Zed"})
    assert r.status_code == 302
    asset = IPAsset.objects.get(name="Zed")
    assert asset.opted_in_at is None and asset.status == "draft"
    client.post(f"/studio/assets/{asset.pk}/", {"action": "opt_in"})
    asset.refresh_from_db()
    assert asset.opted_in_at and asset.status == "listed"
    url = f"/studio/assets/{asset.pk}/"
    rules = {"action": "controls", "rules-permission_level": "everyone", "rules-blocked_words": "guns\nknives",
             "rules-approval_window_hours": "72", "rules-notice_period_days": "7"}
    assert client.post(url, rules).status_code == 302
    body = client.get(url).content.decode()
    assert ">\nguns\nknives</textarea>" in body
    client.post(url, rules)
    asset.refresh_from_db()
    assert asset.blocked_words == ["guns", "knives"]
    outsider = UserFactory(kind=User.Kind.STUDIO)
    client.force_login(outsider)
    assert client.post(url, {"action": "revoke"}).status_code == 404

    from tests.factories import verified_likeness

    verified_likeness(approve=False)
    client.force_login(UserFactory(kind=User.Kind.MODERATOR))
    page = client.get("/moderation/verifications/")
    assert page.status_code == 200 and b"Confirm" in page.content
    client.force_login(member)
    assert client.get("/moderation/verifications/").status_code == 403


def test_a_studio_is_offered_only_what_it_may_relax_and_a_forged_tick_is_refused(client):
    """A character's rules page offers violence, weapons and drugs (each with the line the holder
    reads), never minors, stalking or the rest; a hand-made POST relaxing minors is a 400 with the
    category named, and nothing is saved."""
    from tests.factories import studio_with_asset

    asset, member = studio_with_asset()
    client.force_login(member)
    url = f"/studio/assets/{asset.pk}/"
    body = client.get(url).content.decode()
    offered = set(re.findall(r'name="rules-allowed_categories" value="([a-z_]+)"', body))
    assert offered == {"violence", "weapons", "drugs"}
    assert "Guns, knives, bombs or other weapons" in body
    # the studio reads its character's lines, never the talent's "you"
    assert "the character included" in body and "you included" not in body
    before = list(asset.allowed_categories)
    r = client.post(url, {"action": "controls", "rules-permission_level": "everyone", "rules-allowed_categories": ["minors"],
                          "rules-approval_window_hours": "72", "rules-notice_period_days": "7"})
    assert r.status_code == 400 and "minors" in r.content.decode().lower()
    asset.refresh_from_db()
    assert list(asset.allowed_categories) == before and "minors" not in asset.allowed_categories


def test_a_studio_grants_a_character_licence_and_a_brand_uses_it_with_a_likeness(api, django_capture_on_commit_callbacks, builtin_model):
    from generation.models import GenerationJob
    from tests.factories import studio_with_asset

    licence = granted_licence()
    asset, member = studio_with_asset()
    api.force_authenticate(member)
    r = api.post(f"/api/ip-assets/{asset.pk}/licences/", {"email": licence.licensee.email, "generation_quota": 3}, format="json")
    assert r.status_code == 201, r.content
    char_licence = r.json()
    assert char_licence["status"] == "active" and char_licence["holding_name"] == asset.name
    assert api.post(f"/api/ip-assets/{asset.pk}/licences/", {"email": "nobody@example.test"}, format="json").status_code == 404
    api.force_authenticate(licence.licensee)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post("/api/briefs/", {"licence_id": str(licence.pk), "extra_licence_ids": [char_licence["id"]], "prompt": "the two of them on the moon"}, format="json")
    assert r.status_code == 201, r.content
    assert GenerationJob.objects.get(brief_id=r.json()["id"]).status == "released"
