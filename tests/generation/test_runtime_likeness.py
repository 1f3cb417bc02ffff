"""Likeness conditioning: diffusers' IP-Adapter when the model has one, image-to-image otherwise.
Real (tiny) pipelines; the built-in model carries its own tiny adapter and image encoder."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from generation.runtime import RuntimeConfig, get_runtime

SIZE = 64


def config(model_path, builtin_dir, **overrides) -> RuntimeConfig:
    return RuntimeConfig(
        **{"model_path": model_path, "builtin_dir": builtin_dir, "device": "cpu", "steps": 2, "size": SIZE} | overrides
    )


def noise(seed: int, shape=(80, 96, 3)) -> Image.Image:
    return Image.fromarray(np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8))


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image).astype(np.int16)


@pytest.fixture(scope="module")
def adapter_rt(builtin_model):
    return get_runtime(config(None, builtin_model))


@pytest.fixture(scope="module")
def img2img_rt(builtin_model):
    return get_runtime(config(None, builtin_model, likeness="img2img"))


@pytest.fixture(scope="module")
def no_adapter_folder(builtin_model, tmp_path_factory) -> Path:
    """A configured model folder without an adapter (and no marker: a "real" model)."""
    folder = tmp_path_factory.mktemp("plain") / "plain-sd"
    shutil.copytree(builtin_model, folder, ignore=shutil.ignore_patterns("ip_adapter", "rightscast_builtin.json"))
    return folder


def test_the_adapter_is_loaded_through_diffusers_ip_adapter_support(adapter_rt):
    from diffusers.models.attention_processor import AttnProcessor2_0, IPAdapterAttnProcessor2_0
    from diffusers.models.embeddings import MultiIPAdapterImageProjection
    from transformers import CLIPVisionModelWithProjection

    unet = adapter_rt._image.pipe.unet
    processors = unet.attn_processors
    cross = {k: v for k, v in processors.items() if k.endswith("attn2.processor")}
    own = {k: v for k, v in processors.items() if k.endswith("attn1.processor")}
    assert cross and all(isinstance(p, IPAdapterAttnProcessor2_0) for p in cross.values())
    assert own and all(type(p) is AttnProcessor2_0 for p in own.values())
    assert isinstance(unet.encoder_hid_proj, MultiIPAdapterImageProjection)
    assert unet.config.encoder_hid_dim_type == "ip_image_proj"
    assert isinstance(adapter_rt._image.pipe.image_encoder, CLIPVisionModelWithProjection)
    assert adapter_rt.likeness_mode == "ip_adapter" and adapter_rt._image.fallback is None


def test_reference_images_steer_the_output(adapter_rt):
    render = lambda refs: pixels(adapter_rt.render(prompt="a portrait", seed=4, reference_images=refs))  # noqa: E731
    a, a_again, b = render([noise(1)]), render([noise(1)]), render([noise(2)])
    text_only = render([])
    assert np.array_equal(a, a_again)  # same references, same seed: same pixels
    assert not np.array_equal(a, b)  # another face, another image
    assert not np.array_equal(a, text_only)
    both = render([noise(1), noise(2)])  # every reference conditions (4 image tokens each)
    assert not np.array_equal(both, a) and not np.array_equal(both, b)


def test_text_only_render_is_unchanged_by_the_loaded_adapter(adapter_rt, img2img_rt):
    # With no references the adapter's scale is 0 and its layers are skipped: the same pixels as a
    # runtime that never loaded it.
    with_adapter = adapter_rt.render(prompt="a portrait", seed=9, reference_images=[])
    without = img2img_rt.render(prompt="a portrait", seed=9, reference_images=[])
    assert np.abs(pixels(with_adapter) - pixels(without)).max() <= 1


def test_img2img_when_configured(img2img_rt):
    from diffusers import StableDiffusionImg2ImgPipeline
    from diffusers.models.attention_processor import IPAdapterAttnProcessor2_0

    assert img2img_rt.likeness_mode == "img2img"
    assert isinstance(img2img_rt._image.fallback, StableDiffusionImg2ImgPipeline)
    assert not any(isinstance(p, IPAdapterAttnProcessor2_0) for p in img2img_rt._image.pipe.unet.attn_processors.values())
    assert getattr(img2img_rt._image.pipe, "image_encoder", None) is None
    steps = []
    a = img2img_rt.render(prompt="a portrait", seed=4, reference_images=[noise(1)], on_step=lambda d, t: steps.append((d, t)))
    b = img2img_rt.render(prompt="a portrait", seed=4, reference_images=[noise(2)])
    assert steps == [(1, 2), (2, 2)]  # exactly `steps` denoising steps, as for text-to-image
    assert not np.array_equal(pixels(a), pixels(b))


def test_img2img_fallback_when_the_model_has_no_adapter(no_adapter_folder, tmp_path):
    rt = get_runtime(config(no_adapter_folder, tmp_path / "unused"))
    assert rt.likeness_mode == "img2img" and rt.is_development_model is False
    a = rt.render(prompt="a portrait", seed=4, reference_images=[noise(1)])
    b = rt.render(prompt="a portrait", seed=4, reference_images=[noise(2)])
    assert not np.array_equal(pixels(a), pixels(b))


def test_insisting_on_an_adapter_that_is_not_there_is_a_clear_error(no_adapter_folder, tmp_path):
    with pytest.raises(FileNotFoundError, match="no IP-Adapter"):
        get_runtime(config(no_adapter_folder, tmp_path / "unused", likeness="ip_adapter"))


def test_adapter_configured_from_another_folder(no_adapter_folder, builtin_model, tmp_path):
    # As with a downloaded h94/IP-Adapter: weights and image encoder in a folder of their own.
    adapters = tmp_path / "IP-Adapter" / "models"
    shutil.copytree(builtin_model / "ip_adapter", adapters)
    rt = get_runtime(
        config(
            no_adapter_folder,
            tmp_path / "unused",
            ip_adapter_path=adapters,
            ip_adapter_weight_name="ip-adapter_rightscast.safetensors",
            ip_adapter_scale=1.0,
        )
    )
    assert rt.likeness_mode == "ip_adapter"
    a = rt.render(prompt="a portrait", seed=4, reference_images=[noise(1)])
    b = rt.render(prompt="a portrait", seed=4, reference_images=[noise(2)])
    assert not np.array_equal(pixels(a), pixels(b))
    with pytest.raises(FileNotFoundError, match="no IP-Adapter weights"):
        get_runtime(config(no_adapter_folder, tmp_path / "unused", ip_adapter_path=adapters, ip_adapter_weight_name="x.bin"))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        get_runtime(config(no_adapter_folder, tmp_path / "unused", ip_adapter_path=tmp_path / "typo"))
