"""Bad input gets a clear 4xx message and changes nothing."""
import struct
import zlib

import pytest

from accounts.models import User
from licensing.models import ReferenceImage, Verification
from tests.factories import UserFactory, consent_document, face_png, noise_png, upload

pytestmark = pytest.mark.django_db


def png_bomb(width=60000, height=60000) -> bytes:
    """A tiny PNG whose header claims billions of pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


@pytest.fixture
def verification(api):
    talent = UserFactory(kind=User.Kind.TALENT)
    api.force_authenticate(talent)
    likeness = api.post("/api/likenesses/", {"name": "T"}, format="json").json()
    return api.post(f"/api/likenesses/{likeness['id']}/verifications/").json()


@pytest.mark.parametrize(
    "name,data,code",
    [
        ("bomb.png", png_bomb(), "too_many_pixels"),
        ("notes.png", b"this is not an image at all", "wrong_type"),
        ("cut.png", face_png()[:3000], "wrong_type"),
        ("empty.png", b"", "empty_file"),
        ("anim.gif", b"GIF89a" + b"\x00" * 64, "wrong_type"),
    ],
)
def test_bad_verification_uploads_are_refused_and_change_nothing(api, verification, name, data, code):
    r = api.post(f"/api/verifications/{verification['id']}/submit/", {"files": [upload(name, data)]}, format="multipart")
    assert r.status_code == 400, r.content
    assert r.json()["code"] == code
    assert r.json()["detail"]
    v = Verification.objects.get(pk=verification["id"])
    assert v.status == "pending" and v.frames_checked == 0
    assert ReferenceImage.objects.count() == 0


def test_a_bad_file_among_good_ones_writes_nothing(api, verification):
    files = [upload("good.png", face_png()), upload("bad.png", b"garbage")]
    r = api.post(f"/api/verifications/{verification['id']}/submit/", {"files": files}, format="multipart")
    assert r.status_code == 400
    assert ReferenceImage.objects.count() == 0
    assert Verification.objects.get(pk=verification["id"]).status == "pending"


def test_oversized_upload_is_refused(api, verification, settings):
    """Refused while the body streams (413), before the file is received whole."""
    settings.UPLOAD_MAX_BYTES = 1000
    r = api.post(f"/api/verifications/{verification['id']}/submit/", {"files": [upload("big.png", face_png())]}, format="multipart")
    assert r.status_code == 413 and r.json()["code"] == "too_large"


def test_no_face_fails_verification_clearly(api, verification):
    r = api.post(f"/api/verifications/{verification['id']}/submit/", {"files": [upload("wall.png", noise_png())]}, format="multipart")
    assert r.status_code == 200
    assert r.json()["status"] == "failed" and "No face" in r.json()["failure_reason"]
    assert ReferenceImage.objects.count() == 0


def test_expired_challenge_is_refused(api, verification):
    from datetime import timedelta

    from django.utils import timezone

    Verification.objects.filter(pk=verification["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    r = api.post(f"/api/verifications/{verification['id']}/submit/", {"files": [upload("me.png", face_png())]}, format="multipart")
    assert r.status_code == 409 and "expired" in r.json()["detail"]
    assert ReferenceImage.objects.count() == 0


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "1' OR 1=1"])
def test_unknown_ids_are_404_with_a_message(api, bad_id):
    api.force_authenticate(UserFactory(kind=User.Kind.BRAND))
    for url in (f"/api/jobs/{bad_id}/", f"/api/licences/{bad_id}/", f"/api/orders/{bad_id}/"):
        r = api.get(url)
        assert r.status_code == 404, url
        assert r.json()["detail"]
    r = api.post(f"/api/offers/{bad_id}/purchase/")
    assert r.status_code == 404
    r = api.post("/api/briefs/", {"licence_id": bad_id, "prompt": "x"}, format="json")
    assert r.status_code == 404


def test_bad_json_fields_are_400(api):
    talent = UserFactory(kind=User.Kind.TALENT)
    api.force_authenticate(talent)
    likeness = api.post("/api/likenesses/", {"name": "T"}, format="json").json()
    for body in (
        {"title": "x", "price_minor": -1, "currency": "gbp"},
        {"title": "x", "price_minor": 1.5, "currency": "gbp"},
        {"title": "x", "price_minor": 100, "currency": "doubloons"},
        {"title": "", "price_minor": 100, "currency": "gbp"},
        {"title": "x", "price_minor": 100, "currency": "gbp", "generation_quota": 0},
    ):
        r = api.post(f"/api/likenesses/{likeness['id']}/offers/", body, format="json")
        assert r.status_code == 400, body
    r = api.post(f"/api/likenesses/{likeness['id']}/offers/", "{not json", content_type="application/json")
    assert r.status_code == 400
    from marketplace.models import Offer

    assert Offer.objects.count() == 0
    doc = consent_document()
    r = api.post(f"/api/likenesses/{likeness['id']}/consent/", {"version": doc.version + 5, "agree": True}, format="json")
    assert r.status_code == 409
    r = api.post(f"/api/likenesses/{likeness['id']}/consent/", {"version": doc.version, "agree": False}, format="json")
    assert r.status_code == 400


def test_verify_page_refuses_non_images_clearly(client):
    r = client.post("/verify/", {"file": upload("doc.txt", b"hello")})
    assert r.status_code == 400
    assert b"not a readable image" in r.content and b"Error" not in r.content
    r = client.post("/api/verify/", {"file": upload("bomb.png", png_bomb())})
    assert r.status_code == 400 and r.json()["code"] == "too_many_pixels"


def test_expired_session_is_asked_to_log_in_again(client):
    user = UserFactory(kind=User.Kind.BRAND)
    client.force_login(user)
    client.cookies["sessionid"] = "expired-or-forged"
    r = client.get("/licences/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    r = client.get("/api/briefs/")
    assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Bearer")
    assert r.json()["detail"]
