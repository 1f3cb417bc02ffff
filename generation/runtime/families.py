"""Model families beyond Stable Diffusion: FLUX, Stable Diffusion 3, LTX-Video and Wan (diffusers
0.42 class names), what each needs to load and render, and tiny random-weight builds of each
architecture (as :mod:`.default_model` builds the SD one) so the plumbing is tested on a CPU.

A family is picked from the folder's ``model_index.json`` (``_class_name``) or by configuration
(``GENERATION_PIPELINE`` / ``GENERATION_VIDEO_PIPELINE``). Each entry says which image-to-image or
video conditioning pipeline shares its modules (the likeness and remix path), which denoiser it has
(``unet`` or ``transformer``) and which speed levers apply: every family takes dtype, SDPA
attention, VAE slicing/tiling and ``torch.compile`` (regional where the denoiser declares repeated
blocks: FLUX, LTX-Video and Wan do; SD3's transformer declares none, so it takes compile='full'); channels_last
is for convolutional UNets only; IP-Adapter likeness is wired for the UNet families only (FLUX and
SD3 condition on the likeness by image-to-image).
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Family:
    name: str
    kind: str  # "image" | "video"
    denoiser: str  # "unet" | "transformer"
    conditioned: str | None  # image-to-image / first-frame / video-to-video class sharing the modules
    conditioning: str  # "img2img" | "first_frame" | "video2video" | "none"
    ip_adapter: bool
    channels_last: bool
    frames_multiple: int = 1  # num_frames must be k * frames_multiple + 1 (video)
    size_multiple: int = 8


FAMILIES: dict[str, Family] = {
    "StableDiffusionPipeline": Family("sd", "image", "unet", "StableDiffusionImg2ImgPipeline", "img2img", True, True),
    "StableDiffusionXLPipeline": Family("sdxl", "image", "unet", "StableDiffusionXLImg2ImgPipeline", "img2img", True, True),
    "FluxPipeline": Family("flux", "image", "transformer", "FluxImg2ImgPipeline", "img2img", False, False, size_multiple=16),
    "StableDiffusion3Pipeline": Family("sd3", "image", "transformer", "StableDiffusion3Img2ImgPipeline", "img2img", False, False, size_multiple=16),
    "AnimateDiffPipeline": Family("animatediff", "video", "unet", "AnimateDiffVideoToVideoPipeline", "video2video", True, True),
    "LTXPipeline": Family("ltx-video", "video", "transformer", "LTXImageToVideoPipeline", "first_frame", False, False, frames_multiple=8, size_multiple=32),
    "WanPipeline": Family("wan", "video", "transformer", "WanVideoToVideoPipeline", "video2video", False, False, frames_multiple=4, size_multiple=16),
}
TINY = ("tiny-flux", "tiny-sd3", "tiny-ltx-video", "tiny-wan")
MARKER = "rightscast-tiny-family.json"


def family_of(class_name: str) -> Family:
    try:
        return FAMILIES[class_name]
    except KeyError:
        raise ValueError(f"pipeline {class_name!r} is not supported; use one of {', '.join(FAMILIES)}") from None


def denoiser(pipe):
    """The UNet or the transformer of a pipeline."""
    return getattr(pipe, "unet", None) or pipe.transformer


def fit_frames(family: Family, frames: int) -> int:
    """The nearest allowed frame count not above ``frames`` (LTX: 8k+1, Wan: 4k+1)."""
    m = family.frames_multiple
    if m <= 1:
        return frames
    return max(1, ((frames - 1) // m) * m + 1)


def module_bytes(pipe) -> int:
    """Parameter and buffer bytes of every module of a pipeline (its weight in memory)."""
    import torch

    total, seen = 0, set()
    for component in pipe.components.values():
        if isinstance(component, torch.nn.Module) and id(component) not in seen:
            seen.add(id(component))
            total += sum(t.numel() * t.element_size() for t in component.parameters())
            total += sum(t.numel() * t.element_size() for t in component.buffers())
    return total


# -- tiny random-weight builds ---------------------------------------------------------------------


def _clip_tokenizer(folder: Path):
    from transformers import CLIPTokenizer

    from .default_model import _write_tokenizer_files

    src = folder / "_tok"
    _write_tokenizer_files(src)
    tok = CLIPTokenizer.from_pretrained(src, local_files_only=True)
    shutil.rmtree(src)
    return tok


def _t5(vocab: int, d_model: int, seed: int, *, umt5: bool = False):
    import torch
    from transformers import T5Config, T5EncoderModel, UMT5Config, UMT5EncoderModel

    torch.manual_seed(seed)
    config_cls, model_cls = (UMT5Config, UMT5EncoderModel) if umt5 else (T5Config, T5EncoderModel)
    return model_cls(config_cls(vocab_size=vocab, d_model=d_model, d_kv=8, d_ff=37, num_layers=1, num_heads=2, relative_attention_num_buckets=8))


def _clip(tok, *, projection: bool, seed: int, hidden: int = 32):
    import torch
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    torch.manual_seed(seed)
    config = CLIPTextConfig(
        vocab_size=len(tok), hidden_size=hidden, intermediate_size=37, num_attention_heads=4, num_hidden_layers=2,
        projection_dim=hidden, max_position_embeddings=77, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id, hidden_act="gelu",
    )
    return (CLIPTextModelWithProjection if projection else CLIPTextModel)(config)


def build_tiny_family(folder: Path, arch: str, *, seed: int = 0) -> Path:
    """A diffusers folder of ``arch`` (one of :data:`TINY`) with seeded random weights, saved by
    ``save_pretrained`` and loaded back by the registry like any real model. Built once."""
    import torch
    from diffusers import FlowMatchEulerDiscreteScheduler

    if arch not in TINY:
        raise ValueError(f"arch must be one of {', '.join(TINY)}, not {arch!r}")
    folder = Path(folder)
    marker = folder / MARKER
    if marker.is_file() and json.loads(marker.read_text()).get("arch") == arch:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    tok = _clip_tokenizer(folder)
    vocab = len(tok)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        if arch == "tiny-flux":
            from diffusers import AutoencoderKL, FluxPipeline, FluxTransformer2DModel

            transformer = FluxTransformer2DModel(
                patch_size=1, in_channels=4, num_layers=1, num_single_layers=1, attention_head_dim=16, num_attention_heads=2,
                joint_attention_dim=32, pooled_projection_dim=32, axes_dims_rope=[4, 4, 8],
            )
            vae = AutoencoderKL(
                sample_size=32, in_channels=3, out_channels=3, block_out_channels=(4,), layers_per_block=1, latent_channels=1,
                norm_num_groups=1, use_quant_conv=False, use_post_quant_conv=False, shift_factor=0.0609, scaling_factor=1.5035,
            )
            pipe = FluxPipeline(
                scheduler=FlowMatchEulerDiscreteScheduler(), vae=vae, text_encoder=_clip(tok, projection=False, seed=seed + 1),
                tokenizer=tok, text_encoder_2=_t5(vocab, 32, seed + 2), tokenizer_2=tok, transformer=transformer,
            )
        elif arch == "tiny-sd3":
            from diffusers import AutoencoderKL, SD3Transformer2DModel, StableDiffusion3Pipeline

            transformer = SD3Transformer2DModel(
                sample_size=32, patch_size=1, in_channels=4, num_layers=1, attention_head_dim=8, num_attention_heads=4,
                caption_projection_dim=32, joint_attention_dim=64, pooled_projection_dim=64, out_channels=4,
            )
            vae = AutoencoderKL(
                sample_size=32, in_channels=3, out_channels=3, block_out_channels=(4,), layers_per_block=1, latent_channels=4,
                norm_num_groups=1, use_quant_conv=False, use_post_quant_conv=False, shift_factor=0.0609, scaling_factor=1.5035,
            )
            pipe = StableDiffusion3Pipeline(
                scheduler=FlowMatchEulerDiscreteScheduler(), vae=vae, transformer=transformer,
                text_encoder=_clip(tok, projection=True, seed=seed + 1), tokenizer=tok,
                text_encoder_2=_clip(tok, projection=True, seed=seed + 2), tokenizer_2=tok,
                text_encoder_3=_t5(vocab, 64, seed + 3), tokenizer_3=tok,
            )
        elif arch == "tiny-ltx-video":
            from diffusers import AutoencoderKLLTXVideo, LTXPipeline, LTXVideoTransformer3DModel

            transformer = LTXVideoTransformer3DModel(
                in_channels=8, out_channels=8, patch_size=1, patch_size_t=1, num_attention_heads=4, attention_head_dim=8,
                cross_attention_dim=32, num_layers=1, caption_channels=32,
            )
            vae = AutoencoderKLLTXVideo(
                in_channels=3, out_channels=3, latent_channels=8, block_out_channels=(8, 8, 8, 8), decoder_block_out_channels=(8, 8, 8, 8),
                layers_per_block=(1, 1, 1, 1, 1), decoder_layers_per_block=(1, 1, 1, 1, 1),
                spatio_temporal_scaling=(True, True, False, False), decoder_spatio_temporal_scaling=(True, True, False, False),
                decoder_inject_noise=(False, False, False, False, False), upsample_residual=(False, False, False, False),
                upsample_factor=(1, 1, 1, 1), timestep_conditioning=False, patch_size=1, patch_size_t=1,
                encoder_causal=True, decoder_causal=False,
            )
            pipe = LTXPipeline(
                scheduler=FlowMatchEulerDiscreteScheduler(), vae=vae, text_encoder=_t5(vocab, 32, seed + 1), tokenizer=tok, transformer=transformer,
            )
        else:  # tiny-wan
            from diffusers import AutoencoderKLWan, WanPipeline, WanTransformer3DModel

            vae = AutoencoderKLWan(base_dim=3, z_dim=16, dim_mult=[1, 1, 1, 1], num_res_blocks=1, temperal_downsample=[False, True, True])
            transformer = WanTransformer3DModel(
                patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=12, in_channels=16, out_channels=16, text_dim=32,
                freq_dim=256, ffn_dim=32, num_layers=2, cross_attn_norm=True, qk_norm="rms_norm_across_heads", rope_max_seq_len=32,
            )
            pipe = WanPipeline(
                tokenizer=tok, text_encoder=_t5(vocab, 32, seed + 1, umt5=True), vae=vae, scheduler=FlowMatchEulerDiscreteScheduler(shift=7.0), transformer=transformer,
            )
    pipe.save_pretrained(folder)
    marker.write_text(json.dumps({"arch": arch, "seed": seed}))
    return folder
