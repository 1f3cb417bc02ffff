"""Headers: a strict Content-Security-Policy on every answer, no inline script anywhere in our
templates, and production settings that pass `check --deploy` (HSTS, HTTPS redirect, secure cookies)."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


@pytest.mark.parametrize("path", ["/", "/verify/", "/accounts/login/", "/api/schema/", "/marketplace/"])
def test_every_answer_has_a_strict_policy(client, path):
    r = client.get(path)
    policy = _csp(r)
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_the_api_docs_run_under_the_policy(client):
    r = client.get("/api/docs/")
    assert r.status_code == 200
    html = r.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script on the docs page"
    nonce = re.search(r'<style nonce="([^"]+)"', html).group(1)
    assert f"'nonce-{nonce}'" in _csp(r)["style-src"]


def test_no_template_has_inline_script_or_handlers():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for m in re.finditer(r"<script\b([^>]*)>", text):
            attrs = m.group(1)
            if "src=" not in attrs and "application/json" not in attrs:
                offenders.append(f"{path}: inline <script>")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path}: inline event handler")
        if re.search(r"href\s*=\s*[\"']javascript:", text):
            offenders.append(f"{path}: javascript: URL")
    assert offenders == []


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k" * 20 + "-a-long-random-looking-production-secret-0123456789",
        "ALLOWED_HOSTS": "rightscast.example",
    }
    env.pop("DATABASE_URL", None)
    r = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    code = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps([s.SECURE_SSL_REDIRECT,"
            " s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_INCLUDE_SUBDOMAINS]))")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    redirect, hsts, session_secure, csrf_secure, subdomains = json.loads(r.stdout.strip().splitlines()[-1])
    assert redirect and hsts >= 31_536_000 and session_secure and csrf_secure and subdomains


def test_hsts_and_redirect_behave_as_configured(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    r = client.get("/verify/")
    assert r.status_code == 301 and r["Location"].startswith("https://")
    r = client.get("/verify/", secure=True)
    assert r.status_code == 200 and r["Strict-Transport-Security"].startswith("max-age=31536000")
