"""Embedding: a new mark id, the lattice offsets that carry a codeword, and the canonical
correction solved, upsampled and written into an image (``embed``; ``_embed_rgb`` for video frames
too)."""

from __future__ import annotations

import secrets

import cv2
import numpy as np
from PIL import Image

from .codes import _codeword_bits, _conv_encode
from .image import _apply_delta, _as_rgb_u8, _channel_extremes, _luma
from .keys import _check_key
from .layout import _layout
from .params import _INNER_ITERATIONS, _MAX_CLIP_PASSES, MARK_ID_BITS, MARK_ID_MAX, MARK_ID_MIN, MIN_IMAGE_SIDE, QIM_STEP
from .transforms import _Axis, _axis, _coefficients, _grid, _grid_from_coefficients, _left, _prefilter, _right


def new_mark_id() -> int:
    """A fresh random signed 64-bit mark id (fits a database BIGINT)."""
    return secrets.randbits(MARK_ID_BITS) + MARK_ID_MIN


def _check_mark_id(mark_id) -> int:
    if isinstance(mark_id, bool) or not isinstance(mark_id, (int, np.integer)):
        raise TypeError(f"mark_id must be an int, got {type(mark_id).__name__}")
    mark_id = int(mark_id)
    if not MARK_ID_MIN <= mark_id <= MARK_ID_MAX:
        raise ValueError(f"mark_id must be a signed 64-bit integer, got {mark_id}")
    return mark_id


def _offsets(key: bytes, mark_id: int) -> np.ndarray:
    """Per slot, the lattice offset that carries the slot's coded bit."""
    layout = _layout(key)
    coded = _conv_encode(_codeword_bits(key, mark_id))
    return layout.dither + coded[layout.coded_bit] * (QIM_STEP / 2.0)


def _quantise(coeffs: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    return np.round((coeffs - offsets) / QIM_STEP) * QIM_STEP + offsets


def _solve(grid: np.ndarray, offsets: np.ndarray, ax_y: _Axis, ax_x: _Axis) -> np.ndarray:
    """A canonical correction that, once upsampled to the image and read back, puts every slot
    on its lattice point (a few fixed-point iterations: the read-back is close to identity in
    the band)."""
    coeffs = _coefficients(_prefilter(grid))
    target = _quantise(coeffs, offsets)
    correction = _grid_from_coefficients(target - coeffs)
    for _ in range(_INNER_ITERATIONS - 1):
        seen = _right(_left(ax_y.round_trip, correction), ax_x.round_trip)
        correction += _grid_from_coefficients(target - coeffs - _coefficients(_prefilter(seen)))
    return correction


def _embed_rgb(rgb: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    height, width = rgb.shape[:2]
    ax_y, ax_x = _axis(height), _axis(width)
    grid = _grid(_luma(rgb))
    delta = np.zeros((height, width), dtype=np.float32)
    extremes = _channel_extremes(rgb)
    out = rgb
    for _ in range(_MAX_CLIP_PASSES):
        correction = _solve(grid, offsets, ax_y, ax_x)
        delta += cv2.resize(correction.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
        out, clipped = _apply_delta(rgb, delta, extremes)
        if clipped <= 0.01 * height * width:
            break
        # Pixels that clipped did not take the whole change: read back what did and, where
        # that left many coefficients off their lattice point, go round again.
        grid = _grid(_luma(out))
        coeffs = _coefficients(_prefilter(grid))
        if np.mean(np.abs(coeffs - _quantise(coeffs, offsets)) > QIM_STEP / 4) < 0.02:
            break
    return out


def embed(image: Image.Image, mark_id: int, key: bytes) -> Image.Image:
    """Return a new RGB image of the same size carrying ``mark_id`` under ``key``.

    Raises ValueError when ``mark_id`` is outside ``[0, 2**40)``, the key is
    empty, or the image is smaller than 128 pixels on a side.
    """
    mark_id = _check_mark_id(mark_id)
    key = _check_key(key)
    width, height = image.size
    if min(width, height) < MIN_IMAGE_SIDE:
        raise ValueError(
            f"image is {width}x{height}; the watermark needs at least {MIN_IMAGE_SIDE}x{MIN_IMAGE_SIDE} pixels"
        )
    return Image.fromarray(_embed_rgb(_as_rgb_u8(image), _offsets(key, mark_id)), mode="RGB")
