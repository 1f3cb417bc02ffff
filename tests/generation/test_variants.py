"""Variants for A/B tests: N generations from one brief, each with its own mark, credentials and
unit of quota, all or nothing; winners marked and exported with their licence records."""
import io
import json
import zipfile

import pytest

from accounts.models import User
from generation.models import Brief, GenerationJob
from generation.verification import verify_bytes
from licensing import services as licensing
from tests.factories import UserFactory, active_licence

pytestmark = pytest.mark.django_db(transaction=True)


def _post(api, licence, **extra):
    return api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "a can of soda on a beach", "seed": 40, **extra}, format="json")


def test_three_variants_are_three_generations_each_marked_signed_and_counted(api, builtin_model):
    licence, _, _ = active_licence(quota=5)
    api.force_authenticate(licence.licensee)
    r = _post(api, licence, variants=3)
    assert r.status_code == 201, r.content
    body = r.json()
    group = body["variant_group"]
    assert group and [v["seed"] for v in body["variants"]] == [40, 41, 42]
    assert [v["variant_index"] for v in body["variants"]] == [0, 1, 2]
    jobs = list(GenerationJob.objects.filter(brief__variant_group=group).order_by("brief__variant_index"))
    assert len(jobs) == 3 and len({j.mark_id for j in jobs}) == 3
    assert all(j.status == "released" and j.c2pa_signed for j in jobs)
    assert len({j.output_sha256 for j in jobs}) == 3  # three different images
    for j in jobs:
        with j.output.open("rb") as fh:
            assert verify_bytes(fh.read(), name="v.png")["generation_id"] == str(j.pk)
    licence.refresh_from_db()
    assert licence.quota_used == 3
    listed = api.get(f"/api/variants/{group}/").json()
    assert [b["id"] for b in listed] == [v["id"] for v in body["variants"]]


def test_a_set_the_quota_cannot_cover_is_refused_whole_and_changes_nothing(api):
    licence, _, _ = active_licence(quota=2)
    api.force_authenticate(licence.licensee)
    r = _post(api, licence, variants=3)
    assert r.status_code == 409 and "2 left" in r.json()["detail"]
    assert Brief.objects.count() == 0
    licence.refresh_from_db()
    assert licence.quota_used == 0


@pytest.mark.parametrize("bad", [0, 9, -1, "three", 2.5, True])
def test_bad_variant_counts_are_refused(api, bad):
    licence, _, _ = active_licence()
    api.force_authenticate(licence.licensee)
    r = _post(api, licence, variants=bad)
    assert r.status_code == 400, r.content
    assert Brief.objects.count() == 0


def test_a_refused_set_records_one_refusal_as_a_single_brief_would(api):
    licence, _, _ = active_licence(quota=5)
    likeness = licence.likeness
    licensing.controls_update(holding=likeness, actor=likeness.owner, blocked_words=["soda"])
    api.force_authenticate(licence.licensee)
    r = _post(api, licence, variants=3)
    assert r.status_code == 403
    assert Brief.objects.count() == 1 and Brief.objects.get().status == "refused"
    licence.refresh_from_db()
    assert licence.quota_used == 0


def test_winners_are_marked_and_exported_with_their_licence_records(api, client, builtin_model):
    licence, _, _ = active_licence(quota=5)
    api.force_authenticate(licence.licensee)
    body = _post(api, licence, variants=3).json()
    group, ids = body["variant_group"], [v["id"] for v in body["variants"]]
    assert api.get(f"/api/variants/{group}/export/").status_code == 400  # no winner yet
    for brief_id in (ids[0], ids[2]):
        r = api.post(f"/api/briefs/{brief_id}/winner/", {"winner": True}, format="json")
        assert r.status_code == 200 and r.json()["is_winner"]
    # someone else can neither mark nor export
    api.force_authenticate(UserFactory(kind=User.Kind.BRAND))
    assert api.post(f"/api/briefs/{ids[1]}/winner/", {"winner": True}, format="json").status_code == 404
    assert api.get(f"/api/variants/{group}/export/").status_code == 404
    api.force_authenticate(licence.licensee)
    r = api.get(f"/api/variants/{group}/export/")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(r.content))
    manifest = json.loads(zf.read("manifest.json"))
    assert len(manifest["winners"]) == 2
    for entry in manifest["winners"]:
        record = json.loads(zf.read(entry["licence_record"]))
        assert record["licences"][0]["licence_id"] == str(licence.pk) and record["licences"][0]["terms"]["generation_quota"] == 5
        assert verify_bytes(zf.read(entry["file"]), name="w.png")["generation_id"] == record["generation_id"] == entry["generation_id"]
    # the browser page: unmark one, see the count
    client.force_login(licence.licensee)
    page = client.get(f"/variants/{group}/").content.decode()
    assert "2 marked as winners" in page and "Download the winners" in page
    r = client.post(f"/variants/{group}/", {"brief": ids[0], "action": "unwin"}, follow=True)
    assert "Variant 1 is no longer a winner." in r.content.decode() and "1 marked as winner" in r.content.decode()
    assert client.get(f"/variants/{group}/export").status_code == 200


def test_the_browser_brief_form_asks_for_variants(client, builtin_model):
    licence, _, _ = active_licence(quota=5)
    client.force_login(licence.licensee)
    r = client.post(f"/licences/{licence.pk}/brief/", {"prompt": "two takes", "variants": "2", "media": "image"}, follow=True)
    assert r.status_code == 200 and "2 variants submitted" in r.content.decode()
    assert Brief.objects.filter(variant_group__isnull=False).count() == 2
