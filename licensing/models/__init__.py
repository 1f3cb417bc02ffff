"""The rights core's records, one module per topic. Knows nothing of marketplace or generation:
they meet here through licences and usage records."""
from .audit import AuditEvent  # noqa: F401
from .consent import ConsentDocument, ConsentRecord, ReferenceImage, Verification  # noqa: F401
from .holdings import (  # noqa: F401
    PERMISSION_ORDER,
    AccessEntry,
    EstateAuthority,
    IPAsset,
    Likeness,
    ManagementGrant,
    PermissionLevel,
    RightsControls,
    UseRequest,
    holding_filter,
    one_holding_constraint,
)
from .licences import CHANNELS, Approval, Indemnity, Licence, LicenceTerms, LicenceTransition, RefundDue, UsageRecord  # noqa: F401
from .moderation import MisuseReport, ScreeningProfileClaim, ScreeningRefusal  # noqa: F401

__all__ = [
    "AuditEvent",
    "PermissionLevel",
    "PERMISSION_ORDER",
    "RightsControls",
    "Likeness",
    "IPAsset",
    "holding_filter",
    "one_holding_constraint",
    "AccessEntry",
    "UseRequest",
    "ManagementGrant",
    "EstateAuthority",
    "ReferenceImage",
    "Verification",
    "ConsentDocument",
    "ConsentRecord",
    "CHANNELS",
    "LicenceTerms",
    "Indemnity",
    "Licence",
    "LicenceTransition",
    "UsageRecord",
    "Approval",
    "RefundDue",
    "ScreeningRefusal",
    "ScreeningProfileClaim",
    "MisuseReport",
]
