"""Provenance for generated outputs: a keyed invisible watermark and C2PA content credentials.

Django-free: every function takes its keys, certificates and paths as parameters
(``generation.config`` turns settings into those).
"""

from .credentials import (
    SOFT_BINDING_ALG,
    CredentialClaim,
    CredentialError,
    CredentialReport,
    SignedAsset,
    SigningMaterial,
    ensure_dev_certificates,
    load_signing_material,
    mark_id_from_binding,
    read,
    sign,
    sign_asset,
    soft_binding_value,
)
from .watermark import MARK_ID_BITS, embed, embed_video, extract, extract_video, new_mark_id, probe_video

__all__ = [
    "MARK_ID_BITS",
    "SOFT_BINDING_ALG",
    "SignedAsset",
    "mark_id_from_binding",
    "sign_asset",
    "soft_binding_value",
    "CredentialClaim",
    "CredentialError",
    "CredentialReport",
    "SigningMaterial",
    "embed",
    "embed_video",
    "ensure_dev_certificates",
    "extract",
    "extract_video",
    "load_signing_material",
    "new_mark_id",
    "probe_video",
    "read",
    "sign",
]
