"""A remix starts from its parent's pixels: image-to-image on the same modules (the adapter's too)
with the strength the creator set; a clip remix starts from the parent clip's frames."""
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from generation.runtime import RenderRequest, RuntimeConfig, get_runtime


@pytest.fixture(scope="module")
def rt(builtin_model):
    return get_runtime(RuntimeConfig(model_path=None, builtin_dir=Path(builtin_model), device="cpu", steps=4, size=64, video_frames=4))


def _dist(a, b) -> float:
    return float(np.abs(np.asarray(a, dtype=np.float32) - np.asarray(b, dtype=np.float32)).mean())


def test_a_remix_stays_close_to_its_parent_as_far_as_the_strength_says(rt):
    parent = Image.new("RGB", (64, 64), (250, 20, 20))
    fresh = rt.render(prompt="a poster", seed=9, reference_images=[])
    light = rt.render_batch([RenderRequest(prompt="a poster", seed=9, init_image=parent, strength=0.2)])[0]
    heavy = rt.render_batch([RenderRequest(prompt="a poster", seed=9, init_image=parent, strength=1.0)])[0]
    assert light.size == (64, 64)
    assert _dist(light, parent) < _dist(fresh, parent)  # the parent's pixels reached the pipeline
    assert _dist(light, parent) < _dist(heavy, parent)  # more strength, further from the parent
    again = rt.render_batch([RenderRequest(prompt="a poster", seed=9, init_image=parent, strength=0.2)])[0]
    assert np.array_equal(np.asarray(light), np.asarray(again))


def test_a_remix_can_add_a_likeness_through_the_adapter_and_batches_by_strength(rt):
    assert rt.likeness_mode == "ip_adapter"
    parent = Image.new("RGB", (64, 64), (20, 20, 250))
    face = Image.new("RGB", (64, 64), (200, 160, 120))
    requests = [
        RenderRequest(prompt="next to the character", seed=1, init_image=parent, strength=0.5, reference_images=[face]),
        RenderRequest(prompt="next to the character", seed=2, init_image=parent, strength=0.5, reference_images=[face]),
        RenderRequest(prompt="next to the character", seed=3, init_image=parent, strength=0.8, reference_images=[face]),
    ]
    keys = {rt.batch_key(r) for r in requests}
    assert len(keys) == 2  # one call per strength
    images = rt.render_batch(requests)
    assert all(i is not None and i.size == (64, 64) for i in images)


def test_bad_remix_input_is_refused(rt):
    with pytest.raises(ValueError):
        RenderRequest(prompt="x", seed=1, init_image=Image.new("RGB", (8, 8)), strength=0)
    with pytest.raises(ValueError):
        RenderRequest(prompt="x", seed=1, strength=1.5)
    with pytest.raises(ValueError, match="PIL"):
        rt.render_batch([RenderRequest(prompt="x", seed=1, init_image=b"not an image")])


def test_a_clip_remix_starts_from_the_parent_frames(rt):
    parent = [Image.new("RGB", (64, 64), (250, 250, 20)) for _ in range(4)]
    fresh = rt.render_video_frames(prompt="dance", seed=4, num_frames=4)
    remix = rt.render_video_frames(prompt="dance", seed=4, num_frames=4, init_frames=parent, strength=0.2)
    assert len(remix) == 4
    assert np.mean([_dist(f, parent[0]) for f in remix]) < np.mean([_dist(f, parent[0]) for f in fresh])
