"""`Idempotency-Key` on creating POSTs: a retry replays the first answer, another body is a 409,
keys are per user, and answers that changed nothing release the key."""
import pytest

from accounts.models import IdempotencyKey, User
from generation.models import Brief
from marketplace.models import Order
from tests.factories import UserFactory, active_licence, listed_likeness

pytestmark = pytest.mark.django_db


def _brief(api, licence, key, prompt="a portrait in the rain", **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api.post("/api/briefs/", {"licence_id": str(licence.pk), "prompt": prompt, "seed": 4, **extra}, format="json", **headers)


def test_a_retried_brief_replays_the_first_answer_and_uses_quota_once(api):
    licence, _, _ = active_licence()
    api.force_authenticate(licence.licensee)
    first = _brief(api, licence, "key-1")
    assert first.status_code == 201, first.content
    again = _brief(api, licence, "key-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Brief.objects.count() == 1
    licence.refresh_from_db()
    assert licence.quota_used == 1


def test_the_same_key_with_another_body_is_a_conflict_and_changes_nothing(api):
    licence, _, _ = active_licence()
    api.force_authenticate(licence.licensee)
    assert _brief(api, licence, "key-2").status_code == 201
    r = _brief(api, licence, "key-2", prompt="something else entirely")
    assert r.status_code == 409
    assert r.json()["code"] == "idempotency_key_reused" and "different request" in r.json()["detail"]
    assert Brief.objects.count() == 1
    licence.refresh_from_db()
    assert licence.quota_used == 1


def test_keys_belong_to_one_user(api):
    a, _, _ = active_licence()
    b, _, _ = active_licence()
    api.force_authenticate(a.licensee)
    assert _brief(api, a, "shared").status_code == 201
    api.force_authenticate(b.licensee)
    r = _brief(api, b, "shared")
    assert r.status_code == 201 and "Idempotent-Replayed" not in r
    assert Brief.objects.count() == 2
    assert IdempotencyKey.objects.filter(key="shared").count() == 2


def test_a_refused_brief_is_replayed_not_submitted_again(api):
    licence, _, _ = active_licence(quota=1)
    api.force_authenticate(licence.licensee)
    assert _brief(api, licence, "use-it").status_code == 201
    refused = _brief(api, licence, "over-quota")
    assert refused.status_code == 403
    again = _brief(api, licence, "over-quota")
    assert again.status_code == 403 and again.json() == refused.json() and again["Idempotent-Replayed"] == "true"
    assert Brief.objects.filter(status="refused").count() == 1


def test_bad_input_releases_the_key_so_the_fixed_request_can_use_it(api):
    licence, _, _ = active_licence()
    api.force_authenticate(licence.licensee)
    r = _brief(api, licence, "fix-me", prompt="   ")
    assert r.status_code == 400
    assert not IdempotencyKey.objects.filter(key="fix-me").exists()
    assert _brief(api, licence, "fix-me").status_code == 201


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "caf\u00e9", "line\nbreak"])
def test_malformed_keys_are_refused_clearly(api, key):
    licence, _, _ = active_licence()
    api.force_authenticate(licence.licensee)
    r = _brief(api, licence, key)
    assert r.status_code == 400, r.content
    assert r.json()["code"] in ("bad_idempotency_key",)
    assert Brief.objects.count() == 0


def test_a_purchase_retried_with_its_key_makes_one_order(api):
    likeness, offer = listed_likeness()
    brand = UserFactory(kind=User.Kind.BRAND)
    api.force_authenticate(brand)
    first = api.post(f"/api/offers/{offer.pk}/purchase/", HTTP_IDEMPOTENCY_KEY="buy-once")
    again = api.post(f"/api/offers/{offer.pk}/purchase/", HTTP_IDEMPOTENCY_KEY="buy-once")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Order.objects.filter(buyer=brand).count() == 1
    # the same key on another endpoint is another request: a conflict
    r = api.post("/api/briefs/", {"licence_id": "x", "prompt": "p"}, format="json", HTTP_IDEMPOTENCY_KEY="buy-once")
    assert r.status_code == 409


def test_a_request_still_running_makes_the_retry_wait_then_conflict(api, settings):
    """The first request's claim is there but it has no answer yet (it is still running)."""
    settings.IDEMPOTENCY_WAIT_SECONDS = 0.2
    licence, _, _ = active_licence()
    api.force_authenticate(licence.licensee)
    first = _brief(api, licence, "slow")
    row = IdempotencyKey.objects.get(key="slow")
    IdempotencyKey.objects.filter(pk=row.pk).update(status_code=None, response=None)
    r = _brief(api, licence, "slow")
    assert r.status_code == 409 and r.json()["code"] == "idempotency_key_in_progress"
    assert first.status_code == 201 and Brief.objects.count() == 1


def test_the_schema_documents_the_header(api):
    api.force_authenticate(UserFactory())
    schema = api.get("/api/schema/?format=json").json()
    params = schema["paths"]["/api/briefs/"]["post"].get("parameters", [])
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in params)


def test_a_key_expires_after_its_ttl_and_beat_purges_old_keys(api, settings):
    """Past `IDEMPOTENCY_KEY_TTL_HOURS` a key is a new key (the retry makes a new brief), and the
    beat task deletes keys past the TTL while keeping fresh ones."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.tasks import idempotency_keys_purge

    assert "accounts.tasks.idempotency_keys_purge" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    settings.IDEMPOTENCY_KEY_TTL_HOURS = 24
    licence, _, _ = active_licence()
    api.force_authenticate(licence.licensee)
    first = _brief(api, licence, "old-key")
    assert first.status_code == 201
    assert _brief(api, licence, "fresh-key").status_code == 201
    IdempotencyKey.objects.filter(key="old-key").update(created_at=timezone.now() - timedelta(hours=25))
    # within the TTL the same key would replay; past it, the same key and body make a new brief
    again = _brief(api, licence, "old-key")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert again.json() != first.json()
    assert Brief.objects.count() == 3
    # even another body is accepted once the key expired (no 409 for a key nobody remembers)
    IdempotencyKey.objects.filter(key="old-key").update(created_at=timezone.now() - timedelta(hours=25))
    assert _brief(api, licence, "old-key", prompt="a new idea under an old key").status_code == 201
    # the purge: keys past the TTL go, fresh ones stay
    IdempotencyKey.objects.filter(key="old-key").update(created_at=timezone.now() - timedelta(hours=30))
    assert idempotency_keys_purge() == 1
    assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {"fresh-key"}
    assert idempotency_keys_purge() == 0
    settings.IDEMPOTENCY_KEY_TTL_HOURS = 0.0001  # 0.36 s
    import time

    time.sleep(0.5)
    assert idempotency_keys_purge() == 1 and not IdempotencyKey.objects.exists()
