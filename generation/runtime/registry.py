"""The pipeline registry: which diffusers pipelines the runtime can load, and how it loads them.

A model is a local diffusers folder (``save_pretrained`` layout). Its pipeline class comes from the
configuration or, with ``"auto"``, from the folder's ``model_index.json``. The scheduler is the
model's own unless a scheduler class is named; a named one is built from the model's scheduler
configuration (``Class.from_pretrained(model, subfolder="scheduler")``), as diffusers documents.

Add-ons are looked for in the model folder in the layouts their real counterparts use:
``ip_adapter/<weights>`` with ``ip_adapter/image_encoder/`` (as h94/IP-Adapter's ``models/``),
``vae_tiny/`` (an ``AutoencoderTiny``, as madebyollin/taesd) and ``motion_adapter/`` (an AnimateDiff
``MotionAdapter``). Each can be pointed elsewhere by the configuration.

The speed levers diffusers documents are applied here, each switched by the configuration:
dtype (float16 / bfloat16), attention (PyTorch SDPA processors, or the classic ones), channels_last
memory format, ``torch.compile`` (regional: the UNet's repeated transformer blocks, via
``compile_repeated_blocks``; or the whole UNet) and VAE slicing.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .default_model import (
    IMAGE_ENCODER_SUBFOLDER,
    IP_ADAPTER_SUBFOLDER,
    MOTION_ADAPTER_SUBFOLDER,
    TINY_VAE_SUBFOLDER,
)
from .families import denoiser, family_of

log = logging.getLogger(__name__)

# text-to-image class -> its image-to-image counterpart (the likeness fallback without an adapter)
IMAGE_PIPELINES: dict[str, str] = {
    "StableDiffusionPipeline": "StableDiffusionImg2ImgPipeline",
    "StableDiffusionXLPipeline": "StableDiffusionXLImg2ImgPipeline",
    "FluxPipeline": "FluxImg2ImgPipeline",
    "StableDiffusion3Pipeline": "StableDiffusion3Img2ImgPipeline",
}
# text-to-video class -> its video-to-video counterpart (None: none; references then need an adapter).
# AnimateDiff: an SD 1.5-family model plus a motion adapter, or a folder saved by AnimateDiffPipeline.
# (TextToVideoSDPipeline is deprecated in diffusers and has no step-end callback, so progress and
# cancellation could not reach it: not offered.)
VIDEO_PIPELINES: dict[str, str | None] = {
    "AnimateDiffPipeline": "AnimateDiffVideoToVideoPipeline",
    "LTXPipeline": "LTXImageToVideoPipeline",  # first-frame conditioning
    "WanPipeline": "WanVideoToVideoPipeline",
}
# What each family is and which levers apply: see .families.
ATTENTION = ("sdpa", "eager")
COMPILE = ("off", "regional", "full")
LIKENESS = ("auto", "ip_adapter", "faceid", "img2img")


class NoVideoModel(RuntimeError):
    """The configuration names no video model and the image model has no motion adapter."""


def model_index(path: Path) -> dict:
    index = Path(path) / "model_index.json"
    if not index.is_file():
        raise FileNotFoundError(f"{path} is not a diffusers model folder (no model_index.json)")
    return json.loads(index.read_text(encoding="utf-8"))


def dtype_kwarg(dtype) -> dict:
    """diffusers renamed ``torch_dtype`` to ``dtype``; pass whichever this version wants."""
    try:
        from diffusers.utils.deprecation_utils import _resolve_dtype  # noqa: F401
    except ImportError:
        return {"torch_dtype": dtype}
    return {"dtype": dtype}


def scheduler_class(name: str):
    """A diffusers scheduler class by name, or ValueError."""
    import diffusers
    from diffusers import SchedulerMixin

    cls = getattr(diffusers, name, None) if name.isidentifier() else None
    if not (isinstance(cls, type) and issubclass(cls, SchedulerMixin)):
        raise ValueError(f"{name!r} is not a diffusers scheduler class (e.g. EulerDiscreteScheduler)")
    return cls


def _pipeline_class(name: str):
    import diffusers

    return getattr(diffusers, name)


# -- IP-Adapter: one image condition per prompt in a batch -----------------------------------------

_PER_REQUEST: dict[type, type] = {}


def per_request_embeds(cls: type) -> type:
    """``cls`` with ``prepare_ip_adapter_image_embeds`` taught one thing: precomputed image embeddings
    that already have one row per prompt of the batch (``[batch, images, dim]``, negatives first
    under classifier-free guidance) are used as they are. diffusers' own method repeats whatever it
    is given ``batch`` times, which makes every prompt of a batch share one reference; a micro-batch
    of jobs for different likenesses needs each its own. Anything else goes to diffusers unchanged.
    """
    sub = _PER_REQUEST.get(cls)
    if sub is not None:
        return sub

    def prepare_ip_adapter_image_embeds(
        self, ip_adapter_image, ip_adapter_image_embeds, device, num_images_per_prompt, do_classifier_free_guidance
    ):
        if ip_adapter_image_embeds is not None and num_images_per_prompt > 1:
            rows = num_images_per_prompt * (2 if do_classifier_free_guidance else 1)
            if all(e.shape[0] == rows for e in ip_adapter_image_embeds):
                return [e.to(device=device) for e in ip_adapter_image_embeds]
        return super(sub, self).prepare_ip_adapter_image_embeds(
            ip_adapter_image, ip_adapter_image_embeds, device, num_images_per_prompt, do_classifier_free_guidance
        )

    # Same name as the diffusers class: code that dispatches on the class name keeps working.
    sub = type(cls.__name__, (cls,), {"prepare_ip_adapter_image_embeds": prepare_ip_adapter_image_embeds})
    sub.__qualname__ = cls.__qualname__
    sub.__module__ = __name__
    _PER_REQUEST[cls] = sub
    return sub


def find_ip_adapter(model_path: Path, folder: Path | None, weight_name: str) -> tuple[Path, str] | None:
    """(adapter folder, weights file name), or None when the model has no adapter. A configured
    folder that is not there is an error, not a silent fallback."""
    if folder is not None and not folder.is_dir():
        raise FileNotFoundError(f"the configured IP-Adapter folder {folder} does not exist")
    folder = folder if folder is not None else model_path / IP_ADAPTER_SUBFOLDER
    if not folder.is_dir():
        return None
    if weight_name:
        if not (folder / weight_name).is_file():
            raise FileNotFoundError(f"no IP-Adapter weights {weight_name!r} in {folder}")
        return folder, weight_name
    candidates = sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix in (".safetensors", ".bin"))
    if not candidates:
        return None
    if len(candidates) > 1:
        raise ValueError(f"{folder} holds several IP-Adapter weight files ({', '.join(candidates)}): name one")
    return folder, candidates[0]


def load_ip_adapter(pipe, adapter: tuple[Path, str], *, image_encoder_path: Path | None, device: str, dtype, face_id: bool = False) -> None:
    """diffusers' ``load_ip_adapter`` from a local folder: the weights file in ``folder`` and, unless
    another is named, the CLIP image encoder in ``folder/image_encoder``. A FaceID adapter takes
    face-identity embeddings, not CLIP features: no image encoder (``image_encoder_folder=None``)."""
    folder, weight_name = adapter
    if face_id:
        pipe.load_ip_adapter(str(folder.parent), subfolder=folder.name, weight_name=weight_name, image_encoder_folder=None, local_files_only=True)
        return
    if image_encoder_path is not None and getattr(pipe, "image_encoder", None) is None:
        from transformers import CLIPVisionModelWithProjection

        encoder = CLIPVisionModelWithProjection.from_pretrained(
            str(image_encoder_path), local_files_only=True, **_transformers_dtype(dtype)
        ).to(device)
        pipe.register_modules(image_encoder=encoder)
    elif image_encoder_path is None and not (folder / IMAGE_ENCODER_SUBFOLDER).is_dir():
        raise FileNotFoundError(f"no image encoder for the IP-Adapter: expected {folder / IMAGE_ENCODER_SUBFOLDER}")
    pipe.load_ip_adapter(
        str(folder.parent),
        subfolder=folder.name,
        weight_name=weight_name,
        image_encoder_folder=IMAGE_ENCODER_SUBFOLDER,
        local_files_only=True,
    )


def _transformers_dtype(dtype) -> dict:
    import transformers

    major = int(transformers.__version__.split(".")[0])
    minor = int(transformers.__version__.split(".")[1])
    return {"dtype": dtype} if (major, minor) >= (4, 56) else {"torch_dtype": dtype}


# -- levers ----------------------------------------------------------------------------------------


def set_attention(model, mode: str) -> None:
    """``sdpa``: PyTorch's scaled_dot_product_attention processors (diffusers' default, fused
    flash / memory-efficient kernels on CUDA). ``eager``: the classic processors (explicit softmax
    of Q·Kᵀ), the baseline SDPA is measured against. IP-Adapter processors keep their weights."""
    from diffusers.models.attention_processor import (
        AttnProcessor,
        AttnProcessor2_0,
        IPAdapterAttnProcessor,
        IPAdapterAttnProcessor2_0,
    )

    if mode not in ATTENTION:
        raise ValueError(f"attention must be one of {', '.join(ATTENTION)}, not {mode!r}")
    plain, ip = (AttnProcessor2_0, IPAdapterAttnProcessor2_0) if mode == "sdpa" else (AttnProcessor, IPAdapterAttnProcessor)
    current = model.attn_processors
    wanted: dict[str, Any] = {}
    changed = False
    for name, proc in current.items():
        if isinstance(proc, (IPAdapterAttnProcessor, IPAdapterAttnProcessor2_0)):
            if type(proc) is ip:
                wanted[name] = proc
                continue
            new = ip(
                hidden_size=proc.hidden_size,
                cross_attention_dim=proc.cross_attention_dim,
                num_tokens=proc.num_tokens,
                scale=list(proc.scale),
            )
            new.load_state_dict(proc.state_dict())
            param = next(proc.parameters())
            wanted[name] = new.to(device=param.device, dtype=param.dtype)
            changed = True
        elif isinstance(proc, (AttnProcessor, AttnProcessor2_0)):
            wanted[name] = proc if type(proc) is plain else plain()
            changed = changed or type(proc) is not plain
        else:
            wanted[name] = proc  # something else (xformers, a custom processor): leave it
    if changed:
        model.set_attn_processor(wanted)


def to_channels_last(*models) -> None:
    import torch

    for model in models:
        if model is not None:
            model.to(memory_format=torch.channels_last)


def compile_unet(unet, mode: str, *, backend: str = "inductor", compile_mode: str = "") -> None:
    """``regional``: compile only the UNet's repeated transformer blocks (diffusers'
    ``compile_repeated_blocks``; one compiled graph reused by every block of the same shape, so a
    fraction of a full compile's warm-up). ``full``: the whole UNet. Compiling is lazy: the first
    call of each shape pays for it (see ``Runtime.warm_up``)."""
    if mode == "off":
        return
    if mode not in COMPILE:
        raise ValueError(f"compile must be one of {', '.join(COMPILE)}, not {mode!r}")
    kwargs: dict[str, Any] = {"backend": backend}
    if compile_mode:
        kwargs["mode"] = compile_mode
    if mode == "full":
        unet.compile(**kwargs)
        return
    if getattr(unet, "_repeated_blocks", None):
        unet.compile_repeated_blocks(fullgraph=True, **kwargs)
        return
    # UNetMotionModel (AnimateDiff) declares no _repeated_blocks: its spatial and temporal
    # transformers are made of the same BasicTransformerBlock, so compile those.
    blocks = [m for m in unet.modules() if type(m).__name__ == "BasicTransformerBlock"]
    if not blocks:
        raise ValueError(f"{type(unet).__name__} has no repeated blocks to compile; use compile='full'")
    for block in blocks:
        block.compile(fullgraph=True, **kwargs)


# -- loading ----------------------------------------------------------------------------------------


@dataclass
class Levers:
    """The switches applied to every pipeline a runtime loads."""

    device: str
    dtype: Any
    attention: str = "sdpa"
    channels_last: bool = False
    compile: str = "off"
    compile_backend: str = "inductor"
    compile_mode: str = ""
    vae_slicing: bool = True


@dataclass
class Loaded:
    pipe: Any  # text-to-image or text-to-video
    fallback: Any  # image-to-image / video-to-video built on the same modules, or None
    class_name: str
    ip_adapter: tuple[Path, str] | None
    remix: Any = None  # image-to-image on the same modules, adapter included: renders from a parent output


def resolve_image_class(path: Path, requested: str) -> str:
    name = model_index(path).get("_class_name", "") if requested == "auto" else requested
    if name not in IMAGE_PIPELINES:
        raise ValueError(
            f"image pipeline {name!r} is not supported; use one of {', '.join(IMAGE_PIPELINES)}"
            + (f" (from {path / 'model_index.json'})" if requested == "auto" else "")
        )
    return name


def resolve_video_class(path: Path, requested: str, motion_adapter: Path | None) -> str:
    if requested != "auto":
        if requested not in VIDEO_PIPELINES:
            raise ValueError(f"video pipeline {requested!r} is not supported; use one of {', '.join(VIDEO_PIPELINES)}")
        return requested
    name = model_index(path).get("_class_name", "")
    if name in VIDEO_PIPELINES:
        return name
    if motion_adapter is not None:
        return "AnimateDiffPipeline"  # an image model plus a motion adapter, as AnimateDiff is used
    raise NoVideoModel(
        f"{path} is a {name or 'non-video'} folder without a {MOTION_ADAPTER_SUBFOLDER}/: "
        "configure a video model (GENERATION_VIDEO_MODEL_PATH) or a motion adapter"
    )


def _from_pretrained(cls, path: Path, levers: Levers, scheduler: str, **extra):
    kwargs = dict(extra)
    if scheduler:
        kwargs["scheduler"] = scheduler_class(scheduler).from_pretrained(str(path), subfolder="scheduler", local_files_only=True)
    pipe = cls.from_pretrained(str(path), local_files_only=True, **dtype_kwarg(levers.dtype), **kwargs)
    import torch

    for component in pipe.components.values():
        if isinstance(component, torch.nn.Module):
            component.to(device=levers.device)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def _fallback(pipe, class_name: str | None, *, per_request: bool = False):
    """The image-to-image (video-to-video) pipeline on the very component objects of ``pipe``: no
    second load and no cast (not ``from_pipe``, which re-casts shared modules to its own dtype)."""
    if class_name is None:
        return None
    import inspect

    cls = per_request_embeds(_pipeline_class(class_name)) if per_request else _pipeline_class(class_name)
    accepted = inspect.signature(cls.__init__).parameters
    kwargs = {k: v for k, v in pipe.components.items() if k in accepted}
    for flag in ("requires_safety_checker", "force_zeros_for_empty_prompt"):
        if flag in accepted and flag in pipe.config:
            kwargs[flag] = bool(pipe.config[flag])
    if "add_watermarker" in accepted:
        kwargs["add_watermarker"] = False
    fallback = cls(**kwargs)
    fallback.set_progress_bar_config(disable=True)
    return fallback


def _apply_levers(pipe, levers: Levers, class_name: str = "StableDiffusionPipeline") -> None:
    """The levers that apply to this family (.families): attention processors are swapped where
    they are the classic/SDPA pair (FLUX, SD3, LTX and Wan ship SDPA processors of their own, kept);
    channels_last only for convolutional UNets; compile on the UNet or the transformer."""
    family = family_of(class_name)
    net = denoiser(pipe)
    if hasattr(net, "attn_processors"):
        set_attention(net, levers.attention)  # a no-op when the processors are already the ones asked for
    if hasattr(getattr(pipe, "vae", None), "attn_processors"):  # the video VAEs have none to set
        set_attention(pipe.vae, levers.attention)
    if levers.vae_slicing and getattr(pipe, "vae", None) is not None and hasattr(pipe.vae, "enable_slicing"):
        pipe.vae.enable_slicing()
    if levers.channels_last and family.channels_last:
        to_channels_last(net, getattr(pipe, "vae", None))
    compile_unet(net, levers.compile, backend=levers.compile_backend, compile_mode=levers.compile_mode)


def load_image_pipeline(
    path: Path,
    *,
    class_name: str,
    scheduler: str,
    levers: Levers,
    likeness: str,
    ip_adapter: tuple[Path, str] | None,
    image_encoder_path: Path | None,
) -> Loaded:
    family = family_of(class_name)
    cls = per_request_embeds(_pipeline_class(class_name)) if family.ip_adapter else _pipeline_class(class_name)
    pipe = _from_pretrained(cls, path, levers, scheduler)
    if likeness in ("ip_adapter", "faceid") and not family.ip_adapter:
        raise ValueError(f"likeness={likeness!r} is wired for Stable Diffusion UNets, not {class_name}: use 'auto' or 'img2img'")
    use_adapter = likeness != "img2img" and ip_adapter is not None and family.ip_adapter
    if use_adapter:
        load_ip_adapter(pipe, ip_adapter, image_encoder_path=image_encoder_path, device=levers.device, dtype=levers.dtype,
                        face_id=likeness == "faceid")
    _apply_levers(pipe, levers, class_name)
    fallback = None if use_adapter else _fallback(pipe, IMAGE_PIPELINES[class_name])
    # Remixes start from their parent's pixels: image-to-image on the same modules (with the
    # adapter's layers when there is one, so a remix can add a likeness of its own).
    remix = fallback if fallback is not None else _fallback(pipe, IMAGE_PIPELINES[class_name], per_request=family.ip_adapter)
    return Loaded(pipe=pipe, fallback=fallback, class_name=class_name, ip_adapter=ip_adapter if use_adapter else None, remix=remix)


def load_video_pipeline(
    path: Path,
    *,
    class_name: str,
    scheduler: str,
    levers: Levers,
    likeness: str,
    motion_adapter: Path | None,
    ip_adapter: tuple[Path, str] | None,
    image_encoder_path: Path | None,
) -> Loaded:
    cls = _pipeline_class(class_name)
    extra = {}
    if class_name == "AnimateDiffPipeline" and model_index(path).get("_class_name") != "AnimateDiffPipeline":
        if motion_adapter is None:
            raise NoVideoModel(f"AnimateDiffPipeline on {path} needs a motion adapter")
        from diffusers import MotionAdapter

        extra["motion_adapter"] = MotionAdapter.from_pretrained(str(motion_adapter), local_files_only=True, **dtype_kwarg(levers.dtype))
    pipe = _from_pretrained(cls, path, levers, scheduler, **extra)
    use_adapter = likeness != "img2img" and ip_adapter is not None and family_of(class_name).ip_adapter and hasattr(pipe, "load_ip_adapter")
    if use_adapter:
        load_ip_adapter(pipe, ip_adapter, image_encoder_path=image_encoder_path, device=levers.device, dtype=levers.dtype)
    _apply_levers(pipe, levers, class_name)
    fallback = None if use_adapter else _fallback(pipe, VIDEO_PIPELINES[class_name])
    remix = fallback if fallback is not None else _fallback(pipe, VIDEO_PIPELINES[class_name])
    return Loaded(pipe=pipe, fallback=fallback, class_name=class_name, ip_adapter=ip_adapter if use_adapter else None, remix=remix)


def load_tiny_vae(path: Path, levers: Levers):
    """The ``AutoencoderTiny`` that decodes previews, or None if ``path`` has none."""
    if not (path / "config.json").is_file():
        return None
    from diffusers import AutoencoderTiny

    vae = AutoencoderTiny.from_pretrained(str(path), local_files_only=True, **dtype_kwarg(levers.dtype)).to(levers.device)
    if levers.channels_last:
        to_channels_last(vae)
    return vae


def default_tiny_vae_path(model_path: Path) -> Path:
    return model_path / TINY_VAE_SUBFOLDER


def default_motion_adapter_path(model_path: Path) -> Path | None:
    folder = model_path / MOTION_ADAPTER_SUBFOLDER
    return folder if (folder / "config.json").is_file() else None
