"""The policy engine: a pure function of a generation request and what every party involved says
(the talent, each IP asset, each remix ancestor). No database here: `licensing.services.
policy_evaluate` gathers the facts. The most restrictive party wins: any party's refusal refuses
the brief, every reason is kept, and any party asking for approval holds the brief for it."""
from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    from .screening import ContentRules, Refusal


@dataclass(frozen=True)
class LicenceFacts:
    """The requester's licence for one party (None for a remix ancestor, whose own licence's
    derivative terms speak instead)."""

    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    quota_total: int
    quota_used: int
    licensee_id: int
    commercial_use: bool = True
    channels: tuple[str, ...] = ()
    territories: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartyFacts:
    """What one rights holder says."""

    label: str
    listed: bool
    revoked: bool
    consent_current: bool  # a likeness: current consent on record; an IP asset: opted in
    kind: str = "likeness"  # "likeness" | "ip_asset" | "ancestor"
    permits_requester: bool = True  # permission level, allow and deny lists
    minor: bool = False  # a minor's likeness (held by a guardian)
    requester_is_organisation: bool = False  # the requester is a brand or studio (checked for a minor's likeness)
    licence: LicenceFacts | None = None
    derivatives: str = "allowed"  # for an ancestor: what its licence allows of remixes
    exclusive_conflict: bool = False  # another brand holds exclusivity in the requester's category
    requires_brief_approval: bool = False
    content: "ContentRules | None" = None


@dataclass(frozen=True)
class BriefRequest:
    requester_id: int
    prompt: str
    at: datetime
    channel: str | None = None
    territory: str | None = None
    commercial: bool = True


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)
    needs_approval_from: tuple[str, ...] = ()
    # the content screen's refusals, with the parties' private words: for the parties' own views and
    # the moderators' counts, never for the requester (``as_dict`` leaves them out)
    refusals: tuple["Refusal", ...] = ()

    def as_dict(self) -> dict:
        return {"allowed": self.allowed, "reasons": list(self.reasons), "needs_approval_from": list(self.needs_approval_from)}


# Channels where the use is a paid placement: never non-commercial, whatever the licence says.
PAID_CHANNELS = frozenset({"paid_social", "tv", "out_of_home", "print"})

Screen = Callable[[str, list["ContentRules"]], list["Refusal"]]


class ScreenPlan:
    """Every party's content rules compiled once into one set (immutable): the union of blocked
    words and rules, and the categories only every party relaxed, so the prompt is screened once
    per decision whatever the number of parties, and each refusal is handed back to every party
    whose rule it is. Screening is a pure function of the prompt and the rules, so a plan keeps
    the answers it gave (per screen and prompt): the same brief decided again under the same rules
    (a job's start and finish re-checks) is not screened again."""

    MEMO_SIZE = 64

    def __init__(self, rules: Sequence["ContentRules"]) -> None:
        from .screening import SENSITIVE_CATEGORIES, ContentRules, despace

        self.rules = tuple(rules)
        allowed = frozenset(SENSITIVE_CATEGORIES)
        for r in self.rules:
            allowed &= r.allowed_categories
        self.merged = ContentRules(
            label="all parties",
            allowed_categories=allowed,
            # each word and rule once (parties share them): the screen's work and its refusals do not
            # repeat per party; ``_attribute`` hands each refusal to every party it belongs to
            blocked_words=tuple(dict.fromkeys(w for r in self.rules for w in r.blocked_words)),
            rules=tuple(dict.fromkeys(x for r in self.rules for x in r.rules)),
        )
        # Per party: its own spelling of each blocked word (by the screen's spacing-blind key), its rules.
        self._words = [{despace(w): w for w in r.blocked_words} for r in self.rules]
        self._rules = [frozenset(r.rules) for r in self.rules]
        self._despace = despace
        self._memo: dict = {}
        self._lock = threading.Lock()

    def refusals(self, prompt: str, screen: "Screen") -> tuple["Refusal", ...]:
        if not self.rules:
            return ()
        key = (screen, prompt)
        found = self._memo.get(key)
        if found is None:
            found = self._attribute(screen(prompt, [self.merged]))
            with self._lock:
                if len(self._memo) >= self.MEMO_SIZE:
                    self._memo.clear()
                self._memo[key] = found
        return found

    def _attribute(self, merged: list["Refusal"]) -> tuple["Refusal", ...]:
        if not merged:  # the usual brief
            return ()
        from .screening import KIND_BLOCKED_WORD, KIND_CATEGORY, KIND_GUARD, Refusal

        out = []
        for i, party in enumerate(self.rules):
            for r in merged:
                if r.kind in (KIND_CATEGORY, KIND_GUARD):
                    if r.rule not in party.allowed_categories:
                        out.append(Refusal(party.label, r.rule, r.kind, r.detail))
                elif r.kind == KIND_BLOCKED_WORD:
                    own = self._words[i].get(self._despace(r.rule))
                    if own is not None:
                        out.append(Refusal(party.label, own, r.kind, r.detail))
                elif r.rule in self._rules[i]:
                    out.append(Refusal(party.label, r.rule, r.kind, r.detail))
        return tuple(dict.fromkeys(out))


@functools.lru_cache(maxsize=512)
def _screen_plan(rules: tuple["ContentRules", ...]) -> ScreenPlan:
    return ScreenPlan(rules)


# The plans last asked for, by the identity of the rule objects (a caller that keeps its parties,
# such as a worker re-checking a job, skips hashing every party's words): each entry holds the
# rule objects themselves, so an id is never reused while its entry lives, and a hit is confirmed
# object by object.
_PLANS_BY_ID: dict[tuple[int, ...], tuple[tuple, ScreenPlan]] = {}


def screen_plan(rules: tuple["ContentRules", ...]) -> ScreenPlan:
    """The compiled plan for these parties' rules (the rules themselves are the key, so a changed
    rule is a different plan: nothing goes stale)."""
    ids = tuple(map(id, rules))
    hit = _PLANS_BY_ID.get(ids)
    if hit is not None and all(a is b for a, b in zip(hit[0], rules)):
        return hit[1]
    plan = _screen_plan(rules)
    if len(_PLANS_BY_ID) >= 64:
        _PLANS_BY_ID.clear()
    _PLANS_BY_ID[ids] = (rules, plan)
    return plan


@dataclass(frozen=True)
class Snapshot:
    """A brief's parties compiled once: their facts and their screen plan. `decide` takes one (or
    a plain list, which it compiles). Worked out once too: whether every party is in good standing
    whatever the request (listed, not revoked, consent on record, the requester permitted, not a
    minor, no exclusivity held elsewhere, a licence, or remixes allowed), in which case a decision
    only checks each licence against the request; and the approvals such parties ask for."""

    parties: tuple[PartyFacts, ...]
    plan: ScreenPlan
    # None unless every party is in good standing: then (label, licence) of each licensed party
    standing: tuple[tuple[str, LicenceFacts], ...] | None = field(default=None, init=False, repr=False, compare=False)
    approvals: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)
    # what every licence of ``standing`` asks of a request at once (``_Licences``), or None
    licences: "_Licences | None" = field(default=None, init=False, repr=False, compare=False)
    # the one allowed decision of such a snapshot (frozen: every allowed request gets this object)
    allowed: "Decision | None" = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        good = bool(self.parties) and all(
            not p.revoked and p.listed and p.consent_current and p.permits_requester and not p.minor
            and not p.exclusive_conflict
            and (p.derivatives != "none" if p.kind == "ancestor" else p.licence is not None)
            for p in self.parties
        )
        if good:
            object.__setattr__(self, "standing", tuple((p.label, p.licence) for p in self.parties if p.kind != "ancestor"))
            approvals = []
            for p in self.parties:
                if p.kind == "ancestor" and p.derivatives == "approval":
                    approvals.append(p.label)
                if p.requires_brief_approval:
                    approvals.append(p.label)
            object.__setattr__(self, "approvals", tuple(dict.fromkeys(approvals)))
            object.__setattr__(self, "licences", _Licences.of([lic for _, lic in self.standing]))
            object.__setattr__(self, "allowed", Decision(allowed=True, reasons=(_ALLOWED,), needs_approval_from=self.approvals))

    @classmethod
    def compile(cls, parties: Sequence[PartyFacts]) -> "Snapshot":
        parties = tuple(parties)
        # the snapshot last compiled for these very objects (a caller that keeps its parties, as
        # the worker's re-checks and a stream of briefs to the same work do): the facts are frozen,
        # each entry holds its objects, so an id is never reused while the entry lives
        ids = tuple(map(id, parties))
        hit = _SNAPSHOTS_BY_ID.get(ids)
        if hit is not None and hit.parties == parties:  # element by element, identity first
            return hit
        snap = cls(parties, screen_plan(tuple(p.content for p in parties if p.content is not None)))
        if len(_SNAPSHOTS_BY_ID) >= 64:
            _SNAPSHOTS_BY_ID.clear()
        _SNAPSHOTS_BY_ID[ids] = snap
        return snap


_SNAPSHOTS_BY_ID: dict[tuple[int, ...], Snapshot] = {}

_NOBODY = object()  # a licensee no request is from: the licences are held by more than one


@dataclass(frozen=True)
class _Licences:
    """Every licence of a snapshot's parties in good standing, taken together: a request meets
    each of them (``_licence_reasons`` finds nothing) exactly when it meets this, checked once per
    decision instead of once per licence. The one licensee (``_NOBODY`` where they differ); all
    active with quota left; the latest start and the earliest end (None where no licence has one);
    all for commercial use; the channels and the territories every restricting licence covers
    (None where no licence restricts them)."""

    licensee: object
    usable: bool
    starts_at: datetime | None
    ends_at: datetime | None
    commercial_use: bool
    channels: frozenset[str] | None
    territories: frozenset[str] | None

    @classmethod
    def of(cls, lics: Sequence[LicenceFacts]) -> "_Licences | None":
        if not lics:
            return None
        ids = {lic.licensee_id for lic in lics}
        starts = [lic.starts_at for lic in lics if lic.starts_at is not None]
        ends = [lic.ends_at for lic in lics if lic.ends_at is not None]
        try:
            # the same order ``at`` is compared with: a naive and an aware time are not compared
            # here, where one licence alone would raise only once a request reaches it
            start, end = max(starts, default=None), min(ends, default=None)
        except TypeError:
            return None
        channels = [frozenset(lic.channels) for lic in lics if lic.channels]
        territories = [frozenset(lic.territories) for lic in lics if lic.territories]
        return cls(
            licensee=ids.pop() if len(ids) == 1 else _NOBODY,
            usable=all(lic.status == "active" and lic.quota_used < lic.quota_total for lic in lics),
            starts_at=start,
            ends_at=end,
            commercial_use=all(lic.commercial_use for lic in lics),
            channels=frozenset.intersection(*channels) if channels else None,
            territories=frozenset.intersection(*territories) if territories else None,
        )

    def admits(self, request: BriefRequest) -> bool:
        """Whether every licence covers ``request`` (``_licence_reasons`` finds nothing for each)."""
        channel, territory = request.channel, request.territory
        return (
            self.usable
            and request.requester_id == self.licensee
            and (self.starts_at is None or request.at >= self.starts_at)
            and (self.ends_at is None or request.at < self.ends_at)
            and (self.commercial_use or not (request.commercial or channel in PAID_CHANNELS))
            and (self.channels is None or bool(channel and channel in self.channels))
            and (self.territories is None or bool(territory and territory.upper() in self.territories))
        )


def _licence_reasons(request: BriefRequest, who: str, lic: LicenceFacts) -> list[str]:
    """Why ``lic`` does not cover ``request`` (nothing when it does): the one definition of a
    licence's checks. ``_Licences.admits`` asks the same of several licences at once."""
    reasons = []
    if request.requester_id != lic.licensee_id:
        reasons.append(f"The licence for {who} belongs to someone else.")
    if lic.status != "active":
        reasons.append(f"The licence for {who} is {lic.status}, not active.")
    if lic.starts_at and request.at < lic.starts_at:
        reasons.append(f"The licence term for {who} has not started yet.")
    if lic.ends_at and request.at >= lic.ends_at:
        reasons.append(f"The licence term for {who} has ended.")
    if lic.quota_used >= lic.quota_total:
        reasons.append(f"The generation quota ({lic.quota_total}) for {who} is used up.")
    if request.commercial and not lic.commercial_use:
        reasons.append(f"The licence for {who} is for non-commercial use only.")
    elif not lic.commercial_use and request.channel in PAID_CHANNELS:
        reasons.append(f"The licence for {who} is for non-commercial use only: {request.channel.replace('_', ' ')} is a paid, commercial channel.")
    if lic.channels and not request.channel:
        reasons.append(f"The licence for {who} covers only {', '.join(c.replace('_', ' ') for c in lic.channels)}: state the channel.")
    if lic.territories and not request.territory:
        reasons.append(f"The licence for {who} covers only {', '.join(lic.territories)}: state the territory.")
    if request.channel and lic.channels and request.channel not in lic.channels:
        reasons.append(f"The licence for {who} does not cover the {request.channel.replace('_', ' ')} channel.")
    if request.territory and lic.territories and request.territory.upper() not in lic.territories:
        reasons.append(f"The licence for {who} does not cover territory {request.territory.upper()}.")
    return reasons


def decide(request: BriefRequest, parties: "Snapshot | Sequence[PartyFacts]", screen: Screen | None = None) -> Decision:
    snapshot = parties if isinstance(parties, Snapshot) else Snapshot.compile(parties)
    if snapshot.standing is not None:
        # every party in good standing (worked out once per snapshot): only the licences speak
        reasons: list[str] = [] if request.prompt.strip() else ["The brief has no prompt."]
        every = snapshot.licences
        if every is None or not every.admits(request):
            for label, lic in snapshot.standing:
                reasons.extend(_licence_reasons(request, label, lic))
        approvals: "Sequence[str]" = snapshot.approvals
    else:
        reasons, approvals = _party_reasons(request, snapshot.parties)
    refusals: "Sequence[Refusal]" = ()
    if screen is not None:
        refusals = snapshot.plan.refusals(request.prompt, screen)
        # the category, or "a rule of the rights holder": never a party's private words
        if refusals:
            reasons.extend(dict.fromkeys(r.message for r in refusals))
    if reasons:
        return Decision(allowed=False, reasons=tuple(reasons), refusals=tuple(refusals))
    if snapshot.allowed is not None:
        return snapshot.allowed
    return Decision(allowed=True, reasons=(_ALLOWED,), needs_approval_from=tuple(dict.fromkeys(approvals)))


_ALLOWED = "Every party allows it: licences active, in term and scope, quota left, content rules met."


def _party_reasons(request: BriefRequest, parties: Sequence[PartyFacts]) -> tuple[list[str], list[str]]:
    reasons: list[str] = []
    approvals: list[str] = []
    if not request.prompt.strip():
        reasons.append("The brief has no prompt.")
    if not parties:
        reasons.append("No rights holder is attached to this brief.")
    for party in parties:
        who = party.label
        if party.revoked:
            reasons.append(f"{who} has been revoked by the rights holder.")
        elif not party.listed:
            reasons.append(f"{who} is not currently listed.")
        if not party.consent_current:
            reasons.append(f"{who} has no current consent on record." if party.kind != "ip_asset" else f"{who} is not opted in by its owner.")
        if not party.permits_requester:
            reasons.append(f"{who} does not allow you to use it.")
        if party.minor and (request.commercial or request.channel in PAID_CHANNELS):
            reasons.append(f"{who} is under 18 and cannot be used commercially.")
        if party.minor and party.requester_is_organisation:
            reasons.append(f"{who} belongs to a minor and is never used by a brand or a studio.")
        if party.exclusive_conflict:
            reasons.append(f"{who} is licensed exclusively to another brand in your category.")
        if party.kind == "ancestor":
            if party.derivatives == "none":
                reasons.append(f"{who} does not allow remixes.")
            elif party.derivatives == "approval":
                approvals.append(who)
        elif party.licence is None:
            reasons.append(f"You hold no licence for {who}.")
        else:
            reasons.extend(_licence_reasons(request, who, party.licence))
        if party.requires_brief_approval:
            approvals.append(who)
    return reasons, approvals
