"""django-axes behind every password check: failures are recorded per account in the database,
and an account locked through one way in is refused on every other (the headless API login
that issues tokens, the browser login, the admin's login), even with the right password.
The atomic counters and allauth's own failed-login limit are set out of the way here, so what
locks is axes alone."""
import pytest
from axes.models import AccessAttempt
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/_allauth/app/v1/auth/login"


@pytest.fixture(autouse=True)
def axes_only(settings):
    settings.SECURITY_LIMITS = {**settings.SECURITY_LIMITS, "login": "1000/900s/key,1000/900s/ip"}
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": None}
    settings.AXES_FAILURE_LIMIT = 3


def _api(email, password, ip="10.3.0.1"):
    return APIClient(REMOTE_ADDR=ip).post(LOGIN, {"email": email, "password": password}, format="json")


def _web(client, email, password, next_url=""):
    return client.post(f"/accounts/login/{next_url}", {"login": email, "password": password}, REMOTE_ADDR="10.3.0.2")


def _refused_everywhere(client, user):
    r = _api(user.email, PASSWORD, ip="10.3.0.3")  # the right password, from another address
    assert r.status_code == 429 and int(r["Retry-After"]) > 0 and "Too many attempts" in r.json()["detail"]
    r = _web(client, user.email, PASSWORD)
    assert r.status_code == 429 and int(r["Retry-After"]) > 0 and b"Too many attempts" in r.content
    assert client.get("/admin/login/?next=/admin/")["Location"].startswith("/accounts/login/")  # the admin signs in there
    r = _web(client, user.email, PASSWORD, next_url="?next=/admin/")
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session
    assert not ApiToken.objects.filter(user=user).exists()


def test_locked_through_the_api_is_refused_in_the_browser_and_the_admin(client):
    user = UserFactory(is_staff=True)
    for _ in range(2):
        assert _api(user.email, "wrong-password").status_code == 400
    r = _api(user.email, "wrong-password")  # the third failure locks
    assert r.status_code == 429
    assert AccessAttempt.objects.filter(username=user.email.lower(), failures_since_start__gte=3).exists()
    _refused_everywhere(client, user)


def test_locked_through_the_browser_is_refused_on_the_api(client):
    user = UserFactory(is_staff=True)
    for _ in range(3):
        assert _web(client, user.email, "wrong-password").status_code in (200, 429)
    _refused_everywhere(client, user)


def test_a_completed_sign_in_clears_the_failures_and_others_are_not_locked(client):
    user, other = UserFactory(), UserFactory()
    for _ in range(2):
        assert _api(user.email, "wrong-password").status_code == 400
    assert _api(user.email, PASSWORD).status_code == 200
    for _ in range(2):
        assert _api(user.email, "wrong-password").status_code == 400  # counted from zero again
    assert _api(user.email, PASSWORD).status_code == 200
    assert _api(other.email, PASSWORD, ip="10.3.0.9").status_code == 200


def test_allauth_s_own_failed_login_limit_answers_429_too(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "10/m/ip,2/300s/key"}
    settings.AXES_FAILURE_LIMIT = 100
    user = UserFactory()
    for _ in range(2):
        assert _web(client, user.email, "wrong-password").status_code == 200  # the form, with its error
    r = _web(client, user.email, PASSWORD)
    assert r.status_code == 429 and int(r["Retry-After"]) == 300
