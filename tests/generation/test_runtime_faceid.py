"""The identity-preserving likeness path: a tiny random-weight IP-Adapter FaceID for the built-in
model, loaded by diffusers without an image encoder and fed face-identity embeddings; the face
embedder and the likeness-similarity measurement on real photographs and on the development
model's output. (Random weights: the figures test the plumbing, not identity preservation.)"""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageOps

from generation.runtime import RenderRequest, RuntimeConfig, faceid, get_runtime
from tests.factories import face_png

SIZE = 64


def face(size: int = 256) -> Image.Image:
    return Image.open(io.BytesIO(face_png(size))).convert("RGB")


def noise(seed: int, size: int = 128) -> Image.Image:
    return Image.fromarray(np.random.default_rng(seed).integers(0, 256, (size, size, 3), dtype=np.uint8))


def one(rt, request: RenderRequest) -> Image.Image:
    return rt.render_batch([request])[0]


@pytest.fixture(scope="module")
def faceid_folder(builtin_model, tmp_path_factory):
    return faceid.build_tiny_faceid_adapter(tmp_path_factory.mktemp("faceid") / "adapter", builtin_model)


@pytest.fixture(scope="module")
def rt(builtin_model, faceid_folder):
    return get_runtime(RuntimeConfig(model_path=None, builtin_dir=builtin_model, device="cpu", steps=2, size=SIZE,
                                     likeness="faceid", faceid_adapter_path=faceid_folder, ip_adapter_scale=1.0))


def test_the_faceid_adapter_loads_without_an_image_encoder_and_takes_identity_embeddings(rt):
    from diffusers.models.embeddings import IPAdapterFaceIDImageProjection

    assert rt.likeness_mode == "faceid"
    layer = rt._image.pipe.unet.encoder_hid_proj.image_projection_layers[0]
    assert isinstance(layer, IPAdapterFaceIDImageProjection) and layer.ff.net[0].proj.in_features == faceid.FACE_ID_DIM
    assert isinstance(rt.face_embedder, faceid.CropDescriptor)
    kwargs = rt._ip_adapter_kwargs(rt._image.pipe, [[face()]], 1)
    (embeds,) = kwargs["ip_adapter_image_embeds"]
    assert tuple(embeds.shape) == (1, 1, faceid.FACE_ID_DIM)
    expected = faceid.identity_embedding([face()], rt.face_embedder)
    assert np.allclose(embeds[0, 0].numpy(), expected, atol=1e-6)


def test_the_face_conditions_the_render_and_is_deterministic(rt):
    text = one(rt, RenderRequest(prompt="a portrait", seed=7))
    with_face = one(rt, RenderRequest(prompt="a portrait", seed=7, reference_images=[face()]))
    again = one(rt, RenderRequest(prompt="a portrait", seed=7, reference_images=[face()]))
    mirrored = one(rt, RenderRequest(prompt="a portrait", seed=7, reference_images=[ImageOps.mirror(face()).rotate(20)]))
    a, b, c, d = (np.asarray(x).astype(np.int16) for x in (text, with_face, again, mirrored))
    assert a.shape == b.shape == (SIZE, SIZE, 3)
    assert np.abs(a - b).mean() > 1.0  # the identity embedding reached the UNet
    assert np.array_equal(b, c)
    assert np.abs(b - d).mean() > 0.0  # another crop: another embedding, another picture
    # references without a face condition like text (a zero identity)
    no_face = one(rt, RenderRequest(prompt="a portrait", seed=7, reference_images=[noise(1)]))
    assert np.abs(np.asarray(no_face).astype(np.int16) - b).mean() > 1.0


def test_a_configured_faceid_folder_that_is_missing_is_a_clear_error(builtin_model, tmp_path):
    with pytest.raises(FileNotFoundError, match="faceid_adapter_path"):
        get_runtime(RuntimeConfig(model_path=None, builtin_dir=builtin_model, device="cpu", steps=1, size=SIZE, likeness="faceid"))
    with pytest.raises(FileNotFoundError):
        get_runtime(RuntimeConfig(model_path=None, builtin_dir=builtin_model, device="cpu", steps=1, size=SIZE, likeness="faceid",
                                  faceid_adapter_path=tmp_path / "nowhere"))


def test_the_similarity_measurement_on_photographs_and_on_the_development_model(rt):
    """What the development embedder's cosine says (and does not): the same photo ≈ 1, an edited
    copy high, a different crop lower, no face → None. On the random-weight model's output no
    face is found (its VAE is random), so the figure there is None; a face placed in its output is
    found and measured."""
    emb = rt.face_embedder
    ref = face()
    same = faceid.likeness_similarity([ref], ref, emb)
    assert same.cosine == pytest.approx(1.0, abs=1e-5) and same.reference_faces == 1
    brighter = faceid.likeness_similarity([ref], ImageEnhance.Brightness(ref).enhance(1.3).resize((200, 200)), emb)
    assert brighter.cosine > 0.6  # 0.80 measured: the detector's box moves a little
    other = faceid.likeness_similarity([ref], ImageOps.mirror(ref), emb)
    assert other.cosine < brighter.cosine  # a mirrored crop is "another face" to a pixel descriptor
    assert faceid.likeness_similarity([ref], noise(2), emb) == faceid.Similarity(None, 1, False)
    text_only = one(rt, RenderRequest(prompt="a portrait", seed=3, size=128))
    on_output = faceid.likeness_similarity([ref], text_only, emb)
    assert on_output.output_face is False and on_output.cosine is None  # random weights draw no face
    # The random-weight model's VAE decodes noise: no output of it holds a face, even a light remix
    # of the reference, so likeness there is undefined (None), never a made-up number.
    remix = one(rt, RenderRequest(prompt="a portrait", seed=3, size=256, init_image=ref, strength=0.05, reference_images=[ref]))
    assert faceid.likeness_similarity([ref], remix, emb).cosine is None
    # The measurement on an output that holds the face (the reference pasted into the model's
    # canvas, standing in for a trained model that drew it): found, and high.
    canvas = remix.copy()
    canvas.paste(ref.resize((160, 160)), (48, 40))
    pasted = faceid.likeness_similarity([ref], canvas, emb)
    assert pasted.output_face and pasted.cosine > 0.6
    print(f"faceid dev-model likeness cosine: same={same.cosine:.3f} brighter={brighter.cosine:.3f} "
          f"mirrored={other.cosine:.3f} text-only-output={on_output.cosine} remix@0.05={None} face-in-output={pasted.cosine:.3f}")
