"""Gathering the facts for the policy engine (`licensing.policy.decide`): every party of a brief
(each licensed holding, each remix ancestor), what each says, and the content screen."""
from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from accounts.models import Membership, User

from .. import policy
from ..models import AccessEntry, Licence, Likeness, PermissionLevel, UsageRecord, holding_filter
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


def ancestor_parties(parent: UsageRecord | None) -> list[policy.PartyFacts]:
    """Every remix ancestor, walking up from the parent's usage record: each ancestor's holding
    (its rules apply to the remix) with the derivative terms of the licence it was made under."""
    parties = []
    seen = set()
    node = parent
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        for record in UsageRecord.objects.filter(reference=node.reference).select_related("licence__terms", "licence__likeness", "licence__ip_asset"):
            lic = record.licence
            holding = lic.holding
            parties.append(
                policy.PartyFacts(
                    label=f"Remix parent {node.reference[:8]} ({holding_label(holding)})",
                    kind="ancestor",
                    listed=holding.status != "revoked",
                    revoked=holding.status == "revoked" or lic.status == Licence.Status.REVOKED,
                    consent_current=True,
                    derivatives=lic.terms.derivatives,
                    content=content_rules_of(holding),
                )
            )
        node = node.parent
    return parties


def semantic_screening_on() -> bool:
    return bool(getattr(settings, "CONTENT_SCREENING_SEMANTIC", True))


def screening_guard():
    """The deployment's guard model (``CONTENT_SCREENING_GUARD_MODEL``, a local directory), or None."""
    path = getattr(settings, "CONTENT_SCREENING_GUARD_MODEL", "") or ""
    if not path:
        return None
    from ..screening.guard import load_guard

    return load_guard(path, float(getattr(settings, "CONTENT_SCREENING_GUARD_THRESHOLD", 0.5)))


def _screen(semantic: bool, infer: bool):
    from .. import screening

    guard = screening_guard()
    return lambda prompt, rules: screening.screen(prompt, rules, semantic=semantic, infer=infer, guard=guard)


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
    embeddings only and never runs the model under the locks."""
    parties = [
        holding_party(lic.holding, requester=requester, licence=lic, quota_already_used=quota_already_used) for lic in licences
    ]
    parties += ancestor_parties(parent)
    commercial = all(lic.terms.commercial_use for lic in licences) if licences else True
    request = policy.BriefRequest(
        requester_id=requester.pk, prompt=prompt, at=timezone.now(), channel=channel or None, territory=territory or None, commercial=commercial
    )
    return policy.decide(request, parties, screen=_screen(semantic_screening_on(), infer))


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
