"""Provenance for generated outputs: a keyed invisible watermark and C2PA content credentials.

Django-free: every function takes its keys, certificates and paths as parameters
(``generation.config`` turns settings into those).
"""

from .credentials import (
    CredentialClaim,
    CredentialError,
    CredentialReport,
    SigningMaterial,
    ensure_dev_certificates,
    load_signing_material,
    read,
    sign,
)
from .watermark import MARK_ID_BITS, embed, embed_video, extract, extract_video, new_mark_id, probe_video

__all__ = [
    "MARK_ID_BITS",
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
