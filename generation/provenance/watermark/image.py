"""Image plumbing: a PIL image as RGB bytes, BT.601 luma, the clip maps, and a luma change written
to R, G and B with clipping counted."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def _as_rgb_u8(image: Image.Image) -> np.ndarray:
    if not isinstance(image, Image.Image):
        raise TypeError(f"expected a PIL.Image.Image, got {type(image).__name__}")
    if image.mode != "RGB":
        image = image.convert("RGB")
    return np.ascontiguousarray(np.asarray(image, dtype=np.uint8))


def _luma(rgb: np.ndarray) -> np.ndarray:
    """BT.601 luma, rounded to whole levels as OpenCV computes it."""
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)


def _clip_maps(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel, the luma weight of the channels stuck at 255 and of those stuck at 0."""
    high = cv2.cvtColor((rgb == 255).view(np.uint8) * np.uint8(255), cv2.COLOR_RGB2GRAY)
    low = cv2.cvtColor((rgb == 0).view(np.uint8) * np.uint8(255), cv2.COLOR_RGB2GRAY)
    return high.astype(np.float32) / 255.0, low.astype(np.float32) / 255.0


def _channel_extremes(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel, the headroom of the brightest channel and the floor of the darkest."""
    flat = rgb.reshape(-1, 3)
    top = cv2.max(cv2.max(flat[:, 0], flat[:, 1]), flat[:, 2]).reshape(rgb.shape[:2])
    bottom = cv2.min(cv2.min(flat[:, 0], flat[:, 1]), flat[:, 2]).reshape(rgb.shape[:2])
    return cv2.subtract(255, top), bottom


def _apply_delta(rgb: np.ndarray, delta: np.ndarray, extremes) -> tuple[np.ndarray, int]:
    """(clip(rgb + round(delta)) on every channel, number of pixels where a channel clipped)."""
    pos = cv2.convertScaleAbs(cv2.max(delta, 0.0))  # rounds and saturates to uint8
    neg = cv2.convertScaleAbs(cv2.min(delta, 0.0))
    out = cv2.subtract(cv2.add(rgb, cv2.merge([pos, pos, pos])), cv2.merge([neg, neg, neg]))
    headroom, floor = extremes
    clipped = cv2.countNonZero(cv2.compare(pos, headroom, cv2.CMP_GT)) + cv2.countNonZero(
        cv2.compare(neg, floor, cv2.CMP_GT)
    )
    return out, clipped
