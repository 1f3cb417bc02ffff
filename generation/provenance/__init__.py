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
from .watermark import MARK_ID_BITS, embed, extract, new_mark_id

__all__ = [
    "MARK_ID_BITS",
    "CredentialClaim",
    "CredentialError",
    "CredentialReport",
    "SigningMaterial",
    "embed",
    "ensure_dev_certificates",
    "extract",
    "load_signing_material",
    "new_mark_id",
    "read",
    "sign",
]
