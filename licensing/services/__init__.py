"""Writes of the rights core, by topic. Every multi-row write is atomic; rows are locked in the
fixed order holding (likeness / IP asset) → licence (→ job → ledger in the apps above)."""
from .approvals import approval_decide, approval_request, approvals_for, approvals_lapse_due, approvals_outcome, may_decide
from .audit import audit_record
from .consent import consent_accept, consent_document_publish, consent_withdraw
from .evaluation import holding_label, is_minor, is_ward, permits, policy_evaluate, sale_refusals
from .guardianship import likeness_take_over, minors_coming_of_age, takeover_token
from .holdings import (
    access_entry_remove,
    access_entry_set,
    controls_update,
    ip_asset_create,
    ip_asset_opt_in,
    ip_asset_revoke,
    licence_grant,
    licence_revoke,
    licences_revoke_for_holding,
    likeness_create,
    likeness_details_update,
    likeness_publish,
    likeness_revoke,
    use_request_create,
    use_request_decide,
)
from .licences import licence_create, licence_transition, licences_expire_due, terms_create, usage_record
from .verification import CHALLENGE_WORDS, verification_review, verification_start, verification_submit

__all__ = [
    "CHALLENGE_WORDS",
    "access_entry_remove",
    "access_entry_set",
    "approval_decide",
    "approval_request",
    "approvals_for",
    "approvals_lapse_due",
    "approvals_outcome",
    "audit_record",
    "consent_accept",
    "consent_document_publish",
    "consent_withdraw",
    "controls_update",
    "holding_label",
    "ip_asset_create",
    "ip_asset_opt_in",
    "ip_asset_revoke",
    "is_minor",
    "is_ward",
    "likeness_take_over",
    "minors_coming_of_age",
    "takeover_token",
    "licence_create",
    "licence_grant",
    "licence_revoke",
    "licence_transition",
    "licences_expire_due",
    "licences_revoke_for_holding",
    "likeness_create",
    "likeness_details_update",
    "likeness_publish",
    "likeness_revoke",
    "may_decide",
    "permits",
    "policy_evaluate",
    "sale_refusals",
    "terms_create",
    "usage_record",
    "use_request_create",
    "use_request_decide",
    "verification_review",
    "verification_start",
    "verification_submit",
]
