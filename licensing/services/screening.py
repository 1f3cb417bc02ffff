"""The content screen's records: every refusal kept per party (for the party's own view and the
moderators' counts), a moderator's "this refusal was wrong" (the review list for the training set),
and the talent's "test my rules"."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.errors import Forbidden, InvalidInput
from accounts.models import User

from ..models import IPAsset, Likeness, ScreeningRefusal
from .audit import audit_record
from .evaluation import holding_label


def _holding_for(party: str, holdings: list):
    for h in holdings:
        label = holding_label(h)
        if party == label or party.endswith(f"({label})"):
            return h
    return None


def screening_refusals_record(*, reference: str, stage: str, requester: User, prompt: str, refusals, holdings: list) -> list[ScreeningRefusal]:
    """One row per refusal (the decision's ``refusals``), tied to the party's holding when known."""
    rows = []
    for r in refusals:
        h = _holding_for(r.party, holdings)
        rows.append(
            ScreeningRefusal(
                reference=str(reference), stage=stage, requester=requester, party=r.party[:255], category=r.category[:32],
                kind=r.kind[:16], rule=r.rule[:300], detail=r.detail[:500], prompt=prompt[:2000],
                likeness=h if isinstance(h, Likeness) else None, ip_asset=h if isinstance(h, IPAsset) else None,
            )
        )
    return ScreeningRefusal.objects.bulk_create(rows) if rows else []


def screening_refusal_mark_wrong(*, refusal_id: int, actor: User, note: str = "") -> ScreeningRefusal:
    """A moderator says the screen should not have refused this: it goes on the review list."""
    if not actor.is_moderator:
        raise Forbidden("Only moderators can review screening refusals.")
    if len(note) > 500:
        raise InvalidInput("The note is at most 500 characters.")
    with transaction.atomic():
        row = ScreeningRefusal.objects.select_for_update().filter(pk=refusal_id).first()
        if row is None:
            raise InvalidInput("No such refusal.")
        if row.marked_wrong_at is None:
            row.marked_wrong_at = timezone.now()
            row.marked_wrong_by = actor
            row.review_note = note.strip()
            row.save(update_fields=["marked_wrong_at", "marked_wrong_by", "review_note"])
            audit_record(actor=actor, action="screening.refusal_marked_wrong", obj=row, data={"category": row.category})
    return row


MAX_TEST_BRIEFS = 10


def screening_rules_test(*, briefs: list[str], rules: list[str]) -> list[dict]:
    """The talent's "test my rules": each sample brief screened exactly as a brief to a likeness
    with these rules and no relaxed categories (what ``manage.py screen_briefs`` answers)."""
    from ..screening import screen_one

    briefs = [b.strip() for b in briefs if b and b.strip()]
    if not briefs:
        raise InvalidInput("Write at least one sample brief.")
    if len(briefs) > MAX_TEST_BRIEFS or any(len(b) > 2000 for b in briefs):
        raise InvalidInput(f"At most {MAX_TEST_BRIEFS} sample briefs of at most 2000 characters each.")
    rules = [r.strip() for r in rules if r and r.strip()]
    if len(rules) > 200 or any(len(r) > 300 for r in rules):
        raise InvalidInput("At most 200 rules of at most 300 characters each.")
    return [{"brief": b, **screen_one(b, rules, label="Your likeness")} for b in briefs]
