import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signup_needs_a_verified_email_and_records_the_kind(client):
    r = client.post(
        "/accounts/signup/",
        {"email": "new.talent@example.test", "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9", "kind": "talent", "display_name": "New Talent"},
    )
    assert r.status_code == 302
    user = User.objects.get(email="new.talent@example.test")
    assert user.kind == "talent" and user.display_name == "New Talent"
    assert len(mail.outbox) == 1 and "confirm" in mail.outbox[0].body.lower()
    # Not verified yet: logging in sends them to the verification page, not the dashboard.
    client.logout()
    r = client.post("/accounts/login/", {"login": "new.talent@example.test", "password": "a-long-pass-phrase-9"})
    assert r.status_code == 302 and "confirm-email" in r["Location"]


def test_signup_cannot_make_a_moderator(client):
    r = client.post(
        "/accounts/signup/",
        {"email": "sneaky@example.test", "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9", "kind": "moderator"},
    )
    assert r.status_code == 200  # the form is shown again with the error
    assert not User.objects.filter(email="sneaky@example.test").exists()


def test_talent_can_turn_on_totp_two_factor(client):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    user = UserFactory(kind=User.Kind.TALENT)
    assert client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code == 302
    r = client.get("/accounts/2fa/totp/activate/")
    if r.status_code == 302 and "reauthenticate" in r["Location"]:
        assert client.post(r["Location"], {"password": PASSWORD}).status_code == 302
        r = client.get("/accounts/2fa/totp/activate/")
    assert r.status_code == 200
    secret = r.context["form"].secret
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    r = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert r.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_openapi_schema_is_clean(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/briefs/" in (tmp_path / "schema.yml").read_text()


def test_api_docs_page_serves_its_assets_locally(client):
    r = client.get("/api/docs/")
    assert r.status_code == 200
    assert b"cdn.jsdelivr" not in r.content
