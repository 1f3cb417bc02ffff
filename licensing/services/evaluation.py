"""Gathering the facts for the policy engine (`licensing.policy.decide`): every party of a brief
(each licensed holding, each remix ancestor), what each says, and the content screen."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership, User

from .. import policy
from ..models import AccessEntry, ConsentDocument, ConsentRecord, Licence, Likeness, PermissionLevel, UsageRecord, holding_filter
from ..selectors import consent_current_for


def holding_label(holding) -> str:
    if isinstance(holding, Likeness):
        return f"The likeness of {holding.name}"
    return f"{holding.get_kind_display()} “{holding.name}”"


def _owner_ids(holding) -> set[int]:
    if isinstance(holding, Likeness):
        return {holding.owner_id}
    return set(Membership.objects.filter(organisation_id=holding.studio_id).values_list("user_id", flat=True))


def permits(holding, user: User) -> bool:
    """The holder's permission level and allow/deny lists, for `user`."""
    if user.pk in _owner_ids(holding):
        return True
    entries = dict(AccessEntry.objects.filter(**holding_filter(holding), user=user).values_list("user_id", "kind"))
    if entries.get(user.pk) == AccessEntry.Kind.DENY:
        return False
    allowed = entries.get(user.pk) == AccessEntry.Kind.ALLOW
    level = holding.permission_level
    if level == PermissionLevel.ONLY_ME:
        return False
    if level == PermissionLevel.APPROVED:
        return allowed
    if level == PermissionLevel.VERIFIED_BRANDS:
        return allowed or is_verified_brand(user)
    return True


def is_verified_brand(user: User) -> bool:
    return Membership.objects.filter(user=user, organisation__kind="brand", organisation__verified_at__isnull=False).exists()


def brand_categories(user: User) -> set[str]:
    return {
        c.strip().lower()
        for c in Membership.objects.filter(user=user, organisation__kind="brand").values_list("organisation__category", flat=True)
        if c and c.strip()
    }


def exclusive_conflict(holding, user: User, *, at=None) -> bool:
    """Another brand holds an exclusive licence on this holding, in one of `user`'s categories,
    running now."""
    categories = brand_categories(user)
    if not categories:
        return False
    at = at or timezone.now()
    held = (
        Licence.objects.filter(**holding_filter(holding), status=Licence.Status.ACTIVE, ends_at__gt=at)
        .exclude(licensee=user)
        .exclude(terms__exclusivity_category="")
        .values_list("terms__exclusivity_category", flat=True)
    )
    return any(c.strip().lower() in categories for c in held)


def is_minor(likeness: Likeness, today: date | None = None) -> bool:
    if not likeness.date_of_birth:
        return False
    today = today or timezone.now().date()
    dob = likeness.date_of_birth
    age = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
    return age < 18


def content_rules_of(holding):
    """What the holder allows, with the relaxations limited to what this holder may relax now (a
    stored relaxation that the rules no longer allow, say for a minor, does not count)."""
    from ..screening import ContentRules, relaxable_categories

    if isinstance(holding, Likeness):
        relaxable = relaxable_categories(is_minor=is_minor(holding), profile=holding.screening_profile)
    else:
        relaxable = relaxable_categories(is_minor=False, kind="ip_asset")
    return ContentRules(
        label=holding_label(holding),
        allowed_categories=frozenset(holding.allowed_categories or ()) & relaxable,
        blocked_words=tuple(holding.blocked_words or ()),
        rules=tuple(holding.content_rules or ()),
    )


def _licence_facts(licence: Licence, *, quota_already_used: bool) -> policy.LicenceFacts:
    return policy.LicenceFacts(
        status=licence.status,
        starts_at=licence.starts_at,
        ends_at=licence.ends_at,
        quota_total=licence.terms.generation_quota,
        quota_used=licence.quota_used - (1 if quota_already_used else 0),
        licensee_id=licence.licensee_id,
        commercial_use=licence.terms.commercial_use,
        channels=tuple(licence.terms.channels or ()),
        territories=tuple(licence.terms.territories or ()),
    )


def holding_party(holding, *, requester: User, licence: Licence | None, quota_already_used: bool = False) -> policy.PartyFacts:
    is_likeness = isinstance(holding, Likeness)
    return policy.PartyFacts(
        label=holding_label(holding),
        kind="likeness" if is_likeness else "ip_asset",
        listed=holding.status == "listed",
        revoked=holding.status == "revoked",
        consent_current=consent_current_for(holding) if is_likeness else holding.opted_in_at is not None,
        permits_requester=permits(holding, requester),
        minor=is_minor(holding) if is_likeness else False,
        licence=_licence_facts(licence, quota_already_used=quota_already_used) if licence else None,
        exclusive_conflict=exclusive_conflict(holding, requester),
        requires_brief_approval=holding.require_brief_approval,
        content=content_rules_of(holding),
    )


ANCESTOR_DEPTH_LIMIT = 1000


def _ancestor_chain(parent: UsageRecord) -> list[str]:
    """The references of the parent's use and every use above it, nearest first: one recursive
    query, however deep the chain (a cycle, which the data never holds, ends at the depth limit and
    at the first repeated row)."""
    table = UsageRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE chain(id, reference, parent_id, depth) AS ("
            f" SELECT id, reference, parent_id, 0 FROM {table} WHERE id = %s"
            f" UNION ALL SELECT u.id, u.reference, u.parent_id, c.depth + 1 FROM {table} u JOIN chain c ON u.id = c.parent_id"
            f" WHERE c.depth < %s) SELECT id, reference FROM chain ORDER BY depth",
            [parent.pk, ANCESTOR_DEPTH_LIMIT],
        )
        rows = cursor.fetchall()
    seen, refs = set(), []
    for pk, reference in rows:
        if pk in seen:
            break
        seen.add(pk)
        refs.append(reference)
    return refs


def ancestor_parties(parent: UsageRecord | None) -> list[policy.PartyFacts]:
    """Every remix ancestor, walking up from the parent's usage record: each ancestor's holding
    (its rules apply to the remix) with the derivative terms of the licence it was made under.
    Two queries whatever the depth: the chain, then every use along it with its licence, terms and
    holding."""
    if parent is None:
        return []
    refs = _ancestor_chain(parent)
    by_ref: dict[str, list[UsageRecord]] = {}
    records = (
        UsageRecord.objects.filter(reference__in=set(refs))
        .select_related("licence__terms", "licence__likeness", "licence__ip_asset")
        .order_by("pk")
    )
    for record in records:
        by_ref.setdefault(record.reference, []).append(record)
    parties = []
    for reference in dict.fromkeys(refs):
        for record in by_ref.get(reference, ()):
            lic = record.licence
            holding = lic.holding
            parties.append(
                policy.PartyFacts(
                    label=f"Remix parent {reference[:8]} ({holding_label(holding)})",
                    kind="ancestor",
                    listed=holding.status != "revoked",
                    revoked=holding.status == "revoked" or lic.status == Licence.Status.REVOKED,
                    consent_current=True,
                    derivatives=lic.terms.derivatives,
                    content=content_rules_of(holding),
                )
            )
    return parties


# --- the volatile facts of a decision, one batched query per table ----------------------------------

@dataclass(frozen=True)
class RequesterFacts:
    """What the database says about the requester and the licensed holdings right now: read with
    one query per table for all of a brief's licences at once (the licences and their holdings are
    the rows the caller already locked)."""

    consent_current: frozenset  # likeness ids with current consent
    access: dict  # ("likeness" | "ip_asset", holding id) -> AccessEntry.Kind
    organisations: frozenset  # the requester's organisations
    verified_brand: bool
    categories: frozenset  # the requester's brands' categories
    exclusive_elsewhere: frozenset  # (kind, holding id) held exclusively by another brand in one of them

    @staticmethod
    def key(holding) -> tuple:
        return ("likeness", holding.pk) if isinstance(holding, Likeness) else ("ip_asset", holding.pk)

    def permits(self, holding, user: User) -> bool:
        owner = holding.owner_id == user.pk if isinstance(holding, Likeness) else holding.studio_id in self.organisations
        if owner:
            return True
        entry = self.access.get(self.key(holding))
        if entry == AccessEntry.Kind.DENY:
            return False
        allowed = entry == AccessEntry.Kind.ALLOW
        level = holding.permission_level
        if level == PermissionLevel.ONLY_ME:
            return False
        if level == PermissionLevel.APPROVED:
            return allowed
        if level == PermissionLevel.VERIFIED_BRANDS:
            return allowed or self.verified_brand
        return True


def requester_facts(holdings: list, requester: User, *, at=None) -> RequesterFacts:
    at = at or timezone.now()
    likeness_ids = [h.pk for h in holdings if isinstance(h, Likeness)]
    asset_ids = [h.pk for h in holdings if not isinstance(h, Likeness)]
    consent: set = set()
    if likeness_ids:
        latest: dict = {}
        current_doc = ConsentDocument.objects.order_by("-version").values("id")[:1]
        for likeness_id, pk, action in ConsentRecord.objects.filter(likeness_id__in=likeness_ids, document_id=current_doc).values_list(
            "likeness_id", "id", "action"
        ):
            if likeness_id not in latest or pk > latest[likeness_id][0]:
                latest[likeness_id] = (pk, action)
        consent = {lid for lid, (_, action) in latest.items() if action == "accepted"}
    where = Q(likeness_id__in=likeness_ids) | Q(ip_asset_id__in=asset_ids)
    access = {}
    for likeness_id, asset_id, kind in AccessEntry.objects.filter(where, user=requester).values_list("likeness_id", "ip_asset_id", "kind"):
        access[("likeness", likeness_id) if likeness_id else ("ip_asset", asset_id)] = kind
    organisations, verified, categories = set(), False, set()
    for org_id, kind, verified_at, category in Membership.objects.filter(user=requester).values_list(
        "organisation_id", "organisation__kind", "organisation__verified_at", "organisation__category"
    ):
        organisations.add(org_id)
        if kind == "brand":
            verified = verified or verified_at is not None
            if category and category.strip():
                categories.add(category.strip().lower())
    exclusive = set()
    if categories and holdings:
        held = (
            Licence.objects.filter(where, status=Licence.Status.ACTIVE, ends_at__gt=at)
            .exclude(licensee=requester)
            .exclude(terms__exclusivity_category="")
            .values_list("likeness_id", "ip_asset_id", "terms__exclusivity_category")
        )
        for likeness_id, asset_id, category in held:
            if category.strip().lower() in categories:
                exclusive.add(("likeness", likeness_id) if likeness_id else ("ip_asset", asset_id))
    return RequesterFacts(frozenset(consent), access, frozenset(organisations), verified, frozenset(categories), frozenset(exclusive))


def _licensed_party(licence: Licence, facts: RequesterFacts, requester: User, *, quota_already_used: bool) -> policy.PartyFacts:
    holding = licence.holding
    is_likeness = isinstance(holding, Likeness)
    return policy.PartyFacts(
        label=holding_label(holding),
        kind="likeness" if is_likeness else "ip_asset",
        listed=holding.status == "listed",
        revoked=holding.status == "revoked",
        consent_current=holding.pk in facts.consent_current if is_likeness else holding.opted_in_at is not None,
        permits_requester=facts.permits(holding, requester),
        minor=is_minor(holding) if is_likeness else False,
        licence=_licence_facts(licence, quota_already_used=quota_already_used),
        exclusive_conflict=facts.key(holding) in facts.exclusive_elsewhere,
        requires_brief_approval=holding.require_brief_approval,
        content=content_rules_of(holding),
    )


def semantic_screening_on() -> bool:
    return bool(getattr(settings, "CONTENT_SCREENING_SEMANTIC", True))


def screening_guard():
    """The deployment's guard model (``CONTENT_SCREENING_GUARD_MODEL``, a local directory), or None."""
    path = getattr(settings, "CONTENT_SCREENING_GUARD_MODEL", "") or ""
    if not path:
        return None
    from ..screening.guard import load_guard

    return load_guard(path, float(getattr(settings, "CONTENT_SCREENING_GUARD_THRESHOLD", 0.5)))


@functools.lru_cache(maxsize=16)
def _screen_for(semantic: bool, infer: bool, guard_path: str, guard_threshold: float):
    from .. import screening

    guard = screening_guard() if guard_path else None

    def screen(prompt, rules):
        return screening.screen(prompt, rules, semantic=semantic, infer=infer, guard=guard)

    return screen


def _screen(semantic: bool, infer: bool = True):
    # One fixed function per setting, so a compiled screen plan recognises the same screen (and keeps its answer).
    path = getattr(settings, "CONTENT_SCREENING_GUARD_MODEL", "") or ""
    return _screen_for(semantic, infer, path, float(getattr(settings, "CONTENT_SCREENING_GUARD_THRESHOLD", 0.5)))


def screen_parties(*, licences: list[Licence], parent: UsageRecord | None) -> list:
    """The content rules of every party of a brief, as they stand now (no locks)."""
    rules = [content_rules_of(lic.holding) for lic in licences]
    rules += [p.content for p in ancestor_parties(parent) if p.content is not None]
    return rules


def screen_warm(*, licence_ids: list, prompt: str, parent: UsageRecord | None = None) -> None:
    """Before any lock is taken: load the screening model (and the guard) and embed everything a
    full screen of this brief will read, for the parties' rules as they stand now. The screen that
    follows under the locks then runs with ``infer=False``: no model inference under row locks. A
    rule added in between is not in the cache: that screen raises ``NeedsInference`` and the caller
    warms again and retries (``generation.services._screened``)."""
    if not semantic_screening_on():
        return
    from .. import screening

    licences = list(Licence.objects.filter(pk__in=licence_ids).select_related("likeness", "ip_asset"))
    screening.warm(prompt, screen_parties(licences=licences, parent=parent))
    screening_guard()


def policy_evaluate(
    *,
    licences: list[Licence],
    requester: User,
    prompt: str,
    channel: str | None = None,
    territory: str | None = None,
    parent: UsageRecord | None = None,
    quota_already_used: bool = False,
    infer: bool = True,
) -> policy.Decision:
    """Gather the facts for `policy.decide` and ask it. Call with the licences locked when the
    decision is followed by a quota use. `quota_already_used` re-checks a brief whose unit of
    quota is already counted (a job about to start or finish). The content screen runs in full
    every time (categories, owner rules, the guard), so a rule added after submission stops queued
    work; callers holding locks pass `infer=False` after `screen_warm`, so the screen reads cached
    embeddings only and never runs the model under the locks.

    Queries: the licences and their holdings are the caller's (locked) rows; then one query each
    for consent, access lists, the requester's organisations, exclusivity held elsewhere, the
    ancestor chain (recursive) and the ancestors' licences: the count does not grow with parties."""
    at = timezone.now()
    facts = requester_facts([lic.holding for lic in licences], requester, at=at)
    parties = [_licensed_party(lic, facts, requester, quota_already_used=quota_already_used) for lic in licences]
    parties += ancestor_parties(parent)
    commercial = all(lic.terms.commercial_use for lic in licences) if licences else True
    request = policy.BriefRequest(
        requester_id=requester.pk, prompt=prompt, at=at, channel=channel or None, territory=territory or None, commercial=commercial
    )
    return policy.decide(request, policy.Snapshot.compile(parties), screen=_screen(semantic_screening_on(), infer))


def sale_refusals(*, holding, buyer: User, terms) -> list[str]:
    """Why `buyer` may not be sold a licence on `holding` under `terms` now (empty: they may).
    The marketplace asks this before it takes money; the policy engine asks again at every brief."""
    reasons = []
    label = holding_label(holding)
    if holding.status != "listed":
        reasons.append(f"{label} is not listed.")
    if isinstance(holding, Likeness):
        if not consent_current_for(holding):
            reasons.append(f"{label} needs fresh consent to the current consent document before new licences are sold.")
        if terms.commercial_use and is_minor(holding):
            reasons.append(f"{label} is under 18 and cannot be licensed commercially.")
    elif holding.opted_in_at is None:
        reasons.append(f"{label} is not opted in by its owner.")
    if not permits(holding, buyer):
        reasons.append(f"{label} does not allow you to license it" + (" (ask the talent first)." if holding.permission_level == PermissionLevel.APPROVED else "."))
    if exclusive_conflict(holding, buyer):
        reasons.append(f"{label} is licensed exclusively to another brand in your category.")
    return reasons
