"""The keyed invisible watermark (generation.provenance.watermark): plain pytest, no database."""
from __future__ import annotations

import importlib.util
import io
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from generation.provenance import watermark
from generation.provenance.watermark import MARK_ID_BITS, embed, extract, new_mark_id

KEY = b"test-watermark-key-0123456789abcdef"


# --- test images -----------------------------------------------------------
def noise_image(w: int, h: int, seed: int = 0) -> Image.Image:
    return Image.fromarray(np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8))


def gradient_image(w: int, h: int) -> Image.Image:
    x = np.linspace(0.0, 1.0, w)[None, :]
    y = np.linspace(0.0, 1.0, h)[:, None]
    rgb = np.stack([255 * x * np.ones_like(y), 255 * y * np.ones_like(x), 127 + 100 * np.sin(6 * x + 4 * y)], axis=-1)
    return Image.fromarray(rgb.astype(np.uint8))


def natural_image(w: int, h: int, seed: int = 0) -> Image.Image:
    """Natural-looking content: 1/f noise, smooth shading, hard-edged shapes and text, softened."""
    rng = np.random.default_rng(seed)
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.fftfreq(w)[None, :]
    f = np.sqrt(fx * fx + fy * fy)
    f[0, 0] = 1.0
    channels = []
    for _ in range(3):
        spectrum = (rng.normal(size=(h, w)) + 1j * rng.normal(size=(h, w))) / f**1.1
        plane = np.real(np.fft.ifft2(spectrum))
        channels.append((plane - plane.mean()) / (plane.std() + 1e-9))
    img = np.stack(channels, axis=-1) * 40 + 120
    img = np.clip(img, 0, 255).astype(np.uint8).copy()
    for _ in range(12):
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        center = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        if rng.random() < 0.5:
            cv2.circle(img, center, int(rng.integers(5, max(6, w // 5))), color, -1, lineType=cv2.LINE_AA)
        else:
            other = (int(rng.integers(0, w)), int(rng.integers(0, h)))
            cv2.rectangle(img, center, other, color, -1)
    cv2.putText(img, "Rightscast", (w // 10, h // 2), cv2.FONT_HERSHEY_SIMPLEX, w / 400, (250, 250, 250), 2, cv2.LINE_AA)
    img = cv2.GaussianBlur(img, (3, 3), 0)
    return Image.fromarray(img)


def _photo(w: int) -> Image.Image | None:
    """A real photograph if scikit-image's sample data happens to be installed (it is optional)."""
    spec = importlib.util.find_spec("skimage")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "astronaut.png"
    if not path.is_file():
        return None
    img = Image.open(path).convert("RGB")
    return img.resize((w, w * img.height // img.width), Image.LANCZOS)


IMAGES = {
    "noise-256": lambda: noise_image(256, 256),
    "gradient-320x240": lambda: gradient_image(320, 240),
    "natural-512x384": lambda: natural_image(512, 384),
    "natural-128": lambda: natural_image(128, 128, seed=3),
    "black-200": lambda: Image.new("RGB", (200, 200), (0, 0, 0)),
    "white-300x200": lambda: Image.new("RGB", (300, 200), (255, 255, 255)),
}


@pytest.fixture(scope="module", params=sorted(IMAGES) + ["photo-512"])
def original(request) -> Image.Image:
    if request.param == "photo-512":
        photo = _photo(512)
        if photo is None:
            pytest.skip("no sample photograph installed")
        return photo
    return IMAGES[request.param]()


@pytest.fixture(scope="module")
def marked(original) -> tuple[Image.Image, int]:
    mark_id = new_mark_id()
    return embed(original, mark_id, KEY), mark_id


def reencode(image: Image.Image, fmt: str, **params) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **params)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out


def psnr(a: Image.Image, b: Image.Image) -> float:
    x = np.asarray(a.convert("RGB"), dtype=np.float64)
    y = np.asarray(b.convert("RGB"), dtype=np.float64)
    mse = np.mean((x - y) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)


# --- round trips -------------------------------------------------------------
def test_embed_returns_new_rgb_image_of_same_size(original, marked):
    out, _ = marked
    assert out is not original
    assert out.mode == "RGB"
    assert out.size == original.size


def test_png_round_trip(marked):
    out, mark_id = marked
    assert extract(reencode(out, "PNG"), KEY) == mark_id


@pytest.mark.parametrize("quality", [75, 50])
def test_jpeg_round_trip(marked, quality):
    out, mark_id = marked
    assert extract(reencode(out, "JPEG", quality=quality), KEY) == mark_id


def test_psnr_at_least_38_db(original, marked):
    out, _ = marked
    assert psnr(original, out) >= 38.0


def test_wrong_key_reads_none(marked):
    out, _ = marked
    assert extract(out, b"some-other-key") is None


def test_unmarked_original_reads_none(original):
    assert extract(original, KEY) is None


@pytest.mark.parametrize("size", [(128, 128), (200, 150), (2048, 2048), (1920, 1080)])
def test_sizes_from_128_to_2048(size):
    img = natural_image(*size, seed=size[0])
    mark_id = (1 << MARK_ID_BITS) - 1 - size[0]
    out = embed(img, mark_id, KEY)
    assert psnr(img, out) >= 38.0
    assert extract(reencode(out, "PNG"), KEY) == mark_id
    assert extract(reencode(out, "JPEG", quality=50), KEY) == mark_id


def test_extreme_ids_and_input_modes():
    img = natural_image(256, 256, seed=7)
    for mark_id in (0, 1, (1 << MARK_ID_BITS) - 1):
        assert extract(embed(img, mark_id, KEY), KEY) == mark_id
    for mode in ("L", "RGBA", "P"):
        out = embed(img.convert(mode), 12345, KEY)
        assert out.mode == "RGB"
        assert extract(out, KEY) == 12345


def test_embedding_is_deterministic_and_leaves_input_alone():
    img = natural_image(256, 192, seed=9)
    before = np.asarray(img).copy()
    a = embed(img, 42, KEY)
    b = embed(img, 42, KEY)
    assert np.array_equal(np.asarray(img), before)
    assert np.array_equal(np.asarray(a), np.asarray(b))


def test_remarking_with_another_key_does_not_confuse_the_first_key():
    img = natural_image(256, 256, seed=11)
    other = embed(img, 777, b"another key")
    assert extract(other, b"another key") == 777
    assert extract(other, KEY) is None


def test_no_false_positives_on_200_unmarked_images():
    rng = np.random.default_rng(1234)
    hits = []
    for i in range(200):
        w, h = (int(v) for v in rng.integers(128, 400, 2))
        kind = i % 4
        if kind == 0:
            img = noise_image(w, h, seed=i)
        elif kind == 1:
            img = gradient_image(w, h)
        elif kind == 2:
            img = natural_image(w, h, seed=i)
        else:  # marked under a different key
            img = embed(natural_image(w, h, seed=i), int(rng.integers(0, 1 << MARK_ID_BITS)), b"not-the-key-%d" % i)
        if extract(img, KEY) is not None:
            hits.append(i)
    assert hits == []


# --- speed ---------------------------------------------------------------------
def test_embed_and_extract_1024_is_fast():
    img = natural_image(1024, 1024, seed=5)
    embed(img, 1, KEY)  # warm the keyed layout cache
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        out = embed(img, 99, KEY)
        found = extract(out, KEY)
        best = min(best, time.perf_counter() - start)
        assert found == 99
    assert best < 0.5


# --- errors --------------------------------------------------------------------
@pytest.mark.parametrize("bad", [-1, 1 << MARK_ID_BITS, 1 << 63])
def test_mark_id_out_of_range(bad):
    with pytest.raises(ValueError, match="mark_id"):
        embed(natural_image(128, 128), bad, KEY)


@pytest.mark.parametrize("bad", ["5", 5.0, None, True])
def test_mark_id_must_be_an_int(bad):
    with pytest.raises(TypeError, match="mark_id"):
        embed(natural_image(128, 128), bad, KEY)


@pytest.mark.parametrize("size", [(127, 300), (300, 64), (16, 16)])
def test_image_too_small(size):
    with pytest.raises(ValueError, match="at least 128x128"):
        embed(Image.new("RGB", size), 1, KEY)
    assert extract(Image.new("RGB", size), KEY) is None


def test_empty_key_rejected():
    with pytest.raises(ValueError, match="key"):
        embed(natural_image(128, 128), 1, b"")
    with pytest.raises(ValueError, match="key"):
        extract(natural_image(128, 128), b"")


def test_new_mark_id_range():
    ids = {new_mark_id() for _ in range(1000)}
    assert all(0 <= i < (1 << MARK_ID_BITS) for i in ids)
    assert len(ids) == 1000
    assert watermark.MARK_ID_BITS == 40
