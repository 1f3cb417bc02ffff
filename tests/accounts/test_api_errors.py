"""Every client error on the API is JSON with a message, never an HTML page, never a traceback;
a boolean left out of a form is left out, not "no"."""
import json
import logging

import pytest

from accounts.log_filters import NoClientTraceback
from marketplace import services
from tests.factories import UserFactory, listed_likeness

pytestmark = pytest.mark.django_db


def _json_error(r, status):
    assert r.status_code == status, r.content[:300]
    assert r["Content-Type"].startswith("application/json"), r["Content-Type"]
    assert r.json()["detail"]
    return r.json()


def test_oversized_json_body_is_413_json(api, settings):
    api.force_authenticate(UserFactory())
    body = json.dumps({"prompt": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    r = api.generic("POST", "/api/briefs/", body, content_type="application/json")
    assert _json_error(r, 413)["code"] == "too_large"


def test_too_many_fields_is_400_json(api, settings):
    api.force_authenticate(UserFactory())
    body = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5))
    r = api.generic("POST", "/api/briefs/", body, content_type="application/x-www-form-urlencoded")
    assert _json_error(r, 400)["code"] == "too_many_fields"


def test_malformed_json_and_multipart_are_400_json(api):
    api.force_authenticate(UserFactory())
    _json_error(api.generic("POST", "/api/briefs/", b'{"prompt": ', content_type="application/json"), 400)
    r = api.generic("POST", "/api/verify/", b"--nope\r\ngarbage", content_type="multipart/form-data; boundary=")
    _json_error(r, 400)


def test_bad_host_and_unknown_paths_are_json_on_the_api(client):
    r = client.get("/api/me/", HTTP_HOST="evil.example")
    _json_error(r, 400)
    _json_error(client.get("/api/no-such-thing/"), 404)
    r = client.get("/no-such-page/")
    assert r.status_code == 404 and r["Content-Type"].startswith("text/html")


def test_a_client_mistake_logs_no_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    security = logging.LogRecord("django.security.DisallowedHost", logging.ERROR, __file__, 1, "bad host", None, exc_info)
    NoClientTraceback().filter(security)
    assert security.exc_info is None
    client_error = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Bad Request", None, exc_info)
    client_error.status_code = 400
    NoClientTraceback().filter(client_error)
    assert client_error.exc_info is None
    server_error = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Server Error", None, exc_info)
    server_error.status_code = 500
    NoClientTraceback().filter(server_error)
    assert server_error.exc_info is not None
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    assert any(isinstance(f, NoClientTraceback) for f in handler.filters)


def test_a_form_that_leaves_out_a_required_boolean_does_not_perform_no(api):
    brand = UserFactory()
    _, offer = listed_likeness()
    order = services.order_create(buyer=brand, offer=offer)
    api.force_authenticate(brand)
    r = api.post(f"/api/orders/{order.pk}/offline-checkout/", {}, format="multipart")
    assert r.status_code == 400 and "pay" in r.json()
    r = api.generic("POST", f"/api/orders/{order.pk}/offline-checkout/", "", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400 and "pay" in r.json()
    order.refresh_from_db()
    assert order.status == "pending"
    r = api.post(f"/api/orders/{order.pk}/offline-checkout/", {"pay": "false"}, format="multipart")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
