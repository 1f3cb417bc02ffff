"""Server-sent events for API clients: a token (read scope is enough) streams a job's progress,
the stream ends itself at a final state or after its bound, and nobody else's token, no token,
or another tenant's job gets a stream. The stream is an async iterator that waits on the job's
Channels group: streamed under ASGI (the async client here, Daphne in service), consumed whole
under WSGI (Django's sync client)."""
import asyncio
import json
import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.test import AsyncClient

from accounts.models import User
from accounts.tokens import api_token_issue
from generation import progress
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


async def _aget(job, key):
    return await AsyncClient().get(f"/api/jobs/{job.pk}/events/", headers={"authorization": f"Bearer {key}", "accept": "text/event-stream"})


async def _next_event(stream, timeout=10.0) -> tuple[str, dict]:
    """The next event, heartbeats and the retry line skipped; fails after `timeout` seconds."""
    while True:
        events = _events([await asyncio.wait_for(anext(stream), timeout)])
        if events:
            return events[0]


async def _rest(stream) -> list[tuple[str, dict]]:
    return _events([chunk async for chunk in stream])


@pytest.fixture
def layer_calls(monkeypatch):
    """The stream's joins and leaves of job groups, recorded on the real channel layer."""
    layer = get_channel_layer()
    calls = []
    for name in ("group_add", "group_discard"):
        real = getattr(layer, name)

        async def spy(group, channel, _real=real, _name=name):
            calls.append((_name, group, channel))
            return await _real(group, channel)

        monkeypatch.setattr(layer, name, spy)
    return calls


def _members(job) -> set:
    """Channels in the job's group, where the layer is the in-memory one (the default here)."""
    return set(getattr(get_channel_layer(), "groups", {}).get(progress.group_name(job.pk), {}))


def test_a_token_streams_changes_until_the_job_ends(settings):
    settings.GENERATION_SSE_FALLBACK_SECONDS = 0.01  # changes below are written without a push: the fallback poll sees them
    licence, _, _ = active_licence()
    job = _job_for(licence)
    key = api_token_issue(user=licence.licensee, scope="read")[1]

    async def scenario():
        r = await _aget(job, key)
        assert r.status_code == 200 and r["Content-Type"].startswith("text/event-stream") and r["Cache-Control"] == "no-cache"
        assert r.is_async
        stream = aiter(r.streaming_content)
        assert (await anext(stream)).startswith(b"retry: ")
        first = _events([await anext(stream)])
        assert first == [("progress", {**first[0][1], "status": "queued", "job_id": str(job.pk)})]
        await sync_to_async(GenerationJob.objects.filter(pk=job.pk).update)(status="running", step=3, total_steps=8)
        second = await _next_event(stream)
        assert second[0] == "progress" and second[1]["status"] == "running" and second[1]["step"] == 3
        await sync_to_async(GenerationJob.objects.filter(pk=job.pk).update)(status="failed", error="the GPU fell over")
        return await _rest(stream)  # the stream ends by itself

    rest = async_to_sync(scenario)()
    assert [name for name, _ in rest] == ["progress", "end"]
    assert rest[0][1]["status"] == "failed" and rest[0][1]["error"] == "the GPU fell over"
    assert rest[1][1] == {"job_id": str(job.pk), "status": "failed"}


def test_a_pushed_change_reaches_an_open_stream_without_waiting_for_the_fallback(settings, layer_calls, django_capture_on_commit_callbacks):
    """The service's push (generation.progress.push, after commit) wakes the stream: with the
    fallback poll at 30 s, each change still arrives within seconds."""
    settings.GENERATION_SSE_FALLBACK_SECONDS = 30
    settings.GENERATION_SSE_MAX_SECONDS = 120
    licence, _, _ = active_licence()
    job = _job_for(licence)
    key = api_token_issue(user=licence.licensee, scope="read")[1]

    def change(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            GenerationJob.objects.filter(pk=job.pk).update(**fields)
            progress.push(GenerationJob.objects.get(pk=job.pk))

    async def scenario():
        stream = aiter((await _aget(job, key)).streaming_content)
        assert (await _next_event(stream))[1]["status"] == "queued"
        assert len(_members(job)) == 1 or not hasattr(get_channel_layer(), "groups")
        started = time.monotonic()
        await sync_to_async(change)(status="running", step=1, total_steps=4)
        running = await _next_event(stream, timeout=15)
        took_running = time.monotonic() - started
        started = time.monotonic()
        await sync_to_async(change)(status="failed", error="out of memory")
        rest = await asyncio.wait_for(_rest(stream), 15)
        return running, took_running, rest, time.monotonic() - started

    running, took_running, rest, took_rest = async_to_sync(scenario)()
    assert running[0] == "progress" and running[1]["status"] == "running" and running[1]["step"] == 1
    assert [name for name, _ in rest] == ["progress", "end"] and rest[1][1]["status"] == "failed"
    assert took_running < 15 and took_rest < 15  # the fallback would have taken 30 s
    (added,) = [c for c in layer_calls if c[0] == "group_add"]
    assert added[1] == progress.group_name(job.pk)
    assert ("group_discard", added[1], added[2]) in layer_calls  # left at the end
    assert _members(job) == set()


async def _opened(job, key):
    """The job's event stream, its first event (the state at once) read."""
    stream = aiter((await _aget(job, key)).streaming_content)
    await _next_event(stream)
    return stream


def test_the_group_is_left_when_the_client_goes(settings, layer_calls):
    """Daphne cancels the response's task when the client disconnects: the stream leaves the group."""
    settings.GENERATION_SSE_FALLBACK_SECONDS = 30
    licence, _, _ = active_licence()
    job = _job_for(licence)
    key = api_token_issue(user=licence.licensee)[1]

    async def scenario():
        stream = await _opened(job, key)
        waiting = asyncio.ensure_future(anext(stream))  # waits on the layer: nothing changes
        await asyncio.sleep(0.2)
        assert not waiting.done()
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting

    async_to_sync(scenario)()
    assert [c[0] for c in layer_calls] == ["group_add", "group_discard"]
    assert _members(job) == set()


def test_a_job_deleted_mid_stream_ends_it_with_gone(settings, layer_calls):
    settings.GENERATION_SSE_FALLBACK_SECONDS = 0.05  # a deletion is not pushed: the fallback poll finds it
    licence, _, _ = active_licence()
    job = _job_for(licence)
    key = api_token_issue(user=licence.licensee)[1]

    async def scenario():
        stream = await _opened(job, key)
        await sync_to_async(GenerationJob.objects.filter(pk=job.pk).delete)()
        return await asyncio.wait_for(_rest(stream), 15)

    assert async_to_sync(scenario)() == [("end", {"job_id": str(job.pk), "status": "gone"})]
    assert [c[0] for c in layer_calls] == ["group_add", "group_discard"]


def test_the_stream_is_bounded_in_time(settings):
    settings.GENERATION_SSE_POLL_SECONDS = 0.05
    settings.GENERATION_SSE_MAX_SECONDS = 0.3
    licence, _, _ = active_licence()
    job = _job_for(licence)  # never moves
    key = api_token_issue(user=licence.licensee)[1]

    async def scenario():
        return await asyncio.wait_for(_rest(aiter((await _aget(job, key)).streaming_content)), 15)

    started = time.monotonic()
    events = async_to_sync(scenario)()
    assert time.monotonic() - started < 5
    assert [name for name, _ in events] == ["progress", "timeout"]
    assert events[1][1]["reconnect"] is True


def test_a_finished_job_streams_its_state_and_ends_at_once():
    licence, _, _ = active_licence()
    job = _job_for(licence)
    GenerationJob.objects.filter(pk=job.pk).update(status="cancelled")
    key = api_token_issue(user=licence.licensee)[1]

    async def scenario():
        return await _rest(aiter((await _aget(job, key)).streaming_content))

    events = async_to_sync(scenario)()
    assert [name for name, _ in events] == ["progress", "end"]


def test_served_synchronously_the_stream_is_consumed_whole(client):
    """Under WSGI (the sync client) Django consumes the async iterator to its end and warns: the
    events are all there, at the end. ASGI (Daphne) is what streams."""
    licence, _, _ = active_licence()
    job = _job_for(licence)
    GenerationJob.objects.filter(pk=job.pk).update(status="released")
    key = api_token_issue(user=licence.licensee)[1]
    r = _get(client, job, key)
    assert r.status_code == 200
    with pytest.warns(Warning, match="must consume asynchronous iterators"):
        chunks = list(r)
    assert chunks[0].startswith(b"retry: ")
    assert [name for name, _ in _events(chunks)] == ["progress", "end"]


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


def test_another_tenant_gets_a_404_from_the_async_stream_and_joins_no_group(layer_calls):
    licence, _, _ = active_licence()
    job = _job_for(licence)
    stranger = api_token_issue(user=UserFactory(kind=User.Kind.BRAND))[1]

    async def scenario():
        return await _aget(job, stranger)

    r = async_to_sync(scenario)()
    assert r.status_code == 404 and not getattr(r, "streaming", False)
    assert b"event: error" in r.content and str(job.pk) not in r.content.decode()
    assert layer_calls == []


def test_the_fallback_poll_follows_the_layer(settings):
    """In-memory layer (blind to other processes): the poll interval; a shared one: a few seconds;
    the setting, when given, wins."""
    from channels.layers import InMemoryChannelLayer

    from generation.sse import SHARED_LAYER_FALLBACK_SECONDS, fallback_seconds

    settings.GENERATION_SSE_FALLBACK_SECONDS = 0
    assert fallback_seconds(InMemoryChannelLayer(), 0.5) == 0.5
    assert fallback_seconds(None, 0.5) == 0.5
    assert fallback_seconds(object(), 0.5) == SHARED_LAYER_FALLBACK_SECONDS >= 2
    settings.GENERATION_SSE_FALLBACK_SECONDS = 30
    assert fallback_seconds(InMemoryChannelLayer(), 0.5) == fallback_seconds(object(), 0.5) == 30
