"""The identity-preserving likeness path: an IP-Adapter FaceID (h94/IP-Adapter-FaceID layout)
conditioned on a face-identity embedding instead of CLIP image features, so the output keeps the
person rather than the photograph's general look.

diffusers loads the adapter with ``load_ip_adapter(..., image_encoder_folder=None)`` (no CLIP image
encoder) and takes the embeddings as ``ip_adapter_image_embeds`` (one tensor per adapter,
``[batch, images, dim]``, the zero negatives first under guidance). The embedding comes from a face
embedder:

* :class:`OnnxFaceEmbedder`: a face-recognition network exported to ONNX (an ArcFace / SFace-style
  model, 112×112 RGB in, one vector out) run with OpenCV's DNN module. This is what a deployment
  configures (``face_embedder_path``): the FaceID adapters were trained on ArcFace embeddings, so
  identity is preserved only with a real recognition model whose dimension matches the adapter.
* :class:`CropDescriptor`: the offline development embedder. The largest frontal face (OpenCV's
  bundled Haar cascade) is cropped, equalised and reduced to 32×32, and a fixed seeded random
  projection maps it to ``dim`` values (cosine similarity of crops is roughly preserved). It is NOT
  an identity model: the same photograph or a near copy scores high, the same person in other light,
  pose or age need not, and different people in similar crops can score high. It exists so that the
  plumbing (detection, embedding, the adapter, the measurement) runs and is tested on a CPU.

:func:`likeness_similarity` is the measurement: the cosine between the reference faces' mean
embedding and the output's face embedding (or ``None`` when no face is found in the output).
:func:`build_tiny_faceid_adapter` writes a random-weight FaceID adapter for a UNet folder (as the
built-in model carries a tiny plain IP-Adapter), loaded by diffusers like a real checkpoint.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np
from PIL import Image

FACE_ID_DIM = 512  # ArcFace's, and the FaceID adapters'
TOKENS = 4  # diffusers' FaceID attention processors take 4 image tokens
MARKER = "rightscast-tiny-faceid.json"
WEIGHTS = "ip-adapter-faceid_rightscast.safetensors"


class FaceEmbedder(Protocol):
    dim: int

    def embed(self, image: Image.Image) -> np.ndarray | None:
        """A unit vector for the largest face in ``image``, or None when no face is found."""


@lru_cache(maxsize=1)
def _cascade():
    import cv2

    return cv2.CascadeClassifier(str(Path(cv2.data.haarcascades) / "haarcascade_frontalface_default.xml"))


def face_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """(x, y, w, h) of the largest frontal face, or None."""
    import cv2

    grey = np.asarray(image.convert("L"))
    side = max(grey.shape)
    min_size = max(24, side // 12)
    faces = _cascade().detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=(min_size, min_size))
    if len(faces) == 0:
        faces = _cascade().detectMultiScale(cv2.equalizeHist(grey), scaleFactor=1.1, minNeighbors=3, minSize=(min_size, min_size))
    if len(faces) == 0:
        return None
    x, y, w, h = max(faces, key=lambda f: int(f[2]) * int(f[3]))
    return int(x), int(y), int(w), int(h)


def face_crop(image: Image.Image, *, margin: float = 0.15) -> Image.Image | None:
    box = face_box(image)
    if box is None:
        return None
    x, y, w, h = box
    m = int(max(w, h) * margin)
    return image.convert("RGB").crop((max(0, x - m), max(0, y - m), min(image.width, x + w + m), min(image.height, y + h + m)))


@dataclass
class CropDescriptor:
    """The development embedder (see the module's note: not an identity model)."""

    dim: int = FACE_ID_DIM
    side: int = 32
    seed: int = 20261128

    def __post_init__(self):
        rng = np.random.default_rng(self.seed)
        self._projection = rng.standard_normal((self.dim, self.side * self.side)).astype(np.float32) / np.sqrt(self.dim)

    def embed(self, image: Image.Image) -> np.ndarray | None:
        import cv2

        crop = face_crop(image)
        if crop is None:
            return None
        grey = cv2.equalizeHist(np.asarray(crop.convert("L").resize((self.side, self.side), Image.Resampling.BOX)))
        x = grey.astype(np.float32).ravel()
        x = (x - x.mean()) / (x.std() + 1e-6)
        v = self._projection @ x
        return v / (np.linalg.norm(v) + 1e-12)


class OnnxFaceEmbedder:
    """A face-recognition ONNX network (ArcFace-style: 112×112 RGB, (x − 127.5) / 128) via OpenCV."""

    def __init__(self, path: Path, *, input_size: int = 112):
        import cv2

        if not Path(path).is_file():
            raise FileNotFoundError(f"no face embedder model at {path}")
        self.net = cv2.dnn.readNetFromONNX(str(path))
        self.input_size = input_size
        probe = self._forward(np.zeros((input_size, input_size, 3), dtype=np.uint8))
        self.dim = int(probe.size)

    def _forward(self, rgb: np.ndarray) -> np.ndarray:
        import cv2

        blob = cv2.dnn.blobFromImage(rgb, scalefactor=1 / 128.0, size=(self.input_size, self.input_size), mean=(127.5, 127.5, 127.5), swapRB=False)
        self.net.setInput(blob)
        return np.asarray(self.net.forward(), dtype=np.float32).ravel()

    def embed(self, image: Image.Image) -> np.ndarray | None:
        crop = face_crop(image, margin=0.0)
        if crop is None:
            return None
        v = self._forward(np.asarray(crop.resize((self.input_size, self.input_size), Image.Resampling.BICUBIC)))
        return v / (np.linalg.norm(v) + 1e-12)


def embedder_for(path: Path | None, *, dim: int = FACE_ID_DIM) -> FaceEmbedder:
    """The configured ONNX embedder, or the development descriptor of the adapter's dimension."""
    if path is None:
        return CropDescriptor(dim=dim)
    embedder = OnnxFaceEmbedder(path)
    if embedder.dim != dim:
        raise ValueError(f"the face embedder at {path} gives {embedder.dim} values; the FaceID adapter takes {dim}")
    return embedder


def identity_embedding(images: Sequence[Image.Image], embedder: FaceEmbedder) -> np.ndarray | None:
    """The mean (renormalised) embedding of the faces found in ``images``; None if none has one."""
    found = [v for v in (embedder.embed(img) for img in images) if v is not None]
    if not found:
        return None
    mean = np.mean(found, axis=0)
    return mean / (np.linalg.norm(mean) + 1e-12)


@dataclass(frozen=True)
class Similarity:
    cosine: float | None  # None: no face found in the output (or in the references)
    reference_faces: int
    output_face: bool


def likeness_similarity(references: Sequence[Image.Image], output: Image.Image, embedder: FaceEmbedder) -> Similarity:
    """Cosine between the references' mean face embedding and the output's face embedding."""
    ref = identity_embedding(references, embedder)
    out = embedder.embed(output)
    n_refs = sum(1 for img in references if face_box(img) is not None)
    if ref is None or out is None:
        return Similarity(None, n_refs, out is not None)
    return Similarity(float(np.dot(ref, out)), n_refs, True)


def faceid_state_dict(unet, *, id_dim: int = FACE_ID_DIM, mult: int = 1, seed: int = 0) -> dict:
    """A FaceID adapter for ``unet`` in the original checkpoint layout ``load_ip_adapter`` reads:
    ``image_proj.proj.0`` / ``proj.2`` (the MLP: identity embedding → 4 context tokens), ``norm``,
    and ``ip_adapter.<n>.to_k_ip`` / ``to_v_ip`` numbered 1, 3, 5, … over the cross-attention
    processors. Random weights, scaled like trained layers'."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    cross = unet.config.cross_attention_dim
    blocks = list(unet.config.block_out_channels)
    hidden_mlp = id_dim * mult
    state = {
        "image_proj.proj.0.weight": torch.randn(hidden_mlp, id_dim, generator=gen) / id_dim**0.5,
        "image_proj.proj.0.bias": torch.zeros(hidden_mlp),
        "image_proj.proj.2.weight": torch.randn(cross * TOKENS, hidden_mlp, generator=gen) / hidden_mlp**0.5,
        "image_proj.proj.2.bias": torch.zeros(cross * TOKENS),
        "image_proj.norm.weight": torch.ones(cross),
        "image_proj.norm.bias": torch.zeros(cross),
    }
    key = 1
    for name in unet.attn_processors:
        if name.endswith("attn1.processor"):
            continue
        if name.startswith("mid_block"):
            hidden = blocks[-1]
        elif name.startswith("up_blocks"):
            hidden = list(reversed(blocks))[int(name[len("up_blocks.")])]
        else:
            hidden = blocks[int(name[len("down_blocks.")])]
        state[f"ip_adapter.{key}.to_k_ip.weight"] = torch.randn(hidden, cross, generator=gen) * (2.0 / cross**0.5)
        state[f"ip_adapter.{key}.to_v_ip.weight"] = torch.randn(hidden, cross, generator=gen) * (2.0 / cross**0.5)
        key += 2
    return state


def build_tiny_faceid_adapter(folder: Path, model_path: Path, *, seed: int = 0) -> Path:
    """A random-weight FaceID adapter for the UNet of the diffusers folder ``model_path``, written
    to ``folder/<WEIGHTS>`` (built once; a marker says for which model)."""
    import torch
    from diffusers import UNet2DConditionModel
    from safetensors.torch import save_file

    folder = Path(folder)
    marker = folder / MARKER
    if marker.is_file() and (folder / WEIGHTS).is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    unet = UNet2DConditionModel.from_pretrained(str(Path(model_path) / "unet"), local_files_only=True)
    state = faceid_state_dict(unet, seed=seed)
    dtype = next(unet.parameters()).dtype
    save_file({k: v.to(dtype=dtype if v.is_floating_point() else v.dtype).contiguous() for k, v in state.items()},
              str(folder / WEIGHTS), metadata={"format": "pt"})
    del torch  # imported for the tensors' sake only
    marker.write_text(json.dumps({"kind": "ip-adapter-faceid", "random_weights": True, "id_dim": FACE_ID_DIM, "model": str(model_path), "seed": seed}))
    return folder
