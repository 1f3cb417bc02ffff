"""The generation runtime: the diffusers pipelines behind the GPU workers (no Django here)."""

from . import threads  # noqa: F401  (first: OpenMP's wait policy is read when torch is imported)
from .default_model import (
    ARCHES,
    MARKER_FILENAME,
    MODEL_NAME,
    MODEL_VERSION,
    build_default_model,
    build_random_model,
)
from .pipeline import (
    GenerationCancelled,
    RenderRequest,
    Runtime,
    RuntimeConfig,
    RuntimeStats,
    get_runtime,
    is_out_of_memory,
)
from .registry import IMAGE_PIPELINES, VIDEO_PIPELINES, NoVideoModel
from .video import mp4_codec, read_mp4, write_mp4

__all__ = [
    "ARCHES",
    "IMAGE_PIPELINES",
    "MARKER_FILENAME",
    "MODEL_NAME",
    "MODEL_VERSION",
    "VIDEO_PIPELINES",
    "GenerationCancelled",
    "NoVideoModel",
    "RenderRequest",
    "Runtime",
    "RuntimeConfig",
    "RuntimeStats",
    "build_default_model",
    "build_random_model",
    "get_runtime",
    "is_out_of_memory",
    "mp4_codec",
    "read_mp4",
    "write_mp4",
]
