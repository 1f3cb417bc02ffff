"""Writes of generation: briefs, jobs and their runs. The render itself (seconds to minutes of
GPU work) runs outside any transaction; only the state changes around it are locked."""
from __future__ import annotations

import hashlib
import io
import logging
import secrets

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence
from licensing.selectors import access_licence

from . import config, progress
from .models import Brief, GenerationJob, JobTransition
from .provenance import credentials, watermark
from .runtime import GenerationCancelled

log = logging.getLogger(__name__)
MAX_PROMPT = 2000
MAX_REFERENCES = 4


class PolicyRefused(Forbidden):
    code = "policy_refused"

    def __init__(self, brief: Brief):
        super().__init__("The brief was refused: " + " ".join(brief.decision.get("reasons", [])), reasons=brief.decision.get("reasons", []))
        self.brief = brief


def brief_submit(*, requester: User, licence_id, prompt: str, seed: int | None = None) -> Brief:
    """Ask for a generation under a licence. The policy decides under the licence's lock; an
    accepted brief uses one unit of quota and queues a job (after commit). A refused brief is
    recorded too (the talent sees it) and raised as PolicyRefused."""
    prompt = (prompt or "").strip()
    if not prompt:
        raise InvalidInput("Write a prompt for the brief.")
    if len(prompt) > MAX_PROMPT:
        raise InvalidInput(f"The prompt is longer than {MAX_PROMPT} characters.")
    if seed is None:
        seed = secrets.randbelow(2**31)
    elif not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise InvalidInput("The seed is a whole number between 0 and 2^63-1.")
    licence = access_licence(user=requester, licence_id=licence_id)
    if licence.licensee_id != requester.pk:
        raise Forbidden("Only the licensee can generate under this licence.")

    with transaction.atomic():
        licence = Licence.objects.select_for_update().select_related("likeness", "terms").get(pk=licence.pk)
        decision = licensing.policy_evaluate(licence=licence, requester=requester, prompt=prompt)
        brief = Brief.objects.create(
            requester=requester,
            licence=licence,
            prompt=prompt,
            seed=seed,
            status=Brief.Status.ACCEPTED if decision.allowed else Brief.Status.REFUSED,
            decision=decision.as_dict(),
        )
        licensing.audit_record(actor=requester, action=f"brief.{brief.status}", obj=brief, data=decision.as_dict())
        if decision.allowed:
            licensing.usage_record(licence=licence, reference=str(brief.pk))
            job = _job_create(brief=brief)
            transaction.on_commit(lambda: _enqueue(job.pk))
    if not decision.allowed:
        raise PolicyRefused(brief)
    return brief


def _job_create(*, brief: Brief) -> GenerationJob:
    for _ in range(5):
        try:
            with transaction.atomic():
                job = GenerationJob.objects.create(brief=brief, mark_id=watermark.new_mark_id())
                JobTransition.objects.create(job=job, from_status="", to_status=job.status)
                return job
        except IntegrityError:  # a mark id already in use (1 in 2^40): draw another
            continue
    raise RuntimeError("could not draw a free watermark id")


def _enqueue(job_id) -> None:
    from .tasks import run_job

    run_job.delay(str(job_id))


def _transition(job: GenerationJob, to: str, *, detail: str = "", **fields) -> GenerationJob:
    """Caller holds the job's row lock."""
    if to not in GenerationJob.STATUS_TRANSITIONS[job.status]:
        raise Conflict(f"A {job.status} job cannot become {to}.")
    before = job.status
    job.status = to
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", *fields.keys()])
    JobTransition.objects.create(job=job, from_status=before, to_status=to, detail=detail[:500])
    progress.push(job)
    return job


def job_cancel(*, job: GenerationJob, actor: User) -> GenerationJob:
    if job.brief.requester_id != actor.pk:
        raise Forbidden("Only the requester can cancel a job.")
    with transaction.atomic():
        locked = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if locked.status not in (GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING):
            raise Conflict(f"The job is already {locked.status}.")
        _transition(locked, GenerationJob.Status.CANCELLED, detail="cancelled by requester", finished_at=timezone.now())
        licensing.audit_record(actor=actor, action="job.cancelled", obj=locked)
    return locked


def job_run(*, job_id) -> GenerationJob | None:
    """Run one queued job. Idempotent: a job that is not queued any more (a duplicate delivery,
    a retry after success) is left alone."""
    with transaction.atomic():
        job = GenerationJob.objects.select_related("brief").filter(pk=job_id).first()
        if job is None:
            log.warning("job %s does not exist", job_id)
            return None
        licence = Licence.objects.select_for_update().select_related("likeness", "terms").get(pk=job.brief.licence_id)
        job = GenerationJob.objects.select_for_update().select_related("brief__requester").get(pk=job_id)
        if job.status != GenerationJob.Status.QUEUED:
            return job
        decision = licensing.policy_evaluate(
            licence=licence, requester=job.brief.requester, prompt=job.brief.prompt, quota_already_used=True
        )
        if not decision.allowed:
            _transition(job, GenerationJob.Status.CANCELLED, detail=" ".join(decision.reasons), finished_at=timezone.now())
            licensing.audit_record(actor=None, action="job.cancelled_by_policy", obj=job, data=decision.as_dict())
            return job
        rt = config.runtime()
        job = _transition(
            job,
            GenerationJob.Status.RUNNING,
            started_at=timezone.now(),
            total_steps=config.runtime_config().steps,
            model_name=rt.model_name,
            device=rt.device,
        )
    references = _reference_images(licence)

    def on_step(step: int, total: int) -> None:
        GenerationJob.objects.filter(pk=job.pk).update(step=step, total_steps=total)
        job.step, job.total_steps = step, total
        progress.push(job)

    def should_cancel() -> bool:
        return GenerationJob.objects.filter(pk=job.pk, status=GenerationJob.Status.CANCELLED).exists()

    try:
        image = rt.render(
            prompt=job.brief.prompt, seed=job.brief.seed, reference_images=references, on_step=on_step, should_cancel=should_cancel
        )
        data = _mark_and_sign(job=job, licence=licence, image=image)
    except GenerationCancelled:
        return GenerationJob.objects.get(pk=job.pk)
    except Exception as exc:  # the render or signing failed: the job fails, visibly, with the reason
        log.exception("job %s failed", job.pk)
        with transaction.atomic():
            locked = GenerationJob.objects.select_for_update().get(pk=job.pk)
            if locked.status == GenerationJob.Status.RUNNING:
                _transition(locked, GenerationJob.Status.FAILED, detail=str(exc), error=f"{exc.__class__.__name__}: {exc}"[:2000], finished_at=timezone.now())
        return locked

    name = f"{job.pk}.png"
    with transaction.atomic():
        locked = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != GenerationJob.Status.RUNNING:
            return locked  # cancelled while rendering: the output is never released
        locked.output.save(name, ContentFile(data), save=False)
        _transition(
            locked,
            GenerationJob.Status.SUCCEEDED,
            output=locked.output,
            output_sha256=hashlib.sha256(data).hexdigest(),
            output_mime="image/png",
            c2pa_signed=True,
            finished_at=timezone.now(),
            step=locked.total_steps,
        )
        licensing.audit_record(actor=None, action="job.succeeded", obj=locked, data={"mark_id": locked.mark_id, "model": locked.model_name})
    return locked


def _reference_images(licence: Licence) -> list[Image.Image]:
    images = []
    for ref in licence.likeness.references.order_by("created_at")[:MAX_REFERENCES]:
        with ref.image.open("rb") as fh:
            images.append(Image.open(io.BytesIO(fh.read())).convert("RGB"))
    return images


def terms_digest(licence: Licence) -> str:
    import json

    return hashlib.sha256(json.dumps(licence.terms.as_dict(), sort_keys=True).encode()).hexdigest()


def _mark_and_sign(*, job: GenerationJob, licence: Licence, image: Image.Image) -> bytes:
    marked = watermark.embed(image, job.mark_id, config.watermark_key())
    buf = io.BytesIO()
    marked.save(buf, format="PNG")
    claim = credentials.CredentialClaim(
        generation_id=str(job.pk),
        licence_id=str(licence.pk),
        licence_terms_digest=terms_digest(licence),
        rights_holders=[licence.likeness.name],
        model_name=job.model_name,
        title=f"Rightscast generation {job.pk}",
        parents=[],
    )
    return credentials.sign(buf.getvalue(), mime="image/png", claim=claim, material=config.signing_material())
