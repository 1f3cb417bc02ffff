"""The keyed lattice score, which needs no payload (``_lattice``, ``_z``), and the search for the
coefficients' gain that maximises it, per frequency ring (brightness, contrast, a resize's
low-pass)."""

from __future__ import annotations

import math

import numpy as np

from .params import _BLOCKS, BLOCK, GAIN_RANGE, QIM_STEP
from .transforms import _BAND


def _lattice(coeffs: np.ndarray, weights: np.ndarray, dither: np.ndarray, gains: np.ndarray) -> np.ndarray:
    """Lattice score of every gain in ``gains`` (rows): both cosets together, so every marked
    coefficient counts whatever its bit.  About 0 +- sqrt(sum(w^2)/2) on an unmarked image."""
    phase = np.float32(4.0 * np.pi / QIM_STEP) * (
        coeffs.astype(np.float32)[None, :] / gains.astype(np.float32)[:, None] - dither.astype(np.float32)[None, :]
    )
    return np.cos(phase) @ weights.astype(np.float32)


_COARSE_GAINS = np.exp(np.arange(math.log(GAIN_RANGE[0]), math.log(GAIN_RANGE[1]), 0.01))
# Coarse to fine: (largest |coefficient| in steps, at least this many of the smallest slots,
# relative grid around the best candidates so far, candidates kept).
_GAIN_LEVELS = (
    (16.0, 256, np.exp(np.arange(-0.015, 0.0151, 0.0025)), 2),
    (np.inf, 0, np.exp(np.arange(-0.003, 0.00301, 0.0005)), 1),
)


def _best_gain(coeffs: np.ndarray, weights: np.ndarray, dither: np.ndarray) -> tuple[float, float]:
    """(gain, score) maximising the lattice score, coarse to fine.  The score's peak in gain is
    as narrow as step / |coefficient|: small coefficients find it roughly, large ones sharpen it."""
    live = np.flatnonzero(weights)
    if live.size == 0:
        return 1.0, 0.0
    order = live[np.argsort(np.abs(coeffs[live]))]

    def subset(limit: float, at_least: int) -> np.ndarray:
        n = max(int(np.searchsorted(np.abs(coeffs[order]), limit * QIM_STEP)), min(at_least, order.size))
        return order[:n]

    idx = subset(4.0, 64)
    scores = _lattice(coeffs[idx], weights[idx], dither[idx], _COARSE_GAINS)
    best = [(float(scores[i]), float(_COARSE_GAINS[i])) for i in np.argsort(scores)[-3:]]
    for limit, at_least, grid, keep in _GAIN_LEVELS:
        idx = subset(limit, at_least)
        found = []
        for _, centre in best:
            gains = centre * grid
            scores = _lattice(coeffs[idx], weights[idx], dither[idx], gains)
            i = int(np.argmax(scores))
            found.append((float(scores[i]), float(gains[i])))
        best = sorted(found)[-keep:]
    score, gain = best[-1]
    return gain, score


def _ring_of_slots() -> np.ndarray:
    u, v = np.divmod(_BAND, BLOCK)
    ring = np.searchsorted(np.array(_RING_EDGES), u * u + v * v, side="right")
    return np.tile(ring, _BLOCKS * _BLOCKS)


_RING_EDGES = (6, 14, 21)  # rings of the band by u^2 + v^2: <= 5, 8..13, 16..20, 25..29
_SLOT_RING = _ring_of_slots()
_RINGS = [np.flatnonzero(_SLOT_RING == r) for r in range(len(_RING_EDGES) + 1)]


def _ring_gains(coeffs: np.ndarray, weights: np.ndarray, dither: np.ndarray) -> tuple[np.ndarray, float]:
    """Per-slot gains, one per frequency ring (a resize or a screenshot is a low-pass: the
    channel's response falls with frequency), and the lattice score in standard deviations."""
    gains = np.ones_like(coeffs)
    total = 0.0
    for idx in _RINGS:
        g, s = _best_gain(coeffs[idx], weights[idx], dither[idx])
        gains[idx] = g
        total += s
    return gains, total / math.sqrt(max(float(weights @ weights) / 2.0, 1e-12))


def _z(coeffs: np.ndarray, weights: np.ndarray, dither: np.ndarray, gains=1.0) -> float:
    s = float(weights @ np.cos((4.0 * np.pi / QIM_STEP) * (coeffs / gains - dither)))
    return s / math.sqrt(max(float(weights @ weights) / 2.0, 1e-12))
