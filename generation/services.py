"""Writes of generation: briefs, jobs and their runs, approvals' effects, revocation's sweep and
takedowns. The render itself (seconds to minutes of GPU work) runs outside any transaction; only
the state changes around it are locked, always in the order holding → licence → job."""
from __future__ import annotations

import hashlib
import io
import json
import logging
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image

from accounts.errors import Conflict, DomainError, Forbidden, InvalidInput
from accounts.models import User
from licensing import services as licensing
from licensing.models import Approval, Licence, UsageRecord
from licensing.selectors import access_licence
from webhooks import events as webhook_events

from . import config, postprocess, progress
from .models import Brief, GenerationJob, JobTransition, StoredManifest
from .provenance import credentials, watermark
from .runtime import GenerationCancelled

log = logging.getLogger(__name__)
MAX_PROMPT = 2000
MAX_REFERENCES = 4
MAX_EXTRA_LICENCES = 5
MIN_REMIX_STRENGTH = 0.05
DEFAULT_REMIX_STRENGTH = 0.6
PNG_COMPRESS_LEVEL = 1
Status = GenerationJob.Status


def _notify_refused(brief: Brief, licences: list[Licence]) -> None:
    """Tell the rights holders that a brief naming them was refused (they see it in every use)."""
    from accounts.models import User as UserModel
    from accounts.notifications import Kind, notify
    from licensing.services.evaluation import _owner_ids

    for lic in licences:
        for owner in UserModel.objects.filter(pk__in=_owner_ids(lic.holding)):
            notify(user=owner, kind=Kind.REFUSAL, title=f"A brief for {lic.holding.name} was refused",
                   body=f"{brief.requester} asked for: “{brief.prompt[:200]}”. Your rules refused it.", url="/talent/uses/")


class PolicyRefused(Forbidden):
    code = "policy_refused"

    def __init__(self, brief: Brief):
        reasons = brief.decision.get("reasons", [])
        super().__init__("The brief was refused: " + " ".join(reasons), reasons=reasons)
        self.brief = brief


# --- locks ----------------------------------------------------------------------------------------

def _lock_parties(licence_ids: list) -> list[Licence]:
    """The parties locked in the fixed order (holdings, then licences): licensing's `licences_lock`."""
    return licensing.licences_lock(licence_ids)


def _model_of(licences: list[Licence]) -> str:
    """The registered model the lead licence's offer names ('' : the deployment's own)."""
    return licences[0].terms.model_name if licences else ""


def _parent_usage(brief: Brief) -> UsageRecord | None:
    if brief.parent_id is None:
        return None
    lead = Brief.objects.filter(pk=brief.parent_id).values("licence_id")[:1]
    return UsageRecord.objects.filter(reference=str(brief.parent_id), licence_id=lead).first()  # one query


def _evaluate(brief: Brief, licences: list[Licence], *, quota_already_used: bool = False):
    """Under the parties' locks: the full policy decision, content screen included, from cached
    embeddings only (``infer=False``); callers run inside ``_screened``, which warmed them."""
    return licensing.policy_evaluate(
        infer=False,
        licences=licences,
        requester=brief.requester,
        prompt=brief.prompt,
        channel=brief.channel or None,
        territory=brief.territory or None,
        parent=_parent_usage(brief),
        quota_already_used=quota_already_used,
    )


# --- briefs ---------------------------------------------------------------------------------------

def brief_submit(
    *,
    requester: User,
    licence_id,
    prompt: str,
    seed: int | None = None,
    extra_licence_ids: list | None = None,
    parent_brief_id=None,
    channel: str = "",
    territory: str = "",
    media: str = "image",
    remix_strength: float | None = None,
) -> Brief:
    """Ask for a generation under one licence (the lead party) and any others the work needs (a
    character, a world). The policy decides under every party's lock. An accepted brief uses one
    unit of quota per licence and queues a job (after commit); one that a holder must approve
    waits for them; a refused one is recorded (the holders see it) and raised as PolicyRefused."""
    from licensing.models import CHANNELS

    prompt = (prompt or "").strip()
    if not prompt:
        raise InvalidInput("Write a prompt for the brief.")
    if len(prompt) > MAX_PROMPT:
        raise InvalidInput(f"The prompt is longer than {MAX_PROMPT} characters.")
    if seed is None:
        seed = secrets.randbelow(2**31)
    elif not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise InvalidInput("The seed is a whole number between 0 and 2^63-1.")
    if channel and channel not in CHANNELS:
        raise InvalidInput(f"Unknown channel; use one of {', '.join(CHANNELS)}.")
    if media not in ("image", "video"):
        raise InvalidInput("A brief asks for an image or a video.")
    if territory and not (len(territory) == 2 and territory.isalpha()):
        raise InvalidInput("The territory is an ISO 3166 two-letter country code, like GB.")
    extra_ids = list(dict.fromkeys(str(x) for x in (extra_licence_ids or [])))
    if len(extra_ids) > MAX_EXTRA_LICENCES:
        raise InvalidInput(f"At most {MAX_EXTRA_LICENCES} other licences in one brief.")
    licences = [access_licence(user=requester, licence_id=x) for x in [licence_id, *extra_ids]]
    if any(lic.licensee_id != requester.pk for lic in licences):
        raise Forbidden("Only the licensee can generate under a licence.")
    if len({lic.pk for lic in licences}) != len(licences):
        raise InvalidInput("A licence is named twice.")
    for lic in licences:
        allowed_channels, allowed_territories = list(lic.terms.channels or ()), list(lic.terms.territories or ())
        if allowed_channels and channel not in allowed_channels:
            raise InvalidInput(
                f"The licence for {lic.holding.name} covers only these channels: {', '.join(allowed_channels)}; state one of them.", code="channel"
            )
        if allowed_territories and territory.upper() not in allowed_territories:
            raise InvalidInput(
                f"The licence for {lic.holding.name} covers only these territories: {', '.join(allowed_territories)}; state one of them.", code="territory"
            )
    if remix_strength is not None:
        if not parent_brief_id:
            raise InvalidInput("A remix strength needs a work to remix (parent_brief_id).")
        if isinstance(remix_strength, bool) or not isinstance(remix_strength, (int, float)) or not MIN_REMIX_STRENGTH <= remix_strength <= 1.0:
            raise InvalidInput(f"The remix strength is between {MIN_REMIX_STRENGTH} (stay close to the original) and 1 (use it only as a start).")
    parent = None
    if parent_brief_id:
        from .selectors import access_remixable

        parent = access_remixable(user=requester, brief_id=parent_brief_id).brief

    licence_ids = [lic.pk for lic in licences]
    parent_usage = _parent_usage(Brief(parent=parent)) if parent is not None else None
    brief, decision = _screened(
        lambda: _submit_locked(
            requester=requester, licence_ids=licence_ids, parent=parent, prompt=prompt, seed=seed, channel=channel,
            territory=territory, media=media, remix_strength=remix_strength,
        ),
        prompt=prompt, licence_ids=licence_ids, parent=parent_usage,
    )
    if not decision.allowed:
        raise PolicyRefused(brief)
    return brief


def _submit_locked(*, requester, licence_ids, parent, prompt, seed, channel, territory, media, remix_strength=None):
    with transaction.atomic():
        locked = _lock_parties(licence_ids)
        brief = Brief.objects.create(
            requester=requester,
            licence=locked[0],
            parent=parent,
            prompt=prompt,
            prompt_sha256=hashlib.sha256(prompt.encode()).hexdigest(),
            seed=seed,
            channel=channel,
            territory=territory.upper(),
            media=media,
            remix_strength=(float(remix_strength) if remix_strength is not None else DEFAULT_REMIX_STRENGTH) if parent else None,
            status=Brief.Status.REFUSED,
            decision={},
        )
        brief.extra_licences.set(locked[1:])
        decision = _evaluate(brief, locked)
        brief.decision = decision.as_dict()
        if not decision.allowed:
            brief.save(update_fields=["decision"])
            licensing.audit_record(actor=requester, action="brief.refused", obj=brief, data=brief.decision)
            webhook_events.brief_refused(brief)
            _notify_refused(brief, locked)
            _record_refusals(brief, locked, decision, stage="submit")
        elif decision.needs_approval_from:
            brief.status = Brief.Status.AWAITING_APPROVAL
            brief.save(update_fields=["status", "decision"])
            _request_brief_approvals(brief, locked)
            licensing.audit_record(actor=requester, action="brief.awaiting_approval", obj=brief, data=brief.decision)
        else:
            _accept(brief, locked)
    return brief, decision


SCREEN_ATTEMPTS = 3


def _screened(fn, *, prompt: str, licence_ids: list, parent: UsageRecord | None = None):
    """Run ``fn`` (which takes the parties' locks and decides with ``_evaluate``) after warming the
    content screen outside any lock: the model is loaded and every text the screen will read is
    embedded now, so no model inference runs under the row locks. A rule added between the warm
    and the locks is not in the cache: the screen raises ``NeedsInference``, the transaction rolls
    back, and we warm again with the new rule and retry."""
    from licensing.screening import NeedsInference

    for _ in range(SCREEN_ATTEMPTS):
        licensing.screen_warm(licence_ids=licence_ids, prompt=prompt, parent=parent)
        try:
            return fn()
        except NeedsInference:
            continue
    raise Conflict("The rights holders' content rules changed while the brief was screened: try again.", code="rules_changed")


def _warm_briefs(briefs: list[tuple[Brief, list]]) -> None:
    """The content screens of a batch's briefs (brief, licence ids), warmed outside the locks: one
    query for their parties and one model pass (``licensing.screen_warm_many``)."""
    licensing.screen_warm_many([(ids, brief.prompt, _parent_usage(brief)) for brief, ids in briefs])


def _screened_brief(fn, brief: Brief):
    return _screened(fn, prompt=brief.prompt, licence_ids=[lic.pk for lic in brief.licences()], parent=_parent_usage(brief))


def _record_refusals(brief: Brief, licences: list[Licence], decision, *, stage: str) -> None:
    """The content screen's refusals, with the parties' own words, for their every-use views and
    the moderators' counts (never in ``brief.decision``, which the requester reads)."""
    if decision.refusals:
        licensing.screening_refusals_record(
            reference=str(brief.pk), stage=stage, requester=brief.requester, prompt=brief.prompt, refusals=decision.refusals,
            holdings=[lic.holding for lic in licences],
        )


def _approvers(brief: Brief, licences: list[Licence], *, kind: str) -> list:
    """The holdings whose holder must approve this brief (or its output)."""
    flag = "require_brief_approval" if kind == Approval.Kind.BRIEF else "require_output_approval"
    holdings = [lic.holding for lic in licences if getattr(lic.holding, flag)]
    node = _parent_usage(brief)
    seen = set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        for record in UsageRecord.objects.filter(reference=node.reference).select_related("licence__terms"):
            # a remix parent's holders say what they say of a direct use: their approval settings apply
            if getattr(record.licence.holding, flag) or (kind == Approval.Kind.BRIEF and record.licence.terms.derivatives == "approval"):
                holdings.append(record.licence.holding)
        node = node.parent
    unique = {}
    for h in holdings:
        unique[(type(h).__name__, h.pk)] = h
    return list(unique.values())


def _request_brief_approvals(brief: Brief, licences: list[Licence]) -> None:
    for holding in _approvers(brief, licences, kind=Approval.Kind.BRIEF):
        licensing.approval_request(
            kind=Approval.Kind.BRIEF, reference=str(brief.pk), holding=holding, requester=brief.requester,
            summary=f"{brief.requester} asks to generate: “{brief.prompt}”",
        )


def _accept(brief: Brief, licences: list[Licence]) -> GenerationJob:
    """Caller holds the parties' locks and has a fresh allowing decision."""
    brief.status = Brief.Status.ACCEPTED
    brief.save(update_fields=["status", "decision"])
    parent = _parent_usage(brief)
    for i, lic in enumerate(licences):
        licensing.usage_record(licence=lic, reference=str(brief.pk), parent=parent if i == 0 else None)
    licensing.audit_record(actor=brief.requester, action="brief.accepted", obj=brief, data=brief.decision)
    job = _job_create(brief=brief)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def brief_approvals_apply(*, brief_id) -> Brief:
    """After a decision on (or the lapse of) a brief approval: once every holder approved, the
    brief is evaluated again and runs; a rejection or lapse ends it."""
    brief = Brief.objects.select_related("requester").get(pk=brief_id)
    outcome = licensing.approvals_outcome(reference=str(brief.pk), kind=Approval.Kind.BRIEF)
    if outcome == "pending":
        return brief
    return _screened_brief(lambda: _approvals_apply_locked(brief, outcome), brief)


def _approvals_apply_locked(brief: Brief, outcome: str) -> Brief:
    with transaction.atomic():
        locked = _lock_parties([lic.pk for lic in brief.licences()])
        brief = Brief.objects.select_for_update().get(pk=brief.pk)
        if brief.status != Brief.Status.AWAITING_APPROVAL:
            return brief
        if outcome == "rejected":
            brief.status = Brief.Status.REJECTED
            brief.save(update_fields=["status"])
            licensing.audit_record(actor=None, action="brief.rejected", obj=brief)
            webhook_events.brief_refused(brief)
            return brief
        decision = _evaluate(brief, locked)
        brief.decision = {**decision.as_dict(), "needs_approval_from": []}
        if decision.allowed:
            _accept(brief, locked)
        else:
            brief.status = Brief.Status.REFUSED
            brief.save(update_fields=["status", "decision"])
            licensing.audit_record(actor=None, action="brief.refused", obj=brief, data=brief.decision)
            webhook_events.brief_refused(brief)
            _record_refusals(brief, locked, decision, stage="submit")
    return brief


def approval_decide(*, approval: Approval, actor: User, approve: bool, reason: str = "") -> Approval:
    """The holder decides; the brief or output moves on (or not) at once."""
    approval = licensing.approval_decide(approval=approval, actor=actor, approve=approve, reason=reason)
    _apply(approval)
    return approval


def approvals_lapse() -> int:
    lapsed = licensing.approvals_lapse_due()
    for approval in lapsed:
        _apply(approval)
    return len(lapsed)


def _apply(approval: Approval) -> None:
    if approval.kind == Approval.Kind.BRIEF:
        brief_approvals_apply(brief_id=approval.reference)
    else:
        output_approvals_apply(brief_id=approval.reference)


# --- jobs -----------------------------------------------------------------------------------------

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
    """The one way a job changes status. Caller holds the job's row lock."""
    if to not in GenerationJob.STATUS_TRANSITIONS[job.status]:
        raise Conflict(f"A {job.status} job cannot become {to}.")
    before = job.status
    job.status = to
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", *fields.keys()])
    JobTransition.objects.create(job=job, from_status=before, to_status=to, detail=detail[:500])
    licensing.audit_record(actor=None, action=f"job.{to}", obj=job, data={"from": before, "detail": detail[:500]})
    if to in GenerationJob.TERMINAL:
        webhook_events.job_finished(job)
    progress.push(job)
    return job


def job_cancel(*, job: GenerationJob, actor: User) -> GenerationJob:
    if job.brief.requester_id != actor.pk:
        raise Forbidden("Only the requester can cancel a job.")
    with transaction.atomic():
        _lock_parties([lic.pk for lic in job.brief.licences()])  # the fixed order: licences before the job
        locked = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if locked.status not in (Status.QUEUED, Status.RUNNING):
            raise Conflict(f"The job is already {locked.status}.")
        before_render = locked.status == Status.QUEUED
        _transition(locked, Status.CANCELLED, detail="cancelled by requester", finished_at=timezone.now())
        if before_render:  # nothing was rendered: the quota and any per-generation fee go back
            licensing.usage_release(reference=str(locked.brief_id), reason="cancelled before rendering")
    return locked


def _worker_name() -> str:
    import os
    import socket

    return f"{socket.gethostname()}:{os.getpid()}"


def _lease_seconds() -> int:
    from django.conf import settings

    return int(getattr(settings, "GENERATION_LEASE_SECONDS", 120))


def _claim(job: GenerationJob, licences: list[Licence]) -> GenerationJob | None:
    """Caller holds the parties' and the job's locks. Returns the job if this worker now holds it
    (RUNNING, with a fresh lease), None if it is not ours to run."""
    from django.conf import settings

    now = timezone.now()
    if job.status in (Status.RUNNING, Status.FINISHING):
        if job.lease_expires_at and job.lease_expires_at > now:
            return None  # another worker holds it and is alive
        _transition(job, Status.QUEUED, detail=f"requeued: the lease of {job.worker or 'a worker'} ran out")
    if job.status != Status.QUEUED:
        return None
    if job.attempts >= int(getattr(settings, "GENERATION_MAX_ATTEMPTS", 3)):
        _transition(job, Status.FAILED, detail="gave up after repeated worker losses", error="The job was interrupted too often.", finished_at=now)
        return None
    decision = _evaluate(job.brief, licences, quota_already_used=True)
    if not decision.allowed:
        _transition(job, Status.CANCELLED, detail=" ".join(decision.reasons), finished_at=now)
        _record_refusals(job.brief, licences, decision, stage="job_start")
        licensing.usage_release(reference=str(job.brief_id), reason="refused before rendering")
        return None
    model = _model_of(licences)
    try:
        rt = config.runtime(model)
    except ValueError as exc:  # the offer's model was removed from this deployment: fail visibly, give the quota back
        _transition(job, Status.FAILED, detail=str(exc), error=str(exc), finished_at=now)
        licensing.usage_release(reference=str(job.brief_id), reason="its model is not configured")
        return None
    return _transition(
        job, Status.RUNNING, started_at=now, total_steps=config.runtime_config(model).steps, model_name=rt.model_name, device=rt.device,
        attempts=job.attempts + 1, worker=_worker_name(), lease_expires_at=now + timedelta(seconds=_lease_seconds()), step=0,
    )


def job_run(*, job_id) -> GenerationJob | None:
    """Run one job, exactly once whatever happens around it, taking compatible queued jobs along
    into the same pipeline call (micro-batching, up to GENERATION_MAX_BATCH_SIZE). A duplicate
    delivery, or a retry of a job that ran, finds it not queued and leaves it alone; a job whose
    worker died (its lease ran out) is taken over. The policy is asked again under the parties'
    locks before a job starts (a revocation that committed first cancels it) and again before
    release (one that committed while it rendered quarantines the output). Only the worker
    holding the lease may finish a job, so there is one output, one quota use and one charge.
    The batch is claimed in one database transaction and finished in one (plus one to mark it
    finishing); on a GPU, marking, signing and storing run in a post-processing thread beside the
    next batch's rendering.

    Returns the job as it stands afterwards, or None where this delivery had nothing to run: the
    job does not exist, has finished, or is held by a live worker (a batch of N leaves N-1 such
    deliveries behind it: each reads four columns of one row and returns)."""
    head = (
        GenerationJob.objects.filter(pk=job_id)
        .values_list("pk", "status", "lease_expires_at", "brief__media", "brief__licence__terms__model_name")
        .first()
    )
    if head is None:
        log.warning("job %s does not exist", job_id)
        return None
    pk, status, lease_expires_at, media, model = head
    if not _claimable(status, lease_expires_at, timezone.now()):
        return None  # finished, or held by a live worker (another job's batch took it): nothing to claim
    if media == "video":
        claimed = _claim_batch([pk], limit=1)
        if claimed:
            _render_video(*claimed[0])
        return GenerationJob.objects.get(pk=job_id)
    try:
        limit = max(1, int(config.runtime_config(model).max_batch_size))
    except ValueError:
        limit = 1  # the claim fails it with the reason
    ids = [pk]
    if limit > 1:
        ids += list(  # one pipeline call is one model: only jobs rendered by the head's model join it
            GenerationJob.objects.filter(status=Status.QUEUED, brief__media="image", brief__licence__terms__model_name=model)
            .exclude(pk=job_id)
            .order_by("created_at")
            .values_list("pk", flat=True)[: limit * 2]
        )
    claimed = _claim_batch(ids, limit=limit)
    if claimed:
        _render_claimed(claimed)
    return GenerationJob.objects.get(pk=job_id)


def _claimable(status: str, lease_expires_at, now) -> bool:
    """Read without a lock, whether claiming could take a job: queued, or held by a worker whose
    lease ran out. A final state never changes and a live lease is refused by ``_claim`` too, so
    skipping the claim then changes nothing; ``_claim`` decides again under the locks."""
    if status == Status.QUEUED:
        return True
    return status in (Status.RUNNING, Status.FINISHING) and not (lease_expires_at and lease_expires_at > now)


def _claim_batch(job_ids: list, *, limit: int) -> list[tuple]:
    """Claim up to `limit` of `job_ids` in one transaction, under every party's and every job's
    lock (holdings, then licences, then jobs, each in primary-key order): [(job, licences)]. The
    first id is the job this delivery is for: if it is not ours to run, nothing is claimed.
    Each brief's content screen is warmed first, outside the locks (see `_screened`)."""
    from licensing.screening import NeedsInference

    for _ in range(SCREEN_ATTEMPTS):
        try:
            return _claim_batch_once(job_ids, limit=limit)
        except NeedsInference:
            continue
    raise Conflict("The rights holders' content rules changed while the jobs were screened: try again.", code="rules_changed")


def _claim_batch_once(job_ids: list, *, limit: int) -> list[tuple]:
    jobs = {j.pk: j for j in GenerationJob.objects.select_related("brief__licence").prefetch_related("brief__extra_licences").filter(pk__in=job_ids)}
    order = [pk for pk in job_ids if pk in jobs]
    if not order or order[0] != job_ids[0]:
        return []
    licence_ids = {pk: [lic.pk for lic in jobs[pk].brief.licences()] for pk in order}
    _warm_briefs([(jobs[pk].brief, licence_ids[pk]) for pk in order])
    with transaction.atomic():
        by_pk = {lic.pk: lic for lic in _lock_parties(sorted({x for ids in licence_ids.values() for x in ids}, key=str))}
        locked = {
            j.pk: j for j in GenerationJob.objects.select_for_update().select_related("brief__requester").filter(pk__in=order).order_by("pk")
        }
        claimed = []
        for pk in order:
            if len(claimed) >= limit:
                break
            licences = [by_pk[x] for x in licence_ids[pk]]
            job = _claim(locked[pk], licences) if pk in locked else None
            if job is None:
                if pk == order[0]:
                    return []
                continue
            claimed.append((job, licences))
    return claimed


class _Progress:
    """A job's step and preview callbacks: the lease is renewed and the state pushed at most a few
    times a second (and always on the last step), so bookkeeping stays off the GPU's path."""

    EVERY = 0.25

    def __init__(self, job: GenerationJob):
        self.job, self.last = job, 0.0
        self.ours = GenerationJob.objects.filter(pk=job.pk, worker=job.worker, attempts=job.attempts)

    def on_step(self, step: int, total: int) -> None:
        import time

        now = time.monotonic()
        if step < total and now - self.last < self.EVERY:
            return
        self.last = now
        self.ours.filter(status=Status.RUNNING).update(step=step, total_steps=total, lease_expires_at=timezone.now() + timedelta(seconds=_lease_seconds()))
        self.job.step, self.job.total_steps = step, total
        progress.push(self.job)

    def on_preview(self, step: int, image: Image.Image) -> None:
        _store_preview(self.ours, self.job, image)

    def should_cancel(self) -> bool:
        import time

        now = time.monotonic()
        if now - getattr(self, "checked", 0.0) >= self.EVERY:
            self.checked = now
            self.cancelled = not self.ours.filter(status=Status.RUNNING).exists()
        return getattr(self, "cancelled", False)


def _store_preview(ours, job: GenerationJob, image: Image.Image) -> None:
    import base64

    buf = io.BytesIO()
    image.convert("RGB").resize((128, 128)).save(buf, format="JPEG", quality=70)
    job.preview = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode()
    ours.filter(status=Status.RUNNING).update(preview=job.preview)
    progress.push(job)


class _BatchProgress:
    """The step callbacks of a whole batch: at most one write a second for every job in it (step,
    lease), which also tells which jobs are still ours and running (a cancelled one stops); always
    on the last step. Pushes to the browser go with the write."""

    EVERY = 1.0

    def __init__(self, jobs: list[GenerationJob]):
        import time
        from functools import reduce
        from operator import or_

        from django.db.models import Q

        self.jobs = jobs
        self.running = {j.pk for j in jobs}
        self.ours = GenerationJob.objects.filter(reduce(or_, [Q(pk=j.pk, worker=j.worker, attempts=j.attempts) for j in jobs]))
        self.last = time.monotonic()

    def on_step(self, step: int, total: int) -> None:
        import time

        now = time.monotonic()
        if step < total and now - self.last < self.EVERY:
            return
        self.last = now
        written = self.ours.filter(status=Status.RUNNING).update(
            step=step, total_steps=total, lease_expires_at=timezone.now() + timedelta(seconds=_lease_seconds())
        )
        if written != len(self.running):  # one was cancelled or taken over: find which
            self.running = set(self.ours.filter(status=Status.RUNNING).values_list("pk", flat=True))
        for job in self.jobs:
            if job.pk in self.running:
                job.step, job.total_steps = step, total
                progress.push(job)

    def cancelled(self, job: GenerationJob):
        return lambda: job.pk not in self.running

    def preview(self, job: GenerationJob):
        ours = GenerationJob.objects.filter(pk=job.pk, worker=job.worker, attempts=job.attempts)
        return lambda step, image: _store_preview(ours, job, image)


def _render_claimed(claimed: list[tuple]) -> None:
    from .runtime import RenderRequest

    rt = config.runtime(_model_of(claimed[0][1]))
    tracker = _BatchProgress([job for job, _ in claimed])
    requests = [
        RenderRequest(
            prompt=job.brief.prompt, seed=job.brief.seed, reference_images=_reference_images(licences[0]),
            should_cancel=tracker.cancelled(job), on_preview=tracker.preview(job),
            init_image=(_parent_frames(job.brief) or [None])[0], strength=job.brief.remix_strength,
        )
        for job, licences in claimed
    ]
    try:
        images = rt.render_batch(requests, on_step=tracker.on_step)
    except GenerationCancelled:
        return
    except Exception as exc:  # the render failed: every job of the call fails, visibly, with the reason
        log.exception("render of %d job(s) failed", len(claimed))
        for job, _ in claimed:
            _fail(job, exc)
        return
    rendered = [(job, licences, image) for (job, licences), image in zip(claimed, images) if image is not None]
    if rendered:
        postprocess.submit(_finish_batch, rendered, threaded=_postprocess_threaded(rt))


def _postprocess_threaded(rt) -> bool:
    from django.conf import settings

    mode = getattr(settings, "GENERATION_POSTPROCESS_THREAD", "auto")
    return mode == "on" or (mode == "auto" and rt.device.startswith("cuda"))


def _finish_batch(rendered: list[tuple]) -> None:
    """Mark the batch finishing (one transaction), watermark and sign each image (no transaction),
    then store and release them all (one transaction, a savepoint per job)."""
    finishing = []
    with transaction.atomic():
        locked = {j.pk: j for j in GenerationJob.objects.select_for_update().filter(pk__in=[job.pk for job, _, _ in rendered]).order_by("pk")}
        for job, licences, image in rendered:
            row = locked.get(job.pk)
            if row is None or row.status != Status.RUNNING or row.worker != job.worker or row.attempts != job.attempts:
                continue
            _transition(row, Status.FINISHING, step=row.total_steps, lease_expires_at=timezone.now() + timedelta(seconds=_lease_seconds()))
            finishing.append((job, licences, image))
    signed = _marked_and_stored(finishing)
    if not signed:
        return
    from licensing.screening import NeedsInference

    _warm_briefs([(job.brief, [lic.pk for lic in licences]) for job, licences, _ in signed])  # the release re-check's, outside the locks
    failed = []
    again = []
    with transaction.atomic():
        by_pk = {lic.pk: lic for lic in _lock_parties(sorted({lic.pk for _, lics, _ in signed for lic in lics}, key=str))}
        locked = {
            j.pk: j for j in GenerationJob.objects.select_for_update().select_related("brief__requester").filter(pk__in=[job.pk for job, _, _ in signed]).order_by("pk")
        }
        for job, licences, stored in signed:
            try:
                with transaction.atomic():
                    row = _finish_locked(locked[job.pk], [by_pk[lic.pk] for lic in licences], worker=job.worker, attempt=job.attempts, stored=stored)
                if row.output.name != stored[0]:  # this attempt's result was dropped: so is its file
                    transaction.on_commit(lambda name=stored[0]: _output_storage().delete(name))
            except NeedsInference:  # a rule landed after the warm: this job is re-checked on its own
                again.append((job, licences, stored))
            except Exception as exc:  # storing failed: this job fails, the others of the batch are released
                log.exception("job %s failed while storing", job.pk)
                failed.append((job, exc))
    for job, licences, stored in again:
        _finish_stored_again(job, licences, stored)
    for job, exc in failed:
        _fail(job, exc)


def _finish_stored_again(job: GenerationJob, licences: list[Licence], stored: tuple) -> GenerationJob:
    licence_ids = [lic.pk for lic in licences]

    def locked_finish():
        with transaction.atomic():
            locked_licences = _lock_parties(licence_ids)
            locked = GenerationJob.objects.select_for_update().select_related("brief__requester").get(pk=job.pk)
            return _finish_locked(locked, locked_licences, worker=job.worker, attempt=job.attempts, stored=stored)

    return _screened_brief(locked_finish, job.brief)


def _output_storage():
    return GenerationJob._meta.get_field("output").storage


def _store_output(job: GenerationJob, data: bytes, mime: str, *, signed: credentials.SignedAsset | None = None) -> tuple:
    """Write the output file before any row is locked (file I/O never runs under the job's lock):
    (stored name, bytes, mime, signed asset or None)."""
    field = GenerationJob._meta.get_field("output")
    name = field.generate_filename(job, f"{job.pk}.{'mp4' if mime == 'video/mp4' else 'png'}")
    return field.storage.save(name, ContentFile(data), max_length=field.max_length), data, mime, signed


def _marked_and_stored(finishing: list[tuple]) -> list[tuple]:
    """Watermark, sign and store each image of a finishing batch: [(job, licences, stored)]. Where
    post-processing runs in its own thread (a GPU worker), the images are marked and signed in a
    small pool beside it (numpy, OpenCV and the C2PA library release the interpreter lock); on a
    CPU worker, one after another."""
    def one(item):
        job, licences, image = item
        signed = _mark_and_sign(job=job, licences=licences, image=image)
        return _store_output(job, signed.data, "image/png", signed=signed)

    workers = _postprocess_workers(len(finishing))
    if workers > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rightscast-mark") as pool:
            futures = [pool.submit(one, item) for item in finishing]
        outcomes = []
        for future in futures:
            try:
                outcomes.append((future.result(), None))
            except Exception as exc:  # noqa: BLE001 (reported on the job below)
                outcomes.append((None, exc))
    else:
        outcomes = []
        for item in finishing:
            try:
                outcomes.append((one(item), None))
            except Exception as exc:  # noqa: BLE001
                outcomes.append((None, exc))
    signed = []
    for (job, licences, _), (stored, exc) in zip(finishing, outcomes):
        if exc is not None:  # marking, signing or writing failed
            log.error("job %s failed while finishing: %s", job.pk, exc)
            _fail(job, exc)
        else:
            signed.append((job, licences, stored))
    return signed


def _postprocess_workers(n: int) -> int:
    import threading

    if not threading.current_thread().name.startswith("rightscast-postprocess"):
        return 1
    from .runtime import threads

    return max(1, min(n, threads.usable_cores() // 2, 8))


def _render_video(job: GenerationJob, licences: list[Licence]) -> None:
    """A clip: rendered alone (never batched with images), every frame watermarked, the MP4
    signed with its content credentials."""
    rt = config.runtime(_model_of(licences))
    tracker = _Progress(job)
    try:
        clip = rt.render_video(
            prompt=job.brief.prompt, seed=job.brief.seed, reference_images=_reference_images(licences[0]),
            on_step=tracker.on_step, should_cancel=tracker.should_cancel, on_preview=tracker.on_preview,
            init_frames=_parent_frames(job.brief), strength=job.brief.remix_strength,
        )
        with transaction.atomic():
            locked = GenerationJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != Status.RUNNING or locked.worker != job.worker or locked.attempts != job.attempts:
                return
            _transition(locked, Status.FINISHING, step=locked.total_steps, lease_expires_at=timezone.now() + timedelta(seconds=_lease_seconds()))
        marked = watermark.embed_video(clip, job.mark_id, config.watermark_key())
        signed = credentials.sign_asset(marked, mime="video/mp4", claim=_claim_for(job, licences), material=config.signing_material())
    except GenerationCancelled:
        return
    except Exception as exc:  # the render, marking or signing failed
        log.exception("video job %s failed", job.pk)
        _fail(job, exc)
        return
    _finish(job_id=job.pk, licence_ids=[lic.pk for lic in licences], worker=job.worker, attempt=job.attempts, data=signed.data, mime="video/mp4", signed=signed)


def _fail(job: GenerationJob, exc: Exception) -> None:
    with transaction.atomic():
        locked = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if locked.status in (Status.RUNNING, Status.FINISHING) and locked.worker == job.worker and locked.attempts == job.attempts:
            _transition(locked, Status.FAILED, detail=str(exc), error=f"{exc.__class__.__name__}: {exc}"[:2000], finished_at=timezone.now())


def _finish(
    *, job_id, licence_ids: list, worker: str, attempt: int, data: bytes, mime: str = "image/png",
    signed: credentials.SignedAsset | None = None,
) -> GenerationJob:
    job = GenerationJob.objects.select_related("brief").get(pk=job_id)
    stored = _store_output(job, data, mime, signed=signed)

    def locked_finish():
        with transaction.atomic():
            licences = _lock_parties(licence_ids)
            locked = GenerationJob.objects.select_for_update().select_related("brief__requester").get(pk=job_id)
            row = _finish_locked(locked, licences, worker=worker, attempt=attempt, stored=stored)
            if row.output.name != stored[0]:
                transaction.on_commit(lambda: _output_storage().delete(stored[0]))
            return row

    return _screened(locked_finish, prompt=job.brief.prompt, licence_ids=licence_ids, parent=_parent_usage(job.brief))


def _finish_locked(locked: GenerationJob, licences: list[Licence], *, worker: str, attempt: int, stored: tuple) -> GenerationJob:
    """Record and release (or quarantine, or hold for approval) one finishing job whose output file
    is already written (`stored`: name, bytes, mime, signed asset or None). Caller holds the parties'
    and the job's locks."""
    name, data, mime, signed = stored
    if locked.status != Status.FINISHING or locked.worker != worker or locked.attempts != attempt:
        return locked  # someone else holds it now: this attempt's result is dropped
    locked.output.name = name
    stored = dict(
        output=locked.output, output_sha256=hashlib.sha256(data).hexdigest(), output_mime=mime, c2pa_signed=True,
        lease_expires_at=None, preview="",
    )
    if signed is not None and signed.manifest_id:
        manifest_store_keep(job=locked, signed=signed)
    decision = _evaluate(locked.brief, licences, quota_already_used=True)
    if not decision.allowed:
        _record_refusals(locked.brief, licences, decision, stage="release")
        return _transition(locked, Status.QUARANTINED, detail=" ".join(decision.reasons), finished_at=timezone.now(), **stored)
    approvers = _approvers(locked.brief, licences, kind=Approval.Kind.OUTPUT)
    if approvers:
        for holding in approvers:
            licensing.approval_request(
                kind=Approval.Kind.OUTPUT, reference=str(locked.brief_id), holding=holding, requester=locked.brief.requester,
                summary=f"Output of “{locked.brief.prompt}” by {locked.brief.requester}, waiting for release",
            )
        return _transition(locked, Status.AWAITING_APPROVAL, finished_at=timezone.now(), **stored)
    return _transition(locked, Status.RELEASED, finished_at=timezone.now(), **stored)


def jobs_recover(*, stale_queued_after: int = 120) -> int:
    """Beat: put every job whose worker died (lease ran out) back on the queue, and enqueue again
    queued jobs whose message may have been lost (a broker restart). Running a job twice runs it
    once, so re-sending is always safe."""
    now = timezone.now()
    sent = 0
    for pk in GenerationJob.objects.filter(status__in=[Status.RUNNING, Status.FINISHING], lease_expires_at__lt=now).values_list("pk", flat=True):
        _enqueue(pk)
        sent += 1
    for pk in GenerationJob.objects.filter(status=Status.QUEUED, created_at__lt=now - timedelta(seconds=stale_queued_after)).values_list("pk", flat=True):
        _enqueue(pk)
        sent += 1
    return sent


def output_approvals_apply(*, brief_id) -> GenerationJob:
    job = GenerationJob.objects.get(brief_id=brief_id)
    outcome = licensing.approvals_outcome(reference=str(brief_id), kind=Approval.Kind.OUTPUT)
    if outcome == "pending":
        return job
    return _screened_brief(lambda: _output_approvals_locked(job, outcome), job.brief)


def _output_approvals_locked(job: GenerationJob, outcome: str) -> GenerationJob:
    with transaction.atomic():
        licences = _lock_parties([lic.pk for lic in job.brief.licences()])
        locked = GenerationJob.objects.select_for_update().select_related("brief__requester").get(pk=job.pk)
        if locked.status != Status.AWAITING_APPROVAL:
            return locked
        if outcome == "rejected":
            return _transition(locked, Status.QUARANTINED, detail="output rejected or approval lapsed")
        decision = _evaluate(locked.brief, licences, quota_already_used=True)
        if not decision.allowed:
            _record_refusals(locked.brief, licences, decision, stage="release")
            return _transition(locked, Status.QUARANTINED, detail=" ".join(decision.reasons))
        return _transition(locked, Status.RELEASED, detail="approved by every rights holder")


def revocation_sweep(*, licence_ids: list[str]) -> int:
    """Revocation's event: every queued job, and every brief waiting for approval, that a revoked
    licence touches, directly or through its remix chain, is asked again and ends if refused."""
    touched = set(UsageRecord.objects.filter(licence_id__in=licence_ids).values_list("reference", flat=True))
    frontier = set(touched)
    while frontier:  # descendants down the remix chain
        frontier = set(Brief.objects.filter(parent_id__in=frontier).values_list("pk", flat=True).iterator()) - touched
        frontier = {str(x) for x in frontier}
        touched |= frontier
    brief_q = Brief.objects.filter(licence_id__in=licence_ids) | Brief.objects.filter(extra_licences__in=licence_ids) | Brief.objects.filter(pk__in=touched)
    cancelled = 0
    for job in GenerationJob.objects.filter(brief__in=brief_q.distinct(), status=Status.QUEUED).select_related("brief"):
        cancelled += _screened_brief(lambda job=job: _sweep_one(job), job.brief)
    for brief in brief_q.filter(status=Brief.Status.AWAITING_APPROVAL).distinct():
        with transaction.atomic():
            locked = Brief.objects.select_for_update().get(pk=brief.pk)
            if locked.status == Brief.Status.AWAITING_APPROVAL:
                locked.status = Brief.Status.REFUSED
                locked.decision = {"allowed": False, "reasons": ["A rights holder revoked permission while the brief waited."], "needs_approval_from": []}
                locked.save(update_fields=["status", "decision"])
                licensing.audit_record(actor=None, action="brief.refused", obj=locked, data=locked.decision)
                webhook_events.brief_refused(locked)
    return cancelled


def _sweep_one(job: GenerationJob) -> int:
    with transaction.atomic():
        licences = _lock_parties([lic.pk for lic in job.brief.licences()])
        locked = GenerationJob.objects.select_for_update().select_related("brief__requester").get(pk=job.pk)
        if locked.status == Status.QUEUED:
            decision = _evaluate(locked.brief, licences, quota_already_used=True)
            if not decision.allowed:
                _transition(locked, Status.CANCELLED, detail=" ".join(decision.reasons), finished_at=timezone.now())
                _record_refusals(locked.brief, licences, decision, stage="recheck")
                licensing.usage_release(reference=str(locked.brief_id), reason="refused before rendering")
                return 1
    return 0


def output_publish(*, job: GenerationJob, actor: User, published: bool = True) -> GenerationJob:
    """The API's publish: the same one path as the browser's, the public feed (`generation.feed`).
    Publishing puts the output in the feed (once; again is a no-op); `published=False` takes its
    post out. An output taken out of the feed stays out (a moderator may have removed it)."""
    from .feed import feed_publish, feed_unpublish
    from .models import FeedPost

    post = FeedPost.objects.filter(job=job).first()
    if published:
        if post is None:
            feed_publish(job=job, actor=actor)
        elif post.removed_at is not None:
            raise Conflict("This output was taken out of the feed and cannot be published again.")
    elif post is not None and post.removed_at is None:
        feed_unpublish(post=post, actor=actor, reason="unpublished through the API")
    return job


def notice_end_apply(*, licence_ids: list[str]) -> int:
    """A revoked licence's notice period ended: every output made under it (as lead or extra
    party) that is still served comes down. Idempotent."""
    reason = "The licence it was made under was revoked and its notice period has ended."
    jobs = GenerationJob.objects.filter(
        Q(brief__licence_id__in=licence_ids) | Q(brief__extra_licences__in=licence_ids), taken_down_at__isnull=True
    ).distinct()
    count = 0
    for job in jobs:
        try:
            output_take_down(job=job, actor=None, reason=reason)
            count += 1
        except Conflict:
            continue  # taken down meanwhile
    return count


def output_take_down(*, job: GenerationJob, actor: User | None, reason: str) -> GenerationJob:
    """Remove an output from everywhere it is served: the file is deleted from storage, every
    view of it answers 410, the verify page says it was taken down. `actor` None: the system
    (a notice period's end, a moderator's action on a report carries the moderator)."""
    from .selectors import may_take_down

    if actor is not None and not may_take_down(user=actor, job=job):
        raise Forbidden("Only a rights holder of this output or a moderator can take it down.")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why the output is taken down.")
    with transaction.atomic():
        locked = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if locked.taken_down_at:
            raise Conflict("This output was already taken down.")
        name = locked.output.name
        locked.taken_down_at = timezone.now()
        locked.takedown_reason = reason[:500]
        locked.output = ""
        locked.save(update_fields=["taken_down_at", "takedown_reason", "output"])
        licensing.audit_record(actor=actor, action="output.taken_down", obj=locked, data={"reason": reason, "file": name})
        if name:
            storage = locked.output.storage
            transaction.on_commit(lambda: storage.delete(name))
        progress.push(locked)
    return locked


_REFERENCE_CACHE: dict = {}
_REFERENCE_CACHE_SIZE = 32


def _reference_images(licence: Licence) -> list[Image.Image]:
    """The likeness's verified reference photos, decoded once per process: the cache key is the
    likeness and its references' ids (a new or removed photo is a new key), so only the id query
    runs for the next job on the same likeness."""
    if licence.likeness_id is None:
        return []
    refs = list(licence.likeness.references.order_by("created_at")[:MAX_REFERENCES])
    key = (licence.likeness_id, tuple(str(ref.pk) for ref in refs))
    images = _REFERENCE_CACHE.get(key)
    if images is None:
        images = []
        for ref in refs:
            with ref.image.open("rb") as fh:
                images.append(Image.open(io.BytesIO(fh.read())).convert("RGB"))
        if len(_REFERENCE_CACHE) >= _REFERENCE_CACHE_SIZE:
            _REFERENCE_CACHE.pop(next(iter(_REFERENCE_CACHE)))
        _REFERENCE_CACHE[key] = images
    return [im.copy() for im in images]


def _parent_frames(brief: Brief) -> list[Image.Image]:
    """A remix's starting pixels: its parent's output (every frame of a clip). Empty when the
    brief is no remix or the parent's output is gone (taken down): it then renders fresh."""
    if brief.parent_id is None:
        return []
    parent_job = GenerationJob.objects.filter(brief_id=brief.parent_id).first()
    if parent_job is None or not parent_job.output or parent_job.taken_down_at:
        return []
    with parent_job.output.open("rb") as fh:
        data = fh.read()
    if parent_job.output_mime == "video/mp4":
        from .runtime import read_mp4

        return read_mp4(data)[2]
    return [Image.open(io.BytesIO(data)).convert("RGB")]


def terms_digest(licence: Licence) -> str:
    return hashlib.sha256(json.dumps(licence.terms.as_dict(), sort_keys=True).encode()).hexdigest()


def _mark_and_sign(*, job: GenerationJob, licences: list[Licence], image: Image.Image) -> credentials.SignedAsset:
    marked = watermark.embed(image, job.mark_id, config.watermark_key())
    buf = io.BytesIO()
    marked.save(buf, format="PNG", compress_level=PNG_COMPRESS_LEVEL)  # zlib level 1: several times faster than the default 6, slightly larger files
    return credentials.sign_asset(buf.getvalue(), mime="image/png", claim=_claim_for(job, licences), material=config.signing_material())


def manifest_store_keep(*, job: GenerationJob, signed: credentials.SignedAsset) -> StoredManifest:
    """Keep an output's manifest store in the repository, under its soft binding (the watermark)."""
    record, _ = StoredManifest.objects.update_or_create(
        job=job,
        defaults={
            "manifest_id": signed.manifest_id, "alg": credentials.SOFT_BINDING_ALG,
            "binding_value": credentials.soft_binding_value(job.mark_id), "store": signed.manifest_store,
        },
    )
    return record


def _claim_for(job: GenerationJob, licences: list[Licence]) -> credentials.CredentialClaim:
    """What the output's C2PA manifest says: the generation, the licence and a digest of its
    terms, every rights holder, the remix parents as ingredients."""
    lead = licences[0]
    parents = []
    if job.brief.parent_id:
        parent_job = job.brief.parent.job
        parent = {"generation_id": str(parent_job.pk), "title": f"Rightscast generation {parent_job.pk}", "sha256": parent_job.output_sha256}
        if parent_job.output and parent_job.output_mime in credentials.SIGNABLE_MIME_TYPES:
            try:  # the parent's signed file: its manifest becomes the ingredient's
                with parent_job.output.open("rb") as fh:
                    parent.update(data=fh.read(), mime=parent_job.output_mime)
            except OSError:
                log.warning("remix %s: the parent's output %s could not be read; its hash alone is cited", job.pk, parent_job.pk)
        parents.append(parent)
    # Training and mining: allowed only when every licence the output was made under allows it
    # (#10 adds the term to offers; read defensively).
    training = credentials.training_use(all(getattr(lic.terms, "ai_training", None) is True for lic in licences))
    return credentials.CredentialClaim(
        generation_id=str(job.pk),
        licence_id=str(lead.pk),
        licence_terms_digest=terms_digest(lead),
        rights_holders=[licensing.holding_label(lic.holding) for lic in licences],
        model_name=job.model_name,
        title=f"Rightscast generation {job.pk}",
        parents=parents,
        mark_id=job.mark_id,
        training_mining=training,
    )


# --- misuse reports (the report lives in licensing; the evidence is checked here) ---------------

def misuse_report_check(*, report_id) -> bool:
    """Read the report's evidence as the public verify page does (watermark and credentials,
    independently), or look its generation id up, and write the answer on the report."""
    from licensing.models import MisuseReport

    from .verification import verify_bytes

    report = MisuseReport.objects.get(pk=report_id)
    result: dict = {"checked": []}
    job = None
    if report.evidence:
        with report.evidence.open("rb") as fh:
            data = fh.read()
        try:
            answer = verify_bytes(data, name="evidence")
        except DomainError as exc:
            answer = {"made_here": False, "summary": f"The file could not be read: {exc.message}"}
        result.update({k: answer.get(k) for k in ("made_here", "summary", "generation_id", "licence_id", "licence_status", "licence_valid", "found_by", "taken_down")})
        result["checked"].append("file")
        if answer.get("generation_id"):
            job = GenerationJob.objects.select_related("brief").filter(pk=answer["generation_id"]).first()
    if job is None and report.generation_id:
        try:
            job = GenerationJob.objects.select_related("brief").filter(pk=report.generation_id).first()
        except (ValueError, ValidationError):
            job = None
        result["checked"].append("generation_id")
        if job is not None and "made_here" not in result:
            result.update({"made_here": True, "summary": "The generation id names an output made here.", "generation_id": str(job.pk)})
    if "made_here" not in result:
        result.update({"made_here": False, "summary": "Nothing in the report identifies an output made here (a link is for the moderator to follow)."})
    licence_id = job.brief.licence_id if job is not None else None
    if job is not None:
        result["licence_id"] = str(licence_id)
    licensing.misuse_report_check_record(report_id=report.pk, result=result, generation_id=str(job.pk) if job else "", licence_id=licence_id)
    return bool(result.get("made_here"))


def output_take_down_for_report(*, generation_id: str, moderator_id: int, reason: str) -> bool:
    job = GenerationJob.objects.filter(pk=generation_id).first()
    moderator = User.objects.filter(pk=moderator_id).first()
    if job is None or moderator is None or job.taken_down_at:
        return False
    try:
        output_take_down(job=job, actor=moderator, reason=reason)
    except Conflict:
        return False
    return True
