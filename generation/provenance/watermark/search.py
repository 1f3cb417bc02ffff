"""Reading an image: the candidate decodes cheapest first (``_Search``: gain, crops, clipping,
rotations, a rotation then a zoom), their parameters, and ``extract`` over both orientations."""

from __future__ import annotations

import math
import time

import numpy as np
from PIL import Image

from .codes import _CODED_BITS, _decode
from .image import _as_rgb_u8
from .keys import _check_key
from .layout import _layout, _mirrored_layout
from .params import MIN_EXTRACT_SIDE, QIM_STEP
from .reader import _Reader
from .scan import _MIN_VISIBLE, AREA_KEPT_MIN, _kept_start
from .scoring import _best_gain, _ring_gains, _z
from .threads import one_blas_thread
from .transforms import _N_SLOTS

_COMMON_CROPS = (0.05, 0.10, 0.15, 0.20)  # step 3c's exact one-side crops
_COMMON_CROP_DECODES = 3
ROTATION_RANGE = 5.5  # degrees either way the decoder searches
# Both orientations score the same angles (the range is symmetric, so the mirror's search,
# unflipped coefficients through the mirrored layout, covers the flipped image's turns alike):
# the upright search's rotation stacks are then the mirror's too (one warp per angle per image).
_ROTATION_COARSE = np.arange(-ROTATION_RANGE, ROTATION_RANGE + 1e-9, 0.15)
_ROTATION_FINE = np.arange(-0.1, 0.1001, 0.05)
_ROTATION_REFINE = 4
# The coarse angle pass reads the two lowest rings from a grid of half the samples each way on
# images whose short side is at least this, and the whole band at every sample on smaller ones:
# after a turn, the crop of its borders and WebP or JPEG at quality 35, a 512-pixel photograph's
# low rings carry too little (the astronaut and the motorcycle at 512: the true angle ranked 4th to
# 91st of the 222 coarse hypotheses, 0th to 3rd on the whole band, where it decodes at a lattice
# score of 7.5-8.9), while from 1024 pixels the half grid ranks it first. A 512-pixel read pays
# about 40 ms of CPU more; the 1024 x 1024 verify nothing.
_ROTATION_HALF_MIN_SIDE = 768
_ROTATION_POLISH_ANGLES = np.array([-0.1, -0.05, 0.0, 0.05, 0.1])
_ROTATION_POLISH_SCALES = np.exp(np.array([-0.004, -0.002, 0.0, 0.002, 0.004]))
# A rotation then a crop keeping the centre and the proportions (not the largest rectangle: any
# fraction of the area down to AREA_KEPT_MIN): the angle and the scale (the original's extent over
# the canvas's) together, coarse on the centre 2 x 2 blocks (within 45 samples of the centre an
# error of 0.125 degrees or 0.4% of scale moves a sample by < 0.3; on the 4 x 4 blocks 0.2 degrees
# or 0.75% already hid the mark, measured), the best few on the 4 x 4 blocks at a quarter of the
# steps, the best of those decoded.
_ZROT_ANGLES = np.array([a for a in np.arange(-5.5, 5.501, 0.25) if abs(a) > 0.1])  # symmetric: both orientations share
_ZROT_SCALES = np.exp(np.arange(0.03, 0.5 * math.log(1.0 / AREA_KEPT_MIN) + 0.005, 0.008))
_ZROT_REFINE = 6
_ZROT_FINE_ANGLES = np.arange(-0.125, 0.1251, 0.0625)
_ZROT_FINE_SCALES = np.exp(np.arange(-0.004, 0.00401, 0.002))
_ZROT_THRESHOLD = 5.0  # on the 4 x 4 centre blocks
_CROP_ATTEMPTS = 3
_DECLIP_OVERSHOOT = (0.5, 1.0)  # of the most a channel can have lost to clipping
_DECLIP_GAINS = (1.15, 1.3)


class _Search:
    """Candidate decodes, cheapest first; every Viterbi attempt is counted (each one is a
    2**-24 chance of a false mark on an unmarked image)."""

    def __init__(self, reader: _Reader, key: bytes, deadline: float | None = None, mirrored: bool = False):
        self.reader = reader
        self.key = key
        self.layout = _mirrored_layout(key) if mirrored else _layout(key)
        self.attempts = 0
        self.deadline = deadline

    def late(self) -> bool:
        """Past the caller's deadline (``time.monotonic()``): no further search step starts."""
        return self.deadline is not None and time.monotonic() > self.deadline

    def try_decode(self, coeffs, weights, gains) -> int | None:
        self.attempts += 1
        layout = self.layout
        soft = weights * np.cos((2.0 * np.pi / QIM_STEP) * (coeffs / gains - layout.dither))
        per_bit = np.bincount(layout.coded_bit, weights=soft, minlength=_CODED_BITS)
        return _decode(per_bit, self.key)

    def quick(self) -> int | None:
        """Step 1 alone: nothing geometric, no gain change (JPEG, WebP, noise, rescales)."""
        luma, weights = self.reader.full()
        self._quick_done = True
        return self.try_decode(luma, weights, 1.0)

    def run(self) -> int | None:
        dither = self.layout.dither
        luma, weights = self.reader.full()
        # 1. Nothing geometric, no gain change: JPEG, WebP, noise, uniform rescales.
        if not getattr(self, "_quick_done", False):
            found = self.quick()
            if found is not None:
                return found
        # 2. A gain per frequency ring: brightness, contrast, low-pass of a resize.
        gains, score = _ring_gains(luma, weights, dither)
        if score > 4.0:
            found = self.try_decode(luma, weights, gains)
            if found is not None:
                return found
        if self.late():
            return None
        # 3. Crops, ranked by how well the lattice shows through at unit gain.
        crops = []
        for _, axis, kept, start, length in self.reader.one_axis_crops(dither)[:_CROP_ATTEMPTS]:
            # A crop without a resize removed whole pixels: the whole extents either side of the
            # scan's estimate are tried exactly, beside the estimate itself (a crop then a resize).
            n = self.reader.width if axis == "x" else self.reader.height
            best = None
            totals = [t for t in sorted({length, float(math.floor(length)), float(math.ceil(length))}) if t > n]
            starts = [float(_kept_start(kept, n, t)) for t in totals]
            for c, w in self.reader.cropped_many(axis, starts, totals):
                if w.sum() < _MIN_VISIBLE * _N_SLOTS:
                    continue
                z = _z(c, w, dither)
                if best is None or z > best[0]:
                    best = (z, c, w)
            if best is not None:
                crops.append(best)
        crops.sort(key=lambda t: -t[0])
        tried = set()
        for z, c, w in crops[:1]:
            if z > 3.0:
                tried.add(id(c))
                found = self.try_decode(c, w, 1.0)
                if found is not None:
                    return found
        if self.late():
            return None
        # 3b. Crops from several sides, a corner or the centre kept: equal fractions (the
        #     proportions kept: a finer search along that diagonal) and each axis its own; then
        #     the best of all kinds, _CROP_ATTEMPTS decodes in all.
        crops = sorted(crops + self.reader.zoom_crops(dither) + self.reader.two_axis_crops(dither)
                       + self.reader.three_side_crops(dither), key=lambda t: -t[0])
        for z, c, w in [t for t in crops if id(t[1]) not in tried][: _CROP_ATTEMPTS - len(tried)]:
            if z > 3.0:
                found = self.try_decode(c, w, 1.0)
                if found is not None:
                    return found
        if self.late():
            return None
        # 3c. The crops platforms and people make most (5, 10, 15 or 20% off one side, whole
        #     pixels): each exact extent scored, the best few decoded. The scan above estimates the
        #     extent; after strong JPEG on a small image its estimate can miss by a pixel or two,
        #     which these exact hypotheses do not.
        exact = []
        for axis in ("x", "y"):
            n = self.reader.width if axis == "x" else self.reader.height
            totals = [float(round(n / (1.0 - f))) for f in _COMMON_CROPS]
            hyps = [(float(_kept_start(kept, n, t)), t) for t in totals if t > n for kept in ("end", "start")]
            for c, w in self.reader.cropped_many(axis, [a for a, _ in hyps], [b for _, b in hyps]):
                if w.sum() < _MIN_VISIBLE * _N_SLOTS:
                    continue
                exact.append((_z(c, w, dither), c, w))
            if self.late():
                return None
        exact.sort(key=lambda t: -t[0])
        for z, c, w in exact[:_COMMON_CROP_DECODES]:
            if z > 3.0:
                found = self.try_decode(c, w, 1.0)
                if found is not None:
                    return found
        if self.late():
            return None
        # 4. Clipping (brightness or contrast pushed channels past 0 or 255): add back the
        #    expected overshoot of the clipped channels, searching its size.
        if self.reader.add_clip_maps() > 0.002:
            found = self._declipped()
            if found is not None:
                return found
        # 5. A crop that also changed gain.
        for _, c, w in crops[:1]:
            g, s = _best_gain(c, w, dither)
            if s / math.sqrt(max(float(w @ w) / 2.0, 1e-12)) > 4.0:
                found = self.try_decode(c, w, g)
                if found is not None:
                    return found
        if self.late():
            return None
        # 6. A rotation about the centre, the canvas kept or expanded (then rescaled, re-encoded).
        return self._rotated()

    def _rotated(self) -> int | None:
        dither = self.layout.dither
        coarse = []
        angles = _ROTATION_COARSE
        half = min(self.reader.width, self.reader.height) >= _ROTATION_HALF_MIN_SIDE
        for canvas in ("kept", "expanded", "cropped"):
            z = self.reader.rotated_coarse_z(angles, canvas, dither, half=half)
            coarse += [(float(v), float(a), canvas) for v, a in zip(z, angles) if np.isfinite(v)]
        coarse.sort(key=lambda t: -t[0])
        fine = []
        for _, centre, canvas in coarse[:_ROTATION_REFINE]:  # scored from the plane pre-filtered once
            z = self.reader.rotated_coarse_z(centre + _ROTATION_FINE, canvas, dither, half=False)
            fine += [(float(v), float(a), canvas) for v, a in zip(z, centre + _ROTATION_FINE)]
        fine.sort(key=lambda t: -t[0])
        for _, angle, canvas in fine[:1]:
            found = self._rotation_decode(angle, canvas)
            if found is not None:
                return found
        if self.late():
            return None
        return self._zoomed_rotation()

    def _zoomed_rotation(self) -> int | None:
        """A rotation (the canvas kept) then a crop keeping the centre at any fraction down to
        AREA_KEPT_MIN of the area: the angle and the scale searched together on the centre
        2 x 2 blocks, the best few refined on the 4 x 4 there, the best of those decoded."""
        dither = self.layout.dither
        z = self.reader.zoomed_rotation_z(_ZROT_ANGLES, _ZROT_SCALES, dither, 2)
        best = []
        for flat in np.argsort(z, axis=None)[::-1][:_ZROT_REFINE]:
            i, j = divmod(int(flat), len(_ZROT_ANGLES))
            angles = _ZROT_ANGLES[j] + _ZROT_FINE_ANGLES
            scales = _ZROT_SCALES[i] * _ZROT_FINE_SCALES
            z2 = self.reader.zoomed_rotation_z(angles, scales, dither, 4)
            i2, j2 = np.unravel_index(int(np.argmax(z2)), z2.shape)
            best.append((float(z2[i2, j2]), float(angles[j2]), float(scales[i2])))
        z2, angle, scale = max(best)
        if z2 < _ZROT_THRESHOLD:
            return None
        return self._rotation_decode(angle, "kept", scale)

    def _rotation_decode(self, angle: float, canvas: str, scale: float = 1.0) -> int | None:
        dither = self.layout.dither
        c, w = self.reader.rotated(angle, canvas, scale=scale)
        z = _z(c, w, dither)
        if z <= 3.5:
            return None
        found = self.try_decode(c, w, 1.0)
        if found is not None:
            return found
        # Something is there: the angle and the extent together, finer (a rescale's
        # rounding leaves the extent a little off what the angle says).
        polish = [(z, c, w)]
        for da in _ROTATION_POLISH_ANGLES:
            for ds in _ROTATION_POLISH_SCALES:
                c2, w2 = self.reader.rotated(angle + float(da), canvas, scale=scale * float(ds))
                polish.append((_z(c2, w2, dither), c2, w2))
        z2, c2, w2 = max(polish, key=lambda t: t[0])
        if z2 > z + 0.5:
            found = self.try_decode(c2, w2, 1.0)
            if found is not None:
                return found
            c, w = c2, w2
        gains, score = _ring_gains(c, w, dither)
        if score > 4.0:
            return self.try_decode(c, w, gains)
        return None

    def _declipped(self) -> int | None:
        """Clipped channels lost up to (k - 1) * span of their value, k the gain: span is 255 for
        a brightness change (c' = k c) and 255 - m above, m below for a contrast change around
        the mean m.  Add back a fraction of that (the clipped values' place in their range is not
        known), for each model, and search the gain of each."""
        dither = self.layout.dither
        luma, weights = self.reader.full(0)
        high, low = self.reader.full(1)[0], self.reader.full(2)[0]
        mean = float(self.reader.planes[0].mean())
        best = None
        for over, under in ((255.0, 0.0), (255.0 - mean, mean)):
            for frac in _DECLIP_OVERSHOOT:
                for guess in _DECLIP_GAINS:
                    coeffs = luma + frac * (guess - 1.0) * (over * high - under * low)
                    gain, score = _best_gain(coeffs, weights, dither)
                    if best is None or score > best[0]:
                        best = (score, coeffs, gain)
        norm = math.sqrt(max(float(weights @ weights) / 2.0, 1e-12))
        if best is not None and best[0] / norm > 4.0:
            return self.try_decode(best[1], weights, best[2])
        return None


def extract(image: Image.Image, key: bytes, *, deadline: float | None = None) -> int | None:
    """The mark id carried by ``image`` under ``key``, or None.

    None means: no mark of this key, or one too damaged to read.  Images
    smaller than 64 pixels on a side cannot be read and also give None.
    Past ``deadline`` (``time.monotonic()``) no further search step starts:
    the answer is then None unless a step already read the mark.
    """
    key = _check_key(key)
    width, height = image.size
    if min(width, height) < MIN_EXTRACT_SIDE:
        return None
    rgb = _as_rgb_u8(image)
    with one_blas_thread():
        return _extract_rgb(rgb, key, deadline)


def _extract_rgb(rgb, key: bytes, deadline: float | None) -> int | None:
    # A mirror image: the grid covers the whole picture, so the image flipped back is searched
    # too; the cheap step of both orientations first.  The flipped image is read through the
    # mirrored layout from the same reader, whose resamplings and products both searches share.
    reader = _Reader(rgb)
    searches = (
        _Search(reader, key, deadline),
        _Search(reader, key, deadline, mirrored=True),
    )
    for search in searches:
        found = search.quick()
        if found is not None:
            return found
    for search in searches:
        found = search.run()
        if found is not None:
            return found
    return None
