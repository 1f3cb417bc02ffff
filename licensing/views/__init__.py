"""The rights core's pages: the talent's control room (one page per topic), the studio's IP, and
the moderators' verification queue."""
from .moderation import moderation, verification_media
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
    "likeness_access", "likeness_consent", "likeness_detail", "likeness_new", "likeness_rules", "likeness_verification",
    "moderation", "reference_image", "rules_test", "screening_moderation", "screening_review_export", "studio_asset_detail", "studio_assets", "verification_media",
]
