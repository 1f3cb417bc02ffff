"""Public endpoints are limited per IP with 429 and Retry-After, on atomic counters."""
import pytest

from accounts import throttle

pytestmark = pytest.mark.django_db


def test_verify_api_and_page_are_limited_per_ip(api, client, settings):
    settings.SECURITY_LIMITS = {**settings.SECURITY_LIMITS, "verify": "3/m/ip"}
    for _ in range(3):
        assert api.post("/api/verify/", {}, format="multipart").status_code == 400
    r = api.post("/api/verify/", {}, format="multipart")
    assert r.status_code == 429 and int(r["Retry-After"]) >= 1 and r.json()["detail"]
    # Another address is not held up by the first.
    other = type(api)(REMOTE_ADDR="10.2.2.2")
    assert other.post("/api/verify/", {}, format="multipart").status_code == 400
    r = client.post("/verify/", {})
    assert r.status_code == 429 and int(r["Retry-After"]) >= 1 and b"Too many attempts" in r.content
    assert client.get("/verify/").status_code == 200  # reading the page is not limited


def test_signup_is_limited_per_ip_with_retry_after(client, settings):
    from allauth.account import app_settings

    limit = int(app_settings.RATE_LIMITS["signup"].split("/")[0])
    codes = []
    for i in range(limit + 1):
        r = client.post("/accounts/signup/", {"email": f"s{i}@example.test", "password1": "x", "password2": "y", "kind": "brand"})
        codes.append(r.status_code)
    assert codes[:limit] == [200] * limit and codes[-1] == 429
    assert int(r["Retry-After"]) > 0


def test_limit_spec_parsing():
    assert throttle.Limit.parse("x", "5/900s/key") == throttle.Limit("x", 5, 900, "key")
    assert throttle.Limit.parse("x", "20/h/ip").seconds == 3600
    with pytest.raises(ValueError):
        throttle.Limit.parse("x", "5/m/nobody")


def test_minting_tokens_is_limited_per_account(api, settings):
    from tests.factories import UserFactory

    settings.SECURITY_LIMITS = {**settings.SECURITY_LIMITS, "token": "2/h/user"}
    api.force_authenticate(UserFactory())
    assert [api.post("/api/auth/tokens/", {"scope": "read"}, format="json").status_code for _ in range(3)] == [201, 201, 429]
    assert api.get("/api/auth/tokens/").status_code == 200  # listing is not limited
