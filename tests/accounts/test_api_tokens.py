"""API tokens come only from allauth's sign-in flow: verified e-mail, two-factor and lockouts
apply exactly as in the browser. Owners list, scope and revoke their tokens."""
import threading
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts import throttle
from accounts.models import ApiToken, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/_allauth/app/v1/auth/login"
MFA = "/_allauth/app/v1/auth/2fa/authenticate"


def _login(api, email, password=PASSWORD):
    return api.post(LOGIN, {"email": email, "password": password}, format="json")


def _totp_user():
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = UserFactory(kind=User.Kind.TALENT)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return user, secret, codes


def _code(secret):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_password_alone_gives_a_token_only_without_two_factor_and_with_a_verified_email(api):
    user = UserFactory()
    r = _login(api, user.email)
    assert r.status_code == 200, r.content
    key = r.json()["meta"]["access_token"]
    assert key.startswith("rc_") and r.json()["meta"]["scope"] == "full"
    api.credentials(HTTP_AUTHORIZATION="Bearer " + key)
    assert api.get("/api/me/").json()["email"] == user.email
    # The old password-for-token endpoint is gone.
    assert api.post("/api/auth/token/", {"email": user.email, "password": PASSWORD}, format="json").status_code == 404


def test_unverified_email_gets_no_token(api):
    user = UserFactory()
    EmailAddress.objects.filter(user=user).update(verified=False)
    r = _login(api, user.email)
    assert r.status_code == 401
    body = r.json()
    assert "access_token" not in body.get("meta", {})
    assert any(f["id"] == "verify_email" and f.get("is_pending") for f in body["data"]["flows"])
    assert not ApiToken.objects.filter(user=user).exists()


def test_totp_is_required_and_a_recovery_code_works_once(api):
    user, secret, codes = _totp_user()
    r = _login(api, user.email)
    assert r.status_code == 401 and "access_token" not in r.json().get("meta", {})
    assert any(f["id"] == "mfa_authenticate" and f.get("is_pending") for f in r.json()["data"]["flows"])
    session = r.json()["meta"]["session_token"]
    assert not ApiToken.objects.filter(user=user).exists()
    r = api.post(MFA, {"code": "000000"}, format="json", HTTP_X_SESSION_TOKEN=session)
    assert r.status_code == 400
    r = api.post(MFA, {"code": _code(secret)}, format="json", HTTP_X_SESSION_TOKEN=session)
    assert r.status_code == 200, r.content
    assert r.json()["meta"]["access_token"].startswith("rc_")

    fresh = type(api)()
    session = _login(fresh, user.email).json()["meta"]["session_token"]
    r = fresh.post(MFA, {"code": codes[0]}, format="json", HTTP_X_SESSION_TOKEN=session)
    assert r.status_code == 200 and r.json()["meta"]["access_token"]
    again = type(api)()
    session = _login(again, user.email).json()["meta"]["session_token"]
    assert again.post(MFA, {"code": codes[0]}, format="json", HTTP_X_SESSION_TOKEN=session).status_code == 400


def test_wrong_passwords_lock_the_account_for_api_and_browser_alike(api, client):
    user = UserFactory()
    for _ in range(5):
        assert _login(api, user.email, "wrong-password").status_code == 400
    r = _login(api, user.email)  # the right password, while locked
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert "Too many attempts" in r.json()["detail"]
    r = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert not ApiToken.objects.filter(user=user).exists()
    # Another account from another address is unaffected.
    other = UserFactory()
    assert _login(type(api)(REMOTE_ADDR="10.0.0.9"), other.email).status_code == 200


def test_successful_sign_ins_do_not_count_against_the_account(api):
    user = UserFactory()
    for _ in range(8):
        assert _login(type(api)(), user.email).status_code == 200


def test_parallel_guesses_cannot_race_past_the_limit(rf):
    request = rf.post("/_allauth/app/v1/auth/login", REMOTE_ADDR="10.1.1.1")
    results = []
    barrier = threading.Barrier(16)

    def guess():
        barrier.wait()
        results.append(throttle.hit(request, "login", key="victim@example.test"))

    threads = [threading.Thread(target=guess) for _ in range(16)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sum(r is None for r in results) == 5  # exactly the limit got through


def test_owner_lists_mints_scopes_and_revokes_tokens(api):
    user = UserFactory()
    key = _login(api, user.email).json()["meta"]["access_token"]
    api.credentials(HTTP_AUTHORIZATION="Bearer " + key)
    r = api.post("/api/auth/tokens/", {"name": "reports script", "scope": "read", "days": 7}, format="json")
    assert r.status_code == 201
    read_key, read_id = r.json()["key"], r.json()["id"]
    listed = api.get("/api/auth/tokens/").json()
    assert {t["scope"] for t in listed} == {"full", "read"} and all("key" not in t for t in listed)

    reader = type(api)()
    reader.credentials(HTTP_AUTHORIZATION="Bearer " + read_key)
    assert reader.get("/api/me/").status_code == 200
    r = reader.post("/api/auth/tokens/", {"scope": "full"}, format="json")
    assert r.status_code == 403 and "read-only" in r.json()["detail"]

    other = UserFactory()
    other_api = type(api)()
    other_api.force_authenticate(other)
    assert other_api.delete(f"/api/auth/tokens/{read_id}/").status_code == 404
    assert api.delete(f"/api/auth/tokens/{read_id}/").status_code == 204
    assert reader.get("/api/me/").status_code == 401
    assert [t["id"] for t in api.get("/api/auth/tokens/").json()] != [read_id]


def test_expired_and_forged_tokens_are_refused(api):
    user = UserFactory()
    key = _login(api, user.email).json()["meta"]["access_token"]
    api.credentials(HTTP_AUTHORIZATION="Bearer " + key + "x")
    assert api.get("/api/me/").status_code == 401
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    api.credentials(HTTP_AUTHORIZATION="Bearer " + key)
    r = api.get("/api/me/")
    assert r.status_code == 401 and "expired" in r.json()["detail"]


def test_admin_signs_in_through_allauth_and_is_staff_only(client):
    r = client.get("/admin/login/?next=/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    user = UserFactory()
    client.force_login(user)
    assert client.get("/admin/login/").status_code == 403
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/login/?next=/admin/").status_code in (200, 302)


def test_changing_the_password_revokes_every_token(api, client):
    user = UserFactory()
    key = _login(api, user.email).json()["meta"]["access_token"]
    client.force_login(user)
    r = client.post("/accounts/password/change/", {"oldpassword": PASSWORD, "password1": "a-new-long-pass-7", "password2": "a-new-long-pass-7"})
    assert r.status_code == 302, r.content[-500:]
    api.credentials(HTTP_AUTHORIZATION="Bearer " + key)
    assert api.get("/api/me/").status_code == 401


def test_limits_count_the_client_behind_the_trusted_proxy(rf, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = rf.post("/x", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert throttle.client_ip(request) == "203.0.113.7"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert throttle.client_ip(request) == "10.0.0.1"


def test_guessing_two_factor_codes_locks_the_second_step(api):
    user, secret, _ = _totp_user()
    session = _login(api, user.email).json()["meta"]["session_token"]
    statuses = [api.post(MFA, {"code": f"{n:06d}"}, format="json", HTTP_X_SESSION_TOKEN=session).status_code for n in range(6)]
    assert set(statuses) == {400}
    r = api.post(MFA, {"code": _code(secret)}, format="json", HTTP_X_SESSION_TOKEN=session)
    assert r.status_code == 400 and "access_token" not in r.json().get("meta", {})
    assert not ApiToken.objects.filter(user=user).exists()
