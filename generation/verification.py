"""The public verify answer for any uploaded image or MP4: the invisible watermark and the C2PA
manifest are read independently, so each names the generation on its own when the other was
stripped (a re-encode drops the manifest; heavy damage can drop the mark).

Only authenticated signals count: a watermark whose keyed check verifies under this platform's
key, and a manifest that is valid *and* signed by a certificate that chains to the configured
trust anchors (anybody can sign a manifest that names one of our generations with their own
certificate; that is reported, never believed)."""
from __future__ import annotations

import uuid

from accounts.errors import InvalidInput
from accounts.uploads import check_frame_size, current_budget, decode_image, sniff_video

from . import config
from .models import GenerationJob
from .provenance import credentials, watermark
from .selectors import job_by_mark

VIDEO_FRAMES_READ = 24  # frames spread over a clip whose marks are summed


def _read_video(data: bytes, *, name: str) -> int | None:
    try:
        width, height, _frames = watermark.probe_video(data)
    except ValueError:
        raise InvalidInput(f"'{name}' is not a readable video.", code="wrong_type")
    check_frame_size(width, height, name=name)
    budget = current_budget()  # every frame read draws on the request's decode budget
    count = budget.frames_allowed(width * height, VIDEO_FRAMES_READ)
    budget.charge(max(count, 1) * width * height, name=name)
    return watermark.extract_video(data, config.watermark_key(), max_frames=count, deadline=budget.deadline)


def _job_by_id(generation_id) -> GenerationJob | None:
    try:
        pk = uuid.UUID(str(generation_id))
    except ValueError:  # not one of our ids
        return None
    return GenerationJob.objects.select_related("brief__licence__likeness").filter(pk=pk).first()


def _summary(answer: dict) -> str:
    if not answer["made_here"]:
        if answer["c2pa_state"] == "valid" and not answer["c2pa_trusted"]:
            return (
                "Not made on Rightscast: no Rightscast watermark, and its content credentials were "
                "signed by someone this site does not trust."
            )
        if answer["c2pa_state"] == "invalid":
            return "Not made on Rightscast as far as we can tell: no watermark, and its content credentials do not validate."
        return "Not made on Rightscast: it carries no Rightscast watermark and no Rightscast content credentials."
    found = " and ".join({"watermark": "its invisible watermark", "c2pa": "its content credentials"}[s] for s in answer["found_by"])
    parts = [f"Made on Rightscast (found by {found})."]
    status = answer["licence_status"]
    parts.append("Its licence is active." if answer["licence_valid"] else f"Its licence is {status}: it no longer covers this output.")
    if answer["taken_down"]:
        parts.append("The output has been taken down.")
    if answer["signals_agree"] is False:
        parts.append("The watermark and the content credentials name different generations: the file was altered.")
    return " ".join(parts)


_IMAGE_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"avif")  # ISO-BMFF files that are stills


_WORST = ["revoked", "expired", "suspended", "pending", "active"]


def _chain_status(job: GenerationJob) -> str:
    """The weakest status among every licence the output was made under and every licence of
    its remix ancestors: revoking a parent's rights flags its remixes too."""
    from licensing.models import UsageRecord

    statuses = {lic.status for lic in job.brief.licences()}
    node = UsageRecord.objects.filter(reference=str(job.brief_id)).exclude(parent=None).select_related("parent").first()
    node = node.parent if node else None
    seen = set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        statuses |= set(UsageRecord.objects.filter(reference=node.reference).values_list("licence__status", flat=True))
        node = node.parent
    return min(statuses, key=lambda st: _WORST.index(st) if st in _WORST else 0)


def verify_bytes(data: bytes, *, name: str = "file") -> dict:
    video_mime = sniff_video(data) if data[8:12] not in _IMAGE_BRANDS else None
    key = config.watermark_key()
    anchors = config.signing_material().trust_anchor_pem
    if video_mime:
        media = "video"
        report = credentials.read(data, mime=video_mime, trust_anchor_pem=anchors)
        mark_id = _read_video(data, name=name)
    else:
        media = "image"
        upload = decode_image(data, name=name)  # InvalidInput for anything that is not an image
        report = credentials.read(data, mime=upload.mime, trust_anchor_pem=anchors)
        mark_id = watermark.extract(upload.image, key)

    by_mark = job_by_mark(mark_id=mark_id) if mark_id is not None else None
    trusted_claim = report.state == "valid" and report.trusted and report.licence
    by_c2pa = _job_by_id(report.licence.get("generation_id")) if trusted_claim else None
    # Both authenticated; the manifest also binds these exact bytes, so it wins a disagreement.
    job = by_c2pa or by_mark
    found_by = [s for s, j in (("watermark", by_mark), ("c2pa", by_c2pa)) if j is not None]
    licence = job.brief.licence if job else None
    status = _chain_status(job) if job else None
    answer = {
        "made_here": job is not None,
        "verdict": "made_here" if job is not None else "not_made_here",
        "media": media,
        "found_by": found_by,
        "signals_agree": (by_mark.pk == by_c2pa.pk) if (by_mark and by_c2pa) else None,
        "generation_id": str(job.pk) if job else None,
        "output_status": job.status if job else None,
        "taken_down": bool(job and job.taken_down_at),
        "taken_down_at": job.taken_down_at.isoformat() if job and job.taken_down_at else None,
        "licence_id": str(licence.pk) if licence else None,
        "licence_status": status,
        "licence_valid": status == "active",
        "likeness": licence.holding.name if licence else None,
        "created_at": job.finished_at.isoformat() if job and job.finished_at else None,
        "watermark": "found" if mark_id is not None else "not found",
        "watermark_matches": job is not None and mark_id is not None and job.mark_id == mark_id,
        "c2pa_state": report.state,
        "c2pa_trusted": report.trusted,
        "c2pa_issues": list(report.issues),
    }
    answer["summary"] = _summary(answer)
    return answer
