"""The canonical grid's transforms: the band of DCT coefficients the mark is written in, the block
DCT of the pre-filtered grid and its inverse, the resampling operators between an image axis and
the canonical axis, and the composed operators the searches use (the pre-filter folded into the
DCT rows, the block DCT of a stack of grids, the band's entries below a frequency)."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import cv2
import numpy as np
from scipy import sparse

from .params import _BLOCKS, _PREFILTER, _PREFILTER_RADIUS, BAND_RADIUS2, BLOCK, CANONICAL_SIZE


# --------------------------------------------------------------------------
# The band (which coefficients of a block's DCT carry the mark) and the DCT matrices
# --------------------------------------------------------------------------
def _band() -> np.ndarray:
    u, v = np.meshgrid(np.arange(BLOCK), np.arange(BLOCK), indexing="ij")
    r2 = (u * u + v * v).ravel()
    return np.flatnonzero((r2 > 0) & (r2 <= BAND_RADIUS2))


_BAND = _band()  # flat indices into a BLOCK x BLOCK DCT block
_N_SLOTS = _BLOCKS * _BLOCKS * _BAND.size  # 64 blocks x 29 coefficients = 1856


def _dct_matrix(n: int) -> np.ndarray:
    k = np.arange(n)[:, None]
    x = np.arange(n)[None, :]
    c = np.sqrt(2.0 / n) * np.cos(np.pi * (2 * x + 1) * k / (2 * n))
    c[0] /= np.sqrt(2.0)
    return c


_C = _dct_matrix(BLOCK)
_K_LOW = int(math.isqrt(BAND_RADIUS2)) + 1  # DCT rows 0.._K_LOW-1 hold the whole band
_C_LOW = _C[:_K_LOW]
_BAND_LOW = (_BAND // BLOCK) * _K_LOW + _BAND % BLOCK  # band indices in a (_K_LOW x _K_LOW) block


# --------------------------------------------------------------------------
# Block DCT on the (pre-filtered) canonical grid
# --------------------------------------------------------------------------
def _blocks(grid: np.ndarray) -> np.ndarray:
    return grid.reshape(_BLOCKS, BLOCK, _BLOCKS, BLOCK).swapaxes(1, 2)


def _unblocks(blocks: np.ndarray) -> np.ndarray:
    return blocks.swapaxes(1, 2).reshape(CANONICAL_SIZE, CANONICAL_SIZE)


def _prefilter(grid: np.ndarray) -> np.ndarray:
    return cv2.sepFilter2D(grid, cv2.CV_64F, _PREFILTER, _PREFILTER, borderType=cv2.BORDER_REFLECT)


def _coefficients(grid: np.ndarray) -> np.ndarray:
    """The band coefficients of every block of an already pre-filtered grid, in slot order."""
    low = _C_LOW @ _blocks(grid) @ _C_LOW.T  # (8, 8, k, k): only the rows the band needs
    return low.reshape(_BLOCKS * _BLOCKS, _K_LOW * _K_LOW)[:, _BAND_LOW].ravel()


def _grid_from_coefficients(values: np.ndarray) -> np.ndarray:
    low = np.zeros((_BLOCKS * _BLOCKS, _K_LOW * _K_LOW))
    low[:, _BAND_LOW] = values.reshape(_BLOCKS * _BLOCKS, _BAND.size)
    return _unblocks(_C_LOW.T @ low.reshape(_BLOCKS, _BLOCKS, _K_LOW, _K_LOW) @ _C_LOW)


# --------------------------------------------------------------------------
# Resampling operators (sparse matrices, one axis each)
# --------------------------------------------------------------------------
def _to_canonical(n_in: int, start: float, length: float) -> tuple[sparse.csr_matrix, np.ndarray]:
    """(CANONICAL_SIZE x n_in) matrix taking an image axis to the canonical axis, and a mask of
    the canonical samples that lie wholly inside the image.

    Canonical sample j covers image coordinates [start + j*s, start + (j+1)*s) with
    s = length / CANONICAL_SIZE (pixel x covers [x, x+1)): ``start`` < 0 and ``length`` > n_in
    describe an image that lost its first -start pixels and some at the end.  Shrinking
    (s >= 1) averages the covered pixels exactly (area resampling); enlarging interpolates
    linearly.
    """
    n_out = CANONICAL_SIZE
    s = length / n_out
    j = np.arange(n_out, dtype=np.float64)
    lo = start + j * s
    hi = lo + s
    valid = (lo >= -1e-6) & (hi <= n_in + 1e-6)
    rows, cols, vals = [], [], []
    if s >= 1.0:
        first = np.floor(np.clip(lo, 0, n_in)).astype(np.int64)
        for k in range(int(math.ceil(s)) + 2):
            x = first + k
            overlap = np.minimum(hi, x + 1) - np.maximum(lo, x)
            keep = (overlap > 1e-9) & (x < n_in)
            rows.append(j[keep].astype(np.int64))
            cols.append(x[keep])
            vals.append(overlap[keep])
    else:
        centre = start + (j + 0.5) * s - 0.5
        x0 = np.floor(centre)
        frac = centre - x0
        for x, weight in ((x0, 1.0 - frac), (x0 + 1, frac)):
            rows.append(j.astype(np.int64))
            cols.append(np.clip(x, 0, n_in - 1).astype(np.int64))
            vals.append(weight)
    m = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_out, n_in)
    )
    sums = np.asarray(m.sum(axis=1)).ravel()
    sums[sums == 0] = 1.0
    return (sparse.diags(1.0 / sums) @ m).tocsr().astype(np.float32), valid


def _from_canonical(n_out: int) -> np.ndarray:
    """(n_out x CANONICAL_SIZE) bilinear upsampler, the one ``cv2.resize(INTER_LINEAR)`` applies."""
    s = CANONICAL_SIZE / n_out
    centre = np.clip((np.arange(n_out) + 0.5) * s - 0.5, 0, CANONICAL_SIZE - 1)
    x0 = np.floor(centre).astype(np.int64)
    frac = centre - x0
    up = np.zeros((n_out, CANONICAL_SIZE))
    rows = np.arange(n_out)
    up[rows, x0] += 1.0 - frac
    up[rows, np.minimum(x0 + 1, CANONICAL_SIZE - 1)] += frac
    return up


@dataclass(frozen=True)
class _Axis:
    down: sparse.csr_matrix  # canonical <- image
    round_trip: sparse.csr_matrix  # down @ up: a canonical change once upsampled and read back (banded)


@functools.lru_cache(maxsize=32)
def _axis(n: int) -> _Axis:
    down, _ = _to_canonical(n, 0.0, float(n))
    round_trip = down.astype(np.float64) @ sparse.csr_matrix(_from_canonical(n))
    round_trip.data[np.abs(round_trip.data) < 1e-12] = 0.0
    round_trip.eliminate_zeros()
    return _Axis(down, round_trip.tocsr())


def _grid(plane: np.ndarray) -> np.ndarray:
    """The canonical grid of a whole image plane (float32): OpenCV's area resampling when
    shrinking (the same operator as ``_to_canonical``, faster), the sparse operators otherwise."""
    height, width = plane.shape
    if min(height, width) >= CANONICAL_SIZE:
        return cv2.resize(plane, (CANONICAL_SIZE, CANONICAL_SIZE), interpolation=cv2.INTER_AREA).astype(np.float64)
    return _to_grid(plane, _axis(height).down, _axis(width).down)


def _left(m: sparse.csr_matrix, plane: np.ndarray) -> np.ndarray:
    return np.asarray(m @ plane)


def _right(plane: np.ndarray, m: sparse.csr_matrix) -> np.ndarray:
    """plane @ m.T"""
    return np.asarray(m @ plane.T).T


def _to_grid(plane: np.ndarray, down_y: sparse.csr_matrix, down_x: sparse.csr_matrix) -> np.ndarray:
    return _right(_left(down_y, plane), down_x).astype(np.float64)


# --------------------------------------------------------------------------
# Composed operators and band entries for the searches (separable rows, stacks of grids)
# --------------------------------------------------------------------------
def _prefilter_matrix() -> np.ndarray:
    """The pre-filter along one canonical axis as a matrix, reflected at the ends as
    cv2.BORDER_REFLECT does."""
    n, r = CANONICAL_SIZE, _PREFILTER_RADIUS
    f = np.zeros((n, n))
    for i in range(n):
        for t in range(-r, r + 1):
            j = i + t
            j = -j - 1 if j < 0 else (2 * n - j - 1 if j >= n else j)
            f[i, j] += _PREFILTER[t + r]
    return f


# Row k of block b's DCT (k < _K_LOW) composed with the pre-filter: (blocks, k, canonical samples).
_PRE_DCT = np.stack([_C_LOW @ _prefilter_matrix()[b * BLOCK : (b + 1) * BLOCK] for b in range(_BLOCKS)]).astype(np.float32)


@functools.lru_cache(maxsize=8)
def _band_of(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Band entries whose frequencies are both below ``k``: their index in a (k x k) block and
    their place in the band."""
    u, v = np.divmod(_BAND, BLOCK)
    keep = np.flatnonzero((u < k) & (v < k))
    return u[keep] * k + v[keep], keep


def _block_dct_stack(stack: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """(grids, 64, k * k): the first k DCT rows of every block of every grid of a stack
    (grids, 8 b, 8 b), frequencies (vertical, horizontal), as two plain matrix products."""
    n, k, b = stack.shape[0], rows.shape[0], rows.shape[1]
    across = cv2.gemm(stack.reshape(-1, b), rows, 1.0, None, 0.0, flags=cv2.GEMM_2_T)  # (n 8 b 8, k): x contracted
    across = np.ascontiguousarray(across.reshape(n, _BLOCKS, b, _BLOCKS, k).transpose(0, 1, 3, 4, 2))
    both = cv2.gemm(across.reshape(-1, b), rows, 1.0, None, 0.0, flags=cv2.GEMM_2_T)  # y contracted
    return both.reshape(n, _BLOCKS, _BLOCKS, k, k).swapaxes(3, 4).reshape(n, _BLOCKS * _BLOCKS, k * k)


@functools.lru_cache(maxsize=8)
def _outside_band(k: int) -> tuple[int, ...]:
    return tuple(int(f) for f in np.setdiff1d(np.arange(k * k), _band_of(k)[0]))
