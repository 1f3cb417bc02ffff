from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.errors import get_or_not_found
from accounts.models import User

from .models import Brief, GenerationJob


def access_job(*, user: User, job_id) -> GenerationJob:
    """A job is visible to whoever asked for it and to the talent whose likeness it uses."""
    return get_or_not_found(
        GenerationJob.objects.select_related("brief__licence__likeness", "brief__requester"),
        "No such job.",
        Q(brief__requester=user) | Q(brief__licence__likeness__owner=user),
        pk=job_id,
    )


def access_brief(*, user: User, brief_id) -> Brief:
    return get_or_not_found(
        Brief.objects.select_related("licence__likeness", "requester"),
        "No such brief.",
        Q(requester=user) | Q(licence__likeness__owner=user),
        pk=brief_id,
    )


def brief_list_for_requester(*, user: User) -> QuerySet[Brief]:
    return (
        Brief.objects.filter(requester=user)
        .select_related("licence__likeness", "job")
        .order_by("-created_at")
    )


def use_list_for_talent(*, user: User) -> QuerySet[Brief]:
    """Every brief naming one of the talent's likenesses, refused ones included."""
    return (
        Brief.objects.filter(licence__likeness__owner=user)
        .select_related("licence__likeness", "licence__terms", "requester", "job")
        .order_by("-created_at")
    )


def job_by_mark(*, mark_id: int) -> GenerationJob | None:
    return (
        GenerationJob.objects.select_related("brief__licence__likeness").filter(mark_id=mark_id).first()
    )
