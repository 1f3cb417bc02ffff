"""The public verify answer for any uploaded file: the invisible watermark and the C2PA manifest
are read independently, so each works when the other was stripped."""
from __future__ import annotations

from accounts.uploads import decode_image

from . import config
from .provenance import credentials, watermark
from .selectors import job_by_mark


def verify_bytes(data: bytes, *, name: str = "file") -> dict:
    upload = decode_image(data, name=name)  # InvalidInput for anything that is not an image
    report = credentials.read(data, mime=upload.mime, trust_anchor_pem=config.signing_material().trust_anchor_pem)
    mark_id = watermark.extract(upload.image, config.watermark_key())
    job = job_by_mark(mark_id=mark_id) if mark_id is not None else None
    if job is None and report.state == "valid" and report.licence:
        from .models import GenerationJob

        job = (
            GenerationJob.objects.select_related("brief__licence__likeness")
            .filter(pk=report.licence.get("generation_id"))
            .first()
        )
    licence = job.brief.licence if job else None
    return {
        "made_here": job is not None,
        "generation_id": str(job.pk) if job else None,
        "licence_id": str(licence.pk) if licence else None,
        "licence_status": licence.status if licence else None,
        "licence_valid": bool(licence and licence.status == "active"),
        "likeness": licence.likeness.name if licence else None,
        "created_at": job.finished_at.isoformat() if job and job.finished_at else None,
        "watermark": "found" if mark_id is not None else "not found",
        "watermark_matches": job is not None and mark_id is not None and job.mark_id == mark_id,
        "c2pa_state": report.state,
        "c2pa_trusted": report.trusted,
        "c2pa_issues": list(report.issues),
    }
