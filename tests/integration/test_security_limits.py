"""Security limits on the production cache (Redis): parallel attempts from several processes
cannot race past a limit, and an account locked by wrong passwords stays locked for the API and
the browser alike."""
import multiprocessing
import os

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)


def _hit(args):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from django.test import RequestFactory

    from accounts import throttle

    key, barrier_at = args
    request = RequestFactory().post("/_allauth/app/v1/auth/login", REMOTE_ADDR="10.9.9.9")
    import time

    while time.time() < barrier_at:  # start together
        time.sleep(0.001)
    return throttle.hit(request, "login", key=key) is None


def test_parallel_processes_cannot_race_past_the_lockout():
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    import time

    key = f"victim-{os.urandom(4).hex()}@example.test"
    start = time.time() + 3
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        passed = pool.map(_hit, [(key, start)] * 24)
    assert sum(passed) == 5  # the per-account limit, exactly


def test_the_lockout_holds_for_api_and_browser_on_redis(client):
    from rest_framework.test import APIClient

    from tests.factories import PASSWORD, UserFactory

    user = UserFactory()
    api = APIClient()
    for _ in range(5):
        assert api.post("/_allauth/app/v1/auth/login", {"email": user.email, "password": "nope"}, format="json").status_code == 400
    r = api.post("/_allauth/app/v1/auth/login", {"email": user.email, "password": PASSWORD}, format="json")
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    r = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert r.status_code == 429



def test_a_sign_in_without_a_client_address_is_not_a_500_on_postgresql(client):
    """A sign-in made in code (`force_login`: a script, a benchmark) has no client address: axes
    records it with none, instead of writing "unknown" to PostgreSQL's address column (a 500).
    Over HTTP, allauth refuses a request without an address with a 403, never a 500."""
    from axes.models import AccessLog

    from tests.factories import PASSWORD, UserFactory

    user = UserFactory()
    client.force_login(user)
    assert AccessLog.objects.filter(ip_address=None).exists()
    assert client.get("/").status_code == 200
    client.logout()
    assert client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}, REMOTE_ADDR="").status_code == 403
