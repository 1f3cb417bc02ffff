"""The generation runtime: the diffusers pipeline behind the GPU workers (no Django here)."""

from .default_model import (
    MARKER_FILENAME,
    MODEL_NAME,
    MODEL_VERSION,
    build_default_model,
)
from .pipeline import GenerationCancelled, Runtime, RuntimeConfig, get_runtime

__all__ = [
    "MARKER_FILENAME",
    "MODEL_NAME",
    "MODEL_VERSION",
    "GenerationCancelled",
    "Runtime",
    "RuntimeConfig",
    "build_default_model",
    "get_runtime",
]
