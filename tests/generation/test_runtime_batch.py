"""Micro-batching: compatible requests share one pipeline call, each with its own seed, and come
out as they would alone; out of memory halves the call and retries. Real (tiny) pipelines; the
out-of-memory paths are provoked by the configured memory budget and by a real subclass of the
runtime standing in for a smaller GPU, never by patching diffusers or torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from generation.runtime import GenerationCancelled, RenderRequest, Runtime, RuntimeConfig, get_runtime

SIZE = 64
STEPS = 3


def config(builtin_dir, **overrides) -> RuntimeConfig:
    return RuntimeConfig(
        **{"model_path": None, "builtin_dir": builtin_dir, "device": "cpu", "steps": STEPS, "size": SIZE} | overrides
    )


def noise(seed: int) -> Image.Image:
    return Image.fromarray(np.random.default_rng(seed).integers(0, 256, (64, 80, 3), dtype=np.uint8))


def assert_same(a: Image.Image, b: Image.Image) -> None:
    # Batched matrix products may round differently from single ones: allow a step of 2 levels.
    assert np.abs(np.asarray(a).astype(np.int16) - np.asarray(b).astype(np.int16)).max() <= 2


@pytest.fixture(scope="module")
def rt(builtin_model):
    return get_runtime(config(builtin_model))


@pytest.fixture(scope="module")
def requests() -> list[RenderRequest]:
    return [
        RenderRequest(prompt="a portrait in warm light", seed=11),
        RenderRequest(prompt="a portrait at night", seed=12),
        RenderRequest(prompt="a portrait in warm light", seed=13),
    ]


@pytest.fixture(scope="module")
def singles(rt, requests) -> list[Image.Image]:
    return [rt.render(prompt=r.prompt, seed=r.seed, reference_images=[]) for r in requests]


def test_a_batch_of_three_is_one_call_and_equals_the_singles(rt, requests, singles):
    before = rt.stats_snapshot()
    batch = rt.render_batch(requests)
    after = rt.stats_snapshot()
    assert after.pipeline_calls - before.pipeline_calls == 1 and after.images - before.images == 3
    for a, b in zip(batch, singles, strict=True):
        assert_same(a, b)
    assert not np.array_equal(np.asarray(batch[0]), np.asarray(batch[2]))  # same prompt, own seed


def test_each_request_keeps_its_own_likeness_in_a_batch(rt):
    reqs = [RenderRequest(prompt="a portrait", seed=5, reference_images=[noise(i)]) for i in (1, 2, 3)]
    singles = [rt.render(prompt="a portrait", seed=5, reference_images=[noise(i)]) for i in (1, 2, 3)]
    batch = rt.render_batch(reqs)
    for a, b in zip(batch, singles, strict=True):
        assert_same(a, b)
    assert not np.array_equal(np.asarray(batch[0]), np.asarray(batch[1]))  # same seed, other face


def test_img2img_batches_too(builtin_model):
    rt = get_runtime(config(builtin_model, likeness="img2img"))
    reqs = [RenderRequest(prompt="a portrait", seed=s, reference_images=[noise(s)]) for s in (1, 2, 3)]
    singles = [rt.render(prompt="a portrait", seed=s, reference_images=[noise(s)]) for s in (1, 2, 3)]
    for a, b in zip(rt.render_batch(reqs), singles, strict=True):
        assert_same(a, b)


def test_incompatible_requests_are_grouped_and_results_keep_their_order(rt, requests, singles):
    mixed = [
        requests[0],
        RenderRequest(prompt="a portrait", seed=5, reference_images=[noise(1)]),
        requests[1],
        RenderRequest(prompt="a portrait", seed=5, size=SIZE + 16),
        RenderRequest(prompt="a portrait", seed=5, reference_images=[noise(1)], steps=2),
    ]
    keys = {rt.batch_key(r) for r in mixed}
    assert len(keys) == 4  # text; ip_adapter with one reference; another size; other steps
    before = rt.stats_snapshot().pipeline_calls
    out = rt.render_batch(mixed)
    assert rt.stats_snapshot().pipeline_calls - before == 4
    assert_same(out[0], singles[0]) and assert_same(out[2], singles[1])
    assert out[3].size == (SIZE + 16, SIZE + 16)


def test_max_batch_size_splits_calls(builtin_model):
    rt = get_runtime(config(builtin_model, max_batch_size=2))
    before = rt.stats_snapshot().pipeline_calls
    out = rt.render_batch([RenderRequest(prompt="a portrait", seed=s) for s in range(5)])
    assert len(out) == 5 and rt.stats_snapshot().pipeline_calls - before == 3


def test_out_of_memory_halves_the_batch_and_retries(builtin_model, requests, singles):
    # A memory budget of two 64×64 images per call: a call of three is refused with the
    # OutOfMemoryError that CUDA's allocator raises, before it reaches the device; it is halved
    # (3 → 2) and retried, and the rest follows.
    rt = Runtime(config(builtin_model, max_batch_pixels=2 * SIZE * SIZE))
    out = rt.render_batch(requests)
    for a, b in zip(out, singles, strict=True):
        assert_same(a, b)
    stats = rt.stats_snapshot()
    assert stats.oom_halvings == 1 and stats.images == 3
    assert stats.pipeline_calls == 2  # 2 + 1 (the refused call of 3 never ran)
    # The halved size is remembered: the next batch of this kind starts at it, without failing.
    rt.render_batch(requests)
    assert rt.stats_snapshot().oom_halvings == 1 and rt.stats_snapshot().pipeline_calls == 4


def test_a_single_request_over_the_budget_fails_with_out_of_memory(builtin_model):
    rt = Runtime(config(builtin_model, max_batch_pixels=SIZE * SIZE - 1))
    with pytest.raises(torch.OutOfMemoryError, match="max_batch_pixels"):
        rt.render(prompt="a portrait", seed=1, reference_images=[])


class OneAtATimeDevice(Runtime):
    """A runtime on a device that has memory for one image per call: bigger calls fail the way
    cuDNN/cuBLAS do, with a RuntimeError saying "out of memory", after the real pipeline ran."""

    def _call_image(self, chunk, *args, **kwargs):
        images = super()._call_image(chunk, *args, **kwargs)
        if len(chunk) > 1:
            raise RuntimeError("CUDA error: out of memory (simulated device with room for one image)")
        return images


class BrokenDevice(Runtime):
    def _call_image(self, chunk, *args, **kwargs):
        raise RuntimeError("CUDA error: an illegal memory access was encountered")


def test_runtime_error_saying_out_of_memory_halves_down_to_one(builtin_model, requests, singles):
    rt = OneAtATimeDevice(config(builtin_model))
    out = rt.render_batch(requests)
    for a, b in zip(out, singles, strict=True):
        assert_same(a, b)
    stats = rt.stats_snapshot()
    assert stats.oom_halvings == 2  # 3 → 2 → 1, then one at a time
    assert stats.pipeline_calls == 5 and stats.images == 3  # the failed 3 and 2, then 1 + 1 + 1


def test_other_errors_are_not_retried(builtin_model, requests):
    rt = BrokenDevice(config(builtin_model))
    with pytest.raises(RuntimeError, match="illegal memory access"):
        rt.render_batch(requests)
    assert rt.stats_snapshot().oom_halvings == 0


def test_progress_per_batch_and_per_request(rt, requests):
    batch_steps, own = [], {i: [] for i in range(3)}
    reqs = [
        RenderRequest(prompt=r.prompt, seed=r.seed, on_step=lambda d, t, i=i: own[i].append((d, t)))
        for i, r in enumerate(requests)
    ]
    rt.render_batch(reqs, on_step=lambda d, t: batch_steps.append((d, t)))
    assert batch_steps == [(1, STEPS), (2, STEPS), (3, STEPS)]
    assert all(own[i] == batch_steps for i in range(3))


def test_cancelling_one_request_keeps_the_others(rt, requests, singles):
    steps = []
    reqs = [
        RenderRequest(prompt=requests[0].prompt, seed=requests[0].seed),
        RenderRequest(prompt=requests[1].prompt, seed=requests[1].seed, should_cancel=lambda: len(steps) >= 1),
        RenderRequest(prompt=requests[2].prompt, seed=requests[2].seed),
    ]
    out = rt.render_batch(reqs, on_step=lambda d, t: steps.append(d))
    assert out[1] is None
    assert_same(out[0], singles[0]) and assert_same(out[2], singles[2])
    assert steps == [1, 2, 3]  # the others finished


def test_cancelling_every_request_stops_the_call(rt, requests):
    steps = []
    reqs = [RenderRequest(prompt=r.prompt, seed=r.seed, should_cancel=lambda: len(steps) >= 1) for r in requests]
    assert rt.render_batch(reqs, on_step=lambda d, t: steps.append(d)) == [None, None, None]
    assert steps == [1]
    already = [RenderRequest(prompt="a portrait", seed=1, should_cancel=lambda: True)]
    before = rt.stats_snapshot().pipeline_calls
    assert rt.render_batch(already) == [None] and rt.stats_snapshot().pipeline_calls == before  # never started


def test_cancelling_the_batch(rt, requests):
    steps = []
    with pytest.raises(GenerationCancelled):
        rt.render_batch(requests, on_step=lambda d, t: steps.append(d), should_cancel=lambda: len(steps) >= 2)
    assert steps == [1, 2]


def test_a_bad_request_is_named(rt):
    with pytest.raises(ValueError, match=r"requests\[1\]: prompt"):
        rt.render_batch([RenderRequest(prompt="ok", seed=1), RenderRequest(prompt="", seed=1)])
    with pytest.raises(ValueError, match="RenderRequest"):
        rt.render_batch(["a portrait"])


def test_guidance_and_several_references_per_request(builtin_model):
    # Classifier-free guidance doubles each call (negative image embeddings first); two references
    # per request give 8 image tokens each. Still one call, still each request's own images.
    rt = get_runtime(config(builtin_model, guidance_scale=3.0, steps=2))
    reqs = [RenderRequest(prompt=p, seed=5, reference_images=[noise(i), noise(i + 10)]) for i, p in ((1, "a"), (2, "b"))]
    singles = [rt.render_batch([r])[0] for r in reqs]
    for a, b in zip(rt.render_batch(reqs), singles, strict=True):
        assert_same(a, b)
