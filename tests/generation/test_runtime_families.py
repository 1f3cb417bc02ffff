"""FLUX, SD3, LTX-Video and Wan through the registry: tiny random-weight builds of each
architecture, loaded like real models, one real denoising step each, with the levers that apply."""
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from generation.runtime import RuntimeConfig, get_runtime, pipeline
from generation.runtime.families import FAMILIES, build_tiny_family, family_of, fit_frames
from generation.runtime.registry import IMAGE_PIPELINES, VIDEO_PIPELINES


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, builtin_model):
    root = tmp_path_factory.mktemp("families")
    return lambda arch: build_tiny_family(root / arch, arch)


def _config(builtin_model, **kw):
    return RuntimeConfig(builtin_dir=Path(builtin_model), device="cpu", dtype="float32", steps=1, size=32, **kw)


def test_the_registry_accepts_every_family():
    assert {"FluxPipeline", "StableDiffusion3Pipeline"} <= set(IMAGE_PIPELINES)
    assert {"LTXPipeline", "WanPipeline", "AnimateDiffPipeline"} <= set(VIDEO_PIPELINES)
    assert set(IMAGE_PIPELINES) | set(VIDEO_PIPELINES) == set(FAMILIES)
    with pytest.raises(ValueError, match="not supported"):
        family_of("KandinskyPipeline")
    assert fit_frames(FAMILIES["LTXPipeline"], 16) == 9 and fit_frames(FAMILIES["WanPipeline"], 16) == 13


@pytest.mark.parametrize("arch,cls", [("tiny-flux", "FluxPipeline"), ("tiny-sd3", "StableDiffusion3Pipeline")])
def test_image_families_render_one_step_text_and_likeness(tiny, builtin_model, arch, cls):
    path = tiny(arch)
    rt = pipeline.Runtime(_config(builtin_model, model_path=path, channels_last="on", attention="eager"))
    assert rt.pipeline_class == cls and rt.likeness_mode == "img2img"  # no IP-Adapter for transformers: image-to-image
    assert type(rt._image.fallback).__name__ == IMAGE_PIPELINES[cls]
    a = rt.render(prompt="a lighthouse", seed=1, reference_images=[])
    b = rt.render(prompt="a lighthouse", seed=1, reference_images=[])
    c = rt.render(prompt="a lighthouse", seed=2, reference_images=[])
    assert a.size == (32, 32) and a.mode == "RGB"
    assert np.array_equal(np.asarray(a), np.asarray(b)) and not np.array_equal(np.asarray(a), np.asarray(c))
    steps = []
    ref = Image.new("RGB", (64, 64), (200, 30, 30))
    d = rt.render(prompt="a lighthouse", seed=1, reference_images=[ref], on_step=lambda i, n: steps.append((i, n)))
    assert d.size == (32, 32) and steps and steps[-1][0] == steps[-1][1]
    assert rt.weight_bytes > 0


def test_flux_takes_regional_compile_and_sd3_refuses_it_clearly(tiny, builtin_model):
    from generation.runtime import registry

    flux = pipeline.Runtime(_config(builtin_model, model_path=tiny("tiny-flux")))
    registry.compile_unet(flux._image.pipe.transformer, "regional", backend="eager")  # repeated blocks declared
    assert any(getattr(m, "_compiled_call_impl", None) is not None for m in flux._image.pipe.transformer.transformer_blocks)
    sd3 = pipeline.Runtime(_config(builtin_model, model_path=tiny("tiny-sd3")))
    with pytest.raises(ValueError, match="compile='full'"):
        registry.compile_unet(sd3._image.pipe.transformer, "regional")
    with pytest.raises((ValueError, FileNotFoundError), match="IP-Adapter|wired for Stable Diffusion"):
        pipeline.Runtime(_config(builtin_model, model_path=tiny("tiny-flux"), likeness="ip_adapter"))


@pytest.mark.parametrize("arch,cls,size", [("tiny-ltx-video", "LTXPipeline", 32), ("tiny-wan", "WanPipeline", 16)])
def test_video_families_render_one_step_and_condition_on_a_frame(tiny, builtin_model, arch, cls, size):
    rt = pipeline.Runtime(_config(builtin_model, model_path=None, video_model_path=tiny(arch), video_size=size, video_frames=9))
    frames = rt.render_video_frames(prompt="waves", seed=3)
    assert rt._video.class_name == cls
    expected = fit_frames(FAMILIES[cls], 9)
    assert len(frames) == expected and frames[0].size == (size, size)
    ref = Image.new("RGB", (64, 64), (20, 200, 20))
    conditioned = rt.render_video_frames(prompt="waves", seed=3, reference_images=[ref], num_frames=5)
    assert type(rt._video.fallback).__name__ == VIDEO_PIPELINES[cls]
    assert len(conditioned) >= 1 and conditioned[0].size == (size, size)


def test_more_than_one_model_stays_warm_within_a_memory_budget(tiny, builtin_model):
    flux, sd3 = _config(builtin_model, model_path=tiny("tiny-flux")), _config(builtin_model, model_path=tiny("tiny-sd3"))
    pipeline._runtimes.clear()
    try:
        a = get_runtime(flux)
        budget = a.weight_bytes * 10
        b = get_runtime(sd3, memory_budget=budget)
        assert pipeline.warm_runtimes() == [a, b]  # both fit: both warm
        assert get_runtime(flux, memory_budget=budget) is a  # used again: now the most recent
        assert pipeline.warm_runtimes() == [b, a]
        get_runtime(_config(builtin_model, model_path=None), memory_budget=a.weight_bytes + b.weight_bytes)
        warm = pipeline.warm_runtimes()
        assert b not in warm  # the least recently used went first
        assert len(warm) >= 1 and warm[-1].model_name.startswith("rightscast")
    finally:
        pipeline._runtimes.clear()
