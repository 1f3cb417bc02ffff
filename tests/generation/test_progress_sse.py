"""Server-sent events for API clients: a token (read scope is enough) streams a job's progress,
the stream ends itself at a final state or after its bound, and nobody else's token, no token,
or another tenant's job gets a stream."""
import json
import time

import pytest

from accounts.models import User
from accounts.tokens import api_token_issue
from generation.models import Brief, GenerationJob
from tests.factories import UserFactory, active_licence

pytestmark = pytest.mark.django_db


def _job_for(licence):
    brief = Brief.objects.create(requester=licence.licensee, licence=licence, prompt="p", seed=1, status="accepted", decision={})
    return GenerationJob.objects.create(brief=brief, mark_id=654321)


def _events(chunks) -> list[tuple[str, dict]]:
    out = []
    for chunk in chunks:
        text = chunk.decode()
        if text.startswith("event:") or "\nevent:" in text:
            fields = dict(line.split(": ", 1) for line in text.strip().split("\n") if not line.startswith(":"))
            out.append((fields["event"], json.loads(fields["data"])))
    return out


def _get(client, job, key, **headers):
    return client.get(f"/api/jobs/{job.pk}/events/", HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT="text/event-stream", **headers)


def test_a_token_streams_changes_until_the_job_ends(client, settings):
    settings.GENERATION_SSE_POLL_SECONDS = 0.01
    licence, _, _ = active_licence()
    job = _job_for(licence)
    key = api_token_issue(user=licence.licensee, scope="read")[1]
    r = _get(client, job, key)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/event-stream") and r["Cache-Control"] == "no-cache"
    stream = iter(r.streaming_content)
    assert next(stream).startswith(b"retry: ")
    first = _events([next(stream)])
    assert first == [("progress", {**first[0][1], "status": "queued", "job_id": str(job.pk)})]
    GenerationJob.objects.filter(pk=job.pk).update(status="running", step=3, total_steps=8)
    second = _events([next(stream)])
    assert second[0][0] == "progress" and second[0][1]["status"] == "running" and second[0][1]["step"] == 3
    GenerationJob.objects.filter(pk=job.pk).update(status="failed", error="the GPU fell over")
    rest = _events(list(stream))  # the stream ends by itself
    assert [name for name, _ in rest] == ["progress", "end"]
    assert rest[0][1]["status"] == "failed" and rest[0][1]["error"] == "the GPU fell over"
    assert rest[1][1] == {"job_id": str(job.pk), "status": "failed"}


def test_the_stream_is_bounded_in_time(client, settings):
    settings.GENERATION_SSE_POLL_SECONDS = 0.05
    settings.GENERATION_SSE_MAX_SECONDS = 0.3
    licence, _, _ = active_licence()
    job = _job_for(licence)  # never moves
    key = api_token_issue(user=licence.licensee)[1]
    started = time.monotonic()
    events = _events(list(_get(client, job, key).streaming_content))
    assert time.monotonic() - started < 5
    assert [name for name, _ in events] == ["progress", "timeout"]
    assert events[1][1]["reconnect"] is True


def test_a_finished_job_streams_its_state_and_ends_at_once(client):
    licence, _, _ = active_licence()
    job = _job_for(licence)
    GenerationJob.objects.filter(pk=job.pk).update(status="cancelled")
    key = api_token_issue(user=licence.licensee)[1]
    events = _events(list(_get(client, job, key).streaming_content))
    assert [name for name, _ in events] == ["progress", "end"]


def test_another_tenants_token_no_token_and_bad_tokens_get_no_stream(client):
    licence, _, _ = active_licence()
    job = _job_for(licence)
    stranger = api_token_issue(user=UserFactory(kind=User.Kind.BRAND))[1]
    other_talent = api_token_issue(user=UserFactory(kind=User.Kind.TALENT))[1]
    for key in (stranger, other_talent):
        r = _get(client, job, key)
        assert r.status_code == 404 and not getattr(r, "streaming", False)
        assert b"event: error" in r.content and str(job.pk) not in r.content.decode()
    r = client.get(f"/api/jobs/{job.pk}/events/", HTTP_ACCEPT="text/event-stream")
    assert r.status_code == 401 and not getattr(r, "streaming", False)
    r = client.get(f"/api/jobs/{job.pk}/events/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert r.status_code == 401 and r.json()["detail"]
    r = client.get("/api/jobs/not-a-uuid/events/", HTTP_AUTHORIZATION=f"Bearer {stranger}")
    assert r.status_code == 404
    # the talent whose likeness it is may watch, as on the websocket
    talent_key = api_token_issue(user=licence.likeness.owner, scope="read")[1]
    GenerationJob.objects.filter(pk=job.pk).update(status="released")
    assert _get(client, job, talent_key).status_code == 200
