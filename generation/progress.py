"""Job progress to browsers and API clients: one Channels group per job. Always sent after
commit, so nobody is told of a state the database does not hold."""
from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.urls import reverse


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
    }


def _send(job_id, payload: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group_name(job_id), {"type": "job.progress", "payload": payload})


def push(job) -> None:
    payload = job_snapshot(job)
    transaction.on_commit(lambda: _send(job.pk, payload))
