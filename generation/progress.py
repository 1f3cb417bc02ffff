"""Job progress to browsers and API clients: one Channels group per job. Always sent after
commit, so nobody is told of a state the database does not hold."""
from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.urls import reverse

log = logging.getLogger(__name__)


def group_name(job_id) -> str:
    return f"job-{job_id}"


def job_snapshot(job) -> dict:
    return {
        "job_id": str(job.pk),
        "status": job.status,
        "step": job.step,
        "total_steps": job.total_steps,
        "error": job.error,
        "output_url": reverse("api-job-output", args=[job.pk]) if job.status == "released" and not job.taken_down_at else None,
        "taken_down": bool(job.taken_down_at),
        "preview": job.preview if job.status == "running" else "",
    }


def _send(job_id, payload: dict) -> None:
    """Best effort: a channel layer that is down (Redis restarting) never fails the job; clients
    fall back to polling the API, which reads the database."""
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(group_name(job_id), {"type": "job.progress", "payload": payload})
    except Exception as exc:  # noqa: BLE001
        log.warning("progress for job %s not pushed: %s", job_id, exc)


def push(job) -> None:
    payload = job_snapshot(job)
    transaction.on_commit(lambda: _send(job.pk, payload))
