"""Variants for A/B tests: one request for N variants makes N briefs (seeds seed, seed+1, ...), each
its own generation with its own job, watermark, content credentials and unit of quota. The set is
all or nothing: it is refused as a whole, changing nothing, when the quota cannot cover it. The
requester marks winners and exports them with their licence records."""
from __future__ import annotations

import io
import json
import secrets
import uuid
import zipfile

from django.db import transaction

from accounts.errors import Conflict, Forbidden, InvalidInput, NotFound
from accounts.models import User
from licensing import services as licensing
from licensing.selectors import access_licence

from . import services
from .models import Brief, GenerationJob

MAX_VARIANTS = 8


def brief_submit_variants(*, requester: User, variants: int = 1, seed: int | None = None, **brief) -> list[Brief]:
    """`variants` briefs of the same prompt and parties, seeds `seed + i`. With one variant this is
    `brief_submit`. The policy decides each under the parties' locks in one transaction; a set the
    quota cannot cover is refused before anything is written; a set whose first brief is refused
    (a content rule, say) records that refusal as a single brief does and raises it."""
    if isinstance(variants, bool) or not isinstance(variants, int) or not 1 <= variants <= MAX_VARIANTS:
        raise InvalidInput(f"Ask for 1 to {MAX_VARIANTS} variants.")
    if variants == 1:
        return [services.brief_submit(requester=requester, seed=seed, **brief)]
    if seed is None:
        seed = secrets.randbelow(2**31)
    elif isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= 2**63 - 1 - variants:
        raise InvalidInput("The seed is a whole number between 0 and 2^63-1 (less the number of variants).")
    licence_ids = [brief["licence_id"], *(brief.get("extra_licence_ids") or [])]
    licences = [access_licence(user=requester, licence_id=x) for x in licence_ids]
    group = uuid.uuid4()
    made: list[Brief] = []
    refused = None
    with transaction.atomic():
        licensing.quota_cover(licence_ids=[lic.pk for lic in licences], generations=variants)
        for i in range(variants):
            try:
                made.append(services.brief_submit(requester=requester, seed=seed + i, **brief))
            except services.PolicyRefused as exc:
                if i == 0:
                    refused = exc  # recorded (the holders see it), as a single refused brief is
                    Brief.objects.filter(pk=exc.brief.pk).update(variant_group=group)
                    break
                raise  # a later variant refused: the whole set rolls back
        Brief.objects.filter(pk__in=[b.pk for b in made]).update(variant_group=group)
        for i, b in enumerate(made):
            Brief.objects.filter(pk=b.pk).update(variant_index=i)
            b.variant_group, b.variant_index = group, i
    if refused is not None:
        raise refused
    return made


def variant_group_briefs(*, user: User, group_id) -> list[Brief]:
    """The briefs of a variant set, for its requester (NotFound otherwise)."""
    try:
        group = uuid.UUID(str(group_id))
    except ValueError:
        raise NotFound("No such set of variants.")
    briefs = list(
        Brief.objects.filter(variant_group=group, requester=user).select_related("licence__terms", "job").order_by("variant_index")
    )
    if not briefs:
        raise NotFound("No such set of variants.")
    return briefs


def variant_mark_winner(*, brief: Brief, actor: User, winner: bool = True) -> Brief:
    if brief.requester_id != actor.pk:
        raise Forbidden("Only the requester marks winners.")
    if brief.variant_group is None:
        raise InvalidInput("This brief is not one of a set of variants.")
    job = GenerationJob.objects.filter(brief=brief).first()
    if winner and (job is None or job.status != GenerationJob.Status.RELEASED or job.taken_down_at):
        raise Conflict("Only a released output can win.")
    with transaction.atomic():
        Brief.objects.filter(pk=brief.pk).update(is_winner=winner)
        licensing.audit_record(actor=actor, action="variant.winner" if winner else "variant.not_winner", obj=brief, data={"group": str(brief.variant_group)})
    brief.is_winner = winner
    return brief


def licence_record(job: GenerationJob) -> dict:
    """What travels with an exported output: the generation, its watermark id, the file's digest,
    every licence it was made under with its terms and their digest."""
    brief = job.brief
    return {
        "generation_id": str(job.pk),
        "brief_id": str(brief.pk),
        "prompt": brief.prompt,
        "seed": brief.seed,
        "variant_index": brief.variant_index,
        "watermark_id": job.mark_id,
        "output_sha256": job.output_sha256,
        "output_mime": job.output_mime,
        "model": job.model_name,
        "created_at": job.created_at.isoformat(),
        "licences": [
            {
                "licence_id": str(lic.pk),
                "holder": licensing.holding_label(lic.holding),
                "status": lic.status,
                "terms": lic.terms.as_dict(),
                "terms_sha256": services.terms_digest(lic),
                "ends_at": lic.ends_at.isoformat() if lic.ends_at else None,
            }
            for lic in brief.licences()
        ],
        "verify": "Drop the file into /verify/ (or POST it to /api/verify/) to check it.",
    }


def variant_winners_zip(*, user: User, group_id) -> bytes:
    """A ZIP of the set's winners: each output file beside its licence record, and a manifest."""
    briefs = variant_group_briefs(user=user, group_id=group_id)
    winners = [b for b in briefs if b.is_winner]
    if not winners:
        raise InvalidInput("Mark at least one winner first.")
    buf = io.BytesIO()
    manifest = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for b in winners:
            job = b.job
            if job.taken_down_at or not job.output:
                continue
            ext = "mp4" if job.output_mime == "video/mp4" else "png"
            name = f"variant-{b.variant_index + 1}-{job.pk}"
            with job.output.open("rb") as fh:
                zf.writestr(f"{name}.{ext}", fh.read())
            record = licence_record(job)
            zf.writestr(f"{name}.licence.json", json.dumps(record, indent=2))
            manifest.append({"file": f"{name}.{ext}", "licence_record": f"{name}.licence.json", "generation_id": str(job.pk)})
        zf.writestr("manifest.json", json.dumps({"variant_group": str(briefs[0].variant_group), "winners": manifest}, indent=2))
    return buf.getvalue()
