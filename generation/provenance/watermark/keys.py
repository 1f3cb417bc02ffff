"""The watermark key: its check, and the subkeys and keystreams derived from it (HMAC-SHA256 under
``_VERSION``, SHAKE-256)."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np

from .params import _VERSION


def _check_key(key: bytes) -> bytes:
    if not isinstance(key, (bytes, bytearray)) or len(key) == 0:
        raise ValueError("watermark key must be non-empty bytes")
    return bytes(key)


def _subkey(key: bytes, purpose: bytes) -> bytes:
    return hmac.new(key, _VERSION + b"/" + purpose, hashlib.sha256).digest()


def _keystream_u64(key: bytes, purpose: bytes, n: int) -> np.ndarray:
    # SHAKE-256 keyed by a derived subkey: stable across numpy versions, unlike
    # numpy's Generator methods.
    raw = hashlib.shake_256(_subkey(key, purpose)).digest(8 * n)
    return np.frombuffer(raw, dtype="<u8")
