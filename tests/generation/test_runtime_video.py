"""Video: the built-in model's AnimateDiff variant (its tiny motion adapter), frames to MP4 with
PyAV and back. Real pipelines and a real encoder/decoder, no mocks."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from PIL import Image

from generation.runtime import (
    GenerationCancelled,
    NoVideoModel,
    RuntimeConfig,
    get_runtime,
    mp4_codec,
    read_mp4,
    write_mp4,
)

SIZE = 64
FRAMES = 6


def config(model_path, builtin_dir, **overrides) -> RuntimeConfig:
    return RuntimeConfig(
        **{
            "model_path": model_path,
            "builtin_dir": builtin_dir,
            "device": "cpu",
            "steps": 2,
            "size": SIZE,
            "video_frames": FRAMES,
            "video_fps": 6,
        }
        | overrides
    )


@pytest.fixture(scope="module")
def rt(builtin_model):
    return get_runtime(config(None, builtin_model))


@pytest.fixture(scope="module")
def clip(rt) -> bytes:
    return rt.render_video(prompt="a portrait, turning", seed=5)


def reference(seed: int) -> Image.Image:
    return Image.fromarray(np.random.default_rng(seed).integers(0, 256, (70, 90, 3), dtype=np.uint8))


def test_mp4_round_trip(clip):
    codec, fps, frames = read_mp4(clip)
    assert clip[4:8] == b"ftyp" and clip.find(b"moov") < clip.find(b"mdat")  # MP4, index first (faststart)
    assert codec == {"libx264": "h264", "mpeg4": "mpeg4"}[mp4_codec()]
    assert fps == 6
    assert len(frames) == FRAMES
    assert all(f.size == (SIZE, SIZE) and f.mode == "RGB" for f in frames)
    assert np.asarray(frames[0]).std() > 1  # not a blank clip


def test_the_video_variant_is_animatediff_on_the_model_with_its_motion_adapter(rt, clip):
    from diffusers import AnimateDiffPipeline, MotionAdapter, UNetMotionModel

    video = rt._video
    assert video.class_name == "AnimateDiffPipeline" and isinstance(video.pipe, AnimateDiffPipeline)
    assert isinstance(video.pipe.unet, UNetMotionModel) and isinstance(video.pipe.motion_adapter, MotionAdapter)
    assert video.ip_adapter is not None  # the same IP-Adapter conditions video


def test_same_seed_same_frames_and_references_condition_video(rt, clip):
    again = rt.render_video_frames(prompt="a portrait, turning", seed=5)
    other = rt.render_video_frames(prompt="a portrait, turning", seed=6)
    liked = rt.render_video_frames(prompt="a portrait, turning", seed=5, reference_images=[reference(1)])
    assert len(again) == FRAMES and again[0].size == (SIZE, SIZE)
    assert rt.render_video(prompt="a portrait, turning", seed=5) == clip  # deterministic to the byte
    assert not np.array_equal(np.asarray(again[2]), np.asarray(other[2]))
    assert not np.array_equal(np.asarray(again[2]), np.asarray(liked[2]))


def test_video_progress_and_cancellation(rt):
    steps = []
    rt.render_video_frames(prompt="a portrait", seed=1, num_frames=2, on_step=lambda d, t: steps.append((d, t)))
    assert steps == [(1, 2), (2, 2)]
    with pytest.raises(GenerationCancelled):
        rt.render_video_frames(prompt="a portrait", seed=1, num_frames=2, should_cancel=lambda: True)
    seen = []
    with pytest.raises(GenerationCancelled):
        rt.render_video_frames(
            prompt="a portrait", seed=1, num_frames=2, steps=3, on_step=lambda d, t: seen.append(d), should_cancel=lambda: bool(seen)
        )
    assert seen == [1]


def test_bad_video_requests(rt):
    with pytest.raises(ValueError, match="at most 32"):
        rt.render_video_frames(prompt="a portrait", seed=1, num_frames=40)  # the motion model's limit
    with pytest.raises(ValueError, match="fps"):
        rt.render_video(prompt="a portrait", seed=1, fps=0)
    with pytest.raises(ValueError, match="prompt"):
        rt.render_video(prompt=" ", seed=1)


def test_video_to_video_fallback_without_an_adapter(builtin_model):
    from diffusers import AnimateDiffVideoToVideoPipeline

    rt = get_runtime(config(None, builtin_model, likeness="img2img"))
    a = rt.render_video_frames(prompt="a portrait", seed=3, num_frames=2, reference_images=[reference(1)])
    b = rt.render_video_frames(prompt="a portrait", seed=3, num_frames=2, reference_images=[reference(2)])
    assert isinstance(rt._video.fallback, AnimateDiffVideoToVideoPipeline)
    assert len(a) == 2 and not np.array_equal(np.asarray(a[0]), np.asarray(b[0]))


def test_a_model_without_a_video_variant(builtin_model, tmp_path):
    folder = tmp_path / "images-only"
    shutil.copytree(builtin_model, folder, ignore=shutil.ignore_patterns("motion_adapter"))
    rt = get_runtime(config(folder, tmp_path / "unused"))
    with pytest.raises(NoVideoModel, match="motion adapter"):
        rt.render_video(prompt="a portrait", seed=1)


def test_writer_falls_back_to_mpeg4_and_checks_its_input():
    frames = [Image.new("RGB", (48, 32), (i * 40, 20, 200 - i * 30)) for i in range(5)]
    codec, fps, decoded = read_mp4(write_mp4(frames, 10, codec="mpeg4"))
    assert codec == "mpeg4" and fps == 10 and len(decoded) == 5 and decoded[0].size == (48, 32)
    assert abs(int(np.asarray(decoded[4])[..., 2].mean()) - 80) < 12  # colours survive the codec
    with pytest.raises(ValueError, match="even"):
        write_mp4([Image.new("RGB", (33, 32))], 8)
    with pytest.raises(ValueError, match="same size|every frame"):
        write_mp4([Image.new("RGB", (32, 32)), Image.new("RGB", (64, 32))], 8)
    with pytest.raises(ValueError, match="at least one"):
        write_mp4([], 8)
