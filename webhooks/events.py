"""The events other apps emit, with their payloads in one place (the README documents them).
Each is called inside the transaction that made it happen; delivery follows after commit."""
from __future__ import annotations

from .services import webhook_emit


def approval_decided(approval) -> None:
    webhook_emit(user_id=approval.requester_id, event="approval.decided", data={
        "approval_id": str(approval.pk), "kind": approval.kind, "brief_id": approval.reference, "status": approval.status,
        "reason": approval.reason, "decided_at": approval.decided_at,
    })


def licence_revoked(licence, *, reason: str = "") -> None:
    webhook_emit(user_id=licence.licensee_id, event="licence.revoked", data={
        "licence_id": str(licence.pk), "status": licence.status, "reason": reason,
    })


def brief_refused(brief) -> None:
    webhook_emit(user_id=brief.requester_id, event="brief.refused", data={
        "brief_id": str(brief.pk), "status": brief.status, "reasons": (brief.decision or {}).get("reasons", []),
    })


def job_finished(job) -> None:
    released = job.status == "released"
    webhook_emit(user_id=job.brief.requester_id, event="job.finished", data={
        "job_id": str(job.pk), "brief_id": str(job.brief_id), "status": job.status, "error": job.error,
        "output_url": f"/api/jobs/{job.pk}/output/" if released else None, "output_sha256": job.output_sha256 or None,
    })
