"""The pipeline registry: configuration → pipeline class, scheduler, dtype, device and add-ons.
Real (tiny) diffusers pipelines, no mocks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from generation.runtime import Runtime, RuntimeConfig, build_random_model, get_runtime

SIZE = 64


def config(model_path, builtin_dir, **overrides) -> RuntimeConfig:
    return RuntimeConfig(
        **{"model_path": model_path, "builtin_dir": builtin_dir, "device": "cpu", "steps": 2, "size": SIZE} | overrides
    )


@pytest.fixture(scope="module")
def sdxl_dir(tmp_path_factory) -> Path:
    # A tiny SDXL (two text encoders, text_time conditioning) with an IP-Adapter and tiny VAE.
    return build_random_model(tmp_path_factory.mktemp("sdxl") / "tiny-sdxl", "tiny-sdxl", dtype="float32")


@pytest.fixture(scope="module")
def reference() -> Image.Image:
    return Image.fromarray(np.random.default_rng(3).integers(0, 256, (72, 72, 3), dtype=np.uint8))


def test_builtin_model_loads_as_stable_diffusion_with_its_own_scheduler(builtin_model):
    import torch
    from diffusers import AutoencoderTiny, EulerDiscreteScheduler, StableDiffusionPipeline
    from transformers import CLIPVisionModelWithProjection

    rt = get_runtime(config(None, builtin_model))
    pipe = rt._image.pipe
    assert rt.pipeline_class == "StableDiffusionPipeline" and isinstance(pipe, StableDiffusionPipeline)
    assert rt.scheduler_class == "EulerDiscreteScheduler" and isinstance(pipe.scheduler, EulerDiscreteScheduler)
    assert pipe.scheduler.config.timestep_spacing == "trailing"  # the model's own configuration
    assert rt.device == "cpu" and pipe.unet.dtype == torch.float32
    assert rt.likeness_mode == "ip_adapter" and isinstance(pipe.image_encoder, CLIPVisionModelWithProjection)
    assert isinstance(rt._preview_vae, AutoencoderTiny) and rt.has_preview_vae
    assert get_runtime(config(None, builtin_model)) is rt  # one per process, kept warm


def test_scheduler_by_class_name_from_the_models_scheduler_config(builtin_model, reference):
    from diffusers import DPMSolverMultistepScheduler

    rt = get_runtime(config(None, builtin_model, scheduler="DPMSolverMultistepScheduler"))
    scheduler = rt._image.pipe.scheduler
    assert rt.scheduler_class == "DPMSolverMultistepScheduler" and isinstance(scheduler, DPMSolverMultistepScheduler)
    # Built from the model's scheduler_config.json, so the model's noise schedule carries over.
    saved = json.loads((builtin_model / "scheduler" / "scheduler_config.json").read_text())
    assert scheduler.config.beta_schedule == saved["beta_schedule"] == "scaled_linear"
    assert scheduler.config.beta_end == saved["beta_end"]
    steps = []
    image = rt.render(prompt="a portrait", seed=1, reference_images=[reference], on_step=lambda d, t: steps.append(d))
    assert image.size == (SIZE, SIZE) and steps == [1, 2]
    default = get_runtime(config(None, builtin_model)).render(prompt="a portrait", seed=1, reference_images=[reference])
    assert not np.array_equal(np.asarray(image), np.asarray(default))


def test_sdxl_model_loads_as_sdxl_with_adapter_and_fallback(sdxl_dir, tmp_path, reference):
    from diffusers import StableDiffusionXLImg2ImgPipeline, StableDiffusionXLPipeline
    from diffusers.models.attention_processor import IPAdapterAttnProcessor2_0

    rt = get_runtime(config(sdxl_dir, tmp_path / "unused"))
    assert rt.pipeline_class == "StableDiffusionXLPipeline" and isinstance(rt._image.pipe, StableDiffusionXLPipeline)
    assert rt.model_name == "rightscast-random-tiny-sdxl" and rt.is_development_model
    assert rt.likeness_mode == "ip_adapter"
    assert any(isinstance(p, IPAdapterAttnProcessor2_0) for p in rt._image.pipe.unet.attn_processors.values())
    a = rt.render(prompt="a portrait", seed=2, reference_images=[reference])
    b = rt.render(prompt="a portrait", seed=2, reference_images=[])
    assert a.size == b.size == (SIZE, SIZE) and not np.array_equal(np.asarray(a), np.asarray(b))

    explicit = get_runtime(config(sdxl_dir, tmp_path / "unused", pipeline="StableDiffusionXLPipeline", likeness="img2img"))
    assert isinstance(explicit._image.fallback, StableDiffusionXLImg2ImgPipeline)
    assert explicit._image.fallback.unet is explicit._image.pipe.unet  # same modules, not a second load
    assert explicit.render(prompt="a portrait", seed=2, reference_images=[reference]).size == (SIZE, SIZE)
    assert not (tmp_path / "unused").exists()


def test_unsupported_pipeline_class_in_the_folder_is_a_clear_error(builtin_model, tmp_path):
    folder = tmp_path / "odd"
    shutil.copytree(builtin_model, folder, ignore=shutil.ignore_patterns("motion_adapter", "ip_adapter"))
    index = json.loads((folder / "model_index.json").read_text())
    (folder / "model_index.json").write_text(json.dumps(index | {"_class_name": "KandinskyPipeline"}))
    with pytest.raises(ValueError, match="KandinskyPipeline.*not supported"):
        Runtime(config(folder, tmp_path / "unused"))


def test_dtype_and_device(builtin_model):
    import torch

    rt = get_runtime(config(None, builtin_model, dtype="bfloat16"))
    assert rt._image.pipe.unet.dtype == torch.bfloat16
    assert rt._image.pipe.image_encoder.dtype == torch.bfloat16
    assert rt._preview_vae.dtype == torch.bfloat16


def test_auto_device_falls_back_to_the_cpu_without_a_gpu(builtin_model):
    import torch

    rt = get_runtime(config(None, builtin_model, device="auto"))
    assert rt.device == ("cuda" if torch.cuda.is_available() else "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="CUDA is not available"):
            Runtime(config(None, builtin_model, device="cuda"))
