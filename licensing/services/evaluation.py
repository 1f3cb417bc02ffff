"""Gathering the facts for the policy engine (`licensing.policy.decide`): every party of a brief
(each licensed holding, each remix ancestor), what each says, and the content screen."""
from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from accounts.models import Membership, User

from .. import policy
from ..models import AccessEntry, Licence, Likeness, PermissionLevel, UsageRecord, holding_filter
from ..selectors import consent_current_for, verification_approved_for


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


def normalise_category(category: str) -> str:
    """'Soft drinks', 'soft-drinks' and ' SOFT  DRINKS ' are one market."""
    import re

    return " ".join(re.sub(r"[^0-9a-z]+", " ", (category or "").lower()).split())


def brand_categories(user: User) -> set[str]:
    return {
        normalise_category(c)
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
    return any(normalise_category(c) in categories for c in held)


def age_on(dob: date, today: date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def is_minor(likeness: Likeness, today: date | None = None) -> bool:
    if not likeness.date_of_birth:
        return False
    return age_on(likeness.date_of_birth, today or timezone.now().date()) < 18


def is_ward(likeness) -> bool:
    """Held by a guardian (a minor's likeness, or an 18-year-old's not yet taken over) or under
    18 by its date of birth: never listed, never commercial, never for a brand or studio, only
    for people the guardian named, nothing relaxed."""
    return isinstance(likeness, Likeness) and (likeness.guardian_id is not None or is_minor(likeness))


def is_organisation_buyer(user: User) -> bool:
    """A brand or studio account, or a member of a brand or studio organisation."""
    return user.kind in (User.Kind.BRAND, User.Kind.STUDIO) or Membership.objects.filter(
        user=user, organisation__kind__in=("brand", "studio")
    ).exists()


def named_by_holder(holding, user: User) -> bool:
    return AccessEntry.objects.filter(**holding_filter(holding), user=user, kind=AccessEntry.Kind.ALLOW).exists()


def content_rules_of(holding):
    from ..screening import ContentRules

    # nothing is relaxable for a minor, whatever the stored controls say
    relaxed = frozenset() if is_ward(holding) else frozenset(holding.allowed_categories or ())
    return ContentRules(
        label=holding_label(holding),
        allowed_categories=relaxed,
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
    ward = is_ward(holding)
    return policy.PartyFacts(
        label=holding_label(holding),
        kind="likeness" if is_likeness else "ip_asset",
        # a minor's likeness is never listed: it is used privately by the people its guardian named
        listed=holding.status == "listed" or (ward and holding.status == "draft"),
        revoked=holding.status == "revoked",
        consent_current=consent_current_for(holding) if is_likeness else holding.opted_in_at is not None,
        permits_requester=permits(holding, requester) and (not ward or requester.pk in _owner_ids(holding) or named_by_holder(holding, requester)),
        minor=ward,
        requester_is_organisation=ward and is_organisation_buyer(requester),
        licence=_licence_facts(licence, quota_already_used=quota_already_used) if licence else None,
        exclusive_conflict=exclusive_conflict(holding, requester),
        requires_brief_approval=holding.require_brief_approval,
        content=content_rules_of(holding),
    )


def ancestor_parties(parent: UsageRecord | None, requester: User | None = None) -> list[policy.PartyFacts]:
    """Every remix ancestor, walking up from the parent's usage record: each ancestor's holding
    with the derivative terms of the licence it was made under. The ancestor's holder says what
    they say of a direct use: their permission level, allow and deny lists, a minor's limits,
    exclusivity and approval requirements apply to the remixer as well."""
    parties = []
    seen = set()
    node = parent
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        for record in UsageRecord.objects.filter(reference=node.reference).select_related("licence__terms", "licence__likeness", "licence__ip_asset"):
            lic = record.licence
            holding = lic.holding
            ward = is_ward(holding)
            who = requester
            parties.append(
                policy.PartyFacts(
                    label=f"Remix parent {node.reference[:8]} ({holding_label(holding)})",
                    kind="ancestor",
                    listed=holding.status != "revoked",
                    revoked=holding.status == "revoked" or lic.status == Licence.Status.REVOKED,
                    consent_current=True,
                    permits_requester=who is None or (
                        permits(holding, who) and (not ward or who.pk in _owner_ids(holding) or named_by_holder(holding, who))
                    ),
                    minor=ward,
                    requester_is_organisation=bool(who is not None and ward and is_organisation_buyer(who)),
                    exclusive_conflict=who is not None and exclusive_conflict(holding, who),
                    requires_brief_approval=holding.require_brief_approval,
                    derivatives=lic.terms.derivatives,
                    content=content_rules_of(holding),
                )
            )
        node = node.parent
    return parties


def semantic_screening_on() -> bool:
    return bool(getattr(settings, "CONTENT_SCREENING_SEMANTIC", True))


def _screen(semantic: bool):
    from .. import screening

    return lambda prompt, rules: screening.screen(prompt, rules, semantic=semantic)


def policy_evaluate(
    *,
    licences: list[Licence],
    requester: User,
    prompt: str,
    channel: str | None = None,
    territory: str | None = None,
    parent: UsageRecord | None = None,
    quota_already_used: bool = False,
) -> policy.Decision:
    """Gather the facts for `policy.decide` and ask it. Call with the licences locked when the
    decision is followed by a quota use. `quota_already_used` re-checks a brief whose unit of
    quota is already counted (a job about to start or finish): its prompt passed the semantic
    screen when it was submitted, so the re-check screens lexically only and no model inference
    runs while a worker holds the parties' locks."""
    parties = [
        holding_party(lic.holding, requester=requester, licence=lic, quota_already_used=quota_already_used) for lic in licences
    ]
    parties += ancestor_parties(parent, requester)
    commercial = all(lic.terms.commercial_use for lic in licences) if licences else True
    request = policy.BriefRequest(
        requester_id=requester.pk, prompt=prompt, at=timezone.now(), channel=channel or None, territory=territory or None, commercial=commercial
    )
    semantic = semantic_screening_on() and not quota_already_used
    return policy.decide(request, parties, screen=_screen(semantic))


def sale_refusals(*, holding, buyer: User, terms, direct: bool = False) -> list[str]:
    """Why `buyer` may not be sold a licence on `holding` under `terms` now (empty: they may).
    The marketplace asks this before it takes money; the policy engine asks again at every brief.
    `direct`: the holder grants it by hand (a guardian naming a person), not through a listing."""
    reasons = []
    label = holding_label(holding)
    ward = is_ward(holding)
    if ward:
        if not direct:
            reasons.append(f"{label} belongs to a minor: it is never sold, only granted by the guardian to people they name.")
        elif holding.status == "revoked":
            reasons.append(f"{label} is revoked.")
        if terms.commercial_use:
            reasons.append(f"{label} is under 18 and cannot be licensed commercially.")
        if is_organisation_buyer(buyer):
            reasons.append(f"{label} belongs to a minor and is never licensed to a brand or a studio.")
        if not named_by_holder(holding, buyer):
            reasons.append(f"{label} belongs to a minor: only people the guardian named may use it.")
        if terms.sublicensable or terms.exclusivity_category or terms.ai_training:
            reasons.append(f"{label} belongs to a minor: no sublicensing, exclusivity or AI training.")
    elif holding.status != "listed":
        reasons.append(f"{label} is not listed.")
    if isinstance(holding, Likeness):
        if not consent_current_for(holding):
            reasons.append(f"{label} needs fresh consent to the current consent document before new licences are sold.")
        if ward and not verification_approved_for(holding):
            reasons.append(f"{label} needs a moderator to approve its verification (and the date of birth) first.")
    elif holding.opted_in_at is None:
        reasons.append(f"{label} is not opted in by its owner.")
    if not permits(holding, buyer):
        reasons.append(f"{label} does not allow you to license it" + (" (ask the talent first)." if holding.permission_level == PermissionLevel.APPROVED else "."))
    if exclusive_conflict(holding, buyer):
        reasons.append(f"{label} is licensed exclusively to another brand in your category.")
    return reasons
