"""The policy engine: a pure function of a generation request and the state and terms of every
party involved. No database access here: `licensing.services.policy_evaluate` gathers the facts.
The most restrictive party wins: any party's refusal refuses the brief, and every reason is kept."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class PartyFacts:
    """What one rights holder (a likeness, later an IP asset or a remix ancestor) says."""

    label: str
    listed: bool
    revoked: bool
    consent_current: bool


@dataclass(frozen=True)
class LicenceFacts:
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    quota_total: int
    quota_used: int
    licensee_id: int


@dataclass(frozen=True)
class BriefRequest:
    requester_id: int
    prompt: str
    at: datetime


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {"allowed": self.allowed, "reasons": list(self.reasons)}


def decide(request: BriefRequest, licence: LicenceFacts, parties: list[PartyFacts]) -> Decision:
    reasons: list[str] = []
    if request.requester_id != licence.licensee_id:
        reasons.append("The licence belongs to someone else.")
    if licence.status != "active":
        reasons.append(f"The licence is {licence.status}, not active.")
    if licence.starts_at and request.at < licence.starts_at:
        reasons.append("The licence term has not started yet.")
    if licence.ends_at and request.at >= licence.ends_at:
        reasons.append("The licence term has ended.")
    if licence.quota_used >= licence.quota_total:
        reasons.append(f"The generation quota ({licence.quota_total}) is used up.")
    if not request.prompt.strip():
        reasons.append("The brief has no prompt.")
    if not parties:
        reasons.append("No rights holder is attached to this licence.")
    for party in parties:
        if party.revoked:
            reasons.append(f"{party.label} has been revoked by the rights holder.")
        elif not party.listed:
            reasons.append(f"{party.label} is not currently listed.")
        if not party.consent_current:
            reasons.append(f"{party.label} has no current consent on record.")
    if reasons:
        return Decision(allowed=False, reasons=tuple(reasons))
    return Decision(allowed=True, reasons=("Licence active, within term, quota left, every party allows it.",))
