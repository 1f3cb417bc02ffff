from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.errors import NotFound, get_or_not_found
from accounts.models import Membership, User
from licensing.models import UsageRecord

from .models import Brief, GenerationJob


def _holder_q(user: User, prefix: str) -> Q:
    """Briefs in which `user` holds a right: their likeness or their studio's IP, lead or extra."""
    studios = Membership.objects.filter(user=user, organisation__kind="studio").values("organisation_id")
    return (
        Q(**{f"{prefix}licence__likeness__owner": user})
        | Q(**{f"{prefix}licence__ip_asset__studio__in": studios})
        | Q(**{f"{prefix}extra_licences__likeness__owner": user})
        | Q(**{f"{prefix}extra_licences__ip_asset__studio__in": studios})
    )


def _holder_brief_ids(user: User) -> set:
    """Every brief involving `user`'s holdings, directly or as a remix ancestor."""
    direct = set(Brief.objects.filter(_holder_q(user, "")).values_list("pk", flat=True))
    found = {str(x) for x in direct}
    frontier = set(found)
    for _ in range(32):  # remix chains are bounded; so is this walk
        if not frontier:
            break
        children = {str(x) for x in Brief.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)} - found
        found |= children
        frontier = children
    return found


def access_job(*, user: User, job_id) -> GenerationJob:
    """A job is visible to whoever asked for it and to every rights holder it involves."""
    job = get_or_not_found(GenerationJob.objects.select_related("brief__licence__likeness", "brief__requester"), "No such job.", pk=job_id)
    if job.brief.requester_id == user.pk or str(job.brief_id) in _holder_brief_ids(user) or user.is_moderator:
        return job
    raise NotFound("No such job.")



def may_see_output(*, user: User, job: GenerationJob) -> bool:
    """The requester sees an output once released; rights holders and moderators see it from the
    moment it exists (they approve it, or review a quarantined one)."""
    if job.taken_down_at or not job.output:
        return False
    if job.status == GenerationJob.Status.RELEASED:
        return True
    if job.status in (GenerationJob.Status.AWAITING_APPROVAL, GenerationJob.Status.QUARANTINED):
        return job.brief.requester_id != user.pk or user.is_moderator
    return False


def may_take_down(*, user: User, job: GenerationJob) -> bool:
    return user.is_moderator or str(job.brief_id) in _holder_brief_ids(user)


def access_brief(*, user: User, brief_id) -> Brief:
    brief = get_or_not_found(Brief.objects.select_related("licence__likeness", "requester"), "No such brief.", pk=brief_id)
    if brief.requester_id == user.pk or str(brief.pk) in _holder_brief_ids(user) or user.is_moderator:
        return brief
    raise NotFound("No such brief.")


def access_remixable(*, user: User, brief_id) -> GenerationJob:
    """A remix parent: a released output the user may see (theirs, or one in the public feed, the
    one way to publish, in the browser or the API). Anything else reads as not found, whoever
    learnt its id."""
    return get_or_not_found(
        GenerationJob.objects.select_related("brief"),
        "No such output to remix.",
        Q(brief__requester=user) | Q(feed_post__isnull=False, feed_post__removed_at__isnull=True),
        brief_id=brief_id,
        status=GenerationJob.Status.RELEASED,
        taken_down_at__isnull=True,
    )


def brief_list_for_requester(*, user: User) -> QuerySet[Brief]:
    return Brief.objects.filter(requester=user).select_related("licence__likeness", "licence__ip_asset", "requester", "job").order_by("-created_at")


def use_list_for_talent(*, user: User) -> QuerySet[Brief]:
    """Every brief involving the holder's likenesses or IP, refused and waiting ones included,
    remixes of them too."""
    return (
        Brief.objects.filter(pk__in=_holder_brief_ids(user))
        .select_related("licence__likeness", "licence__ip_asset", "licence__terms", "requester", "job")
        .prefetch_related("extra_licences__likeness", "extra_licences__ip_asset")
        .order_by("-created_at")
    )


def job_by_mark(*, mark_id: int) -> GenerationJob | None:
    return GenerationJob.objects.select_related("brief__licence__likeness").filter(mark_id=mark_id).first()


def consent_ledger_rows(*, briefs: QuerySet[Brief]) -> list[dict]:
    """Per generation, what a regulator or a union would ask for: the terms in force, the prompt's
    hash, every approval, the model, the watermark payload."""
    from licensing.models import Approval

    rows = []
    briefs = briefs.select_related("job", "licence__terms", "requester").prefetch_related("extra_licences__terms")
    approvals: dict[str, list] = {}
    for a in Approval.objects.filter(reference__in=[str(b.pk) for b in briefs]).select_related("likeness", "ip_asset", "decided_by"):
        approvals.setdefault(a.reference, []).append(
            {"kind": a.kind, "holder": (a.likeness or a.ip_asset).name, "status": a.status, "decided_at": a.decided_at.isoformat() if a.decided_at else None}
        )
    for b in briefs:
        job = getattr(b, "job", None)
        rows.append(
            {
                "brief_id": str(b.pk),
                "generation_id": str(job.pk) if job else None,
                "created_at": b.created_at.isoformat(),
                "requester": b.requester.email,
                "status": job.status if job else b.status,
                "decision": b.decision,
                "prompt_sha256": b.prompt_sha256,
                "licences": [{"licence_id": str(lic.pk), "terms": lic.terms.as_dict()} for lic in b.licences()],
                "parent_brief_id": str(b.parent_id) if b.parent_id else None,
                "approvals": approvals.get(str(b.pk), []),
                "model": job.model_name if job else None,
                "watermark_payload": f"{job.mark_id & (2**64 - 1):016x}" if job else None,
                "c2pa_signed": bool(job and job.c2pa_signed),
                "output_sha256": job.output_sha256 if job else None,
                "taken_down_at": job.taken_down_at.isoformat() if job and job.taken_down_at else None,
            }
        )
    return rows


def usage_records_for(*, brief: Brief) -> QuerySet[UsageRecord]:
    return UsageRecord.objects.filter(reference=str(brief.pk)).select_related("licence")


def lineage_for(*, job: GenerationJob, user: User, max_depth: int = 20) -> dict:
    """A job's remix ancestors (parent first) and descendants (breadth-first, bounded), each as
    (brief, job or None, parties). Descendants the viewer may not see are counted, not shown."""
    def parties(brief):
        return [brief.licence.holding, *[x.holding for x in brief.extra_licences.all()]]

    qs = Brief.objects.select_related("licence__likeness", "licence__ip_asset", "requester", "job").prefetch_related(
        "extra_licences__likeness", "extra_licences__ip_asset"
    )
    ancestors, brief, seen = [], job.brief, {job.brief_id}
    while brief.parent_id and len(ancestors) < max_depth and brief.parent_id not in seen:
        brief = qs.get(pk=brief.parent_id)
        seen.add(brief.pk)
        ancestors.append((brief, getattr(brief, "job", None), parties(brief)))
    descendants, frontier, hidden = [], [job.brief_id], 0
    if not user.is_authenticated:
        visible = set()
    else:
        visible = set(_holder_brief_ids(user)) if not user.is_moderator else None
    while frontier and len(descendants) < 200:
        children = list(qs.filter(parent_id__in=frontier).order_by("created_at"))
        frontier = [c.pk for c in children if c.pk not in seen]
        for c in children:
            seen.add(c.pk)
            public = hasattr(c, "job") and feed_posts().filter(job_id=c.job.pk).exists()
            if visible is None or (user.is_authenticated and c.requester_id == user.pk) or str(c.pk) in visible or public:
                descendants.append((c, getattr(c, "job", None), parties(c)))
            else:
                hidden += 1
    # who was credited and paid at each step (the ledger's split of each use's fee, by reference)
    from licensing.metering import paid_for

    briefs = [job.brief, *[b for b, _, _ in ancestors], *[b for b, _, _ in descendants]]
    paid = paid_for([b.pk for b in briefs])
    for b in briefs:
        b.paid = paid.get(str(b.pk), [])
    return {"ancestors": ancestors, "descendants": descendants, "hidden_descendants": hidden, "parties": parties(job.brief)}


def feed_posts() -> QuerySet:
    """The public feed: published, not removed, still released and not taken down; newest first."""
    from django.db.models import Count, Q

    from .models import FeedPost

    return (
        FeedPost.objects.filter(removed_at__isnull=True, job__status=GenerationJob.Status.RELEASED, job__taken_down_at__isnull=True)
        .select_related("author", "job__brief__licence__likeness", "job__brief__licence__ip_asset", "job__brief__requester")
        .annotate(like_count=Count("likes", distinct=True), comment_count=Count("comments", filter=Q(comments__status="visible"), distinct=True))
        .order_by("-created_at")
    )


def access_feed_post(*, post_id):
    return get_or_not_found(feed_posts(), "No such post in the feed.", pk=post_id)


def reported_comments():
    from django.db.models import Count

    from .models import FeedComment

    return (
        FeedComment.objects.filter(status=FeedComment.Status.VISIBLE, reports__isnull=False)
        .select_related("author", "post")
        .annotate(report_count=Count("reports"))
        .order_by("-report_count", "created_at")
    )


def remix_parent_usage(*, user: User, reference: str) -> UsageRecord:
    """The lead use record of a work `user` may remix (registered with licensing.remix_parents, so
    the money side can share a licence bought to remix it up its chain)."""
    job = access_remixable(user=user, brief_id=reference)
    usage = UsageRecord.objects.filter(reference=str(job.brief_id), licence_id=job.brief.licence_id).first()
    if usage is None:
        raise NotFound("No such output to remix.")
    return usage
