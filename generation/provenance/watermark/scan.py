"""Crops of any size: the crop searches' parameters (one axis, a zoom, two axes, three sides) and the
scans of the lost extent, separable resamplings whose band coefficients for many hypotheses are
one product, scored by the keyed lattice correlation; ``reader._Reader`` runs them."""

from __future__ import annotations

import math

import cv2
import numpy as np
from scipy import sparse

from .params import _BLOCKS, _PREFILTER, _PREFILTER_RADIUS, BLOCK, CANONICAL_SIZE, QIM_STEP
from .transforms import _BAND, _BAND_LOW, _C_LOW, _K_LOW, _N_SLOTS, _PRE_DCT, _band_of, _outside_band

# --------------------------------------------------------------------------
# Crops of any size: scans of the lost extent (used by _Reader.one_axis_crops and two_axis_crops)
# --------------------------------------------------------------------------
# A crop along one axis keeps one edge of the original, or its centre; a crop from several sides
# keeps a corner or the centre, each axis its own fraction.  The original's extent is unknown (any
# fraction may have gone; a resize after the crop changes nothing, coordinates being relative).
# Every hypothesis about it is a different resampling of the received image onto the grid, and a
# separable one: a coarse pass scores every hypothesis (every pair of extents) at once as one
# matrix product, on the blocks beside what was kept (their alignment tolerates a coarse step in
# the extent); the best few are refined on more blocks, then on every visible block (for one axis
# by exact area resampling: differences of a cumulative sum gathered at each hypothesis's sample
# edges), each scored by the keyed lattice correlation.
CROP_KEPT_MIN = 0.62  # the least fraction of an axis a crop along one axis may keep and be found
AREA_KEPT_MIN = 0.64  # the least fraction of the area a crop from several sides may keep and be found
_SCAN_COARSE = 0.01  # log-step of the extent, first pass
_SCAN_FINE = np.arange(-0.006, 0.00601, 0.0006)  # log-steps around each of the best coarse ones
_SCAN_CANDIDATES = 3  # coarse candidates refined
_SCAN_THRESHOLD = 4.5  # a coarse candidate below this lattice score is noise (max of ~500 is ~3.5)
_SCAN_RATIOS = np.exp(np.arange(_SCAN_COARSE, math.log(1.0 / CROP_KEPT_MIN) + 1e-9, _SCAN_COARSE))
# Log-steps of the scale of a crop that kept the proportions (a zoom): a corner's blocks lie up to
# 128 samples from what was kept, the centre's 64; the lattice score tolerates about 0.15 samples.
ZOOM_KEPT_MIN = 0.80  # per axis, for a zoom's finer search along the equal fractions
_ZOOM_RATIOS = {
    "corner": np.exp(np.arange(0.0025, math.log(1.0 / ZOOM_KEPT_MIN) + 0.002, 0.0025)),
    "centre": np.exp(np.arange(0.0045, math.log(1.0 / ZOOM_KEPT_MIN) + 0.003, 0.0045)),
}
_ZOOM_BANDS = 5  # bands of the zoom's coarse extents, each read from its own reduced plane
_ZOOM_FINE = np.exp(np.arange(-0.0024, 0.00241, 0.0004))
_ZOOM_BLOCKS = {  # the four block columns beside what was kept
    "end": np.arange(_BLOCKS - 4, _BLOCKS),
    "start": np.arange(4),
    "centre": np.arange(_BLOCKS // 2 - 2, _BLOCKS // 2 + 2),
}
# What a crop from several sides kept: a corner or the centre (a crop from three sides is
# ``three_side_crops``'s; one from four by four different fractions is not searched).
_ZOOM_KEPT = (("end", "end"), ("end", "start"), ("start", "end"), ("start", "start"), ("centre", "centre"))
_KEPT_BLOCKS = {  # what a crop kept of an axis -> the two block columns beside it
    "end": np.array([_BLOCKS - 2, _BLOCKS - 1]),
    "start": np.array([0, 1]),
    "centre": np.array([_BLOCKS // 2 - 1, _BLOCKS // 2]),
}


def _best_local_pairs(r: np.ndarray, dither32: np.ndarray, k: int, n: int, x_axis, y_axis,
                      area_bound: bool = False) -> list[tuple[float, float, float]]:
    """The scores of the rescoring passes (``_Reader._corner_pairs``, ``_Reader._centre_pairs``):
    ``r`` holds each candidate's band coefficients, (candidates, y [local, block, k], x [local,
    block, k]), before the phase's dither; each axis is (kept edge, received side, its extents
    (candidates x ``n`` local, flattened), its blocks).  Per candidate, the best of its n x n local
    extent pairs on the visible blocks (with ``area_bound``, none keeping less than AREA_KEPT_MIN
    of the original): (score, x extent, y extent), best first."""
    (kx, w, xr, bx), (ky, h, yr, by) = x_axis, y_axis
    m, nb = len(r), len(bx)
    # (candidates, y [local, block, k], x [local, block, k]) -> (.., y local, x local, y block, x block, k * k)
    r = r.reshape(m, n, nb, k, n, nb, k).transpose(0, 1, 4, 2, 5, 3, 6).reshape(m, n, n, nb, nb, k * k)
    pick, keep = _band_of(k)
    ids = by[:, None] * _BLOCKS + bx[None, :]
    d = dither32[ids[:, :, None] * _BAND.size + keep[None, None, :]] * np.float32(4.0 * np.pi / QIM_STEP)
    per_block = np.cos(r[..., pick] - d).sum(axis=-1)
    vx = _visible_cols(w, _kept_start(kx, w, w * xr), w * xr)[:, bx].reshape(m, 1, n, 1, nb)
    vy = _visible_cols(h, _kept_start(ky, h, h * yr), h * yr)[:, by].reshape(m, n, 1, nb, 1)
    vis = (vx & vy).astype(np.float32)
    z = (per_block * vis).sum(axis=(3, 4)) / np.sqrt(np.maximum(vis.sum(axis=(3, 4)) * keep.size / 2.0, 1e-12))
    if area_bound:
        z[np.log(yr).reshape(m, n, 1) + np.log(xr).reshape(m, 1, n) > _TWO_AXIS_LOG_AREA] = -np.inf
    found = []
    for c in range(m):
        j2, i2 = np.unravel_index(int(np.argmax(z[c])), z[c].shape)
        found.append((float(z[c, j2, i2]), float(xr[c * n + i2]), float(yr[c * n + j2])))
    found.sort(key=lambda t: -t[0])
    return found


def _kept_start(kept: str, n: int, lengths):
    """Where the original began, in the received image's pixels, given its extent."""
    if kept == "end":
        return n - lengths
    if kept == "centre":
        return (n - lengths) / 2.0
    return np.zeros_like(lengths) if isinstance(lengths, np.ndarray) else 0.0


def _scan_grids(reduced_t: np.ndarray, starts: np.ndarray, lengths: np.ndarray, c0: int, c1: int) -> np.ndarray:
    """Canonical samples c0..c1-1 along the scanned axis of each hypothesis, pre-filtered along
    it: ``reduced_t`` is the image already resampled and pre-filtered along the other axis, the
    scanned axis first, shape (n, N); sample j of hypothesis h covers
    [starts[h] + j*s, starts[h] + (j+1)*s), s = lengths[h] / N.  Shape (hypotheses, c1 - c0, N);
    samples within the pre-filter's reach of an inner end (c0 > 0 or c1 < N) are not valid."""
    n = reduced_t.shape[0]
    cum = np.zeros((n + 1, reduced_t.shape[1]), dtype=np.float32)
    np.cumsum(reduced_t, axis=0, out=cum[1:])
    s = lengths / CANONICAL_SIZE
    edges = np.clip(starts[:, None] + np.arange(c0, c1 + 1)[None, :] * s[:, None], 0.0, float(n))
    idx = np.minimum(np.floor(edges).astype(np.int64), n - 1)
    frac = (edges - idx).astype(np.float32)[..., None]
    at = cum[idx]
    at += frac * reduced_t[idx]  # (hypotheses, edges, N)
    grids = np.diff(at, axis=1)
    grids *= (1.0 / s).astype(np.float32)[:, None, None]
    # The pre-filter, reflected at the grid's ends (as cv2.BORDER_REFLECT); at an inner end the
    # reflection is wrong, and those samples are not used.
    return _filter_stacked(grids)


def _filter_stacked(grids: np.ndarray, both: bool = False) -> np.ndarray:
    """The pre-filter along axis 1 of every (rows, columns) grid of a stack, reflected at each
    grid's ends (as cv2.BORDER_REFLECT), in one call; ``both``: along axis 2 too."""
    h, e, n = grids.shape
    r = _PREFILTER_RADIUS
    padded = np.concatenate([grids[:, r - 1 :: -1], grids, grids[:, : -r - 1 : -1]], axis=1)
    flat = cv2.sepFilter2D(padded.reshape(h * (e + 2 * r), n), cv2.CV_32F, _PREFILTER if both else np.ones(1),
                           _PREFILTER, borderType=cv2.BORDER_REFLECT)
    return flat.reshape(h, e + 2 * r, n)[:, r : r + e]


def _scan_coefficients(
    reduced_t: np.ndarray, starts: np.ndarray, lengths: np.ndarray, cols: np.ndarray, vertical: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Band coefficients of the blocks in the rows of blocks ``cols`` along the scanned axis of
    each hypothesis (hypotheses, 8 * len(cols) * 29), and the slots they are.  ``vertical``: the
    scanned axis is the image's vertical one (so ``cols`` are block rows)."""
    c0 = max(0, int(cols.min()) * BLOCK - _PREFILTER_RADIUS)
    c1 = min(CANONICAL_SIZE, (int(cols.max()) + 1) * BLOCK + _PREFILTER_RADIUS)
    grids = _scan_grids(reduced_t, starts, lengths, c0, c1)
    h = grids.shape[0]
    picked = np.concatenate([grids[:, c * BLOCK - c0 : (c + 1) * BLOCK - c0] for c in cols], axis=1)
    blocks = picked.reshape(h, len(cols), BLOCK, _BLOCKS, BLOCK).transpose(0, 1, 3, 2, 4)
    cm = _C_LOW.astype(np.float32)
    low = cm @ blocks @ cm.T  # (h, len(cols), other-axis blocks, k scanned, k other)
    if vertical:
        ids = (np.asarray(cols)[:, None] * _BLOCKS + np.arange(_BLOCKS)[None, :]).ravel()
    else:  # back to (block rows, block columns) and (vertical, horizontal) frequency
        low = low.transpose(0, 2, 1, 4, 3)
        ids = (np.arange(_BLOCKS)[:, None] * _BLOCKS + np.asarray(cols)[None, :]).ravel()
    coeffs = low.reshape(h, -1, _K_LOW * _K_LOW)[:, :, _BAND_LOW].reshape(h, -1)
    slots = (ids[:, None] * _BAND.size + np.arange(_BAND.size)[None, :]).ravel()
    return coeffs, slots


def _visible_cols(n: int, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """(hypotheses, 8): block columns that lie, with the pre-filter's reach, inside the image."""
    s = lengths / CANONICAL_SIZE
    lo = np.maximum(np.arange(_BLOCKS) * BLOCK - _PREFILTER_RADIUS, 0)[None, :]
    hi = np.minimum(np.arange(1, _BLOCKS + 1) * BLOCK + _PREFILTER_RADIUS, CANONICAL_SIZE)[None, :]
    return (starts[:, None] + lo * s[:, None] >= -1e-6) & (starts[:, None] + hi * s[:, None] <= n + 1e-6)


def _scan_z(coeffs: np.ndarray, weights: np.ndarray, dither: np.ndarray) -> np.ndarray:
    """The lattice score (in standard deviations) of each row of ``coeffs``."""
    s = np.sum(np.cos(np.float32(4.0 * np.pi / QIM_STEP) * (coeffs - dither[None, :])) * weights, axis=1)
    return s / np.sqrt(np.maximum(np.sum(weights * weights, axis=1) / 2.0, 1e-12))


def _sep_taps(n: int, f: float, starts: np.ndarray, lengths: np.ndarray):
    """Bilinear taps of each hypothesis's canonical samples on a reduced axis of ``n`` pixels:
    (left pixel, right pixel, the right one's weight), each (hypotheses, CANONICAL_SIZE), the
    border replicated as warpAffine's."""
    pos = f * (starts[:, None] + (np.arange(CANONICAL_SIZE) + 0.5)[None, :] * (lengths / CANONICAL_SIZE)[:, None]) - 0.5
    x0 = np.floor(pos)
    frac = (pos - x0).astype(np.float32)
    return np.clip(x0, 0, n - 1).astype(np.int64), np.clip(x0 + 1, 0, n - 1).astype(np.int64), frac


def _sep_rows(n: int, f: float, starts: np.ndarray, lengths: np.ndarray, blocks: np.ndarray, k: int) -> np.ndarray:
    """(hypotheses * len(blocks) * k, n): for each hypothesis (the original's axis spans
    [start, start + length) of the received one), the first ``k`` pre-filtered DCT rows of each
    block in ``blocks``, composed with bilinear sampling of a reduced axis of ``n`` pixels
    (``f`` reduced pixels per received pixel; the border replicated, as warpAffine's)."""
    nh = len(starts)
    i0, i1, frac = _sep_taps(n, f, starts, lengths)
    a = _PRE_DCT[blocks, :k].reshape(-1, CANONICAL_SIZE)  # (r, 256)
    # Sampling of every hypothesis as one sparse (hypotheses * n, 256) matrix (two taps a sample),
    # built in canonical CSR form (what scipy makes of the two taps as coordinates, without its
    # conversions: both taps on one pixel summed in float32, each row's columns ascending): the
    # product below, and so every bit of the rows, are the same.
    same = i0 == i1  # a sample clipped to the border pixel: one entry, both weights
    w0 = np.where(same, (1.0 - frac) + frac, 1.0 - frac).astype(np.float32)
    w1 = np.where(same, np.float32(0.0), frac).astype(np.float32)
    rows = (np.arange(nh)[:, None, None] * n + np.stack([i0, i1], axis=2)).ravel()  # (h, sample, tap)
    cols = np.repeat(np.arange(CANONICAL_SIZE), 2)[None, :].repeat(nh, axis=0).ravel()
    keep = ~np.stack([np.zeros_like(same), same], axis=2).ravel()
    rows, cols, data = rows[keep], cols[keep], np.stack([w0, w1], axis=2).ravel()[keep]
    order = np.argsort(rows * CANONICAL_SIZE + cols, kind="stable")
    indptr = np.zeros(nh * n + 1, np.int32)  # int32 indices, as scipy's own (not scanned to fit)
    np.cumsum(np.bincount(rows, minlength=nh * n), out=indptr[1:])
    sampling = sparse.csr_matrix((data[order], cols[order].astype(np.int32), indptr), shape=(nh * n, CANONICAL_SIZE))
    out = np.asarray(sampling @ a.T, dtype=np.float32)  # (hypotheses * n, r)
    return np.ascontiguousarray(out.reshape(nh, n, -1).transpose(0, 2, 1)).reshape(-1, n)


def _span(rows: np.ndarray) -> tuple[int, int]:
    used = np.flatnonzero(np.any(rows != 0, axis=0))
    return (int(used[0]), int(used[-1]) + 1) if used.size else (0, 1)


def _sep_coefficients(plane: np.ndarray, x_axis, y_axis, k: int):
    """Band coefficients (frequencies below ``k``) of every (y hypothesis, x hypothesis) pair:
    (pairs, slots), y major; the slots; visibility weights (pairs, slots).  Each axis is
    (reduced pixels per received pixel, received size, starts, lengths, blocks)."""
    fx, nx, xs, xl, bx = x_axis
    fy, ny, ys, yl, by = y_axis
    wx = _sep_rows(plane.shape[1], fx, np.asarray(xs, float), np.asarray(xl, float), bx, k)
    wy = _sep_rows(plane.shape[0], fy, np.asarray(ys, float), np.asarray(yl, float), by, k)
    # Only the pixels some hypothesis reads (near what was kept, for the coarse pass's blocks).
    # OpenCV's product: single-threaded, so it does not stall on a busy machine as BLAS threads do.
    (x0, x1), (y0, y1) = _span(wx), _span(wy)
    q = cv2.gemm(plane[y0:y1, x0:x1], wx[:, x0:x1], 1.0, None, 0.0, flags=cv2.GEMM_2_T)
    r = cv2.gemm(np.ascontiguousarray(wy[:, y0:y1]), q, 1.0, None, 0.0).reshape(len(ys), len(by), k, len(xs), len(bx), k)
    r = r.transpose(0, 3, 1, 4, 2, 5).reshape(len(ys) * len(xs), len(by) * len(bx), k * k)
    pick, keep = _band_of(k)
    coeffs = r[:, :, pick].reshape(len(ys) * len(xs), -1)
    ids = (np.asarray(by)[:, None] * _BLOCKS + np.asarray(bx)[None, :]).ravel()
    slots = (ids[:, None] * _BAND.size + keep[None, :]).ravel()
    vx = _visible_cols(nx, np.asarray(xs, float), np.asarray(xl, float))[:, bx]
    vy = _visible_cols(ny, np.asarray(ys, float), np.asarray(yl, float))[:, by]
    vis = (vy[:, None, :, None] & vx[None, :, None, :]).reshape(len(ys) * len(xs), -1)
    weights = np.repeat(vis, keep.size, axis=1).astype(np.float32)
    return coeffs, slots, weights


def _key(*parts) -> tuple:
    """A cache key of arrays and plain values (arrays by their bytes)."""
    return tuple(np.asarray(p).tobytes() if isinstance(p, (np.ndarray, list)) else p for p in parts)


def _sep_scores(plane: np.ndarray, x_axis, y_axis, k: int, dither: np.ndarray, wx=None, wy=None,
                cache: dict | None = None, across=None) -> np.ndarray:
    """The lattice score (in standard deviations) of every (y hypothesis, x hypothesis) pair of
    ``_sep_coefficients``, (y, x), computed in the product's own layout (a coarse pass's many
    pairs: no per-slot copies).  ``wx``, ``wy``: the axes' ``_sep_rows`` when already made.
    ``cache``: the product kept there (the mirror's search scores the same pairs).  ``across``:
    when given, a callable returning the plane's product with x rows of which ``wx`` is the
    first part (every row of the plane, the lattice phase folded in): made once and shared by
    every band of y extents that needs it."""
    fx, nx, xs, xl, bx = x_axis
    fy, ny, ys, yl, by = y_axis
    xs, xl, ys, yl = (np.asarray(v, float) for v in (xs, xl, ys, yl))
    phase = np.float32(4.0 * np.pi / QIM_STEP)  # folded into the product: the lattice phase comes out
    key = _key("sep", plane.shape, fx, fy, k, xs, xl, ys, yl, np.asarray(bx), np.asarray(by))
    r = None if cache is None else cache.get(key)
    if r is None:
        if wx is None:
            wx = _sep_rows(plane.shape[1], fx, xs, xl, bx, k)
        if wy is None:
            wy = _sep_rows(plane.shape[0], fy, ys, yl, by, k)
        y0, y1 = _span(wy)
        if across is None:
            x0, x1 = _span(wx)
            q = cv2.gemm(plane[y0:y1, x0:x1], wx[:, x0:x1], float(phase), None, 0.0, flags=cv2.GEMM_2_T)
        else:
            q = across()[y0:y1, : wx.shape[0]]
        r = cv2.gemm(np.ascontiguousarray(wy[:, y0:y1]), q, 1.0, None, 0.0)
        r = r.reshape(len(ys), len(by), k, len(xs), len(bx), k)
        if cache is not None:
            cache[key] = r  # read only below: the phases are a new array
    pick, keep = _band_of(k)
    d = np.zeros((len(by), len(bx), k * k), dtype=np.float32)
    ids = np.asarray(by)[:, None] * _BLOCKS + np.asarray(bx)[None, :]
    d[:, :, pick] = dither[(ids[:, :, None] * _BAND.size + keep[None, None, :])] * phase
    r = np.subtract(r, d.reshape(len(by), len(bx), k, k).transpose(0, 2, 1, 3)[None, :, :, None, :, :],
                    out=np.empty(r.shape, np.float32))
    np.cos(r, out=r)
    # The sum over the horizontal frequencies as one matrix-vector product (a numpy sum along
    # a contiguous axis of 5 runs an inner loop per 5 values: several times slower).
    per_block = (r.reshape(-1, k) @ np.ones(k, np.float32)).reshape(r.shape[:-1]).sum(axis=2)
    for flat in _outside_band(k):  # entries outside the band: taken back out
        u, v = divmod(int(flat), k)
        per_block -= r[:, :, u, :, :, v]
    vx = _visible_cols(nx, xs, xl)[:, bx].astype(np.float32)
    vy = _visible_cols(ny, ys, yl)[:, by].astype(np.float32)
    num = np.einsum("ab,abcd,cd->ac", vy, per_block, vx)
    slots = vy.sum(axis=1)[:, None] * vx.sum(axis=1)[None, :] * keep.size
    return num / np.sqrt(np.maximum(slots / 2.0, 1e-12))


# Crops from several sides: per axis, log-steps of the extent in the coarse pass (the 2 blocks
# beside a kept edge lie up to 64 samples from it, beside the centre 32; the lattice score
# tolerates about 0.15 samples), the extents' product at most 1 / AREA_KEPT_MIN.
_TWO_AXIS_LOG_AREA = math.log(1.0 / AREA_KEPT_MIN) + 1e-3
_COARSE_ROWS = 5  # the unequal crops' coarse pass reads frequencies below 5 (23 of the 29)
_TWO_AXIS_STEP = {"corner": 0.006, "centre": 0.009}
_TWO_AXIS_RATIOS = {k: np.exp(np.arange(0.0, _TWO_AXIS_LOG_AREA + v, v)) for k, v in _TWO_AXIS_STEP.items()}
_TWO_AXIS_BANDS = 6  # bands of y extents in the coarse pass
_TWO_AXIS_FINE = np.exp(np.arange(-0.0016, 0.00161, 0.0004))
# A centred crop by unequal fractions: the best centre pairs of the coarse pass rescored on the
# 4 x 4 centre blocks (``_Reader._centre_rescore``).  Measured on the benchmark's 5% left/right +
# 10% top/bottom crop and JPEG 35 of 24 photographs: the true pair ranked 0-17th of the centre
# pairs (10th-179th of all kinds' pairs where the crop was missed) and first after the rescoring
# on every photograph (4.6-23); on 48 unmarked crops and re-encodes the best rescored pair 3.2
# median, 4.5 most.
_CENTRE_RESCORE = 24
_CENTRE_RESCORE_KEEP = 2
_CENTRE_LOCAL = np.exp(np.array([-0.003, 0.0, 0.003]))
_CENTRE_LOCAL_FINE = np.exp(np.array([-0.0015, 0.0, 0.0015]))  # 3 x 3: the 7 x 7 read the astronaut at 512 px too but doubled an unmarked verify (270 -> 500 ms)
# A crop keeping a corner (``_Reader._corner_rescore``).  Measured on the benchmark's 12% left +
# 7% top, JPEG 35, x0.7 and 9% right + 15% bottom, WebP 35, x0.8 of 28 images: 16 or 24 pairs a
# corner missed retina at 1024 px and builtin/2 that 32 read (48, 64: nothing more); the 4 x 4
# middle blocks missed brick at 512 px (4 x 4 score 3.2 at the truth, 6 x 6 7.0); a 3 x 3 local
# grid read the same at 1.5 times the rescoring's cost; the plane of half the resolution lost
# four built-in outputs.
_CORNER_RESCORE = 32  # coarse pairs of each kept corner rescored on its 4 x 4 blocks
_CORNER_RESCORE_KEEP = 2  # of each corner's, to the middle list
_CORNER_MIDDLE = 5  # of that list (all corners), each on a 7 x 7 grid of extents on the 6 x 6 blocks
_CORNER_LOCAL_STEP = 0.0015  # log-step of the rescoring's lattice of extents (a quarter of the coarse step)
_CORNER_LOCAL_IDX = (-1, 1)  # lattice steps about a coarse extent, per axis
_CORNER_RESCORE_BLOCKS = _ZOOM_BLOCKS
_CORNER_MIDDLE_BLOCKS = {"end": np.arange(_BLOCKS - 6, _BLOCKS), "start": np.arange(6)}  # within 192 samples of the kept edge
_TWO_AXIS_THRESHOLD = 5.5  # on the middle pass's blocks (4 x 4; a corner's 6 x 6): the best of ~10^3 unmarked hypotheses stays under ~4.5
# Crops from three sides (one axis's edge kept, the other cut at both ends by unequal amounts),
# searched with the original's extent the same along both axes (the service renders squares).
# Measured on the benchmark's crop (5% left, 12% top, 3% right) of eight photographs at their true
# geometry: lattice score 21-43 on every block, but a cut axis a quarter sample off took it to
# 4.6-17 and an extent 0.6% off to 6.8-15, so the cut axis's start is scanned finely and the
# coarse pass reads the blocks whose place the extent moves least.  Coarse pass on the block row
# by the kept edge (within 32 samples of it: the extent at a 1.2% step, half the corner crops')
# and the four blocks across the middle of the cut axis, every band frequency: on the square
# photographs at 512 px (lossless and JPEG 35) 12 of 14 read; the 2 x 2 blocks at the corner step
# read 13 but cost twice the time.
_THREE_SIDE_KEPT = (("y", "end"), ("y", "start"), ("x", "end"), ("x", "start"))
_THREE_SIDE_OFFSET = 0.25  # canonical samples: the coarse pass's most between starts, a third of it in the middle pass
_THREE_SIDE_KEEP = 4  # coarse candidates per kept edge
_THREE_SIDE_MIDDLE = 4  # of those (square and 3:2, all kept edges together) taken to the 4 x 4 blocks (2 missed the astronaut at 512 px)
_THREE_SIDE_MIDDLE_MORE = 1  # then the best left of any whole proportion (4:3 and 16:9 among the first four lost that astronaut)
_THREE_SIDE_PHASES = 4  # starts of the cut axis a quarter of a plane pixel apart (<= 0.25 samples)
_THREE_SIDE_KEPT_BLOCKS = {"end": np.array([_BLOCKS - 1]), "start": np.array([0])}  # the block row by the kept edge
_THREE_SIDE_CUT_BLOCKS = _ZOOM_BLOCKS["centre"]  # the four across the middle of the cut axis
_THREE_SIDE_ROWS = _K_LOW  # every band frequency
_THREE_SIDE_STEP = 0.012  # log-step of the extent (the kept row's farthest sample moves 0.19 at half of it)
# The original's cut extent over its kept one, searched whole: square, 3:2, 4:3, 16:9 either way
# (all but square need each axis to keep _THREE_SIDE_AXIS_MIN, so a square image pays nothing
# for them; 5:4 would cost it ~0.9x the square's hypotheses: left to the odd scan).
_THREE_SIDE_RATIOS = (1.0, 1.5, 2.0 / 3.0, 4.0 / 3.0, 3.0 / 4.0, 16.0 / 9.0, 9.0 / 16.0)
_THREE_SIDE_FIRST = (1.0, 1.5, 2.0 / 3.0)
# Any other proportions (between _THREE_SIDE_ODD_RATIOS) for crops that kept at least
# _THREE_SIDE_ODD_MIN of each axis: both extents free, ~4,000 hypotheses per axis and kept edge
# at 1024^2 (~1.8x the square's), so the coarse pass reads the two blocks across the middle of the
# cut axis (half the cost a hypothesis, twice the tolerance to the cut extent, so its step is
# twice the kept one's); a looser minimum costs the square image's verify too much (0.85: ~1.8x
# the hypotheses).  Measured on the benchmark's crop (5/12/3%) of the 1.15:1 Hubble field at
# 512 and 1024 px: the true pair the best of its scan (6.5, 4.8; unmarked best 3.4-4.7), read.
_THREE_SIDE_ODD_MIN = 0.88
_THREE_SIDE_ODD_STEP = 0.024
_THREE_SIDE_ODD_BLOCKS = np.array([_BLOCKS // 2 - 1, _BLOCKS // 2])
_THREE_SIDE_ODD_RATIOS = (9.0 / 16.0, 16.0 / 9.0)
_THREE_SIDE_ODD_MIDDLE = 2  # of its candidates taken to the 4 x 4 blocks, beside _THREE_SIDE_MIDDLE
_THREE_SIDE_AXIS_MIN = 0.75  # of each axis, for the proportions other than square (then a square image pays nothing for them)

_MIN_VISIBLE = 0.35  # of the slots; a hypothesis that leaves fewer is not tried (a crop to 64% of the area can leave 36%)


def _best_visible(z: np.ndarray, c: np.ndarray, slots: np.ndarray, weights: np.ndarray):
    """Of a fine pass's hypotheses (scores ``z``, band coefficients ``c`` of ``slots``), the best
    that leaves at least ``_MIN_VISIBLE`` of the slots in view, as (score, coefficients, weights)
    over every slot; None where none does."""
    z = z.copy()
    z[weights.sum(axis=1) < _MIN_VISIBLE * _N_SLOTS] = -np.inf
    best = int(np.argmax(z))
    if not np.isfinite(z[best]):
        return None
    coeffs = np.empty(_N_SLOTS)
    coeffs[slots] = c[best]
    weight = np.zeros(_N_SLOTS)
    weight[slots] = weights[best]
    return float(z[best]), coeffs, weight
