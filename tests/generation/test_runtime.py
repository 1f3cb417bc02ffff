"""The generation runtime, end to end on real (tiny) diffusers pipelines. No Django, no mocks."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from generation.runtime import (
    MARKER_FILENAME,
    MODEL_NAME,
    MODEL_VERSION,
    GenerationCancelled,
    RuntimeConfig,
    build_default_model,
    get_runtime,
)
from generation.runtime.default_model import ADDONS_VERSION

SIZE = 64
STEPS = 3


def weight_hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.safetensors"))
    }


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    return build_default_model(tmp_path_factory.mktemp("builtin") / "dev-model")


@pytest.fixture(scope="module")
def runtime(model_dir):
    config = RuntimeConfig(
        model_path=None, builtin_dir=model_dir, device="cpu", dtype="auto", steps=STEPS, size=SIZE
    )
    return get_runtime(config)


@pytest.fixture(scope="module")
def reference() -> Image.Image:
    # Non-square, with alpha: exercises the fit-to-square and RGB conversion.
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, size=(90, 140, 4), dtype=np.uint8)
    return Image.fromarray(pixels, mode="RGBA")


# -- the built-in model ----------------------------------------------------------------------


def test_built_model_loads_through_the_standard_from_pretrained(model_dir):
    from diffusers import AutoencoderKL, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextModel, CLIPTokenizer

    pipe = StableDiffusionPipeline.from_pretrained(model_dir, local_files_only=True)
    assert isinstance(pipe.unet, UNet2DConditionModel)
    assert isinstance(pipe.vae, AutoencoderKL)
    assert isinstance(pipe.text_encoder, CLIPTextModel)
    assert isinstance(pipe.tokenizer, CLIPTokenizer)
    assert pipe.safety_checker is None
    assert pipe.vae_scale_factor == 8  # 256x256 pixels <-> 32x32 latents, as in SD
    assert pipe.unet.config.sample_size == 32

    ids = pipe.tokenizer("Ünïcødé 東京 🙂, the portrait's glow\n\t!")["input_ids"]
    assert ids[0] == pipe.tokenizer.bos_token_id and ids[-1] == pipe.tokenizer.eos_token_id
    assert pipe.tokenizer.unk_token_id not in ids[1:-1]
    assert max(ids) < pipe.text_encoder.config.vocab_size

    marker = json.loads((model_dir / MARKER_FILENAME).read_text())
    assert marker == {"name": MODEL_NAME, "version": MODEL_VERSION, "addons": ADDONS_VERSION}
    size_on_disk = sum(p.stat().st_size for p in model_dir.rglob("*") if p.is_file())
    assert size_on_disk < 20 * 1024 * 1024


def test_builds_are_byte_identical(model_dir, tmp_path):
    again = build_default_model(tmp_path / "again")
    hashes = weight_hashes(model_dir)
    assert sorted(hashes) == [
        "ip_adapter/image_encoder/model.safetensors",  # the IP-Adapter's CLIP image encoder
        "ip_adapter/ip-adapter_rightscast.safetensors",  # its projection and to_k_ip/to_v_ip
        "motion_adapter/diffusion_pytorch_model.safetensors",  # the video variant's motion modules
        "text_encoder/model.safetensors",
        "unet/diffusion_pytorch_model.safetensors",
        "vae/diffusion_pytorch_model.safetensors",
        "vae_tiny/diffusion_pytorch_model.safetensors",  # the preview decoder
    ]
    assert weight_hashes(again) == hashes


def test_complete_model_is_not_rebuilt(model_dir):
    weights = model_dir / "unet" / "diffusion_pytorch_model.safetensors"
    before = weights.stat().st_mtime_ns
    assert build_default_model(model_dir) == model_dir
    assert weights.stat().st_mtime_ns == before


def test_a_build_from_before_the_add_ons_is_rebuilt(model_dir, tmp_path):
    path = tmp_path / "old"
    shutil.copytree(model_dir, path, ignore=shutil.ignore_patterns("ip_adapter", "vae_tiny", "motion_adapter"))
    (path / MARKER_FILENAME).write_text(json.dumps({"name": MODEL_NAME, "version": 1}))  # as it was written then
    build_default_model(path)
    assert weight_hashes(path) == weight_hashes(model_dir)


def test_folder_without_marker_is_rebuilt(model_dir, tmp_path):
    path = tmp_path / "half"
    shutil.copytree(model_dir, path)
    (path / MARKER_FILENAME).unlink()
    (path / "unet" / "diffusion_pytorch_model.safetensors").write_bytes(b"truncated")
    (tmp_path / ".half.tmp-crashed").mkdir()  # left over by a builder that died

    build_default_model(path)

    assert (path / MARKER_FILENAME).exists()
    assert weight_hashes(path) == weight_hashes(model_dir)
    assert not list(tmp_path.glob(".half.tmp-*"))


def test_refuses_to_replace_a_foreign_folder(tmp_path):
    path = tmp_path / "not-a-model"
    path.mkdir()
    (path / "notes.txt").write_text("mine")
    with pytest.raises(RuntimeError, match="refusing"):
        build_default_model(path)
    assert (path / "notes.txt").read_text() == "mine"


def test_concurrent_builders_do_not_corrupt_each_other(model_dir, tmp_path):
    path = tmp_path / "shared"
    results, errors = [], []

    def build():
        try:
            results.append(build_default_model(path))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == [path] * 3
    assert weight_hashes(path) == weight_hashes(model_dir)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".shared.tmp")] == []


# -- the runtime -----------------------------------------------------------------------------


def test_runtime_describes_itself(runtime, model_dir):
    assert runtime.model_name == MODEL_NAME
    assert runtime.is_development_model is True
    assert runtime.device == "cpu"
    same = get_runtime(
        RuntimeConfig(model_path=None, builtin_dir=model_dir, device="cpu", steps=STEPS, size=SIZE)
    )
    assert same is runtime  # loaded once per process, kept warm


def test_text_to_image(runtime):
    image = runtime.render(prompt="a portrait in warm light", seed=1, reference_images=[])
    assert image.mode == "RGB"
    assert image.size == (SIZE, SIZE)
    assert runtime.render(prompt="x", seed=1, reference_images=[], size=96).size == (96, 96)


def test_reference_images_condition_the_render(runtime, reference):
    image = runtime.render(prompt="a portrait", seed=1, reference_images=[reference])
    assert image.mode == "RGB"
    assert image.size == (SIZE, SIZE)
    text_only = runtime.render(prompt="a portrait", seed=1, reference_images=[])
    assert not np.array_equal(np.asarray(image), np.asarray(text_only))


@pytest.mark.parametrize("with_reference", [False, True])
def test_same_seed_same_pixels_other_seed_other_pixels(runtime, reference, with_reference):
    refs = [reference] if with_reference else []
    a = np.asarray(runtime.render(prompt="a portrait", seed=42, reference_images=refs))
    b = np.asarray(runtime.render(prompt="a portrait", seed=42, reference_images=refs))
    c = np.asarray(runtime.render(prompt="a portrait", seed=43, reference_images=refs))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("with_reference", [False, True])
def test_on_step_reports_every_step(runtime, reference, with_reference):
    calls = []
    runtime.render(
        prompt="a portrait",
        seed=3,
        reference_images=[reference] if with_reference else [],
        steps=4,
        on_step=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_cancellation_between_steps(runtime):
    calls = []
    with pytest.raises(GenerationCancelled):
        runtime.render(
            prompt="a portrait",
            seed=3,
            reference_images=[],
            steps=4,
            on_step=lambda done, total: calls.append(done),
            should_cancel=lambda: len(calls) >= 2,
        )
    assert calls == [1, 2]
    # The runtime is still usable afterwards.
    assert runtime.render(prompt="a portrait", seed=3, reference_images=[]).size == (SIZE, SIZE)


def test_cancellation_before_start(runtime):
    calls = []
    with pytest.raises(GenerationCancelled):
        runtime.render(
            prompt="a portrait",
            seed=3,
            reference_images=[],
            on_step=lambda *args: calls.append(args),
            should_cancel=lambda: True,
        )
    assert calls == []


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"prompt": ""}, "prompt"),
        ({"prompt": "   \n"}, "prompt"),
        ({"steps": 0}, "steps"),
        ({"steps": -2}, "steps"),
        ({"size": 60}, "multiple of 8"),
        ({"size": 0}, "multiple of 8"),
        ({"seed": -1}, "seed"),
        ({"reference_images": ["not an image"]}, "PIL"),
    ],
)
def test_bad_input_raises_value_error(runtime, overrides, message):
    kwargs = {"prompt": "a portrait", "seed": 1, "reference_images": []} | overrides
    with pytest.raises(ValueError, match=message):
        runtime.render(**kwargs)


@pytest.mark.parametrize(
    "overrides",
    [
        {"device": "gpu"},
        {"dtype": "float8"},
        {"strength": 0},
        {"strength": 1.5},
        {"size": 100},
        {"pipeline": "KandinskyPipeline"},
        {"scheduler": "NotAScheduler"},
        {"scheduler": "AutoencoderKL"},
        {"likeness": "faceswap"},
        {"attention": "flash"},
        {"channels_last": "yes"},
        {"compile": "max"},
        {"preview_every": -1},
        {"max_batch_size": 0},
        {"max_batch_pixels": -5},
        {"video_pipeline": "StableDiffusionPipeline"},
        {"video_frames": 0},
        {"video_fps": 0},
        {"video_size": 12},
        {"ip_adapter_scale": 3.0},
    ],
)
def test_bad_config_raises_value_error(tmp_path, overrides):
    with pytest.raises(ValueError):
        RuntimeConfig(**({"model_path": None, "builtin_dir": tmp_path} | overrides))


def test_configured_model_folder_loads_the_same_way(model_dir, tmp_path):
    # A "real" model folder: a diffusers SD folder that is not the built-in (no marker).
    folder = tmp_path / "my-sd-model"
    shutil.copytree(model_dir, folder)
    (folder / MARKER_FILENAME).unlink()
    runtime = get_runtime(
        RuntimeConfig(
            model_path=folder, builtin_dir=tmp_path / "unused", device="cpu", steps=2, size=SIZE
        )
    )
    assert runtime.model_name == "my-sd-model"
    assert runtime.is_development_model is False
    assert runtime.render(prompt="a portrait", seed=5, reference_images=[]).size == (SIZE, SIZE)
    assert not (tmp_path / "unused").exists()


def test_missing_model_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="model_index.json"):
        get_runtime(RuntimeConfig(model_path=tmp_path / "nope", builtin_dir=tmp_path, device="cpu"))
