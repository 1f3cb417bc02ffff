"""Job progress as server-sent events for API clients (`GET /api/jobs/<id>/events/`), the
alternative to the websocket for clients that hold a token and want plain HTTP.

Authenticated like the rest of the API (a Bearer token; a read-only one is enough), the job looked
up through `access_job` (another tenant's job is a 404, as everywhere). The stream sends the state
at once, then each change (read from the database, so it is true whatever process ran the job),
a comment line as a heartbeat, and closes itself: with `event: end` when the job reaches a final
state, or with `event: timeout` after `GENERATION_SSE_MAX_SECONDS` (the client reconnects, using
`Last-Event-ID` if it likes; every event carries an id). Bounded in time and in what it holds."""
from __future__ import annotations

import json
import time

from django.conf import settings
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.views import APIView

from .models import GenerationJob
from .progress import job_snapshot
from .selectors import access_job

HEARTBEAT_SECONDS = 15.0


class EventStreamRenderer(BaseRenderer):
    """Lets a client ask for `text/event-stream`; an error answer is one `error` event."""

    media_type = "text/event-stream"
    format = "sse"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return f"event: error\ndata: {json.dumps(data)}\n\n".encode()


def _event(name: str, data: dict, event_id: int) -> bytes:
    return f"id: {event_id}\nevent: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def job_events(job_id, *, max_seconds: float, poll_seconds: float):
    """The stream's lines: state now, each change, heartbeats; ends at a final state or the bound."""
    started = last_beat = time.monotonic()
    seq, last = 0, None
    yield f"retry: {int(max(poll_seconds, 1) * 1000)}\n\n".encode()
    while True:
        job = GenerationJob.objects.filter(pk=job_id).first()
        if job is None:
            yield _event("end", {"job_id": str(job_id), "status": "gone"}, seq + 1)
            return
        snap = job_snapshot(job)
        if snap != last:
            seq += 1
            last = snap
            yield _event("progress", snap, seq)
        if job.status in GenerationJob.TERMINAL:
            yield _event("end", {"job_id": str(job.pk), "status": job.status}, seq + 1)
            return
        now = time.monotonic()
        if now - started >= max_seconds:
            yield _event("timeout", {"job_id": str(job.pk), "after_seconds": max_seconds, "reconnect": True}, seq + 1)
            return
        if now - last_beat >= HEARTBEAT_SECONDS:
            last_beat = now
            yield b": keep-alive\n\n"
        time.sleep(min(poll_seconds, max(0.0, max_seconds - (now - started))))


class JobEventsApi(APIView):
    """Server-sent events of a job's progress: `progress` (the same object as GET /api/jobs/<id>/)
    at once and at each change, then `end` at a final state, or `timeout` after the bound."""

    renderer_classes = [JSONRenderer, EventStreamRenderer]

    @extend_schema(responses={(200, "text/event-stream"): OpenApiTypes.STR})
    def get(self, request, job_id):
        job = access_job(user=request.user, job_id=job_id)
        max_seconds = float(getattr(settings, "GENERATION_SSE_MAX_SECONDS", 300))
        poll = float(getattr(settings, "GENERATION_SSE_POLL_SECONDS", 0.5))
        response = StreamingHttpResponse(job_events(job.pk, max_seconds=max_seconds, poll_seconds=poll), content_type="text/event-stream")
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"  # proxies must not hold the stream back
        return response
