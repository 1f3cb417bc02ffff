"""The rights core's pages: the talent's control room (one page per topic), representation
(agencies, estates' proofs), the studio's IP, the moderators' queues and oversight, and the
public misuse report form."""
from .audit import audit_trail, consent_document, likeness_history
from .guardian import likeness_named
from .moderation import moderation, verification_media
from .reports import report, reports_queue
from .representation import estate_proof_document, estate_proofs, likeness_representation, likenesses_managed
from .screening import rules_test, screening_moderation, screening_review_export
from .studio import studio_asset_detail, studio_assets
from .talent import (
    likeness_access,
    likeness_consent,
    likeness_detail,
    likeness_new,
    likeness_rules,
    likeness_verification,
    reference_image,
)

__all__ = [
    "audit_trail", "consent_document", "estate_proof_document", "estate_proofs", "likeness_named", "likeness_representation",
    "likenesses_managed", "likeness_access", "likeness_consent", "likeness_detail", "likeness_history", "likeness_new",
    "likeness_rules", "likeness_verification", "moderation", "reference_image", "report", "reports_queue", "rules_test",
    "screening_moderation", "screening_review_export", "studio_asset_detail", "studio_assets", "verification_media",
]
