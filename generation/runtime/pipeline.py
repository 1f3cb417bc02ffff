"""The diffusers runtime: load a Stable Diffusion folder once per process and render with it.

Django-free on purpose: a GPU worker builds a :class:`RuntimeConfig` from settings, calls
:func:`get_runtime` (the model stays warm in the process) and then :meth:`Runtime.render`.

torch and diffusers are imported lazily, so importing this module is cheap for processes
that only need the types (the web process).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from .default_model import build_default_model, read_marker

_DEVICE_RE = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")
_DTYPES = ("auto", "float32", "float16", "bfloat16")

MAX_STEPS = 100
MAX_SIZE = 2048


class GenerationCancelled(Exception):
    """Raised by :meth:`Runtime.render` when ``should_cancel()`` answered True between steps."""


@dataclass(frozen=True)
class RuntimeConfig:
    """What to load and how to render.

    ``model_path=None`` means the built-in development model, built on first use into
    ``builtin_dir``. ``device="auto"`` is CUDA when available, else CPU; ``dtype="auto"`` is
    float16 on CUDA and float32 elsewhere. ``steps`` is the number of denoising steps actually
    run (text-to-image and image-to-image alike); ``strength`` is how far image-to-image moves
    away from the reference image (0 < strength <= 1). ``guidance_scale`` is classifier-free
    guidance; 0 (off) suits SD-Turbo and the development model.
    """

    model_path: Path | None
    builtin_dir: Path
    device: str = "auto"
    dtype: str = "auto"
    steps: int = 8
    size: int = 256
    strength: float = 0.6
    guidance_scale: float = 0.0

    def __post_init__(self) -> None:
        if self.model_path is not None and not isinstance(self.model_path, Path):
            object.__setattr__(self, "model_path", Path(self.model_path))
        if not isinstance(self.builtin_dir, Path):
            object.__setattr__(self, "builtin_dir", Path(self.builtin_dir))
        if not isinstance(self.device, str) or not _DEVICE_RE.match(self.device):
            raise ValueError(
                f"device must be 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps', not {self.device!r}"
            )
        if self.dtype not in _DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(_DTYPES)}, not {self.dtype!r}")
        _check_steps(self.steps)
        _check_size(self.size)
        if not (isinstance(self.strength, (int, float)) and 0.0 < float(self.strength) <= 1.0):
            raise ValueError(f"strength must be in (0, 1], not {self.strength!r}")
        if not (isinstance(self.guidance_scale, (int, float)) and self.guidance_scale >= 0.0):
            raise ValueError(f"guidance_scale must be >= 0, not {self.guidance_scale!r}")


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


def _resolve_device(requested: str) -> str:
    import torch

    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if requested.startswith("cuda"):
        if not torch.cuda.is_available():
            raise RuntimeError(f"device {requested!r} was asked for but CUDA is not available")
        if ":" in requested and int(requested.split(":", 1)[1]) >= torch.cuda.device_count():
            raise RuntimeError(
                f"device {requested!r} was asked for but only "
                f"{torch.cuda.device_count()} CUDA device(s) exist"
            )
    if requested == "mps" and not torch.backends.mps.is_available():
        raise RuntimeError("device 'mps' was asked for but MPS is not available")
    return requested


def _resolve_dtype(requested: str, device: str):
    import torch

    if requested == "auto":
        return torch.float16 if device.startswith("cuda") else torch.float32
    return {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}[
        requested
    ]


def _dtype_kwarg(dtype) -> dict:
    """diffusers renamed ``torch_dtype`` to ``dtype``; pass whichever this version wants."""
    try:
        from diffusers.utils.deprecation_utils import _resolve_dtype  # noqa: F401
    except ImportError:
        return {"torch_dtype": dtype}
    return {"dtype": dtype}


class Runtime:
    """A loaded pipeline, kept warm. Get one with :func:`get_runtime`, not directly."""

    def __init__(self, config: RuntimeConfig) -> None:
        import torch
        from diffusers import StableDiffusionImg2ImgPipeline, StableDiffusionPipeline

        self.config = config
        self.device: str = _resolve_device(config.device)
        self._dtype = _resolve_dtype(config.dtype, self.device)

        if config.model_path is None:
            path = build_default_model(config.builtin_dir)
        else:
            path = config.model_path
            if not (path / "model_index.json").is_file():
                raise FileNotFoundError(
                    f"{path} is not a diffusers model folder (no model_index.json)"
                )
        marker = read_marker(path)
        self.is_development_model: bool = marker is not None
        self.model_name: str = marker["name"] if marker is not None else path.name
        self.model_path: Path = path

        txt2img = StableDiffusionPipeline.from_pretrained(
            str(path), local_files_only=True, **_dtype_kwarg(self._dtype)
        )
        for component in txt2img.components.values():
            if isinstance(component, torch.nn.Module):
                component.to(device=self.device)
        txt2img.set_progress_bar_config(disable=True)
        # Same modules, no second load and no cast: the image-to-image pipeline is built on the
        # very component objects of the text-to-image one. (Not `from_pipe`, which re-casts
        # the shared modules to its own dtype argument.)
        img2img = StableDiffusionImg2ImgPipeline(
            **txt2img.components,
            requires_safety_checker=bool(txt2img.config.get("requires_safety_checker", False)),
        )
        img2img.set_progress_bar_config(disable=True)
        self._txt2img = txt2img
        self._img2img = img2img
        # The pipelines (and their shared scheduler) hold per-call state: one render at a time.
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Runtime {self.model_name} on {self.device}>"

    def render(
        self,
        *,
        prompt: str,
        seed: int,
        reference_images: Sequence[Image.Image],
        steps: int | None = None,
        size: int | None = None,
        on_step: Callable[[int, int], None] | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> Image.Image:
        """Render one ``size``×``size`` RGB image. Same inputs and seed ⇒ same pixels.

        ``on_step(done, total)`` is called after every denoising step; when ``should_cancel()``
        answers True the render stops and :class:`GenerationCancelled` is raised.
        """
        steps = self.config.steps if steps is None else steps
        size = self.config.size if size is None else size
        if not isinstance(prompt, str) or not prompt.strip():
            raise ValueError("prompt must be a non-empty string")
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64:
            raise ValueError(f"seed must be a whole number in [0, 2**64), not {seed!r}")
        _check_steps(steps)
        _check_size(size)
        references = list(reference_images or [])
        for ref in references:
            if not isinstance(ref, Image.Image):
                raise ValueError(
                    f"reference_images must be PIL images, got {type(ref).__name__}"
                )

        if should_cancel is not None and should_cancel():
            raise GenerationCancelled("generation was cancelled before it started")

        def step_end(pipe: Any, step_index: int, timestep: Any, callback_kwargs: dict) -> dict:
            if on_step is not None:
                on_step(step_index + 1, pipe.num_timesteps)
            if should_cancel is not None and should_cancel():
                # Raising stops at once; diffusers' own `pipe._interrupt = True` would skip the
                # remaining steps but still decode and return an image.
                raise GenerationCancelled(
                    f"generation was cancelled after step {step_index + 1} of {pipe.num_timesteps}"
                )
            return callback_kwargs

        import torch

        with self._lock, torch.inference_mode():
            generator = self._generator(seed)
            if references:
                image = self._render_with_likeness(
                    prompt, references, steps, size, generator, step_end
                )
            else:
                image = self._render_text(prompt, steps, size, generator, step_end)

        image = image.convert("RGB")
        if image.size != (size, size):
            image = image.resize((size, size), Image.Resampling.LANCZOS)
        return image

    # -- internals -----------------------------------------------------------------------------

    def _generator(self, seed: int):
        import torch

        # MPS has no seeded device generator of its own; diffusers draws on CPU and moves.
        device = "cpu" if self.device == "mps" else self.device
        return torch.Generator(device=device).manual_seed(seed)

    def _render_text(self, prompt, steps, size, generator, step_end) -> Image.Image:
        result = self._txt2img(
            prompt=prompt,
            height=size,
            width=size,
            num_inference_steps=steps,
            guidance_scale=self.config.guidance_scale,
            generator=generator,
            output_type="pil",
            callback_on_step_end=step_end,
        )
        return result.images[0]

    def _render_with_likeness(
        self, prompt, references, steps, size, generator, step_end
    ) -> Image.Image:
        # Likeness conditioning seam. Today: image-to-image from the first reference image.
        # (To be replaced by IP-Adapter conditioning on all reference images.)
        init_image = _fit_square(references[0], size)
        strength = float(self.config.strength)
        # img2img runs int(num_inference_steps * strength) steps; scale up so that exactly
        # `steps` denoising steps run, as for text-to-image.
        num_inference_steps = math.ceil(steps / strength)
        result = self._img2img(
            prompt=prompt,
            image=init_image,
            strength=strength,
            num_inference_steps=num_inference_steps,
            guidance_scale=self.config.guidance_scale,
            generator=generator,
            output_type="pil",
            callback_on_step_end=step_end,
        )
        return result.images[0]


def _fit_square(image: Image.Image, size: int) -> Image.Image:
    """Upright, RGB, resized and centre-cropped to size×size."""
    image = ImageOps.exif_transpose(image) or image
    if image.mode != "RGB":
        if "A" in image.getbands() or image.mode == "P":
            rgba = image.convert("RGBA")
            background = Image.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        else:
            image = image.convert("RGB")
    return ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS, centering=(0.5, 0.5))


_runtimes: dict[RuntimeConfig, Runtime] = {}
_runtimes_lock = threading.Lock()


def get_runtime(config: RuntimeConfig) -> Runtime:
    """The process-wide :class:`Runtime` for ``config``, loaded on first use (thread-safe)."""
    runtime = _runtimes.get(config)
    if runtime is not None:
        return runtime
    with _runtimes_lock:
        runtime = _runtimes.get(config)
        if runtime is None:
            runtime = Runtime(config)
            _runtimes[config] = runtime
        return runtime
