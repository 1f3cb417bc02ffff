"""The listing's showcase: released outputs of a likeness or an IP asset that its rights holder
chose to show on the public listing. Writes and reads here; the marketplace's listing page shows
them through the `{% showcase holding %}` tag (generation/templatetags), so marketplace code never
imports generation."""
from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.errors import Forbidden, InvalidInput
from accounts.models import User
from licensing.models import Likeness, holding_filter
from licensing.services import audit_record, may_manage

from .models import GenerationJob, ShowcaseItem

MAX_SHOWN = 12


def _holding_q(holding, prefix: str = "brief__") -> Q:
    field = "likeness" if isinstance(holding, Likeness) else "ip_asset"
    return Q(**{f"{prefix}licence__{field}": holding}) | Q(**{f"{prefix}extra_licences__{field}": holding})


def _served() -> Q:
    return Q(status=GenerationJob.Status.RELEASED, taken_down_at__isnull=True) & ~Q(output="")


def showcase_candidates(*, holding) -> QuerySet[GenerationJob]:
    """Released, served outputs made with `holding` (as the lead party or another party), newest first."""
    return GenerationJob.objects.filter(_holding_q(holding), _served()).distinct().select_related("brief").order_by("-finished_at", "-created_at")


def showcase_for(*, holding) -> list[ShowcaseItem]:
    """What the public listing shows: the holder's choice, still released and served."""
    return list(
        ShowcaseItem.objects.filter(**holding_filter(holding), job__status=GenerationJob.Status.RELEASED, job__taken_down_at__isnull=True)
        .exclude(job__output="").select_related("job")
    )


def _may_choose(holding, user: User) -> bool:
    if isinstance(holding, Likeness):
        return may_manage(holding, user)
    return user.memberships.filter(organisation_id=holding.studio_id).exists()


def showcase_set(*, holding, actor: User, job_ids: list) -> list[ShowcaseItem]:
    """Replace the showcase with these outputs, in this order. Only the holder (or whoever acts for
    them) chooses, and only among outputs made with the holding that are released and served."""
    if not _may_choose(holding, actor):
        raise Forbidden("Only the rights holder chooses what their listing shows.")
    ids = list(dict.fromkeys(str(x) for x in job_ids))
    if len(ids) > MAX_SHOWN:
        raise InvalidInput(f"Choose at most {MAX_SHOWN} outputs to show.", code="too_many")
    with transaction.atomic():
        allowed = {str(pk) for pk in showcase_candidates(holding=holding).filter(pk__in=ids).values_list("pk", flat=True)}
        unknown = [x for x in ids if x not in allowed]
        if unknown:
            raise InvalidInput("Only released outputs made with this listing can be shown on it.", code="not_candidate")
        ShowcaseItem.objects.filter(**holding_filter(holding)).delete()
        items = ShowcaseItem.objects.bulk_create(
            [ShowcaseItem(job_id=pk, position=i, added_by=actor, **holding_filter(holding)) for i, pk in enumerate(ids)]
        )
        audit_record(actor=actor, action="showcase.set", obj=holding, data={"jobs": ids})
    return items
