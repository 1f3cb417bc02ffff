"""Settings → the runtime's and provenance's explicit configuration. The only place in
generation/ that reads GENERATION_* and C2PA_* settings."""
from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from .provenance import credentials
from .runtime import RuntimeConfig, get_runtime


def runtime_config() -> RuntimeConfig:
    return RuntimeConfig(
        model_path=Path(settings.GENERATION_MODEL_PATH) if settings.GENERATION_MODEL_PATH else None,
        builtin_dir=Path(settings.GENERATION_BUILTIN_MODEL_DIR),
        device=settings.GENERATION_DEVICE,
        dtype=settings.GENERATION_DTYPE,
        steps=settings.GENERATION_STEPS,
        size=settings.GENERATION_SIZE,
        strength=settings.GENERATION_STRENGTH,
    )


def runtime():
    """The warm pipeline of this process (loaded on first use, then kept)."""
    _quiet_libraries()
    return get_runtime(runtime_config())


@lru_cache(maxsize=1)
def _quiet_libraries() -> None:
    """Loading bars and notices from transformers/diffusers belong on a console, not in worker logs."""
    import os

    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    diffusers_logging.disable_progress_bar()
    diffusers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()


def watermark_key() -> bytes:
    if settings.WATERMARK_KEY:
        return settings.WATERMARK_KEY.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"rightscast-watermark-v1", hashlib.sha256).digest()


@lru_cache(maxsize=1)
def _material(chain: str, key: str, anchors: str, dev_dir: str) -> credentials.SigningMaterial:
    if chain and key:
        return credentials.load_signing_material(Path(chain), Path(key), Path(anchors) if anchors else Path(chain))
    return credentials.ensure_dev_certificates(Path(dev_dir))


def signing_material() -> credentials.SigningMaterial:
    return _material(settings.C2PA_CERT_CHAIN, settings.C2PA_PRIVATE_KEY, settings.C2PA_TRUST_ANCHORS, str(settings.C2PA_DEV_DIR))
