"""Job progress as server-sent events for API clients (`GET /api/jobs/<id>/events/`), the
alternative to the websocket for clients that hold a token and want plain HTTP.

Authenticated like the rest of the API (a Bearer token; a read-only one is enough), the job looked
up through `access_job` (another tenant's job is a 404, as everywhere). The stream sends the state
at once, then each change (read from the database, so it is true whatever process ran the job),
a comment line as a heartbeat, and closes itself: with `event: end` when the job reaches a final
state (`gone` if the job was deleted), or with `event: timeout` after `GENERATION_SSE_MAX_SECONDS`
(the client reconnects, using `Last-Event-ID` if it likes; every event carries an id). Bounded in
time and in what it holds.

The stream is an async generator: it does not poll. It joins the job's Channels group
(`progress.group_name`, the group the worker's `progress.push` and the websocket use) on a channel
of its own and waits on the channel layer; a message only wakes it, and it re-reads the job (the
database stays the truth, a push may be stale or lost). While it waits it holds no thread and runs
no query. Served by Daphne (ASGI) it streams; served synchronously (WSGI, Django's sync test
client) Django consumes an async iterator whole before sending it, with a warning, so there the
client gets every event at the stream's end: ASGI is how this is served."""
from __future__ import annotations

import asyncio
import json
import logging
import time

from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.views import APIView

from .models import GenerationJob
from .progress import group_name, job_snapshot
from .selectors import access_job

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0
# How often a stream re-reads its job when no push came, with a channel layer other processes
# share (Redis): pushes cross processes there, so this only catches what no push announces (a push
# lost while Redis restarted, a job deleted, a write made without a push).
SHARED_LAYER_FALLBACK_SECONDS = 5.0


class EventStreamRenderer(BaseRenderer):
    """Lets a client ask for `text/event-stream`; an error answer is one `error` event."""

    media_type = "text/event-stream"
    format = "sse"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return f"event: error\ndata: {json.dumps(data)}\n\n".encode()


def _event(name: str, data: dict, event_id: int) -> bytes:
    return f"id: {event_id}\nevent: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def fallback_seconds(layer, poll_seconds: float) -> float:
    """How long a stream waits on the layer before it re-reads the job anyway.

    `GENERATION_SSE_FALLBACK_SECONDS` when set (above 0). Otherwise: with the in-memory layer (the
    default without Redis) the poll interval, `GENERATION_SSE_POLL_SECONDS`, as before the stream
    listened at all, because that layer lives in one process and a job run by a worker in another
    process pushes where this stream never hears it; with a shared layer (Redis) every push arrives,
    so a few seconds (`SHARED_LAYER_FALLBACK_SECONDS`) only bound how late an unannounced change
    (a lost push, a deleted job) is seen, at one query per watcher per interval instead of two a
    second. No layer, or one that failed: the poll interval."""
    configured = float(getattr(settings, "GENERATION_SSE_FALLBACK_SECONDS", 0) or 0)
    if configured > 0:
        return configured
    if layer is None or isinstance(layer, InMemoryChannelLayer):
        return poll_seconds
    return max(poll_seconds, SHARED_LAYER_FALLBACK_SECONDS)


def _read(job_id):
    """The job's state now (None once it is deleted), and whether it is final."""
    job = GenerationJob.objects.filter(pk=job_id).first()
    if job is None:
        return None, None, False
    return job.pk, job_snapshot(job), job.status in GenerationJob.TERMINAL


async def job_events(job_id, *, max_seconds: float, poll_seconds: float, fallback: float | None = None, layer=None):
    """The stream's lines: state now, each change, heartbeats; ends at a final state or the bound.

    Waits on its own channel in the job's group; a message (whatever it says) or `fallback`
    seconds without one makes it re-read the job. A layer that cannot be joined or fails while
    listened to (Redis down) is logged and the stream polls every `poll_seconds` instead, as the
    push itself is best effort. The group is always left, however the stream ends (its end, the
    bound, the client gone: Django cancels the response's task)."""
    started = last_beat = time.monotonic()
    seq, last = 0, None
    yield f"retry: {int(max(poll_seconds, 1) * 1000)}\n\n".encode()
    layer = get_channel_layer() if layer is None else layer
    group, channel, receiving = group_name(job_id), None, None
    wait = poll_seconds
    if layer is not None:
        try:
            channel = await layer.new_channel()
            await layer.group_add(group, channel)
            wait = fallback_seconds(layer, poll_seconds) if fallback is None else fallback
        except Exception as exc:  # noqa: BLE001
            log.warning("progress stream for job %s polls: channel layer not joined: %s", job_id, exc)
            channel = None
    try:
        while True:
            pk, snap, final = await sync_to_async(_read)(job_id)
            if pk is None:
                yield _event("end", {"job_id": str(job_id), "status": "gone"}, seq + 1)
                return
            if snap != last:
                seq += 1
                last = snap
                yield _event("progress", snap, seq)
            if final:
                yield _event("end", {"job_id": str(pk), "status": snap["status"]}, seq + 1)
                return
            now = time.monotonic()
            if now - started >= max_seconds:
                yield _event("timeout", {"job_id": str(pk), "after_seconds": max_seconds, "reconnect": True}, seq + 1)
                return
            if now - last_beat >= HEARTBEAT_SECONDS:
                last_beat = now
                yield b": keep-alive\n\n"
            timeout = max(0.0, min(wait, max_seconds - (now - started), HEARTBEAT_SECONDS - (now - last_beat)))
            if channel is None:
                await asyncio.sleep(timeout)
                continue
            # one receive outlives the timeouts (it is not cancelled and restarted at each wait)
            if receiving is None:
                receiving = asyncio.ensure_future(layer.receive(channel))
            done, _ = await asyncio.wait({receiving}, timeout=timeout)
            if done:
                finished, receiving = receiving, None
                try:
                    finished.result()
                except Exception as exc:  # noqa: BLE001
                    log.warning("progress stream for job %s polls: channel layer failed: %s", job_id, exc)
                    await _leave(layer, group, channel)
                    channel, wait = None, poll_seconds
    finally:
        if receiving is not None:
            receiving.cancel()
            await asyncio.gather(receiving, return_exceptions=True)
        if channel is not None:
            await _leave(layer, group, channel)


async def _leave(layer, group: str, channel: str) -> None:
    try:
        await layer.group_discard(group, channel)
    except Exception as exc:  # noqa: BLE001
        log.warning("progress stream did not leave %s: %s", group, exc)


class JobEventsApi(APIView):
    """Server-sent events of a job's progress: `progress` (the same object as GET /api/jobs/<id>/)
    at once and at each change, then `end` at a final state, or `timeout` after the bound."""

    renderer_classes = [JSONRenderer, EventStreamRenderer]

    @extend_schema(responses={(200, "text/event-stream"): OpenApiTypes.STR})
    def get(self, request, job_id):
        job = access_job(user=request.user, job_id=job_id)
        max_seconds = float(getattr(settings, "GENERATION_SSE_MAX_SECONDS", 300))
        poll = float(getattr(settings, "GENERATION_SSE_POLL_SECONDS", 0.5))
        # an async iterator: Daphne streams it without a thread; WSGI would buffer it (docstring)
        response = StreamingHttpResponse(job_events(job.pk, max_seconds=max_seconds, poll_seconds=poll), content_type="text/event-stream")
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"  # proxies must not hold the stream back
        return response
