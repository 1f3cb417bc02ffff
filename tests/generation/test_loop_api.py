"""The whole loop over the REST API, on the real parts of the embedded default: a face found in a
real photo, the offline payment backend, the built-in diffusers model, the watermark, C2PA."""
import io
import json

import pytest
from django.core.management import call_command
from PIL import Image

from accounts.models import User
from generation.models import GenerationJob
from marketplace.models import LedgerEntry
from tests.factories import UserFactory, consent_document, readable_clip, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_whole_loop_over_the_api(api, builtin_model, tmp_path, settings):
    talent = UserFactory(kind=User.Kind.TALENT)
    brand = UserFactory(kind=User.Kind.BRAND)
    doc = consent_document()

    # 1. Talent: likeness, verification against a challenge, consent, offer, publish.
    api.force_authenticate(talent)
    likeness = api.post("/api/likenesses/", {"name": "Ava Stone", "bio": "Actor", "date_of_birth": "1990-05-17"}, format="json").json()
    r = api.post(f"/api/likenesses/{likeness['id']}/publish/")
    assert r.status_code == 409 and "verification" in r.json()["detail"]
    v = api.post(f"/api/likenesses/{likeness['id']}/verifications/").json()
    assert len(v["challenge"].split()) == 4
    clip = upload("me.mp4", readable_clip(v["challenge"].split()), "video/mp4")
    r = api.post(f"/api/verifications/{v['id']}/submit/", {"files": [clip]}, format="multipart")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "passed"
    r = api.post(f"/api/likenesses/{likeness['id']}/consent/", {"version": doc.version, "agree": True}, format="json")
    assert r.status_code == 201
    offer = api.post(
        f"/api/likenesses/{likeness['id']}/offers/",
        {"title": "Social, 30 days", "price_minor": 25000, "currency": "gbp", "generation_quota": 3},
        format="json",
    ).json()
    r = api.post(f"/api/likenesses/{likeness['id']}/publish/")
    assert r.status_code == 409 and "moderator" in r.json()["detail"]
    api.force_authenticate(UserFactory(kind=User.Kind.MODERATOR))
    assert api.post(f"/api/moderation/verifications/{v['id']}/", {"approve": True, "note": "ok"}, format="json").status_code == 200
    api.force_authenticate(talent)
    assert api.post(f"/api/likenesses/{likeness['id']}/publish/").json()["status"] == "listed"

    # 2. Brand: finds it, buys, pays through the offline backend, gets an active licence.
    api.force_authenticate(brand)
    listings = api.get("/api/listings/").json()
    assert [l["name"] for l in listings] == ["Ava Stone"]
    order = api.post(f"/api/offers/{offer['id']}/purchase/").json()
    assert order["status"] == "pending" and order["payment_backend"] == "offline"
    assert order["checkout_url"].startswith("/pay/offline/")
    order = api.post(f"/api/orders/{order['id']}/offline-checkout/", {"pay": True}, format="json").json()
    assert order["status"] == "paid" and order["licence_status"] == "active"

    # 3. Brief → policy → queue → worker (inline here) → watermark → C2PA.
    brief = api.post("/api/briefs/", {"licence_id": order["licence_id"], "prompt": "a portrait on a beach", "seed": 7}, format="json")
    assert brief.status_code == 201, brief.content
    brief = brief.json()
    assert brief["status"] == "accepted"
    job = api.get(f"/api/jobs/{brief['job']['job_id']}/").json()
    assert job["status"] == "released", job
    assert job["step"] == job["total_steps"] > 0
    png = b"".join(api.get(f"/api/jobs/{job['job_id']}/output/").streaming_content)
    assert Image.open(io.BytesIO(png)).size == (settings.GENERATION_SIZE, settings.GENERATION_SIZE)

    # 4. Talent sees the use and the share owed (price less the platform fee).
    api.force_authenticate(talent)
    uses = api.get("/api/uses/").json()
    assert [u["id"] for u in uses] == [brief["id"]]
    balance = api.get("/api/balance/").json()
    assert balance["balances"] == [{"currency": "gbp", "owed_minor": 25000 - 25000 * settings.PLATFORM_FEE_BPS // 10000}]
    assert sum(e.amount_minor for e in LedgerEntry.objects.all()) == 0

    # 5. Anyone: the verify endpoint and the management command agree.
    api.force_authenticate(None)
    answer = api.post("/api/verify/", {"file": upload("out.png", png)}, format="multipart").json()
    assert answer["made_here"] is True
    assert answer["generation_id"] == job["job_id"]
    assert answer["licence_id"] == order["licence_id"]
    assert answer["licence_status"] == "active"
    assert answer["watermark"] == "found"
    assert answer["c2pa_state"] == "valid"
    path = tmp_path / "out.png"
    path.write_bytes(png)
    out = io.StringIO()
    call_command("verify", str(path), stdout=out)
    printed = json.loads(out.getvalue())
    for key in ("made_here", "generation_id", "licence_id", "licence_status", "c2pa_state"):
        assert printed[key] == answer[key]

    # The C2PA manifest is valid to c2pa-python's own Reader.
    import c2pa

    reader = c2pa.Reader("image/png", io.BytesIO(png))
    manifest = json.loads(reader.json())
    assert manifest.get("active_manifest")
    failures = [s for s in manifest.get("validation_status", []) or [] if "untrusted" not in s.get("code", "")]
    assert not failures, failures


def test_unmarked_file_is_not_made_here(api, db):
    from tests.factories import noise_png

    answer = api.post("/api/verify/", {"file": upload("x.png", noise_png())}, format="multipart").json()
    assert answer["made_here"] is False
    assert answer["watermark"] == "not found"
    assert answer["c2pa_state"] == "absent"


def test_quota_is_enforced_and_refusals_are_recorded(api, builtin_model):
    from tests.factories import active_licence

    licence, order, offer = active_licence(quota=1)
    api.force_authenticate(licence.licensee)
    assert api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "one"}, format="json").status_code == 201
    r = api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "two"}, format="json")
    assert r.status_code == 403
    assert any("quota" in reason for reason in r.json()["reasons"])
    api.force_authenticate(licence.likeness.owner)
    statuses = sorted(u["status"] for u in api.get("/api/uses/").json())
    assert statuses == ["accepted", "refused"]
    assert GenerationJob.objects.count() == 1


def test_a_video_brief_yields_a_marked_signed_mp4(api, builtin_model, settings):
    from tests.factories import active_licence

    settings.GENERATION_VIDEO_FRAMES = 4
    licence, _, _ = active_licence()
    api.force_authenticate(licence.licensee)
    r = api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": "waving at the camera", "media": "video"}, format="json")
    assert r.status_code == 201, r.content
    job = api.get(f"/api/jobs/{r.json()['job']['job_id']}/").json()
    assert job["status"] == "released", job
    response = api.get(f"/api/jobs/{job['job_id']}/output/")
    assert response["Content-Type"] == "video/mp4"
    data = b"".join(response.streaming_content)
    api.force_authenticate(None)
    answer = api.post("/api/verify/", {"file": upload("clip.mp4", data, "video/mp4")}, format="multipart").json()
    assert answer["made_here"] and answer["generation_id"] == job["job_id"]
    assert answer["watermark"] == "found" and answer["c2pa_state"] == "valid"
