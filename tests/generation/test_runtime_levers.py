"""The speed levers, each switched by the configuration, loaded and rendered on the real (tiny)
built-in model: half precision, SDPA vs classic attention, channels_last, torch.compile of the
UNet's repeated blocks, VAE slicing, and tiny-VAE previews."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
from PIL import Image

from generation.runtime import RuntimeConfig, get_runtime

SIZE = 64


def config(builtin_dir, **overrides) -> RuntimeConfig:
    return RuntimeConfig(**{"model_path": None, "builtin_dir": builtin_dir, "device": "cpu", "steps": 2, "size": SIZE} | overrides)


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image).astype(np.int16)


@pytest.fixture(scope="module")
def reference() -> Image.Image:
    return Image.fromarray(np.random.default_rng(11).integers(0, 256, (64, 64, 3), dtype=np.uint8))


@pytest.fixture(scope="module")
def baseline(builtin_model, reference) -> np.ndarray:
    """float32, SDPA, no compile: the likeness path's pixels every lever is compared with."""
    rt = get_runtime(config(builtin_model))
    return pixels(rt.render(prompt="a portrait", seed=21, reference_images=[reference]))


def render(rt, reference) -> np.ndarray:
    image = rt.render(prompt="a portrait", seed=21, reference_images=[reference])
    assert image.size == (SIZE, SIZE) and image.mode == "RGB"
    return pixels(image)


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_half_precision(builtin_model, reference, baseline, dtype):
    import torch

    rt = get_runtime(config(builtin_model, dtype=dtype))
    wanted = getattr(torch, dtype)
    assert rt._image.pipe.unet.dtype == wanted and rt._image.pipe.vae.dtype == wanted
    assert rt._image.pipe.image_encoder.dtype == wanted
    out = render(rt, reference)
    assert np.abs(out - baseline).mean() < 12  # the same picture, give or take rounding


def test_classic_attention_instead_of_sdpa(builtin_model, reference, baseline):
    from diffusers.models.attention_processor import (
        AttnProcessor,
        AttnProcessor2_0,
        IPAdapterAttnProcessor,
        IPAdapterAttnProcessor2_0,
    )

    rt = get_runtime(config(builtin_model, attention="eager"))
    kinds = {type(p) for p in rt._image.pipe.unet.attn_processors.values()}
    assert kinds == {AttnProcessor, IPAdapterAttnProcessor}
    assert {type(p) for p in rt._image.pipe.vae.attn_processors.values()} == {AttnProcessor}
    sdpa = get_runtime(config(builtin_model))
    assert {type(p) for p in sdpa._image.pipe.unet.attn_processors.values()} == {AttnProcessor2_0, IPAdapterAttnProcessor2_0}
    assert np.abs(render(rt, reference) - baseline).max() <= 2  # same maths, other kernels


def test_channels_last(builtin_model, reference, baseline):
    import torch

    rt = get_runtime(config(builtin_model, channels_last="on"))
    conv = rt._image.pipe.unet.conv_in.weight
    assert conv.is_contiguous(memory_format=torch.channels_last) and not conv.is_contiguous()
    assert np.abs(render(rt, reference) - baseline).max() <= 2
    assert get_runtime(config(builtin_model)).levers.channels_last is False  # auto: on for CUDA only


def _compiled_blocks(unet) -> list:
    return [m for m in unet.modules() if type(m).__name__ == "BasicTransformerBlock" and m._compiled_call_impl is not None]


@pytest.mark.parametrize(
    "mode, backend",
    [
        ("regional", "inductor"),  # the real thing: TorchInductor's generated C++ for each block shape
        ("full", "aot_eager"),  # the whole UNet traced; aot_eager skips code generation (it is slow on a CPU)
    ],
)
def test_torch_compile(builtin_model, reference, baseline, mode, backend):
    if backend == "inductor" and not shutil.which(os.environ.get("CXX", "g++")):
        pytest.skip("TorchInductor on the CPU needs a C++ compiler")
    rt = get_runtime(config(builtin_model, compile=mode, compile_backend=backend))
    unet = rt._image.pipe.unet
    if mode == "regional":
        blocks = _compiled_blocks(unet)
        assert len(blocks) == 4 and unet._compiled_call_impl is None  # the repeated blocks only
    else:
        assert unet._compiled_call_impl is not None
    assert np.abs(render(rt, reference) - baseline).max() <= 2


def test_vae_slicing_switch(builtin_model, reference, baseline):
    on = get_runtime(config(builtin_model))
    off = get_runtime(config(builtin_model, vae_slicing=False))
    assert on._image.pipe.vae.use_slicing is True and off._image.pipe.vae.use_slicing is False
    assert np.abs(render(off, reference) - baseline).max() <= 1


def test_tiny_vae_previews_every_k_steps(builtin_model, tmp_path):
    rt = get_runtime(config(builtin_model, steps=5, preview_every=2))
    previews = []
    final = rt.render(prompt="a portrait", seed=2, reference_images=[], on_preview=lambda s, im: previews.append((s, im)))
    assert [s for s, _ in previews] == [2, 4]  # every 2nd step, not the last (that is the image itself)
    for _, image in previews:
        assert image.size == (SIZE, SIZE) and image.mode == "RGB"
    assert not np.array_equal(pixels(previews[-1][1]), pixels(final))  # decoded by the tiny VAE, mid-way

    assert rt.render(prompt="a portrait", seed=2, reference_images=[]) == final  # previews change nothing
    quiet = get_runtime(config(builtin_model, steps=5))  # preview_every=0: never decoded
    quiet.render(prompt="a portrait", seed=2, reference_images=[], on_preview=lambda s, im: previews.append(s))
    assert len(previews) == 2

    # A model without a tiny VAE renders without previews; a configured one that is not there is an error.
    folder = tmp_path / "no-tiny-vae"
    shutil.copytree(builtin_model, folder, ignore=shutil.ignore_patterns("vae_tiny", "motion_adapter"))
    no_vae = get_runtime(RuntimeConfig(model_path=folder, builtin_dir=tmp_path, device="cpu", steps=5, size=SIZE, preview_every=1))
    assert not no_vae.has_preview_vae
    no_vae.render(prompt="a portrait", seed=2, reference_images=[], on_preview=lambda s, im: previews.append(s))
    assert len(previews) == 2
    with pytest.raises(FileNotFoundError, match="AutoencoderTiny"):
        get_runtime(config(builtin_model, preview_every=1, preview_vae_path=tmp_path / "none"))


def test_previews_wait_their_minimum_interval(builtin_model):
    """On a CPU a tiny-VAE decode costs about a step: with a minimum interval longer than the
    render, none is made; with none, every k-th step gets one."""
    previews = []
    rt = get_runtime(config(builtin_model, steps=5, preview_every=1, preview_min_seconds=3600))
    rt.render(prompt="a portrait", seed=2, reference_images=[], on_preview=lambda s, im: previews.append(s))
    assert previews == []
    rt = get_runtime(config(builtin_model, steps=5, preview_every=1, preview_min_seconds=0))
    rt.render(prompt="a portrait", seed=2, reference_images=[], on_preview=lambda s, im: previews.append(s))
    assert previews == [1, 2, 3, 4]
    auto = get_runtime(config(builtin_model, steps=5, preview_every=1, preview_min_seconds=-1))
    assert auto.preview_min_seconds == (0.0 if auto.device.startswith("cuda") else 2.0)


def test_torch_uses_the_cores_the_worker_may_use_and_openmp_waits_passively(builtin_model):
    import torch

    from generation.runtime import threads

    rt = get_runtime(config(builtin_model, steps=2))
    assert rt.threads == threads.usable_cores() == torch.get_num_threads()
    assert os.environ.get("OMP_WAIT_POLICY", "").upper() == "PASSIVE"  # set on import, before torch loads OpenMP
    with pytest.raises(ValueError, match="preview_min_seconds"):
        config(builtin_model, preview_min_seconds=-5)
    with pytest.raises(ValueError, match="threads"):
        config(builtin_model, threads=-1)
