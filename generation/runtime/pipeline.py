"""The diffusers runtime: load a model once per process, keep it warm, render images and videos.

Django-free on purpose: a GPU worker builds a :class:`RuntimeConfig` from settings, calls
:func:`get_runtime` (the pipelines stay warm in the process) and then :meth:`Runtime.render`,
:meth:`Runtime.render_batch` or :meth:`Runtime.render_video`.

- **Registry.** The image pipeline class (Stable Diffusion or SDXL), scheduler, dtype, device and
  the speed levers come from the configuration (see :mod:`.registry`); ``device="auto"`` falls back
  to the CPU where there is no GPU.
- **Likeness.** Reference images condition the render through diffusers' IP-Adapter when the model
  has one (``<model>/ip_adapter/`` or a configured folder; the built-in model carries a tiny one),
  and through image-to-image from the first reference otherwise.
- **Micro-batching.** :meth:`Runtime.render_batch` runs compatible requests (same size, steps and
  kind of conditioning: :meth:`Runtime.batch_key`) as one pipeline call with one seeded generator
  per request, so each image is the one it would be alone (up to float rounding). Out of memory
  halves the batch and retries; the halved size is remembered for that kind of batch.
- **Video.** :meth:`Runtime.render_video` renders with a text-to-video pipeline (AnimateDiff on the
  model plus its motion adapter; the built-in model has a tiny one) and returns MP4 bytes.
- **Previews.** With a tiny VAE (``AutoencoderTiny``) and ``preview_every=k``, every k-th step's
  latents are decoded cheaply and passed to ``on_preview(step, image)``.

torch and diffusers are imported lazily, so importing this module is cheap for processes that only
need the types (the web process).
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from . import registry
from .default_model import build_default_model, read_marker, read_random_marker
from .families import fit_frames, module_bytes
from .video import MAX_FPS, write_mp4

log = logging.getLogger(__name__)

_DEVICE_RE = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")
_DTYPES = ("auto", "float32", "float16", "bfloat16")
_CHANNELS_LAST = ("auto", "on", "off")

MAX_STEPS = 100
MAX_SIZE = 2048
MAX_FRAMES = 64
MAX_BATCH = 64

StepCallback = Callable[[int, int], None]
CancelCheck = Callable[[], bool]
PreviewCallback = Callable[[int, Image.Image], None]


class GenerationCancelled(Exception):
    """Raised when ``should_cancel()`` answered True between steps (or before the start)."""


def is_out_of_memory(exc: BaseException) -> bool:
    """CUDA's allocator raises ``torch.OutOfMemoryError``; some paths (cuDNN, cuBLAS workspaces,
    other backends) raise a plain RuntimeError saying "out of memory"."""
    if isinstance(exc, _oom_error()):
        return True
    return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()


def _oom_error() -> type[Exception]:
    import torch

    # torch.OutOfMemoryError since 2.5 (torch.cuda.OutOfMemoryError is the same class there).
    return getattr(torch, "OutOfMemoryError", None) or torch.cuda.OutOfMemoryError


ADAPTER_MODES = ("ip_adapter", "faceid")  # likeness modes that condition through adapter layers


@dataclass(frozen=True)
class RuntimeConfig:
    """What to load and how to render.

    ``model_path=None`` means the built-in development model, built on first use into
    ``builtin_dir``. ``device="auto"`` is CUDA when available, else CPU; ``dtype="auto"`` is
    float16 on CUDA and float32 elsewhere. ``pipeline`` is a class of
    :data:`registry.IMAGE_PIPELINES` or ``"auto"`` (the model's ``model_index.json``); ``scheduler``
    a diffusers scheduler class name built from the model's scheduler configuration (``""``: the
    model's own). ``steps`` is the number of denoising steps actually run (text-to-image and
    image-to-image alike); ``strength`` is how far image-to-image moves away from the reference
    (0 < strength <= 1). ``guidance_scale`` is classifier-free guidance; 0 (off) suits SD-Turbo
    and the development model.

    Likeness: ``likeness="auto"`` uses the IP-Adapter when one is found (``ip_adapter_path``, else
    ``<model>/ip_adapter``; the weights file ``ip_adapter_weight_name``, else the only one there;
    the image encoder ``ip_adapter_image_encoder_path``, else ``<adapter>/image_encoder``) and
    image-to-image otherwise; ``"ip_adapter"`` insists on the adapter; ``"img2img"`` never loads it.

    Speed levers: ``attention`` (``sdpa`` | ``eager``), ``channels_last`` (``auto``: on for CUDA),
    ``compile`` (``off`` | ``regional`` | ``full``, with ``compile_backend``/``compile_mode``),
    ``vae_slicing``, ``preview_every`` (decode a preview with the tiny VAE every k steps when the
    caller asks for previews; 0: never; the tiny VAE is ``preview_vae_path``, else ``<model>/vae_tiny``).

    Batching: at most ``max_batch_size`` requests per pipeline call; ``max_batch_pixels`` (0: no
    limit) is a memory budget in output pixels per call (``batch × size²``, × frames for video):
    a call over it is refused as out of memory before it reaches the device, and halved like one.

    Video: ``video_model_path`` (None: the image model), ``video_pipeline`` (a class of
    :data:`registry.VIDEO_PIPELINES` or ``"auto"``: the folder's own video class, else AnimateDiff
    when there is a motion adapter: ``video_motion_adapter_path``, else ``<model>/motion_adapter``),
    ``video_frames``, ``video_fps``, and ``video_size``/``video_steps`` (None: ``size``/``steps``).
    """

    model_path: Path | None
    builtin_dir: Path
    device: str = "auto"
    dtype: str = "auto"
    steps: int = 8
    size: int = 256
    strength: float = 0.6
    guidance_scale: float = 0.0
    pipeline: str = "auto"
    scheduler: str = ""
    likeness: str = "auto"
    ip_adapter_path: Path | None = None
    ip_adapter_weight_name: str = ""
    ip_adapter_image_encoder_path: Path | None = None
    ip_adapter_scale: float = 0.6
    # likeness="faceid": an IP-Adapter FaceID (weights in ``faceid_adapter_path``) conditioned on a
    # face-identity embedding (``face_embedder_path``: an ONNX recognition model; None: the
    # development crop descriptor, not an identity model); see :mod:`.faceid`.
    faceid_adapter_path: Path | None = None
    faceid_weight_name: str = ""
    face_embedder_path: Path | None = None
    attention: str = "sdpa"
    channels_last: str = "auto"
    compile: str = "off"
    compile_backend: str = "inductor"
    compile_mode: str = ""
    vae_slicing: bool = True
    preview_every: int = 0
    preview_min_seconds: float = 0.0  # at most one preview this often (0: every `preview_every` steps; -1: 0 on a GPU, 2 s elsewhere)
    preview_vae_path: Path | None = None
    threads: int = 0  # torch CPU threads; 0: the cores this process may use
    max_batch_size: int = 4
    max_batch_pixels: int = 0
    video_model_path: Path | None = None
    video_pipeline: str = "auto"
    video_motion_adapter_path: Path | None = None
    video_frames: int = 16
    video_fps: int = 8
    video_size: int | None = None
    video_steps: int | None = None

    def __post_init__(self) -> None:
        for name in (
            "model_path",
            "ip_adapter_path",
            "ip_adapter_image_encoder_path",
            "faceid_adapter_path",
            "face_embedder_path",
            "preview_vae_path",
            "video_model_path",
            "video_motion_adapter_path",
        ):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Path):
                object.__setattr__(self, name, Path(value))
        if not isinstance(self.builtin_dir, Path):
            object.__setattr__(self, "builtin_dir", Path(self.builtin_dir))
        if not isinstance(self.device, str) or not _DEVICE_RE.match(self.device):
            raise ValueError(f"device must be 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps', not {self.device!r}")
        if self.dtype not in _DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(_DTYPES)}, not {self.dtype!r}")
        _check_steps(self.steps)
        _check_size(self.size)
        if not (isinstance(self.strength, (int, float)) and 0.0 < float(self.strength) <= 1.0):
            raise ValueError(f"strength must be in (0, 1], not {self.strength!r}")
        if not (isinstance(self.guidance_scale, (int, float)) and self.guidance_scale >= 0.0):
            raise ValueError(f"guidance_scale must be >= 0, not {self.guidance_scale!r}")
        if self.pipeline != "auto" and self.pipeline not in registry.IMAGE_PIPELINES:
            raise ValueError(
                f"pipeline must be 'auto' or one of {', '.join(registry.IMAGE_PIPELINES)}, not {self.pipeline!r}"
            )
        if self.scheduler:
            registry.scheduler_class(self.scheduler)  # ValueError if it is not one
        if self.likeness not in registry.LIKENESS:
            raise ValueError(f"likeness must be one of {', '.join(registry.LIKENESS)}, not {self.likeness!r}")
        if not (isinstance(self.ip_adapter_scale, (int, float)) and 0.0 <= self.ip_adapter_scale <= 2.0):
            raise ValueError(f"ip_adapter_scale must be in [0, 2], not {self.ip_adapter_scale!r}")
        if self.attention not in registry.ATTENTION:
            raise ValueError(f"attention must be one of {', '.join(registry.ATTENTION)}, not {self.attention!r}")
        if self.channels_last not in _CHANNELS_LAST:
            raise ValueError(f"channels_last must be one of {', '.join(_CHANNELS_LAST)}, not {self.channels_last!r}")
        if self.compile not in registry.COMPILE:
            raise ValueError(f"compile must be one of {', '.join(registry.COMPILE)}, not {self.compile!r}")
        _check_int("preview_every", self.preview_every, 0, MAX_STEPS)
        _check_int("threads", self.threads, 0, 1024)
        if not isinstance(self.preview_min_seconds, (int, float)) or not (self.preview_min_seconds == -1 or 0 <= self.preview_min_seconds <= 3600):
            raise ValueError("preview_min_seconds must be between 0 and 3600, or -1 (auto)")
        _check_int("max_batch_size", self.max_batch_size, 1, MAX_BATCH)
        _check_int("max_batch_pixels", self.max_batch_pixels, 0, 2**40)
        if self.video_pipeline != "auto" and self.video_pipeline not in registry.VIDEO_PIPELINES:
            raise ValueError(
                f"video_pipeline must be 'auto' or one of {', '.join(registry.VIDEO_PIPELINES)}, "
                f"not {self.video_pipeline!r}"
            )
        _check_int("video_frames", self.video_frames, 1, MAX_FRAMES)
        _check_int("video_fps", self.video_fps, 1, MAX_FPS)
        if self.video_size is not None:
            _check_size(self.video_size)
        if self.video_steps is not None:
            _check_steps(self.video_steps)


def _check_int(name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, not {value!r}")


def _check_steps(steps: Any) -> None:
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a whole number of at least 1, not {steps!r}")
    if steps > MAX_STEPS:
        raise ValueError(f"steps must be at most {MAX_STEPS}, not {steps}")


def _check_size(size: Any) -> None:
    if isinstance(size, bool) or not isinstance(size, int) or size < 8 or size % 8:
        raise ValueError(f"size must be a positive multiple of 8 (pixels), not {size!r}")
    if size > MAX_SIZE:
        raise ValueError(f"size must be at most {MAX_SIZE} pixels, not {size}")


def _check_prompt_seed(prompt: Any, seed: Any) -> None:
    if not isinstance(prompt, str) or not prompt.strip():
        raise ValueError("prompt must be a non-empty string")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64:
        raise ValueError(f"seed must be a whole number in [0, 2**64), not {seed!r}")


def _check_references(references: Sequence[Any]) -> None:
    for ref in references:
        if not isinstance(ref, Image.Image):
            raise ValueError(f"reference_images must be PIL images, got {type(ref).__name__}")


def _resolve_device(requested: str) -> str:
    import torch

    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if requested.startswith("cuda"):
        if not torch.cuda.is_available():
            raise RuntimeError(f"device {requested!r} was asked for but CUDA is not available")
        if ":" in requested and int(requested.split(":", 1)[1]) >= torch.cuda.device_count():
            raise RuntimeError(
                f"device {requested!r} was asked for but only {torch.cuda.device_count()} CUDA device(s) exist"
            )
    if requested == "mps" and not torch.backends.mps.is_available():
        raise RuntimeError("device 'mps' was asked for but MPS is not available")
    return requested


def _resolve_dtype(requested: str, device: str):
    import torch

    if requested == "auto":
        return torch.float16 if device.startswith("cuda") else torch.float32
    return {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}[requested]


@dataclass(frozen=True, eq=False)
class RenderRequest:
    """One image to render. ``steps``/``size`` None: the runtime's configuration.

    The callbacks are this request's own: ``on_step(done, total)`` after every denoising step,
    ``on_preview(step, image)`` every ``preview_every`` steps, and ``should_cancel()`` polled after
    every step: once it answers True the request's result is None (its slot in a running batch
    finishes with the others unless every request of that call is cancelled, which stops it).
    """

    prompt: str
    seed: int
    reference_images: Sequence[Image.Image] = ()
    steps: int | None = None
    size: int | None = None
    on_step: StepCallback | None = None
    should_cancel: CancelCheck | None = None
    on_preview: PreviewCallback | None = None
    # A remix: the render starts from this image (its parent's output), moved `strength` of the
    # way towards the prompt (0 < strength <= 1; None: the runtime's configured strength). The
    # reference images still condition it through the adapter where the model has one.
    init_image: Image.Image | None = None
    strength: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "reference_images", tuple(self.reference_images or ()))
        if self.strength is not None and not (isinstance(self.strength, (int, float)) and not isinstance(self.strength, bool) and 0.0 < float(self.strength) <= 1.0):
            raise ValueError(f"strength must be in (0, 1], not {self.strength!r}")


@dataclass
class RuntimeStats:
    """What the runtime has done in this process: wall time inside pipeline calls (encoding,
    denoising, decoding), of which ``callback_seconds`` went to the callers' step callbacks and
    previews (platform work that runs between steps), calls, images, and batches halved after
    running out of memory."""

    pipeline_seconds: float = 0.0
    callback_seconds: float = 0.0
    # the same, in CPU time of the calling thread (what the machine's other work stretches less)
    pipeline_thread_cpu_seconds: float = 0.0
    callback_thread_cpu_seconds: float = 0.0
    pipeline_calls: int = 0
    images: int = 0
    videos: int = 0
    oom_halvings: int = 0


class _AllCancelled(Exception):
    """Every request of a running pipeline call was cancelled: stop the call."""


class Runtime:
    """Loaded pipelines, kept warm. Get one with :func:`get_runtime`, not directly."""

    def __init__(self, config: RuntimeConfig) -> None:
        self.config = config
        from . import threads

        self.threads = threads.apply(config.threads)
        self.device: str = _resolve_device(config.device)
        self._dtype = _resolve_dtype(config.dtype, self.device)
        # Previews help where rendering takes seconds (a GPU with a real model); on a CPU each tiny-VAE
        # decode costs about as much as a step, so by default at most one every 2 s there.
        gap = config.preview_min_seconds
        self.preview_min_seconds: float = (0.0 if self.device.startswith("cuda") else 2.0) if gap < 0 else float(gap)

        if config.model_path is None:
            path = build_default_model(config.builtin_dir)
        else:
            path = config.model_path
            registry.model_index(path)  # FileNotFoundError: not a diffusers folder
        marker = read_marker(path)
        random_marker = read_random_marker(path)
        self.is_development_model: bool = marker is not None or random_marker is not None
        self.model_name: str = (
            marker["name"] if marker is not None
            else f"rightscast-random-{random_marker['arch']}" if random_marker is not None
            else path.name
        )
        self.model_path: Path = path

        self.levers = registry.Levers(
            device=self.device,
            dtype=self._dtype,
            attention=config.attention,
            channels_last=config.channels_last == "on" or (config.channels_last == "auto" and self.device.startswith("cuda")),
            compile=config.compile,
            compile_backend=config.compile_backend,
            compile_mode=config.compile_mode,
            vae_slicing=config.vae_slicing,
        )
        ip_adapter = None
        if config.likeness == "faceid":
            if config.faceid_adapter_path is None:
                raise FileNotFoundError("likeness='faceid' needs faceid_adapter_path (a folder with the FaceID adapter's weights)")
            ip_adapter = registry.find_ip_adapter(path, config.faceid_adapter_path, config.faceid_weight_name)
            if ip_adapter is None:
                raise FileNotFoundError(f"likeness='faceid' but there are no FaceID weights in {config.faceid_adapter_path}")
        elif config.likeness != "img2img":
            ip_adapter = registry.find_ip_adapter(path, config.ip_adapter_path, config.ip_adapter_weight_name)
            if ip_adapter is None and config.likeness == "ip_adapter":
                where = config.ip_adapter_path or path / "ip_adapter"
                raise FileNotFoundError(f"likeness='ip_adapter' but there is no IP-Adapter in {where}")
        self.pipeline_class: str = registry.resolve_image_class(path, config.pipeline)
        self._image = registry.load_image_pipeline(
            path,
            class_name=self.pipeline_class,
            scheduler=config.scheduler,
            levers=self.levers,
            likeness=config.likeness,
            ip_adapter=ip_adapter,
            image_encoder_path=config.ip_adapter_image_encoder_path,
        )
        self.scheduler_class: str = type(self._image.pipe.scheduler).__name__
        self.likeness_mode: str = (
            "img2img" if self._image.ip_adapter is None else "faceid" if config.likeness == "faceid" else "ip_adapter"
        )
        self.face_embedder = None
        if self.likeness_mode == "faceid":
            from . import faceid

            layer = self._image.pipe.unet.encoder_hid_proj.image_projection_layers[0]
            self.face_embedder = faceid.embedder_for(config.face_embedder_path, dim=layer.ff.net[0].proj.in_features)
        if config.preview_vae_path is not None and not (config.preview_vae_path / "config.json").is_file():
            raise FileNotFoundError(f"preview_vae_path {config.preview_vae_path} is not an AutoencoderTiny folder")
        self._preview_vae = registry.load_tiny_vae(config.preview_vae_path or registry.default_tiny_vae_path(path), self.levers)
        self._video: registry.Loaded | None = None
        self._blank: dict[tuple, Any] = {}  # (id(pipe), adapter) -> embeddings of a blank reference
        self._batch_limits: dict[tuple, int] = {}
        self.stats = RuntimeStats()
        # Pipelines (and their schedulers) hold per-call state: one pipeline call at a time.
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"<Runtime {self.model_name} ({self.pipeline_class}) on {self.device}>"

    # -- public API --------------------------------------------------------------------------------

    @property
    def weight_bytes(self) -> int:
        """Bytes of weights this runtime holds (the image pipeline, and the video one once loaded)."""
        total = module_bytes(self._image.pipe)
        if self._video is not None and self._video.pipe is not self._image.pipe:
            total += module_bytes(self._video.pipe)
        return total

    @property
    def has_preview_vae(self) -> bool:
        return self._preview_vae is not None

    def stats_snapshot(self) -> RuntimeStats:
        with self._lock:
            return dataclasses.replace(self.stats)

    def render(
        self,
        *,
        prompt: str,
        seed: int,
        reference_images: Sequence[Image.Image],
        steps: int | None = None,
        size: int | None = None,
        on_step: StepCallback | None = None,
        should_cancel: CancelCheck | None = None,
        on_preview: PreviewCallback | None = None,
    ) -> Image.Image:
        """Render one ``size``×``size`` RGB image. Same inputs and seed ⇒ same pixels.

        ``on_step(done, total)`` is called after every denoising step; when ``should_cancel()``
        answers True the render stops and :class:`GenerationCancelled` is raised.
        ``on_preview(step, image)`` gets a cheap preview every ``preview_every`` steps (when the
        model has a tiny VAE).
        """
        request = RenderRequest(
            prompt=prompt, seed=seed, reference_images=reference_images or (), steps=steps, size=size, on_preview=on_preview
        )
        return self.render_batch([request], on_step=on_step, should_cancel=should_cancel)[0]

    def batch_key(self, request: RenderRequest) -> tuple:
        """Requests with equal keys can share one pipeline call: same size, steps and kind of
        conditioning (text only; IP-Adapter with the same number of reference images; or
        image-to-image). One runtime is one model, so the model is implied."""
        steps = self.config.steps if request.steps is None else request.steps
        size = self.config.size if request.size is None else request.size
        refs = len(request.reference_images)
        if request.init_image is not None:
            strength = float(self.config.strength if request.strength is None else request.strength)
            conditioning: tuple = ("remix", round(strength, 4), refs if self.likeness_mode in ADAPTER_MODES else 0)
        elif refs == 0:
            conditioning = ("text",)
        elif self.likeness_mode in ADAPTER_MODES:
            conditioning = ("ip_adapter", refs)
        else:
            conditioning = ("img2img",)
        return ("image", size, steps, *conditioning)

    def render_batch(
        self,
        requests: Sequence[RenderRequest],
        *,
        on_step: StepCallback | None = None,
        should_cancel: CancelCheck | None = None,
    ) -> list[Image.Image | None]:
        """Render every request; compatible ones (:meth:`batch_key`) share pipeline calls of at
        most ``max_batch_size``, each with its own seeded generator, so each image equals the one
        :meth:`render` makes alone (up to float rounding). Returns one image per request, in order;
        None for a request whose own ``should_cancel`` answered True.

        ``on_step(done, total)`` and ``should_cancel()`` here are the batch's: called after every
        step of every pipeline call; True cancels everything left (:class:`GenerationCancelled`).
        Out of memory halves the call and retries it (down to one request, which then raises); the
        smaller size is kept for later batches of the same key. A retried request's ``on_step``
        starts again from step 1.
        """
        requests = list(requests)
        for i, request in enumerate(requests):
            if not isinstance(request, RenderRequest):
                raise ValueError(f"requests[{i}] is not a RenderRequest")
            try:
                self._validate(request)
            except ValueError as exc:
                raise ValueError(f"requests[{i}]: {exc}" if len(requests) > 1 else str(exc)) from None
        if should_cancel is not None and should_cancel():
            raise GenerationCancelled("generation was cancelled before it started")
        results: list[Image.Image | None] = [None] * len(requests)
        groups: dict[tuple, list[int]] = {}
        for i, request in enumerate(requests):
            groups.setdefault(self.batch_key(request), []).append(i)
        for key, indices in groups.items():
            self._run_group(key, indices, requests, results, on_step, should_cancel)
        return results

    def render_video(
        self,
        *,
        prompt: str,
        seed: int,
        reference_images: Sequence[Image.Image] = (),
        num_frames: int | None = None,
        fps: int | None = None,
        steps: int | None = None,
        size: int | None = None,
        on_step: StepCallback | None = None,
        should_cancel: CancelCheck | None = None,
        on_preview: PreviewCallback | None = None,
        init_frames: Sequence[Image.Image] | None = None,
        strength: float | None = None,
    ) -> bytes:
        """Render a ``size``×``size`` clip of ``num_frames`` frames and return it as MP4 bytes at
        ``fps`` (H.264 where PyAV has libx264, else MPEG-4; see :mod:`.video`). Same inputs and seed
        ⇒ same frames. Callbacks as for :meth:`render` (previews show the middle frame)."""
        fps = self.config.video_fps if fps is None else fps
        if isinstance(fps, bool) or not isinstance(fps, int) or not 1 <= fps <= MAX_FPS:
            raise ValueError(f"fps must be a whole number from 1 to {MAX_FPS}, not {fps!r}")
        frames = self.render_video_frames(
            prompt=prompt,
            seed=seed,
            reference_images=reference_images,
            num_frames=num_frames,
            steps=steps,
            size=size,
            on_step=on_step,
            should_cancel=should_cancel,
            on_preview=on_preview,
            init_frames=init_frames,
            strength=strength,
        )
        return write_mp4(frames, fps)

    def render_video_frames(
        self,
        *,
        prompt: str,
        seed: int,
        reference_images: Sequence[Image.Image] = (),
        num_frames: int | None = None,
        steps: int | None = None,
        size: int | None = None,
        on_step: StepCallback | None = None,
        should_cancel: CancelCheck | None = None,
        on_preview: PreviewCallback | None = None,
        init_frames: Sequence[Image.Image] | None = None,
        strength: float | None = None,
    ) -> list[Image.Image]:
        """The frames of :meth:`render_video` as RGB PIL images (write them with
        :func:`generation.runtime.video.write_mp4`)."""
        num_frames = self.config.video_frames if num_frames is None else num_frames
        steps = (self.config.video_steps or self.config.steps) if steps is None else steps
        size = (self.config.video_size or self.config.size) if size is None else size
        _check_prompt_seed(prompt, seed)
        _check_steps(steps)
        _check_size(size)
        _check_int("num_frames", num_frames, 1, MAX_FRAMES)
        references = list(reference_images or [])
        _check_references(references)
        video = self._video_pipeline()
        unet = getattr(video.pipe, "unet", None)
        max_frames = getattr(unet.config, "motion_max_seq_length", None) if unet is not None else None
        num_frames = fit_frames(registry.family_of(video.class_name), num_frames)  # LTX 8k+1, Wan 4k+1
        if max_frames and num_frames > max_frames:
            raise ValueError(f"num_frames must be at most {max_frames} for this motion model, not {num_frames}")
        if should_cancel is not None and should_cancel():
            raise GenerationCancelled("generation was cancelled before it started")
        if references and video.ip_adapter is None and video.fallback is None:
            raise ValueError(f"{video.class_name} can be conditioned on reference images only through an IP-Adapter")
        self._check_budget(1, size, num_frames)
        init_frames = list(init_frames or [])
        if init_frames and video.remix is None:
            raise ValueError(f"{video.class_name} cannot start from a parent clip")
        request = RenderRequest(
            prompt=prompt, seed=seed, reference_images=references, on_preview=on_preview,
            init_image=init_frames[0] if init_frames else None, strength=strength,
        )
        step_end, cancelled = self._step_callback([request], on_step, should_cancel)
        import torch

        with self._lock, torch.inference_mode():
            started = time.perf_counter()
            try:
                frames = self._call_video(video, request, num_frames, steps, size, step_end, init_frames=init_frames)
            finally:
                self.stats.pipeline_seconds += time.perf_counter() - started
                self.stats.pipeline_calls += 1
            self.stats.videos += 1
        return [_to_rgb(frame, size) for frame in frames]

    def warm_up(self, *, batch_sizes: Sequence[int] = (1,), video: bool = False) -> None:
        """Run the configured shapes once so that a compiled UNet (and CUDA's kernels) are ready
        before the first job: text-only and, with an adapter, likeness renders at each batch size."""
        blank = Image.new("RGB", (64, 64), (128, 128, 128))
        for n in batch_sizes:
            self.render_batch([RenderRequest(prompt="warm up", seed=i) for i in range(n)])
            if self.likeness_mode in ADAPTER_MODES:
                self.render_batch([RenderRequest(prompt="warm up", seed=i, reference_images=[blank]) for i in range(n)])
        if video:
            self.render_video_frames(prompt="warm up", seed=0, num_frames=min(4, self.config.video_frames))

    # -- internals ---------------------------------------------------------------------------------

    def _validate(self, request: RenderRequest) -> None:
        _check_prompt_seed(request.prompt, request.seed)
        if request.init_image is not None and not isinstance(request.init_image, Image.Image):
            raise ValueError("init_image must be a PIL image")
        _check_steps(self.config.steps if request.steps is None else request.steps)
        _check_size(self.config.size if request.size is None else request.size)
        _check_references(request.reference_images)

    def _run_group(self, key, indices, requests, results, on_step, should_cancel) -> None:
        pending = list(indices)
        limit = min(self.config.max_batch_size, self._batch_limits.get(key, MAX_BATCH))
        while pending:
            pending = [i for i in pending if not _cancelled(requests[i])]
            if not pending:
                break
            chunk = pending[:limit]
            images = None
            try:
                images = self._run_chunk(key, [requests[i] for i in chunk], on_step, should_cancel)
            except Exception as exc:
                if not is_out_of_memory(exc) or len(chunk) == 1:
                    raise
            if images is None:
                # Out of memory. Freed here, outside the except block, once the traceback (and the
                # activations its frames hold) is gone.
                limit = (len(chunk) + 1) // 2
                with self._lock:
                    self._batch_limits[key] = limit
                    self.stats.oom_halvings += 1
                log.warning("out of memory with a batch of %d (%s): retrying with %d", len(chunk), key, limit)
                _free_memory(self.device)
                continue
            for i, image in zip(chunk, images, strict=True):
                results[i] = image
            pending = pending[len(chunk):]

    def _check_budget(self, batch: int, size: int, frames: int = 1) -> None:
        budget = self.config.max_batch_pixels
        if budget and batch * size * size * frames > budget:
            raise _oom_error()(
                f"a call of {batch} × {size}×{size}" + (f" × {frames} frames" if frames > 1 else "")
                + f" exceeds the memory budget of {budget} pixels (max_batch_pixels)"
            )

    def _run_chunk(self, key, chunk: list[RenderRequest], on_step, should_cancel) -> list[Image.Image | None]:
        _, size, steps, *conditioning = key
        self._check_budget(len(chunk), size)
        step_end, cancelled = self._step_callback(chunk, on_step, should_cancel)
        import torch

        with self._lock, torch.inference_mode():
            started, cpu_started = time.perf_counter(), time.thread_time()
            try:
                images = self._call_image(chunk, conditioning[0], steps, size, step_end)
            except _AllCancelled:
                return [None] * len(chunk)
            finally:
                self.stats.pipeline_seconds += time.perf_counter() - started
                self.stats.pipeline_thread_cpu_seconds += time.thread_time() - cpu_started
                self.stats.pipeline_calls += 1
            self.stats.images += len(chunk)
        return [None if cancelled[j] else _to_rgb(images[j], size) for j in range(len(chunk))]

    def _step_callback(self, chunk: list[RenderRequest], on_step, should_cancel):
        cancelled = [False] * len(chunk)
        every = self.config.preview_every
        previews = self._preview_vae is not None and every > 0 and any(r.on_preview for r in chunk)
        last_preview = [time.monotonic()]

        def step_end(pipe: Any, step_index: int, timestep: Any, callback_kwargs: dict) -> dict:
            started, cpu_started = time.perf_counter(), time.thread_time()
            try:
                return between_steps(pipe, step_index, callback_kwargs)
            finally:
                self.stats.callback_seconds += time.perf_counter() - started  # under self._lock
                self.stats.callback_thread_cpu_seconds += time.thread_time() - cpu_started

        def between_steps(pipe: Any, step_index: int, callback_kwargs: dict) -> dict:
            done, total = step_index + 1, pipe.num_timesteps
            for j, request in enumerate(chunk):
                if request.on_step is not None and not cancelled[j]:
                    request.on_step(done, total)
            if on_step is not None:
                on_step(done, total)
            if previews and done % every == 0 and done < total:
                now = time.monotonic()
                if now - last_preview[0] >= self.preview_min_seconds:
                    last_preview[0] = now
                    self._send_previews(chunk, cancelled, done, callback_kwargs["latents"])
            if should_cancel is not None and should_cancel():
                # Raising stops at once; diffusers' own `pipe._interrupt = True` would skip the
                # remaining steps but still decode and return an image.
                raise GenerationCancelled(f"generation was cancelled after step {done} of {total}")
            for j, request in enumerate(chunk):
                if not cancelled[j] and request.should_cancel is not None and request.should_cancel():
                    cancelled[j] = True
            if all(cancelled):
                raise _AllCancelled()
            return callback_kwargs

        return step_end, cancelled

    def _send_previews(self, chunk, cancelled, step: int, latents) -> None:
        """Decode the current latents with the tiny VAE (the middle frame of a video)."""
        if latents.ndim == 5:  # [batch, channels, frames, h, w]
            latents = latents[:, :, latents.shape[2] // 2]
        wanted = [j for j, r in enumerate(chunk) if r.on_preview is not None and not cancelled[j]]
        vae = self._preview_vae
        decoded = vae.decode(latents[wanted].to(dtype=vae.dtype) / vae.config.scaling_factor).sample
        pixels = ((decoded.float() + 1) / 2).clamp(0, 1).mul(255).round().to("cpu", dtype=_uint8()).permute(0, 2, 3, 1)
        for j, array in zip(wanted, pixels.numpy(), strict=True):
            chunk[j].on_preview(step, Image.fromarray(array, mode="RGB"))

    def _generators(self, seeds: Sequence[int]) -> list:
        import torch

        # MPS has no seeded device generator of its own; diffusers draws on CPU and moves.
        device = "cpu" if self.device == "mps" else self.device
        return [torch.Generator(device=device).manual_seed(seed) for seed in seeds]

    def _call_image(self, chunk: list[RenderRequest], conditioning: str, steps: int, size: int, step_end) -> list:
        common = dict(
            prompt=[r.prompt for r in chunk],
            height=size,
            width=size,
            guidance_scale=self.config.guidance_scale,
            generator=self._generators([r.seed for r in chunk]),
            output_type="pil",
            callback_on_step_end=step_end,
        )
        image = self._image
        if conditioning == "remix":
            strength = float(self.config.strength if chunk[0].strength is None else chunk[0].strength)
            if image.ip_adapter is not None:
                refs = [r.reference_images for r in chunk] if chunk[0].reference_images else None
                common.update(self._ip_adapter_kwargs(image.remix, refs, len(chunk)))
            return image.remix(
                image=[_fit_square(r.init_image, size) for r in chunk],
                strength=strength,
                num_inference_steps=math.ceil(steps / strength),
                **common,
            ).images
        if conditioning == "img2img":
            strength = float(self.config.strength)
            # img2img runs int(num_inference_steps * strength) steps; scale up so that exactly
            # `steps` denoising steps run, as for text-to-image.
            return image.fallback(
                image=[_fit_square(r.reference_images[0], size) for r in chunk],
                strength=strength,
                num_inference_steps=math.ceil(steps / strength),
                **common,
            ).images
        if image.ip_adapter is not None:
            refs = [r.reference_images for r in chunk] if conditioning == "ip_adapter" else None
            common.update(self._ip_adapter_kwargs(image.pipe, refs, len(chunk)))
        return image.pipe(num_inference_steps=steps, **common).images

    def _ip_adapter_kwargs(self, pipe, refs: list[Sequence[Image.Image]] | None, batch: int) -> dict:
        """Per-request image embeddings (``[batch, images, dim]``, negatives first under guidance)
        and the adapter's scale: the configured one, or 0 for text-only requests (the adapter's
        layers are then skipped, and the blank embeddings only give the UNet the shape it expects)."""
        import torch
        from diffusers.models.embeddings import ImageProjection, IPAdapterFaceIDImageProjection

        cfg = self.config.guidance_scale > 1.0
        device = torch.device(self.device)
        embeds = []
        for layer_index, layer in enumerate(pipe.unet.encoder_hid_proj.image_projection_layers):
            hidden = not isinstance(layer, ImageProjection)
            if isinstance(layer, IPAdapterFaceIDImageProjection):  # identity embeddings, no CLIP encoder
                pos = self._face_id_embeds(refs, batch, layer.ff.net[0].proj.in_features, layer.ff.net[0].proj.weight.dtype)
                embeds.append(torch.cat([torch.zeros_like(pos), pos]) if cfg else pos)
                continue
            if refs is None:
                cache_key = (id(pipe), layer_index)
                if cache_key not in self._blank:
                    self._blank[cache_key] = pipe.encode_image([Image.new("RGB", (64, 64))], device, 1, hidden)
                pos, neg = self._blank[cache_key]
                pos = pos.unsqueeze(0).expand(batch, *pos.shape)
                neg = neg.unsqueeze(0).expand(batch, *neg.shape)
            else:
                flat = [_upright_rgb(img) for request_refs in refs for img in request_refs]
                pos, neg = pipe.encode_image(flat, device, 1, hidden)
                per = len(refs[0])
                pos = pos.reshape(batch, per, *pos.shape[1:])
                neg = neg.reshape(batch, per, *neg.shape[1:])
            embeds.append(torch.cat([neg, pos]) if cfg else pos)
        pipe.set_ip_adapter_scale(self.config.ip_adapter_scale if refs is not None else 0.0)
        return {"ip_adapter_image_embeds": embeds}

    def _face_id_embeds(self, refs, batch: int, dim: int, dtype):
        """``[batch, 1, dim]``: each request's references' mean face-identity embedding (zeros for
        a text-only request, or when no face is found in its references)."""
        import torch

        from . import faceid

        rows = []
        for i in range(batch):
            vec = faceid.identity_embedding([_upright_rgb(img) for img in refs[i]], self.face_embedder) if refs is not None else None
            rows.append(torch.from_numpy(vec) if vec is not None else torch.zeros(dim))
        return torch.stack(rows).unsqueeze(1).to(device=self.device, dtype=dtype)

    def _video_pipeline(self) -> registry.Loaded:
        with self._lock:
            if self._video is None:
                config = self.config
                path = config.video_model_path or self.model_path
                motion = config.video_motion_adapter_path or registry.default_motion_adapter_path(path)
                class_name = registry.resolve_video_class(path, config.video_pipeline, motion)
                ip_adapter = None
                if config.likeness != "img2img":
                    ip_adapter = registry.find_ip_adapter(path, config.ip_adapter_path, config.ip_adapter_weight_name)
                self._video = registry.load_video_pipeline(
                    path,
                    class_name=class_name,
                    scheduler=config.scheduler,
                    levers=self.levers,
                    likeness=config.likeness,
                    motion_adapter=motion,
                    ip_adapter=ip_adapter,
                    image_encoder_path=config.ip_adapter_image_encoder_path,
                )
            return self._video

    def _call_video(self, video: registry.Loaded, request: RenderRequest, num_frames, steps, size, step_end, init_frames=()) -> list:
        common = dict(
            prompt=request.prompt,
            height=size,
            width=size,
            guidance_scale=self.config.guidance_scale,
            generator=self._generators([request.seed])[0],
            output_type="pil",
            callback_on_step_end=step_end,
        )
        references = list(request.reference_images)
        if init_frames:  # a remix of a clip: from its parent's frames (or first frame, for LTX-Video)
            strength = float(self.config.strength if request.strength is None else request.strength)
            if video.ip_adapter is not None:
                common.update(self._ip_adapter_kwargs(video.remix, [references] if references else None, 1))
            if registry.family_of(video.class_name).conditioning == "first_frame":
                result = video.remix(image=_fit_square(init_frames[0], size), num_frames=num_frames, num_inference_steps=steps, **common)
                return _frames_of(result)
            parent = [_fit_square(init_frames[min(i * len(init_frames) // num_frames, len(init_frames) - 1)], size) for i in range(num_frames)]
            result = video.remix(video=parent, strength=strength, num_inference_steps=math.ceil(steps / strength), **common)
            return _frames_of(result)
        if video.ip_adapter is not None:
            common.update(self._ip_adapter_kwargs(video.pipe, [references] if references else None, 1))
        elif references and registry.family_of(video.class_name).conditioning == "first_frame":
            # LTX-Video: the reference (or a remix's parent frame) is the clip's first frame
            result = video.fallback(image=_fit_square(references[0], size), num_frames=num_frames, num_inference_steps=steps, **common)
            return _frames_of(result)
        elif references:
            strength = float(self.config.strength)
            init = _fit_square(references[0], size)
            result = video.fallback(
                video=[init] * num_frames,
                strength=strength,
                num_inference_steps=math.ceil(steps / strength),
                **common,
            )
            return _frames_of(result)
        result = video.pipe(num_frames=num_frames, num_inference_steps=steps, **common)
        return _frames_of(result)


def _frames_of(result) -> list:
    frames = result.frames
    return list(frames[0])


def _cancelled(request: RenderRequest) -> bool:
    return request.should_cancel is not None and bool(request.should_cancel())


def _uint8():
    import torch

    return torch.uint8


def _free_memory(device: str) -> None:
    gc.collect()
    if device.startswith("cuda"):
        import torch

        torch.cuda.empty_cache()


def _to_rgb(image: Any, size: int) -> Image.Image:
    if not isinstance(image, Image.Image):
        import numpy as np

        array = np.asarray(image)
        if array.dtype != np.uint8:
            array = (np.clip(array, 0, 1) * 255).round().astype(np.uint8)
        image = Image.fromarray(array)
    image = image.convert("RGB")
    if image.size != (size, size):
        image = image.resize((size, size), Image.Resampling.LANCZOS)
    return image


def _upright_rgb(image: Image.Image) -> Image.Image:
    """Upright (EXIF) and RGB, transparency composited on white."""
    image = ImageOps.exif_transpose(image) or image
    if image.mode != "RGB":
        if "A" in image.getbands() or image.mode == "P":
            rgba = image.convert("RGBA")
            background = Image.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        else:
            image = image.convert("RGB")
    return image


def _fit_square(image: Image.Image, size: int) -> Image.Image:
    """Upright, RGB, resized and centre-cropped to size×size."""
    return ImageOps.fit(_upright_rgb(image), (size, size), Image.Resampling.LANCZOS, centering=(0.5, 0.5))


_runtimes: OrderedDict[RuntimeConfig, Runtime] = OrderedDict()  # least recently used first
_runtimes_lock = threading.Lock()


def get_runtime(config: RuntimeConfig, *, memory_budget: int = 0) -> Runtime:
    """The process-wide :class:`Runtime` for ``config``, loaded on first use (thread-safe).

    Several models stay warm at once (a deployment's image model and its video model, models
    chosen per offer): with ``memory_budget`` (bytes of weights, 0: no limit), loading one that
    takes the total over the budget first lets go of the least recently used others."""
    with _runtimes_lock:
        runtime = _runtimes.get(config)
        if runtime is not None:
            _runtimes.move_to_end(config)
            return runtime
        runtime = Runtime(config)
        _runtimes[config] = runtime
        if memory_budget:
            evict_to_budget(memory_budget, keep=config)
        return runtime


def warm_runtimes() -> list[Runtime]:
    """The runtimes kept warm, least recently used first."""
    return list(_runtimes.values())


def evict_to_budget(memory_budget: int, *, keep: RuntimeConfig | None = None) -> list[RuntimeConfig]:
    """Drop least recently used runtimes until the warm ones fit ``memory_budget`` bytes. Caller
    holds ``_runtimes_lock``."""
    evicted = []
    while sum(r.weight_bytes for r in _runtimes.values()) > memory_budget:
        victim = next((c for c in _runtimes if c != keep), None)
        if victim is None:
            break
        runtime = _runtimes.pop(victim)
        evicted.append(victim)
        log.info("memory budget: unloading %r", runtime)
        device = runtime.device
        del runtime
        gc.collect()
        _free_memory(device)
    return evicted
