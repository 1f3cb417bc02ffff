"""The keyed invisible watermark (generation.provenance.watermark): plain pytest, no database.

Every attack of the benchmark (benchmarks/watermark.py) at a smaller scale, video round trips,
the false-mark bound, speed and argument checks."""
from __future__ import annotations

import importlib.util
import io
import math
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageEnhance

from benchmarks.videoclips import edit_clip, encode_frames, pan_frames
from generation.provenance import watermark
from generation.provenance.watermark import MARK_ID_MAX, MARK_ID_MIN, embed, extract, new_mark_id
from generation.provenance.watermark.codes import _CODED_BITS, _codeword_bits, _conv_encode, _decode
from generation.provenance.watermark.keys import _check_key
from generation.provenance.watermark.layout import _layout, _mirrored_layout
from generation.provenance.watermark.params import _BLOCKS, QIM_STEP
from generation.provenance.watermark.reader import _Reader
from generation.provenance.watermark.scan import (
    _CENTRE_LOCAL,
    _COARSE_ROWS,
    _KEPT_BLOCKS,
    _TWO_AXIS_RATIOS,
    _sep_rows,
    _sep_scores,
    _span,
)
from generation.provenance.watermark.scoring import _z
from generation.provenance.watermark.search import _ROTATION_COARSE, _ROTATION_HALF_MIN_SIDE, _Search
from generation.provenance.watermark.video import (
    _adaptive_sum,
    _edge_coefficients,
    _edge_hypotheses,
    _FramesSearch,
    _kept_for_search,
    _neighbourhood,
    _refine_decode,
)

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


def test_psnr_at_least_40_db(original, marked):
    out, _ = marked
    flat = np.ptp(np.asarray(original)) == 0  # all black or all white: the mark can only push one way
    assert psnr(original, out) >= (38.0 if flat else 40.0)


def test_wrong_key_reads_none(marked):
    out, _ = marked
    assert extract(out, b"some-other-key") is None


def test_unmarked_original_reads_none(original):
    assert extract(original, KEY) is None


@pytest.mark.parametrize("size", [(128, 128), (200, 150), (2048, 2048), (1920, 1080)])
def test_sizes_from_128_to_2048(size):
    img = natural_image(*size, seed=size[0])
    mark_id = MARK_ID_MAX - size[0]
    out = embed(img, mark_id, KEY)
    assert psnr(img, out) >= 40.0
    assert extract(reencode(out, "PNG"), KEY) == mark_id
    assert extract(reencode(out, "JPEG", quality=50), KEY) == mark_id


def test_extreme_ids_and_input_modes():
    img = natural_image(256, 256, seed=7)
    for mark_id in (0, 1, -1, MARK_ID_MIN, MARK_ID_MAX, (1 << 40) - 1):
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


def test_no_false_positives_on_120_unmarked_images():
    """Unmarked images run every search the decoder has (crops, gains, clipping): each attempt
    is a 2**-24 chance of a false mark, so none should appear (the benchmark runs 1,000)."""
    rng = np.random.default_rng(1234)
    hits = []
    for i in range(120):
        w, h = (int(v) for v in rng.integers(128, 288, 2))
        kind = i % 4
        if kind == 0:
            img = noise_image(w, h, seed=i)
        elif kind == 1:
            img = gradient_image(w, h)
        elif kind == 2:
            img = natural_image(w, h, seed=i)
        else:  # marked under a different key
            img = embed(natural_image(w, h, seed=i), new_mark_id(), b"not-the-key-%d" % i)
        if extract(img, KEY) is not None:
            hits.append(i)
    assert hits == []


# --- the attacks of the benchmark, smaller --------------------------------------------
def saturated_image(w: int, h: int, seed: int = 0) -> Image.Image:
    """Like the built-in model's outputs: saturated colour noise (a third of the pixels have a
    channel above 212, so a +20 % brightness clips them)."""
    rng = np.random.default_rng(seed)
    noise = cv2.GaussianBlur(rng.normal(0.0, 1.0, (h, w, 3)), (0, 0), 0.8)
    rgb = 137 + 60 * noise / noise.std() + np.array([25.0, -20.0, 10.0])
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def crop(img: Image.Image, side: str, frac: float = 0.10) -> Image.Image:
    w, h = img.size
    dx, dy = round(w * frac), round(h * frac)
    return img.crop({"left": (dx, 0, w, h), "right": (0, 0, w - dx, h), "top": (0, dy, w, h), "bottom": (0, 0, w, h - dy)}[side])


def scale(img: Image.Image, factor: float, method=Image.BICUBIC) -> Image.Image:
    return img.resize((round(img.width * factor), round(img.height * factor)), method)


def gaussian_noise(img: Image.Image, sigma: float = 5.0) -> Image.Image:
    a = np.asarray(img, dtype=np.float64) + np.random.default_rng(0).normal(0, sigma, (img.height, img.width, 3))
    return Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8))


ATTACKS = {
    "jpeg50": lambda im: reencode(im, "JPEG", quality=50),
    "webp50": lambda im: reencode(im, "WEBP", quality=50),
    "half-small": lambda im: scale(im, 0.5, Image.BILINEAR),
    "half-and-back": lambda im: scale(im, 0.5, Image.BILINEAR).resize(im.size, Image.BILINEAR),
    "crop-left": lambda im: crop(im, "left"),
    "crop-right": lambda im: crop(im, "right"),
    "crop-top": lambda im: crop(im, "top"),
    "crop-bottom": lambda im: crop(im, "bottom"),
    "brightness+20": lambda im: ImageEnhance.Brightness(im).enhance(1.2),
    "brightness-20": lambda im: ImageEnhance.Brightness(im).enhance(0.8),
    "contrast+20": lambda im: ImageEnhance.Contrast(im).enhance(1.2),
    "contrast-20": lambda im: ImageEnhance.Contrast(im).enhance(0.8),
    "noise5": gaussian_noise,
    "screenshot0.8": lambda im: scale(im, 0.8),
    "screenshot1.25": lambda im: scale(im, 1.25),
    "mirror": lambda im: im.transpose(Image.FLIP_LEFT_RIGHT),
    "mirror-jpeg50": lambda im: reencode(im.transpose(Image.FLIP_LEFT_RIGHT), "JPEG", quality=50),
    "aspect+15%": lambda im: im.resize((round(im.width * 1.15), im.height), Image.BICUBIC),
    "aspect-15%-jpeg35": lambda im: reencode(im.resize((im.width, round(im.height * 0.85)), Image.BICUBIC), "JPEG", quality=35),
    "rotate+2": lambda im: im.rotate(2, resample=Image.BICUBIC),
    "rotate-5-expanded": lambda im: im.rotate(-5, resample=Image.BICUBIC, expand=True),
    "mirror-rotate-4": lambda im: im.transpose(Image.FLIP_LEFT_RIGHT).rotate(-4, resample=Image.BICUBIC),
}
ATTACKED = {
    "natural-320x240": lambda: natural_image(320, 240, seed=21),
    "saturated-256": lambda: saturated_image(256, 256),
    "photo-384x256": lambda: (_photo(384) or natural_image(384, 384, seed=4)).crop((0, 0, 384, 256)),
}


@pytest.fixture(scope="module", params=sorted(ATTACKED))
def attacked_source(request) -> tuple[Image.Image, int]:
    mark_id = int(np.random.default_rng(len(request.param)).integers(MARK_ID_MIN, MARK_ID_MAX))
    return embed(ATTACKED[request.param](), mark_id, KEY), mark_id


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_survives_attack(attacked_source, attack):
    marked, mark_id = attacked_source
    assert extract(ATTACKS[attack](marked), KEY) == mark_id


@pytest.mark.parametrize("frac", [0.03, 0.07, 0.13, 0.22, 0.29, 0.36])
def test_a_crop_from_one_side_of_any_fraction(frac):
    img, mark_id = natural_image(300, 260, seed=8), 4242
    marked = embed(img, mark_id, KEY)
    for side in ("left", "bottom"):
        assert extract(crop(marked, side, frac), KEY) == mark_id


def crop_sides(img: Image.Image, left: float, top: float, right: float, bottom: float) -> Image.Image:
    w, h = img.size
    return img.crop((round(w * left), round(h * top), w - round(w * right), h - round(h * bottom)))


@pytest.mark.parametrize(
    "sides",
    [
        (0.1, 0.1, 0.1, 0.1),  # four sides alike: 64% of the area kept
        (0.025, 0.025, 0, 0),  # two sides, a corner kept
        (0, 0, 0.08, 0.08),
        (0.07, 0, 0.07, 0),  # both sides of one axis: a centred crop
        (0, 0.15, 0, 0.15),
    ],
)
def test_a_crop_from_several_sides(sides):
    marked = embed(natural_image(320, 288, seed=21), 8080, KEY)
    assert extract(crop_sides(marked, *sides), KEY) == 8080


def test_a_deadline_stops_the_search_but_never_the_plain_read():
    marked = embed(natural_image(300, 260, seed=9), 5150, KEY)
    cropped = crop(marked, "left", 0.13)
    assert extract(cropped, KEY, deadline=time.monotonic() - 1) is None  # the crop search never started
    assert extract(cropped, KEY, deadline=time.monotonic() + 600) == 5150
    assert extract(marked, KEY, deadline=time.monotonic() - 1) == 5150  # the first step always runs


def test_crop_then_jpeg_then_resize():
    """The re-poster's chain: cropped, re-encoded at quality 35, scaled down."""
    marked = embed(natural_image(512, 400, seed=23), -77, KEY)
    for sides in ((0, 0, 0, 0.22), (0.06, 0.06, 0.06, 0.06)):
        attacked = scale(reencode(crop_sides(marked, *sides), "JPEG", quality=35), 0.7)
        assert extract(attacked, KEY) == -77


@pytest.mark.parametrize("size", [(384, 288), (512, 512)])
def test_a_rotation_chained_with_a_resize_and_jpeg(size):
    """Rotated with the canvas expanded, scaled down and re-encoded (a re-post). On a 256-pixel
    image of saturated colour noise the same chain loses the mark: small, busy images are the limit."""
    marked = embed(natural_image(*size, seed=14), 31337, KEY)
    attacked = reencode(scale(marked.rotate(3, resample=Image.BICUBIC, expand=True), 0.8), "JPEG", quality=50)
    assert extract(attacked, KEY) == 31337


@pytest.mark.parametrize(
    "sides, fmt, factor",
    [
        ((0.12, 0.07, 0, 0), "JPEG", 0.7),  # 12% off the left, 7% off the top: a corner kept
        ((0, 0, 0.09, 0.15), "WEBP", 0.8),
        ((0.04, 0, 0, 0.18), "JPEG", 1.0),  # 74% of the area kept
        ((0.05, 0.10, 0.05, 0.10), "WEBP", 0.6),  # the centre kept, each axis its own fraction
    ],
)
def test_a_crop_from_several_sides_by_unequal_fractions_then_quality_35_and_a_resize(sides, fmt, factor):
    """The re-poster's crop is rarely even: each axis loses its own share, then the platform
    re-encodes at quality 35 and scales."""
    marked = embed(natural_image(768, 640, seed=31), -9081726354, KEY)
    attacked = scale(reencode(crop_sides(marked, *sides), fmt, quality=35), factor)
    assert extract(attacked, KEY) == -9081726354


def test_a_centred_crop_changing_the_proportions_then_quality_35_on_a_photograph():
    """5% off the left and right, 10% off the top and bottom, then quality 35: on this photograph
    the true pair scores under the noise of the unequal crops' coarse pass (2.1 on its 2 x 2
    centre blocks) and is found by rescoring the best centre pairs on the 4 x 4 centre blocks;
    the same crop of the unmarked photograph reads nothing."""
    photo = _photo(512)
    if photo is None:
        pytest.skip("scikit-image's sample data is not installed")
    marked = embed(photo, 123456, KEY)
    assert extract(reencode(crop_sides(marked, 0.05, 0.10, 0.05, 0.10), "JPEG", quality=35), KEY) == 123456
    assert extract(reencode(crop_sides(photo, 0.05, 0.10, 0.05, 0.10), "JPEG", quality=35), KEY) is None


def test_the_centre_rescoring_never_puts_the_original_inside_the_received_image():
    """A centre pair at the received image's own extent, less a local step, would leave the fine
    pass no hypothesis: the rescoring's extents are at least 1."""
    reader = _Reader(np.asarray(natural_image(320, 256, seed=5)))
    plane, fx, fy = reader._sep_plane()
    dither = _layout(_check_key(KEY)).dither.astype(np.float32)
    found = reader._centre_pairs(plane, fx, fy, dither, np.array([1.0, 1.1]), np.array([1.0, 1.0]),
                                 _CENTRE_LOCAL, _COARSE_ROWS)
    assert len(found) == 2 and all(x >= 1.0 and y >= 1.0 for _, x, y in found)


@pytest.mark.parametrize(
    "sides, quality, factor",
    [
        ((0.05, 0.12, 0.03, 0), None, 1.0),  # the bottom edge kept, 5% and 3% off its ends
        ((0.02, 0, 0.11, 0.08), None, 1.0),  # the top edge kept
        ((0, 0.04, 0.10, 0.09), "JPEG", 0.8),  # the left edge kept, then quality 35 and a resize
        ((0.13, 0.06, 0, 0.02), "WEBP", 1.0),  # the right edge kept
    ],
)
def test_a_crop_from_three_sides_by_unequal_fractions(sides, quality, factor):
    """One axis keeps an edge, the other loses unequal amounts at both ends: neither a corner nor
    the centre is kept.  The service renders square images, which the search relies on (the
    original's extent is the same along both axes); the same crop of an unmarked image reads
    nothing."""
    for seed, mark in ((33, 424242), (34, None)):
        image = natural_image(512, 512, seed=seed)
        if mark is not None:
            image = embed(image, mark, KEY)
        attacked = crop_sides(image, *sides)
        if quality:
            attacked = reencode(attacked, quality, quality=35)
        assert extract(scale(attacked, factor) if factor != 1.0 else attacked, KEY) == mark


@pytest.mark.parametrize(
    "size, sides",
    [
        ((768, 512), (0.05, 0.12, 0.03, 0)),  # 3:2, the bottom edge kept
        ((512, 768), (0.04, 0.02, 0, 0.13)),  # 2:3, the left edge kept
    ],
)
def test_a_crop_from_three_sides_of_a_3_2_original(size, sides):
    """The three-side search also takes the original's extents in the proportions 3:2 and 2:3
    (a photograph's), not only equal; the same crop of an unmarked image reads nothing."""
    for seed, mark in ((35, 5151), (36, None)):
        image = natural_image(*size, seed=seed)
        if mark is not None:
            image = embed(image, mark, KEY)
        assert extract(crop_sides(image, *sides), KEY) == mark


@pytest.mark.parametrize(
    "size, sides",
    [
        ((640, 480), (0.04, 0.15, 0.09, 0)),  # 4:3, the bottom edge kept, 15% off the top
        ((589, 512), (0.03, 0, 0.08, 0.10)),  # 1.15:1 (no proportion searched whole), the top edge kept
        ((512, 589), (0, 0.06, 0.10, 0.02)),  # 1:1.15, the left edge kept
    ],
)
def test_a_crop_from_three_sides_of_an_original_of_other_proportions(size, sides):
    """4:3 and 16:9 (either way) are searched whole like 3:2; an original of any other proportions
    (between 9:16 and 16:9) is found when the crop kept at least 88% of each axis (the odd-proportion
    scan); the same crop of an unmarked image reads nothing."""
    for seed, mark in ((37, 7373), (38, None)):
        image = natural_image(*size, seed=seed)
        if mark is not None:
            image = embed(image, mark, KEY)
        assert extract(crop_sides(image, *sides), KEY) == mark


def rotate_and_crop(img: Image.Image, degrees: float) -> Image.Image:
    """Turned about the centre, then cropped to the largest centred rectangle of its proportions
    inside the turned picture (no border left), as a straightening tool does."""
    w, h = img.size
    t = np.radians(abs(degrees))
    k = min(1 / (np.cos(t) + np.sin(t) * h / w), 1 / (np.sin(t) * w / h + np.cos(t)))
    left, top = (w - k * w) / 2, (h - k * h) / 2
    box = (int(np.ceil(left)), int(np.ceil(top)), int(np.floor(left + k * w)), int(np.floor(top + k * h)))
    return img.rotate(degrees, resample=Image.BICUBIC).crop(box)


@pytest.mark.parametrize("degrees, fmt, factor", [(3, "JPEG", 0.8), (-2, "WEBP", 1.0), (4.5, "JPEG", 0.6)])
def test_a_rotation_then_a_crop_that_removes_the_borders_then_quality_35_and_a_resize(degrees, fmt, factor):
    marked = embed(natural_image(640, 512, seed=32), 4455667788, KEY)
    attacked = scale(reencode(rotate_and_crop(marked, degrees), fmt, quality=35), factor)
    assert extract(attacked, KEY) == 4455667788


@pytest.mark.parametrize("attack, mark_id", [("2.5% off the left and the top", 1616), ("-2 deg, borders cropped, WebP 35", -5)])
def test_a_photograph_whose_corner_carries_little_of_the_mark(attack, mark_id):
    """The astronaut's clipped whites leave the blocks by its bottom-right corner nearly
    unmarked. A zoom's coarse pass read from one plane for every extent (off by up to a tenth
    in scale) then missed a 2.5% crop off two sides (1 of 16 ids read; 15 now), and the angle
    search's 0.3-degree coarse step ranked a -2-degree turn (0.1 off its grid) below other
    canvases' noise; both read now."""
    photo = _photo(512)
    if photo is None:
        pytest.skip("no sample photograph installed")
    marked = embed(photo, mark_id, KEY)
    if attack.startswith("2.5%"):
        attacked = crop_sides(marked, 0.025, 0.025, 0, 0)
    else:
        attacked = reencode(rotate_and_crop(marked, -2), "WEBP", quality=35)
    assert extract(attacked, KEY) == mark_id


@pytest.mark.parametrize("degrees, frac, mirror, quality", [
    (2, 0.10, False, None),  # the benchmark's "rotate 2 deg, crop 10% each side"
    (-3.3, 0.07, False, None),  # angles and fractions off the coarse search's grid
    (4.1, 0.05, False, 50),
    (1.2, 0.08, True, None),
])
def test_a_rotation_then_a_centred_crop_of_any_fraction(degrees, frac, mirror, quality):
    """Turned (the canvas kept), then cropped to the centre keeping the proportions, by more
    than the borders: not the largest centred rectangle, so the angle and the scale are
    searched together."""
    mark_id = -5566778899
    marked = embed(natural_image(640, 512, seed=35), mark_id, KEY)
    img = marked.transpose(Image.FLIP_LEFT_RIGHT) if mirror else marked
    attacked = crop_sides(img.rotate(degrees, resample=Image.BICUBIC), frac, frac, frac, frac)
    if quality:
        attacked = reencode(attacked, "JPEG", quality=quality)
    assert extract(attacked, KEY) == mark_id


@pytest.mark.parametrize("degrees, crop_borders, fmt", [(3, False, "JPEG"), (-4, True, "WEBP"), (-1.7, False, "WEBP")])
def test_a_mirror_image_turned_either_way_then_quality_35(degrees, crop_borders, fmt):
    """Mirrored, then turned (the canvas kept, or the borders cropped away), then re-encoded: the
    mirror's search reads the turn through the mirrored layout on the angles the upright search
    scores (one rotation stack for both orientations), either way round."""
    mark_id = 9090909
    mirrored = embed(natural_image(640, 512, seed=38), mark_id, KEY).transpose(Image.FLIP_LEFT_RIGHT)
    turned = rotate_and_crop(mirrored, degrees) if crop_borders else mirrored.rotate(degrees, resample=Image.BICUBIC)
    assert extract(reencode(turned, fmt, quality=35), KEY) == mark_id


@pytest.mark.parametrize("degrees, mirror", [
    (-4, False),  # missed before the whole-band coarse pass
    (-2, False),
    (3, False),
    (4, True),
    pytest.param(-4, True, marks=pytest.mark.xfail(strict=True, reason=(
        "still missed: the true angle ranks 26th of the 222 coarse hypotheses even on the whole band, "
        "though the mark decodes at it (lattice score 7.1): a search limit, not the signal"))),
])
def test_a_small_photograph_turned_then_its_borders_cropped_then_webp_35(degrees, mirror):
    """The astronaut at 512 pixels (clipped whites), turned, its borders cropped, WebP q35: its two
    lowest rings on a half grid show the turn too weakly (the benchmark's true angles ranked 4th to
    91st of the coarse hypotheses), so images under _ROTATION_HALF_MIN_SIDE are scored on the whole
    band at every sample (0th to 3rd there)."""
    photo = _photo(512)
    if photo is None:
        pytest.skip("no sample photograph installed")
    marked = embed(photo, 2718281828, KEY)
    img = marked.transpose(Image.FLIP_LEFT_RIGHT) if mirror else marked
    assert extract(reencode(rotate_and_crop(img, degrees), "WEBP", quality=35), KEY) == 2718281828


def test_both_orientations_share_the_coarse_rotation_stacks():
    """The mirror's coarse angle pass asks the reader for the stacks the upright search made:
    none is warped twice (each canvas's coarse stack is made once per image)."""
    reader = _Reader(np.asarray(natural_image(320, 256, seed=39)))
    dither = _layout(KEY).dither
    upright, mirror = _Search(reader, KEY), _Search(reader, KEY, mirrored=True)
    upright._rotated()
    made = {k for k in reader.cache if k[0] == "rot"}
    calls = []
    original = reader._rotation_stack
    reader._rotation_stack = lambda *a, **kw: calls.append(a) or original(*a, **kw)
    half = min(reader.width, reader.height) >= _ROTATION_HALF_MIN_SIDE  # as the search chose
    for canvas in ("kept", "expanded", "cropped"):
        reader.rotated_coarse_z(_ROTATION_COARSE, canvas, _mirrored_layout(KEY).dither, half=half)
    assert calls == [] and {k for k in reader.cache if k[0] == "rot"} == made
    assert mirror.layout.dither is not dither


def test_sep_rows_are_the_rows_of_the_sampling_made_from_coordinates():
    """``_sep_rows`` builds its sampling matrix in canonical CSR form directly: the rows are bit
    for bit those of the matrix scipy makes from the two taps as coordinates (duplicates at a
    clipped border summed), extents past either border included."""
    from scipy import sparse

    from generation.provenance.watermark.params import CANONICAL_SIZE
    from generation.provenance.watermark.scan import _sep_taps
    from generation.provenance.watermark.transforms import _PRE_DCT

    def reference(n, f, starts, lengths, blocks, k):
        nh = len(starts)
        i0, i1, frac = _sep_taps(n, f, starts, lengths)  # the taps are shared; the matrix is built the old way
        a = _PRE_DCT[blocks, :k].reshape(-1, CANONICAL_SIZE)
        rows = (np.arange(nh)[:, None] * n + np.concatenate([i0, i1], axis=1)).ravel()
        cols = np.tile(np.arange(CANONICAL_SIZE), 2 * nh)
        sampling = sparse.csr_matrix((np.concatenate([1.0 - frac, frac], axis=1).ravel(), (rows, cols)),
                                     shape=(nh * n, CANONICAL_SIZE))
        out = np.asarray(sampling @ a.T, dtype=np.float32)
        return np.ascontiguousarray(out.reshape(nh, n, -1).transpose(0, 2, 1)).reshape(-1, n)

    rng = np.random.default_rng(7)
    for _ in range(60):
        n, f, nh = int(rng.integers(20, 600)), float(rng.uniform(0.2, 2.0)), int(rng.integers(1, 20))
        starts, lengths = rng.uniform(-n, n, nh), rng.uniform(0.3, 3.0, nh) * n
        blocks = np.sort(rng.choice(8, int(rng.integers(1, 8)), replace=False))
        k = int(rng.integers(1, 8))
        got, want = _sep_rows(n, f, starts, lengths, blocks, k), reference(n, f, starts, lengths, blocks, k)
        assert got.dtype == want.dtype and np.array_equal(got.view(np.uint32), want.view(np.uint32))


def test_a_read_runs_with_one_blas_thread():
    """A verify's thousands of small products run on one BLAS thread (their second thread only
    spun), and the process's own setting is back afterwards."""
    from threadpoolctl import threadpool_info

    from generation.provenance.watermark import search

    before = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    seen = []
    original = search._extract_rgb

    def spy(*args):
        seen.extend(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")
        return original(*args)

    search._extract_rgb = spy
    try:
        assert extract(embed(natural_image(256, 256, seed=40), 77, KEY), KEY) == 77
    finally:
        search._extract_rgb = original
    assert seen and set(seen) == {1}
    assert [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"] == before


def test_the_zoomed_rotation_search_reads_nothing_where_there_is_no_mark():
    """An unmarked picture, and one marked under another key, turned and cropped to the centre:
    the angle-and-scale search finds no lattice (its threshold holds), and no id comes back."""
    unmarked = natural_image(640, 512, seed=36)
    other = embed(natural_image(640, 512, seed=37), 987654321, b"someone else's key")
    for img in (unmarked, other):
        attacked = crop_sides(img.rotate(2, resample=Image.BICUBIC), 0.1, 0.1, 0.1, 0.1)
        reader = _Reader(np.asarray(attacked))
        for mirrored in (False, True):
            assert _Search(reader, KEY, mirrored=mirrored)._zoomed_rotation() is None
        assert extract(attacked, KEY) is None
    attacked = crop_sides(other.rotate(2, resample=Image.BICUBIC), 0.1, 0.1, 0.1, 0.1)
    assert extract(attacked, b"someone else's key") == 987654321


def test_the_angle_passes_score_every_angle_as_that_rotation_alone_does():
    """The rotation searches warp all the angles of a pass into one stack: each angle's score is
    the one its own rotation gives (visible blocks included), for every canvas, and the true
    turn of a marked image stands out in the stacked pass as it does alone."""
    marked = embed(natural_image(600, 480, seed=41), 5151, KEY)
    reader = _Reader(np.asarray(marked.rotate(2, resample=Image.BICUBIC)))
    dither = _layout(KEY).dither
    angles = np.array([-4.0, -0.5, 1.9, 2.0, 2.1, 5.4])
    for canvas in ("kept", "expanded", "cropped"):
        stacked = reader.rotated_coarse_z(angles, canvas, dither, half=False)
        for angle, z in zip(angles, stacked):
            coeffs, weights = reader.rotated(float(angle), canvas, coarse=True)
            assert z == pytest.approx(_z(coeffs, weights, dither), abs=1e-3)
    kept = reader.rotated_coarse_z(angles, "kept", dither, half=False)
    assert int(np.argmax(kept)) == 3 and kept[3] > 8.0


def test_the_unequal_crops_shared_product_scores_as_each_bands_own_product():
    """The unequal crops' coarse pass multiplies the plane by a kept edge's x rows once and
    shares that product between bands of y extents: every pair scores as the band's own
    product does."""
    reader = _Reader(np.asarray(embed(natural_image(520, 400, seed=42), 77, KEY)))
    plane, fx, fy = reader._sep_plane()
    w, h = reader.width, reader.height
    dither = _layout(KEY).dither.astype(np.float32)
    rx = _TWO_AXIS_RATIOS["corner"][:30]
    ry = _TWO_AXIS_RATIOS["corner"][10:20]
    bx, by, k = _KEPT_BLOCKS["end"], _KEPT_BLOCKS["start"], _COARSE_ROWS
    wx = _sep_rows(plane.shape[1], fx, w - w * rx, w * rx, bx, k)
    x0, x1 = _span(wx)
    product = cv2.gemm(plane[:, x0:x1], wx[:, x0:x1], float(np.float32(4.0 * np.pi / QIM_STEP)), None, 0.0,
                       flags=cv2.GEMM_2_T)
    for nx in (30, 12):
        x_axis = (fx, w, w - w * rx[:nx], w * rx[:nx], bx)
        y_axis = (fy, h, np.zeros(len(ry)), h * ry, by)
        alone = _sep_scores(plane, x_axis, y_axis, k, dither)
        shared = _sep_scores(plane, x_axis, y_axis, k, dither, wx=wx[: nx * len(bx) * k],
                                       across=lambda: product)
        assert shared.shape == (len(ry), nx)
        np.testing.assert_allclose(shared, alone, atol=1e-3)


def test_the_new_geometry_searches_never_read_another_keys_mark():
    """The attacker's image: marked under another key, then cropped unevenly or straightened.
    The searches find that key's lattice nowhere and never answer with an id."""
    other = embed(natural_image(640, 512, seed=33), 123456789, b"someone else's key")
    for attacked in (
        reencode(crop_sides(other, 0.12, 0.07, 0, 0), "JPEG", quality=35),
        rotate_and_crop(other, 3),
    ):
        assert extract(attacked, KEY) is None
        assert extract(attacked, b"someone else's key") == 123456789


def test_crop_after_jpeg_and_a_crop_with_a_contrast_change():
    marked = embed(natural_image(320, 256, seed=12), 777, KEY)
    assert extract(reencode(crop(marked, "right"), "JPEG", quality=70), KEY) == 777
    assert extract(ImageEnhance.Contrast(crop(marked, "top")).enhance(0.85), KEY) == 777


def test_an_unmarked_image_costs_a_bounded_number_of_viterbi_attempts():
    """Every decode attempt is a 2**-24 chance of a false mark: the search must stay small."""
    for img in (natural_image(300, 240, seed=30), saturated_image(256, 256, seed=2), noise_image(200, 300)):
        search = _Search(_Reader(np.asarray(img)), KEY)
        assert search.run() is None
        assert 1 <= search.attempts <= 8


def test_the_mirrored_layout_reads_the_flipped_image_from_the_unflipped_one():
    """The mirror image is read through a mirrored layout from the same reader (no flipped
    copy): its scores and decodes must equal those of the image flipped back."""
    marked = embed(natural_image(320, 256, seed=14), 4242, KEY)
    rgb = np.asarray(reencode(marked.transpose(Image.FLIP_LEFT_RIGHT), "JPEG", quality=70).convert("RGB"))
    plain, mirrored = _layout(KEY), _mirrored_layout(KEY)
    coeffs, weights = _Reader(rgb).full()
    flipped_coeffs, flipped_weights = _Reader(np.ascontiguousarray(rgb[:, ::-1])).full()
    z = _z(coeffs, weights, mirrored.dither)
    assert z > 20.0
    assert z == pytest.approx(_z(flipped_coeffs, flipped_weights, plain.dither), rel=1e-6)
    assert abs(_z(coeffs, weights, plain.dither)) < 5.0
    attacked = reencode(marked.transpose(Image.FLIP_LEFT_RIGHT).crop((0, 0, 290, 256)), "JPEG", quality=70)
    reader = _Reader(np.asarray(attacked.convert("RGB")))
    assert _Search(reader, KEY).run() is None  # unflipped: not this orientation
    assert _Search(reader, KEY, mirrored=True).run() == 4242  # the crop kept the flipped start


def test_a_wrong_id_never_comes_back_from_heavy_damage():
    marked = embed(natural_image(256, 256, seed=40), 1234567, KEY)
    for quality in (30, 20, 10, 5):
        assert extract(reencode(marked, "JPEG", quality=quality), KEY) in (1234567, None)
    assert extract(gaussian_noise(marked, 40.0), KEY) in (1234567, None)


# --- video ------------------------------------------------------------------------------------
def make_clip(w: int = 192, h: int = 144, frames: int = 24, fps: int = 12, audio: bool = False) -> bytes:
    """A panning shot over a natural-looking picture, H.264 in MP4 (optionally with silent AAC)."""
    big = np.asarray(natural_image(2 * w, 2 * h, seed=50))
    views = [big[i * h // (2 * frames) :, i * w // frames :][:h, :w] for i in range(frames)]
    return encode_frames(views, fps, audio=audio)


def reencode_clip(data: bytes, *, bit_rate: int) -> bytes:
    import av

    buf = io.BytesIO()
    with av.open(io.BytesIO(data)) as src, av.open(buf, "w", format="mp4") as out:
        video = src.streams.video[0]
        stream = out.add_stream("libx264", rate=video.average_rate)
        stream.width, stream.height, stream.pix_fmt = video.codec_context.width, video.codec_context.height, "yuv420p"
        stream.time_base, stream.bit_rate = video.time_base, bit_rate
        for frame in src.decode(video):
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return buf.getvalue()


def test_clip_helpers_pan_zoom_and_edit():
    """The shared clip maker and edits (benchmarks/videoclips.py, also the benchmark's video
    rows): every panned or zoomed frame differs from the last; an edit keeps, retimes, edits
    and mirrors the frames it says."""
    from benchmarks.videoclips import decode_frames

    picture = np.asarray(natural_image(240, 180, seed=3))
    for zoom in (1.0, 1.2):
        frames = pan_frames(picture, 192, 144, 12, zoom=zoom)
        assert len(frames) == 12 and all(f.shape == (144, 192, 3) for f in frames)
        assert all(np.abs(a.astype(int) - b).mean() > 0.5 for a, b in zip(frames, frames[1:]))
    clip = encode_frames(frames, 12, crf=10)
    decoded, rate = decode_frames(clip)
    assert len(decoded) == 12 and rate == 12
    edited, rate = decode_frames(
        edit_clip(clip, crf=10, keep=range(2, 8), fps=24, mirror=True, frame_edit=lambda f: f[:, 20:])
    )
    assert rate == 24 and len(edited) == 12  # 6 frames kept, each shown twice at the new rate
    assert edited[0].shape == (144, 172, 3)
    expect = decoded[2][:, 20:][:, ::-1].astype(int)
    assert np.abs(edited[0].astype(int) - expect).mean() < 4  # mirrored after the crop


@pytest.fixture(scope="module")
def edited_source() -> bytes:
    return watermark.embed_video(make_clip(384, 288), 98765, KEY)


@pytest.mark.parametrize(
    "edit",
    [
        {"crf": 35},
        {"crf": 35, "mirror": True},
        {"crf": 30, "fps": 25},
        {"crf": 30, "fps": 8},
        {"crf": 35, "keep": range(6, 12)},  # half a second of the clip, alone
    ],
    ids=["crf35", "crf35-mirrored", "fps-up", "fps-down", "trimmed"],
)
def test_video_survives_platform_edits(edited_source, edit):
    """At 384x288 (the 192x144 clip of the other tests keeps the mark down to CRF 28 only)."""
    marked = edited_source
    assert watermark.extract_video(edit_clip(marked, **edit), KEY) == 98765


def _crop_sides(left: float, top: float, right: float = 0.0, bottom: float = 0.0):
    def edit(rgb: np.ndarray) -> np.ndarray:
        h, w = rgb.shape[:2]
        return rgb[round(h * top) : h - round(h * bottom), round(w * left) : w - round(w * right)]
    return edit


def _turn(degrees: float):
    return lambda rgb: np.asarray(Image.fromarray(rgb).rotate(degrees, resample=Image.BICUBIC))


@pytest.mark.parametrize(
    "edit",
    [
        {"frame_edit": _crop_sides(0.05, 0.05)},
        {"frame_edit": _turn(2.0)},
        {"frame_edit": _crop_sides(0.05, 0.0, 0.0, 0.05), "mirror": True},
    ],
    ids=["crop-2-sides", "turn-2-degrees", "mirror-crop-2-sides"],
)
def test_video_geometry_is_searched_over_frames(edited_source, edit):
    """A crop from two sides or a turn applied to every frame, then H.264 CRF 35 (one frame alone
    no longer shows the keyed lattice): found on a few frames together by the coded bits'
    energy, read from every frame at that geometry; the unmarked clip edited alike reads None."""
    assert watermark.extract_video(edit_clip(edited_source, crf=35, **edit), KEY) == 98765
    assert watermark.extract_video(edit_clip(make_clip(384, 288), crf=35, **edit), KEY) is None


def test_video_frame_that_lost_its_last_column_is_read_at_the_original_width():
    """A frame resized to an odd width and encoded (H.264 4:2:0: 384x288 at 0.7 is 269x202,
    encoded 268x202) lost its last column: read as an original a pixel wider, its grid is the
    269-wide frame's (but for the last block column), where read as it is the grid stretches."""
    rgb = np.asarray(natural_image(269, 202, seed=31))
    want = _Reader(rgb).full()[0].reshape(_BLOCKS, _BLOCKS, -1)
    cut = np.ascontiguousarray(rgb[:, :-1])
    lost = _edge_coefficients(_Reader(cut).planes[0], (0, 1))
    as_read = _Reader(cut).full()[0]
    err = [np.abs(c.reshape(want.shape) - want)[:, :-1].mean() for c in (lost, as_read)]
    assert err[0] < 0.25 * err[1]
    assert _edge_hypotheses(202, 268) == [(0, 1), (1, 0), (1, 1)]
    assert _edge_hypotheses(2160, 3840) == []  # a pixel is under a quarter of a canonical sample


def test_video_resized_to_an_odd_width_survives(edited_source):
    """Resized to 0.7 (269x202, encoded 268x202), then H.264 CRF 32; the unmarked clip alike reads None."""
    def edit(rgb):
        return cv2.resize(rgb, (269, 202), interpolation=cv2.INTER_LINEAR)

    assert watermark.extract_video(edit_clip(edited_source, crf=32, frame_edit=edit), KEY) == 98765
    assert watermark.extract_video(edit_clip(make_clip(384, 288), crf=32, frame_edit=edit), KEY) is None


@pytest.fixture(scope="module")
def clip_and_marked() -> tuple[bytes, bytes]:
    clip = make_clip(audio=True)
    return clip, watermark.embed_video(clip, 98765, KEY)


def test_video_round_trip_marks_every_frame_and_keeps_audio_and_timing(clip_and_marked):
    import av

    clip, marked = clip_and_marked
    assert watermark.extract_video(marked, KEY) == 98765
    assert watermark.extract_video(clip, KEY) is None
    assert watermark.extract_video(marked, b"another key") is None
    assert watermark.probe_video(marked) == (192, 144, 24)
    with av.open(io.BytesIO(marked)) as c:
        assert [s.type for s in c.streams] == ["video", "audio"]
        frames = [f.to_image() for f in c.decode(video=0)]
    assert len(frames) == 24
    assert all(extract(f, KEY) == 98765 for f in frames[::5])  # every frame carries it alone


def test_video_survives_a_reencode_at_a_lower_bitrate(clip_and_marked, tmp_path):
    _, marked = clip_and_marked
    bits_per_second = len(marked) * 8 / 2.0  # 24 frames at 12 fps
    smaller = reencode_clip(marked, bit_rate=int(bits_per_second / 2))
    assert len(smaller) < 0.7 * len(marked)
    path = tmp_path / "smaller.mp4"
    path.write_bytes(smaller)
    assert watermark.extract_video(path, KEY) == 98765  # a path works as well as bytes


def test_video_bad_input():
    assert watermark.extract_video(b"not a video at all", KEY) is None
    with pytest.raises(ValueError, match="video"):
        watermark.embed_video(b"not a video at all", 1, KEY)
    with pytest.raises(ValueError, match="video"):
        watermark.probe_video(b"\x00\x00\x00\x18ftypmp42 broken")
    with pytest.raises(ValueError, match="at least 128x128"):
        watermark.embed_video(make_clip(w=96, h=96, frames=2), 1, KEY)
    with pytest.raises(ValueError, match="mark_id"):
        watermark.embed_video(make_clip(frames=2), MARK_ID_MAX + 1, KEY)


# --- speed ---------------------------------------------------------------------
def test_embed_and_extract_1024_is_fast():
    """The issue's aim is embed < 50 ms per 1024x1024 image on this machine's CPU; the bound
    here leaves room for a loaded test machine (the benchmark reports the real figure)."""
    img = natural_image(1024, 1024, seed=5)
    embed(img, 1, KEY)  # warm the keyed layout and the size's operators
    best_embed = best_extract = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        out = embed(img, 99, KEY)
        best_embed = min(best_embed, time.perf_counter() - start)
        start = time.perf_counter()
        found = extract(out, KEY)
        best_extract = min(best_extract, time.perf_counter() - start)
        assert found == 99
    assert best_embed < 0.15
    assert best_extract < 0.15


# --- errors --------------------------------------------------------------------
@pytest.mark.parametrize("bad", [MARK_ID_MIN - 1, MARK_ID_MAX + 1, 1 << 64])
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
    assert all(MARK_ID_MIN <= i <= MARK_ID_MAX for i in ids)
    assert len(ids) == 1000
    assert watermark.MARK_ID_BITS == 64
    assert any(i < 0 for i in ids) and any(i >= 1 << 40 for i in ids)  # all 64 bits are used


def test_kept_video_frames_are_halved_only_while_large():
    """A 4K frame kept for the geometric search is searched at 960x540 (a sixteenth of the
    memory), a 1080p one at 960x540; a frame under 768 pixels on its short side is kept as it is."""
    uhd = np.zeros((2160, 3840, 3), np.uint8)
    assert _kept_for_search(uhd).shape == (540, 960, 3)
    assert _kept_for_search(np.zeros((6000, 6000, 3), np.uint8)).shape == (750, 750, 3)
    assert _kept_for_search(np.zeros((1080, 1920, 3), np.uint8)).shape == (540, 960, 3)
    small = np.zeros((720, 1280, 3), np.uint8)
    assert _kept_for_search(small) is small


def test_adaptive_sum_weighs_each_frame_class_by_what_it_carries():
    """Noise-free rows: the key frame carries 2 per coded bit, each of 10 P frames 0.5 (a
    weight of 0.5 / 2 each), the B frames nothing the key frame agrees with (no weight, even
    when they run against it); without key frames or without others there is nothing to weigh."""
    signs = 1.0 - 2.0 * (np.arange(_CODED_BITS) % 3 == 0)
    other = np.roll(signs, 1) * (np.arange(_CODED_BITS) % 2)
    other -= signs * float(other @ signs) / float(signs @ signs)  # orthogonal to the mark
    sums = np.stack([2.0 * signs, 5.0 * signs, 7.0 * other])
    out = _adaptive_sum(sums, np.array([1.0, 10.0, 30.0]), 0.0)
    assert np.allclose(out, 3.25 * signs)
    sums[2] = -3.0 * signs  # B frames against the key frame: no weight, not a negative one
    assert np.allclose(_adaptive_sum(sums, np.array([1.0, 10.0, 30.0]), 0.0), 3.25 * signs)
    assert _adaptive_sum(sums, np.array([0.0, 10.0, 30.0]), 5.0) is None
    assert _adaptive_sum(sums, np.array([2.0, 0.0, 0.0]), 5.0) is None


def test_adaptive_sum_reads_a_clip_whose_predicted_frames_lost_the_mark():
    """Simulated soft values per coded bit (the noise of a frame's ~10 slots per coded bit): one
    key frame that reads alone half the time, 47 predicted frames that carry a tenth of it
    (a 24-fps clip at CRF 35, measured) or nothing.  The key frame weighted 8 against each of
    them reads fewer clips than the classes weighted by what they carry."""
    rng = np.random.default_rng(7)
    noise = 1856 / _CODED_BITS / 2.0
    fixed = adaptive = 0
    for trial in range(40):
        mark_id = 1000 + trial
        signs = 1.0 - 2.0 * _conv_encode(_codeword_bits(KEY, mark_id))
        carried = 0.0 if trial % 2 else 0.15
        key = 2.1 * signs + rng.normal(0.0, math.sqrt(noise), signs.size)
        predicted = carried * signs + rng.normal(0.0, math.sqrt(noise), (47, signs.size))
        fixed += _decode(8.0 * key + predicted.sum(axis=0), KEY) == mark_id
        sums = np.stack([key, predicted[:16].sum(axis=0), predicted[16:].sum(axis=0)])
        out = _adaptive_sum(sums, np.array([1.0, 16.0, 31.0]), noise)
        adaptive += _decode(out, KEY) == mark_id
        unmarked = rng.normal(0.0, math.sqrt(noise), (3, signs.size)) * np.array([[1.0], [4.0], [math.sqrt(31.0)]])
        assert _adaptive_sum(unmarked, np.array([1.0, 16.0, 31.0]), noise) is not None
        assert _decode(_adaptive_sum(unmarked, np.array([1.0, 16.0, 31.0]), noise), KEY) is None
    assert adaptive > fixed, (adaptive, fixed)


def test_refinement_neighbourhood_shifts_only_a_kept_far_edge():
    """A crop that kept the right and bottom edges, then an encoder's rounding of an odd side:
    the neighbourhood holds the search's extents and those with the kept edge a pixel short; a
    crop that kept the left and top edges has no shifted hypotheses."""
    kind, where, (rx, ry, sx, sy) = _neighbourhood((9.0, "zoom", ("end", "end"), (1.05, 1.05)))
    assert kind == "zoom" and where == ("end", "end")
    assert set(zip(sx.tolist(), sy.tolist())) == {(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)}
    assert np.any((sx == 0) & np.isclose(rx, 1.05) & np.isclose(ry, 1.05))
    _, _, (_, _, sx, sy) = _neighbourhood((9.0, "zoom", ("start", "start"), (1.05, 1.05)))
    assert not sx.any() and not sy.any()
    _, _, (angles,) = _neighbourhood((9.0, "turn", "kept", 2.025))
    assert np.any(np.isclose(angles, 2.0)) and np.any(np.isclose(angles, 1.95))


@pytest.mark.parametrize("where", ["crop", "turn"])
def test_refine_decode_reads_every_frame_about_the_found_geometry(where):
    """A marked 384x288 frame cropped 19 px left and 14 px top with its last column dropped
    (365 -> 364 wide), or turned 2 degrees: read from the search's hypothesis a little off
    (extents 1.05 where the truth is 1.0549 and a pixel short, 2.025 degrees); an unmarked frame
    reads None."""
    marked = np.asarray(embed(natural_image(384, 288, seed=3), 4242, KEY))
    plain = np.asarray(natural_image(384, 288, seed=3))
    if where == "crop":
        edit = lambda rgb: np.ascontiguousarray(rgb[14:, 19:383])  # noqa: E731
        found = (9.0, "zoom", ("end", "end"), (1.05, 1.0511))
    else:
        edit = lambda rgb: np.asarray(Image.fromarray(rgb).rotate(2.0, resample=Image.BICUBIC))  # noqa: E731
        found = (9.0, "turn", "kept", 2.025)
    search = _FramesSearch([], KEY)
    frames = [(edit(marked), 8.0, 0), (edit(marked), 1.0, 1)]
    assert _refine_decode(iter(frames), [(found, search)], KEY, None) == 4242
    assert search.attempts >= 1
    frames = [(edit(plain), 8.0, 0), (edit(plain), 1.0, 1)]
    assert _refine_decode(iter(frames), [(found, _FramesSearch([], KEY))], KEY, None) is None
