"""Settings → the runtime's and provenance's explicit configuration. The only place in
generation/ that reads GENERATION_* and C2PA_* settings."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from .provenance import credentials
from .runtime import RuntimeConfig, get_runtime


def registered_models() -> dict[str, str]:
    """The models an offer may name (`GENERATION_MODELS`: {name: {RuntimeConfig field: value},
    with an optional "description"}), each with what a person reads; '' (not listed) is the
    deployment's own model."""
    models = getattr(settings, "GENERATION_MODELS", {}) or {}
    return {name: str(spec.get("description") or name) for name, spec in models.items()}


def runtime_config(model: str = "") -> RuntimeConfig:
    """The deployment's configuration, or a registered model's (its fields over the deployment's).
    ValueError for a name that is not registered (an offer's model removed from the settings)."""
    base = _deployment_config()
    if not model:
        return base
    spec = (getattr(settings, "GENERATION_MODELS", {}) or {}).get(model)
    if spec is None:
        raise ValueError(f"The model {model!r} this licence names is not configured on this deployment.")
    fields = {k: (_path(v) if k.endswith("_path") or k.endswith("_dir") else v) for k, v in spec.items() if k != "description"}
    return replace(base, **fields)


def _deployment_config() -> RuntimeConfig:
    return RuntimeConfig(
        model_path=Path(settings.GENERATION_MODEL_PATH) if settings.GENERATION_MODEL_PATH else None,
        builtin_dir=Path(settings.GENERATION_BUILTIN_MODEL_DIR),
        device=settings.GENERATION_DEVICE,
        dtype=settings.GENERATION_DTYPE,
        steps=settings.GENERATION_STEPS,
        size=settings.GENERATION_SIZE,
        strength=settings.GENERATION_STRENGTH,
        guidance_scale=settings.GENERATION_GUIDANCE_SCALE,
        pipeline=settings.GENERATION_PIPELINE,
        scheduler=settings.GENERATION_SCHEDULER,
        likeness=settings.GENERATION_LIKENESS,
        ip_adapter_path=_path(settings.GENERATION_IP_ADAPTER_PATH),
        ip_adapter_weight_name=settings.GENERATION_IP_ADAPTER_WEIGHT_NAME,
        ip_adapter_image_encoder_path=_path(settings.GENERATION_IP_ADAPTER_IMAGE_ENCODER_PATH),
        ip_adapter_scale=settings.GENERATION_IP_ADAPTER_SCALE,
        faceid_adapter_path=_path(getattr(settings, "GENERATION_FACEID_ADAPTER_PATH", "")),
        faceid_weight_name=getattr(settings, "GENERATION_FACEID_WEIGHT_NAME", ""),
        face_embedder_path=_path(getattr(settings, "GENERATION_FACE_EMBEDDER_PATH", "")),
        attention=settings.GENERATION_ATTENTION,
        channels_last=settings.GENERATION_CHANNELS_LAST,
        compile=settings.GENERATION_COMPILE,
        compile_mode=settings.GENERATION_COMPILE_MODE,
        vae_slicing=settings.GENERATION_VAE_SLICING,
        preview_every=settings.GENERATION_PREVIEW_EVERY,
        preview_min_seconds=getattr(settings, "GENERATION_PREVIEW_MIN_SECONDS", -1.0),
        threads=getattr(settings, "GENERATION_THREADS", 0),
        preview_vae_path=_path(settings.GENERATION_PREVIEW_VAE_PATH),
        max_batch_size=settings.GENERATION_MAX_BATCH_SIZE,
        max_batch_pixels=settings.GENERATION_MAX_BATCH_PIXELS,
        video_model_path=_path(settings.GENERATION_VIDEO_MODEL_PATH),
        video_pipeline=settings.GENERATION_VIDEO_PIPELINE,
        video_motion_adapter_path=_path(settings.GENERATION_VIDEO_MOTION_ADAPTER_PATH),
        video_frames=settings.GENERATION_VIDEO_FRAMES,
        video_fps=settings.GENERATION_VIDEO_FPS,
        video_size=settings.GENERATION_VIDEO_SIZE or None,
        video_steps=settings.GENERATION_VIDEO_STEPS or None,
    )


def _path(value) -> Path | None:
    return Path(value) if value else None


def runtime(model: str = ""):
    """The warm pipeline of `model` ('' : the deployment's) in this process (loaded on first use,
    then kept beside the others within GENERATION_MEMORY_BUDGET_MB)."""
    _quiet_libraries()
    budget_mb = int(getattr(settings, "GENERATION_MEMORY_BUDGET_MB", 0) or 0)  # 0: keep every model loaded warm
    return get_runtime(runtime_config(model), memory_budget=budget_mb * 1024 * 1024)


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
