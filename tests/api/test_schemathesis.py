"""Schemathesis against the live API of a test server, once per role (brand, talent, studio,
creator, moderator, anonymous), each with its own objects to find: bounded in examples and time;
0 server errors and 0 answers that disagree with the schema."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.models import User
from accounts.tokens import api_token_issue
from tests.factories import UserFactory, active_licence, listed_likeness, studio_with_asset

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]
ROLES = ["brand", "talent", "studio", "creator", "moderator", "anonymous"]
SECONDS_PER_ROLE = int(os.environ.get("SCHEMATHESIS_SECONDS", "25"))
ST = Path(sys.executable).with_name("st")


def _user_for(role: str) -> User | None:
    if role == "anonymous":
        return None
    if role == "brand":
        licence, _, _ = active_licence()
        return licence.licensee
    if role == "talent":
        likeness, _ = listed_likeness()
        return likeness.owner
    if role == "studio":
        _, member = studio_with_asset()
        return member
    return UserFactory(kind=getattr(User.Kind, role.upper()))


@pytest.fixture
def queued_not_rendered():
    """Briefs are queued, not rendered inside the request (no worker here): this is about the API."""
    from config.celery import app

    was = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = was


@pytest.mark.parametrize("role", ROLES)
def test_the_live_api_keeps_to_its_schema(live_server, role, settings, tmp_path, queued_not_rendered):
    settings.SECURITY_LIMITS = {**settings.SECURITY_LIMITS, "verify": "5/m/ip"}
    settings.CONTENT_SCREENING_SEMANTIC = False  # lexical screening only: the API's shape, not the model, is under test
    user = _user_for(role)
    cmd = [
        str(ST), "run", f"{live_server.url}/api/schema/", "--url", live_server.url,
        "--checks", "not_a_server_error,response_schema_conformance",
        "--max-examples", "8", "--max-time", str(SECONDS_PER_ROLE), "--seed", "15",
        "--phases", os.environ.get("SCHEMATHESIS_PHASES", "examples,coverage,fuzzing,stateful"),
        # revoking the run's own token ends the run; a job's event stream lasts until the job ends
        # (no worker here: its bound, minutes), and tests/generation/test_progress_sse.py covers it
        "--exclude-path-regex", "/api/auth/tokens/|/api/jobs/[^/]+/events/",
        "--request-timeout", "60", "--no-shrink", "--warnings", "off",
        "--suppress-health-check", "all",
        "--report", "junit", "--report-dir", str(tmp_path),
    ]
    if user is not None:
        _, key = api_token_issue(user=user, name="schemathesis")
        cmd += ["--header", f"Authorization: Bearer {key}"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=SECONDS_PER_ROLE * 4 + 60, cwd=tmp_path)  # its cache stays out of the tree
    out = r.stdout + r.stderr
    Path(os.environ.get("SCHEMATHESIS_LOG_DIR", tmp_path)).joinpath(f"schemathesis-{role}.log").write_text(out)
    assert r.returncode == 0, out[-6000:]
