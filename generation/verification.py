"""The public verify answer for any uploaded image or MP4: the invisible watermark and the C2PA
manifest are read independently, so each names the generation on its own when the other was
stripped (a re-encode drops the manifest; heavy damage can drop the mark).  Three verdicts:
``made_here`` (by mark, by credentials or both, with a confidence), ``other_signer`` (valid
credentials from a signer we do not vouch for) and ``no_mark_found``, which never claims the file
was not made here.  A file found by its mark alone gets its original manifest back from the
repository (``manifest.recovered``).

Only authenticated signals count: a watermark whose keyed check verifies under this platform's
key, and a manifest that is valid *and* signed by a certificate that chains to the configured
trust anchors (anybody can sign a manifest that names one of our generations with their own
certificate; that is reported, never believed)."""
from __future__ import annotations

import uuid

from django.urls import NoReverseMatch, reverse

from accounts.errors import InvalidInput
from accounts.uploads import check_frame_size, current_budget, decode_image, sniff_video

from . import config
from .models import Brief, GenerationJob, StoredManifest
from .provenance import credentials, watermark
from .selectors import job_by_mark

VIDEO_FRAMES_READ = 48  # frames spread over a clip whose marks are summed (extract_video's default)


def _read_video(data: bytes, *, name: str) -> int | None:
    try:
        width, height, _frames = watermark.probe_video(data)
    except ValueError:
        raise InvalidInput(f"'{name}' is not a readable video.", code="wrong_type")
    check_frame_size(width, height, name=name)
    budget = current_budget()  # every frame read draws on the request's decode budget
    # every pass over the frames is charged: the whole-frame sums, then one read again about the
    # geometries the search found (watermark.VIDEO_PASSES in all)
    count = budget.frames_allowed(width * height * watermark.VIDEO_PASSES, VIDEO_FRAMES_READ)
    budget.charge(max(count, 1) * width * height * watermark.VIDEO_PASSES, name=name)
    return watermark.extract_video(data, config.watermark_key(), max_frames=count, deadline=budget.deadline)


def _job_by_id(generation_id) -> GenerationJob | None:
    try:
        pk = uuid.UUID(str(generation_id))
    except ValueError:  # not one of our ids
        return None
    return GenerationJob.objects.select_related("brief__licence__likeness").filter(pk=pk).first()


def _summary(answer: dict) -> str:
    """One paragraph in plain words.  Without a mark it never says the file was not made here: a
    heavy edit can remove the mark, and we cannot know."""
    if answer["verdict"] == "other_signer":
        return (
            f"No Rightscast watermark found. Its content credentials were signed by someone else"
            f"{' (' + answer['c2pa_signer'] + ')' if answer['c2pa_signer'] else ''}, whom this site does not vouch for."
        )
    if answer["verdict"] == "no_mark_found":
        why = (
            " Its content credentials do not validate: the file changed after they were signed."
            if answer["c2pa_state"] == "invalid" else ""
        )
        return (
            "No Rightscast mark found." + why + " That does not show it was not made on Rightscast: "
            "heavy edits (a rotation, a crop from several sides, strong compression) can remove the "
            "mark, and re-encoding removes the credentials."
        )
    found = " and ".join({"watermark": "its invisible watermark", "c2pa": "its content credentials"}[s] for s in answer["found_by"])
    parts = [f"Made on Rightscast (found by {found}; confidence {answer['confidence'].replace('_', ' ')})."]
    status = answer["licence_status"]
    parts.append("Its licence is active." if answer["licence_valid"] else f"Its licence is {status}: it no longer covers this output.")
    if answer["taken_down"]:
        parts.append("The output has been taken down.")
    if answer["signals_agree"] is False:
        parts.append("The watermark and the content credentials name different generations: the file was altered.")
    if answer["manifest"] and answer["manifest"]["recovered"]:
        parts.append("Its content credentials were stripped; the originals are kept here and linked below.")
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


def _lineage(job: GenerationJob, *, limit: int = 20) -> list[dict]:
    """The remix ancestors, parent first: each one's generation and licence state today."""
    out, brief, seen = [], job.brief, set()
    while brief.parent_id and brief.parent_id not in seen and len(out) < limit:
        seen.add(brief.parent_id)
        brief = Brief.objects.select_related("licence", "job").get(pk=brief.parent_id)
        parent_job = getattr(brief, "job", None)
        out.append(
            {
                "generation_id": str(parent_job.pk) if parent_job else None,
                "licence_id": str(brief.licence_id),
                "licence_status": brief.licence.status,
                "taken_down": bool(parent_job and parent_job.taken_down_at),
                "output_sha256": parent_job.output_sha256 if parent_job else None,
            }
        )
    return out


def _training(job: GenerationJob) -> dict:
    """cawg.training-mining as the licences state it today (allowed only if every one allows)."""
    use = credentials.training_use(all(getattr(lic.terms, "ai_training", None) is True for lic in job.brief.licences()))
    return dict.fromkeys(credentials.TRAINING_MINING_ENTRIES, use)


def report_misuse_url() -> str:
    """Where misuse is reported: the reports page once it exists (#10), else the verify page's
    explanation."""
    try:
        return reverse("report-misuse")
    except NoReverseMatch:
        return reverse("generation:verify") + "#report-misuse"


def _standing(status: str | None, taken_down: bool) -> str | None:
    if status is None:
        return None
    if taken_down:
        return "taken_down"
    return "stands" if status == "active" else status


def mark_of(data: bytes, *, name: str = "file") -> int | None:
    """The watermark id carried by an image or video, or None (InvalidInput for other files)."""
    if sniff_video(data) and data[8:12] not in _IMAGE_BRANDS:
        return _read_video(data, name=name)
    image = decode_image(data, name=name).image
    return watermark.extract(image, config.watermark_key(), deadline=current_budget().deadline)


def verify_bytes(data: bytes, *, name: str = "file") -> dict:
    """The verify answer (its shape is documented in the API schema and stays stable: fields are
    only ever added).  Bounded: the caller reads at most UPLOAD_MAX_BYTES (accounts.uploads),
    images are decoded under UPLOAD_MAX_PIXELS, video reads at most VIDEO_FRAMES_READ frames."""
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
        mark_id = watermark.extract(upload.image, key, deadline=current_budget().deadline)

    by_mark = job_by_mark(mark_id=mark_id) if mark_id is not None else None
    trusted_claim = report.state == "valid" and report.trusted and report.licence
    by_c2pa = _job_by_id(report.licence.get("generation_id")) if trusted_claim else None
    # Both authenticated; the manifest also binds these exact bytes, so it wins a disagreement.
    job = by_c2pa or by_mark
    found_by = [s for s, j in (("watermark", by_mark), ("c2pa", by_c2pa)) if j is not None]
    licence = job.brief.licence if job else None
    status = _chain_status(job) if job else None
    taken_down = bool(job and job.taken_down_at)
    if job is not None:
        verdict = "made_here"
    elif report.state == "valid":
        verdict = "other_signer"
    else:
        verdict = "no_mark_found"
    agree = (by_mark.pk == by_c2pa.pk) if (by_mark and by_c2pa) else None
    if job is None:
        confidence = None
    elif agree:
        confidence = "very_high"  # two independent keyed signals name the same generation
    elif agree is False:
        confidence = "altered"
    else:
        confidence = "high"  # one signal: a 24-bit keyed check, or a trusted signature over these bytes
    # The repository serves released outputs only (one held for approval was never published).
    released = job is not None and job.status == GenerationJob.Status.RELEASED
    stored = StoredManifest.objects.filter(job=job).only("manifest_id").first() if released else None
    development = credentials.DEV_SIGNER_NAME in (report.signer or "")
    answer = {
        "made_here": job is not None,
        "verdict": verdict,
        "confidence": confidence,
        "media": media,
        "found_by": found_by,
        "signals_agree": agree,
        "generation_id": str(job.pk) if job else None,
        "output_status": job.status if job else None,
        "taken_down": taken_down,
        "taken_down_at": job.taken_down_at.isoformat() if job and job.taken_down_at else None,
        "licence_id": str(licence.pk) if licence else None,
        "licence_status": status,
        "licence_valid": status == "active",
        "licence_standing": _standing(status, taken_down),
        "likeness": licence.holding.name if licence else None,
        "created_at": job.finished_at.isoformat() if job and job.finished_at else None,
        "training_mining": _training(job) if job else None,
        "lineage": _lineage(job) if job else [],
        "manifest": {
            "id": stored.manifest_id,
            "url": reverse("c2pa-manifest", args=[stored.manifest_id]),
            "recovered": not (report.state == "valid" and report.manifest_id == stored.manifest_id),
        } if stored else None,
        "watermark": "found" if mark_id is not None else "not found",
        "watermark_matches": job is not None and mark_id is not None and job.mark_id == mark_id,
        "c2pa_state": report.state,
        "c2pa_trusted": report.trusted,
        "c2pa_signer": report.signer,
        "c2pa_development_certificate": report.state == "valid" and development,
        "c2pa_issues": list(report.issues),
        "report_misuse_url": report_misuse_url(),
    }
    answer["summary"] = _summary(answer)
    return answer
