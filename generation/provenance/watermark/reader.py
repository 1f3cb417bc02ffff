"""Keyed invisible watermark for RGB images and MP4 video.

The mark carries an 88-bit codeword: a signed 64-bit ``mark_id`` (its two's
complement; what a database BIGINT holds) followed by a 24-bit check (truncated HMAC-SHA256 of the id under the key).  Only the holder of the
key can write a codeword whose check verifies, and an unmarked or badly damaged
image decodes to a codeword whose check fails, so :func:`extract` answers
``None`` rather than a wrong id.

Signal chain (numpy / scipy / OpenCV; no learned model):

1. **Canonical grid.**  The luma (BT.601, as JPEG) is resampled to
   ``CANONICAL_SIZE`` x ``CANONICAL_SIZE`` by exact area averaging (sparse
   matrices, or OpenCV's INTER_AREA, the same operator).  Embedding and decoding
   happen on that grid, so a uniform rescale (a screenshot at another zoom, a
   resize to half) changes nothing the decoder sees.
2. **Pre-filter and block DCT.**  A 13-tap least-squares FIR low-pass (pass to
   0.09, stop from 0.18 cycles per grid sample) removes the host's fine detail,
   then the grid is cut into ``BLOCK`` x ``BLOCK`` blocks whose orthonormal DCT
   gives 29 coefficients each, ``0 < u^2 + v^2 <= 30``: 2..22 cycles per image
   side, frequencies that JPEG/WebP at quality 50 and a resize to half keep.
   Blocks keep the mark local: a crop loses whole blocks, which the decoder
   erases, instead of disturbing every coefficient as a full-frame transform
   would; the pre-filter stops the blocks' rectangular windows from leaking the
   fine detail that a resize, JPEG or clipping changes into the band.
3. **Channel code.**  The codeword is protected with the rate-1/2,
   constraint-length-7 convolutional code (generators 171/133 octal,
   zero-terminated: 188 coded bits); a keyed interleaver spreads every coded
   bit over ~10 coefficients in different blocks.
4. **Dither modulation (QIM, Chen & Wornell 2001).**  Each coefficient is moved
   to the nearest point of the lattice ``QIM_STEP * Z + dither + bit*step/2``
   with a secret per-coefficient dither.  The change is computed on the grid,
   upsampled bilinearly to the image (the down/up round trip, a banded matrix,
   is compensated by a fixed-point iteration) and added equally to R, G and B,
   which changes luma only.  Where many pixels clip, a further pass reads back
   what was written and corrects it.
5. **Decoding** reads the soft value ``cos(2*pi*(c/g - dither)/step)`` of every
   coefficient, sums it per coded bit (erased blocks count zero), runs a
   soft-decision Viterbi decoder and verifies the keyed check.  Nuisance
   parameters are searched for, each candidate scored by how well the
   coefficients sit on the keyed lattice (``sum cos(4*pi*(c/g - dither)/step)``,
   a correlation with the secret dither that needs no payload; about
   ``0 +- sqrt(n/2)`` on an unmarked image):

   * **gain**, per frequency ring: brightness and contrast scale every AC
     coefficient and a resize's low-pass scales each ring differently; QIM
     alone would read either as noise.  Coarse-to-fine search over
     ``GAIN_RANGE``, small coefficients first (their peak is wide).
   * **clipping**: brightness or contrast pushed some channels past 255 or 0,
     so their luma lost an unknown amount.  The decoder adds back a fraction
     of the most each clipped channel can have lost (under a brightness or a
     contrast model) and keeps the best-scored variant.
   * **geometry**: a crop changes the extent the grid is relative to.  The
     decoder scans the original's extent for a crop along one axis (either side
     cut, or both alike: the centre kept; down to ``CROP_KEPT_MIN`` of the axis)
     and for a crop from several sides with a corner or the centre kept, each
     axis by its own fraction (say 12% off the left and 7% off the top; down
     to ``AREA_KEPT_MIN`` of the area; equal fractions, the proportions kept,
     also by a finer search along that diagonal).  Every hypothesis is a resampling of the visible part onto the
     grid, separable in x and y, so the band coefficients of all the
     hypotheses of a coarse pass are one matrix product: (y hypotheses' rows)
     @ plane @ (x hypotheses' rows).T, the pre-filter and the block DCT folded
     into the rows.  The coarse pass scores the blocks beside what was kept
     (their alignment tolerates a coarse step), the best few are refined on
     more blocks, then on every visible block (blocks not wholly visible are
     erased), and for one axis the whole-pixel extents either side are tried
     exactly (a crop removes whole pixels).  A resize after the crop changes
     nothing: coordinates are relative.

   Candidates run cheapest first and only a handful reach Viterbi; each must
   pass the 24-bit keyed check, so the false-mark rate stays near
   ``attempts * 2**-24`` per image (at most 12 attempts per orientation).

Video: every frame is marked as an image and re-encoded with H.264 (PyAV);
the decoder sums the soft values of up to 48 frames spread over the clip before
Viterbi, so an MP4 re-encoded at a lower bitrate still reads when single frames
do not.  Key frames count 8 times a predicted frame (after CRF 35 a key frame
alone kept 75-95% of the coded bits' signs, a predicted one 50-70%, decaying
along the group of pictures; in a probe on six 24-fps clips at CRF 35, 24 frames
summed with equal weights read 1, with these weights 4).  A geometry applied to every frame (a turn, a crop keeping a
corner or the centre) is searched on three frames together, key frames
preferred.  Not by the lattice score: after CRF 35 it is noise on a single
384x288 frame even at the right geometry (a key frame 1.7, predicted frames
-2.2 to +2.3, on a clip whose sum reads), while the first harmonic still
carries the mark.  Its sign is the unknown coded bit, but every
coded bit sits on ~10 slots of every frame, so the *coded-bit energy* (soft
values summed per coded bit over slots and frames, squared, summed; in standard
deviations of its value on an unmarked clip) grows with the mark whatever the
bits: 10-20 at the right turn or crop where the lattice score stays under 2.
It needs the whole grid (a few blocks hold under one slot per coded bit), so
every hypothesis is one warp per frame: turns every 0.15 degrees on the three
canvases then every 0.025 degrees, zooms every 0.12% of scale for the five kept
corners/centre then each axis on its own about the best (a crop rounded to even
sides).  The best two of each orientation's best turn and best crop, above 5.0,
are each decoded once from every frame read again at that geometry (a second pass over the file, one frame
at a time).  Unequal crops from several sides, one-axis crops and a resize's
gain are not searched in video.

Mirror images: the grid covers the whole picture, so the decoder also reads the
image flipped back (every search again; video sums flipped frames too).  It does
so without flipping: a left-right flip moves block column b to 7 - b and
multiplies a coefficient of horizontal frequency v by (-1)^v, and cos is even,
so the flipped image's scores and decodes are the unflipped coefficients read
with a mirrored layout (dither -+d at the mirrored slot, its coded bit).  The
crops' hypotheses are symmetric (either edge kept), so the mirror's search asks
the same reader for the same resamplings and products, which the reader keeps by
hypothesis: there the second orientation costs the scoring only, plus the few
refinements that differ.  A turn of the flipped image is the opposite turn of
the unflipped one, so the mirror's rotation search scores the angles negated
(the same angles as reading the flipped image; a grid symmetric about 0, shared
by both, was measured to move which rotations read).
Aspect-ratio changes are rescales of each axis, which the canonical grid absorbs.

Rotations: when nothing else reads, the decoder searches a rotation about the
centre, +-5.5 degrees, with the canvas kept or expanded (PIL's ``rotate``), or
kept and then cropped to the largest centred rectangle of the original's
proportions (a straightening tool's crop that removes the borders): a coarse
pass (0.3 degree steps) scored on the two lowest frequency rings, whose lattice
peak is wider, read from half the grid's samples; then 0.05 degree steps around
the best two, then one decode.  Coordinates are relative to the image's size,
so a rescale or an aspect change after the rotation changes nothing.  Then a
rotation followed by a crop past the borders that keeps the centre and the
proportions at any fraction (a turn and a zoom): the angle and the scale
together, coarse on the centre 2 x 2 blocks, the best few on the 4 x 4 there,
the best decoded (``_Search._zoomed_rotation``).

Crops from three sides (one axis's edge kept, the other cut unequally at both
ends): the service renders square images, so the original's extent is taken as
the same number of received pixels along both axes (a crop, or a resize after it
that keeps the proportions), or in the proportions 3:2, 4:3 or 16:9 either way (a
photograph's); then one extent and the cut axis's start remain, the start scanned
a quarter sample apart (``_Reader.three_side_crops``).  An original of any other
proportions between 9:16 and 16:9 is found when the crop kept at least 88% of
each axis (both extents scanned, on fewer blocks).

Limits: no shear or perspective; a crop from four sides by unequal fractions
(neither a corner nor the centre kept: two unknowns per axis), a three-side crop
of an original of other proportions that lost more than 12% of an axis, and a
rotation followed by a crop that is off-centre or changes the proportions, are not
resynchronised: too many hypotheses at the lattice score's tolerance (about
0.15 grid samples) for the decode's time budget.  After JPEG/WebP at quality
35 on a 512-pixel image the blocks beside a kept corner carry too little of
the mark for the coarse pass to single out the right pair of extents in some
photographs (a quarter to a half of them, measured), while at 1024 pixels it
mostly does.  A keyed Fourier-magnitude template (peaks at 31/37/43 cycles per
side, two directions) was tried for the unequal crops and measured too weak:
inside the 40 dB PSNR budget its peaks stood 2-3x above the whitened host
spectrum of natural photographs, not enough to register them reliably; the
blocks' edges (a 1/8-period grid in the mark) measured invisible after JPEG at
quality 35 and a resize.  An adversary holding
many marked images could in principle estimate the dither pattern and strip it;
without the key nobody can write a *valid* new id.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import io
import math
import os
import secrets
import time
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image
from scipy import sparse

__all__ = [
    "MARK_ID_BITS",
    "CHECK_BITS",
    "CODEWORD_BITS",
    "MIN_IMAGE_SIDE",
    "MIN_EXTRACT_SIDE",
    "embed",
    "extract",
    "embed_video",
    "extract_video",
    "new_mark_id",
    "probe_video",
]

MARK_ID_BITS = 64  # a signed 64-bit id (what a database BIGINT holds), carried as its two's complement
CHECK_BITS = 24
CODEWORD_BITS = MARK_ID_BITS + CHECK_BITS  # 88
MARK_ID_MIN, MARK_ID_MAX = -(1 << (MARK_ID_BITS - 1)), (1 << (MARK_ID_BITS - 1)) - 1
MIN_IMAGE_SIDE = 128  # embedding
MIN_EXTRACT_SIDE = 64  # decoding (a marked 128-pixel image resized to half still reads)

# Scheme parameters.  Changing any of them changes the on-image format: bump
# _VERSION so that old and new layouts use different key derivations.
_VERSION = b"rightscast/watermark/v3"
CANONICAL_SIZE = 256
BLOCK = 32
_BLOCKS = CANONICAL_SIZE // BLOCK  # per side
BAND_RADIUS2 = 30  # (u, v) with 0 < u^2 + v^2 <= 30 in a 32-point block DCT: 2..22 cycles per image side
QIM_STEP = 43.0
# Least-squares FIR low-pass (13 taps; pass 0..0.09, stop 0.18..0.5 cycles per canonical pixel)
# applied to the grid before the block DCT, at embedding and decoding alike.  It keeps the band
# and removes the host's fine detail, which the blocks' rectangular windows would otherwise leak
# into the band: detail that a resize, JPEG or clipping changes.
_PREFILTER = np.array(
    [-0.0248522, -0.03707063, -0.01655159, 0.0499364, 0.14765292, 0.23614722, 0.27187424,
     0.23614722, 0.14765292, 0.0499364, -0.01655159, -0.03707063, -0.0248522]
)
_PREFILTER_RADIUS = len(_PREFILTER) // 2
GAIN_RANGE = (0.70, 1.40)
_INNER_ITERATIONS = 2
_MAX_CLIP_PASSES = 3

_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


# --------------------------------------------------------------------------
# Convolutional code: rate 1/2, K = 7, generators 0o171 / 0o133 (NASA/CCSDS).
# --------------------------------------------------------------------------
_K = 7
_N_STATES = 1 << (_K - 1)
_GENERATORS = (0o171, 0o133)
_CODED_BITS = 2 * (CODEWORD_BITS + _K - 1)  # 188


def _build_trellis() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    # state = the previous 6 input bits, most recent in bit 5;
    # register = (input << 6) | state; next state = register >> 1.
    out = np.zeros((_N_STATES, 2, 2), dtype=np.int8)
    nxt = np.zeros((_N_STATES, 2), dtype=np.int64)
    for state in range(_N_STATES):
        for bit in range(2):
            reg = (bit << (_K - 1)) | state
            out[state, bit] = [bin(reg & g).count("1") & 1 for g in _GENERATORS]
            nxt[state, bit] = reg >> 1
    # Each next state ns has input bit ns >> 5 and predecessors ((ns & 31) << 1) | j.
    prev = np.array(
        [[((ns & (_N_STATES // 2 - 1)) << 1) | j for j in range(2)] for ns in range(_N_STATES)],
        dtype=np.int64,
    )
    pin = np.arange(_N_STATES, dtype=np.int64) >> (_K - 2)
    return out, nxt, prev, pin


_OUT, _NEXT, _PREV, _PIN = _build_trellis()
# Branch metric signs for each (predecessor, input) pair leading into each state.
_SIGNS = 1.0 - 2.0 * _OUT.astype(np.float64)  # (states, input, 2)
_SIGNS_INTO = np.stack([_SIGNS[_PREV[:, j], _PIN] for j in range(2)])  # (2, states, 2)


def _conv_encode(bits: np.ndarray) -> np.ndarray:
    state = 0
    out = np.empty(_CODED_BITS, dtype=np.int8)
    for i, bit in enumerate(np.concatenate([bits, np.zeros(_K - 1, dtype=np.int8)])):
        out[2 * i : 2 * i + 2] = _OUT[state, bit]
        state = _NEXT[state, bit]
    return out


def _viterbi_decode(soft: np.ndarray) -> np.ndarray:
    """Soft-decision Viterbi; ``soft`` > 0 means coded bit 0.  Returns the 64 data bits."""
    steps = soft.reshape(-1, 2)
    metric = np.full(_N_STATES, -np.inf)
    metric[0] = 0.0
    decisions = np.empty((len(steps), _N_STATES), dtype=np.int8)
    for t, pair in enumerate(steps):
        cand = metric[_PREV.T] + _SIGNS_INTO @ pair  # (2, states)
        choice = cand[1] > cand[0]
        decisions[t] = choice
        metric = np.where(choice, cand[1], cand[0])
    state = 0  # zero-terminated
    bits = np.empty(len(steps), dtype=np.int8)
    for t in range(len(steps) - 1, -1, -1):
        bits[t] = _PIN[state]
        state = _PREV[state, decisions[t, state]]
    return bits[:CODEWORD_BITS]


# --------------------------------------------------------------------------
# Keyed layout
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


@dataclass(frozen=True)
class _Layout:
    dither: np.ndarray  # per slot, in [0, QIM_STEP)
    coded_bit: np.ndarray  # which coded bit each slot carries
    slot_block: np.ndarray  # which block each slot lies in (row-major over the 8x8 blocks)


def _subkey(key: bytes, purpose: bytes) -> bytes:
    return hmac.new(key, _VERSION + b"/" + purpose, hashlib.sha256).digest()


def _keystream_u64(key: bytes, purpose: bytes, n: int) -> np.ndarray:
    # SHAKE-256 keyed by a derived subkey: stable across numpy versions, unlike
    # numpy's Generator methods.
    raw = hashlib.shake_256(_subkey(key, purpose)).digest(8 * n)
    return np.frombuffer(raw, dtype="<u8")


@functools.lru_cache(maxsize=16)
def _layout(key: bytes) -> _Layout:
    dither = (_keystream_u64(key, b"dither", _N_SLOTS) >> np.uint64(11)).astype(np.float64)
    dither *= QIM_STEP / float(1 << 53)
    perm = np.argsort(_keystream_u64(key, b"interleave", _N_SLOTS), kind="stable")
    coded_bit = np.empty(_N_SLOTS, dtype=np.int64)
    coded_bit[perm] = np.arange(_N_SLOTS) % _CODED_BITS
    slot_block = np.repeat(np.arange(_BLOCKS * _BLOCKS), _BAND.size)
    for arr in (dither, coded_bit, slot_block):
        arr.setflags(write=False)
    return _Layout(dither, coded_bit, slot_block)


@functools.lru_cache(maxsize=16)
def _mirrored_layout(key: bytes) -> _Layout:
    """The layout that reads the image flipped left to right from the unflipped image's
    coefficients.  Flipping moves block column b to 7 - b and multiplies a coefficient of
    horizontal frequency v by (-1)^v (the DCT's symmetry; the pre-filter is symmetric), so the
    flipped image's slot s holds e(s) c(m(s)), m the block mirror.  Since cos is even,
    cos(a (e c - d)) = cos(a (c - e d)): scoring or decoding the unflipped coefficients with the
    dither e(s) d(m(s)) and the coded bits b(m(s)) is reading the flipped image, every geometric
    hypothesis mirrored (the searched sets are symmetric), with no second set of resamplings."""
    layout = _layout(key)
    blocks = np.arange(_BLOCKS * _BLOCKS).reshape(_BLOCKS, _BLOCKS)[:, ::-1].ravel()
    m = (blocks[:, None] * _BAND.size + np.arange(_BAND.size)[None, :]).ravel()
    sign = np.tile(1.0 - 2.0 * ((_BAND % BLOCK) % 2), _BLOCKS * _BLOCKS)
    dither = sign * layout.dither[m]
    coded_bit = layout.coded_bit[m].copy()
    for arr in (dither, coded_bit):
        arr.setflags(write=False)
    return _Layout(dither, coded_bit, layout.slot_block)


def _check_value(key: bytes, mark_id: int) -> int:
    word = mark_id & ((1 << MARK_ID_BITS) - 1)
    mac = hmac.new(_subkey(key, b"check"), word.to_bytes(8, "big"), hashlib.sha256).digest()
    return int.from_bytes(mac[: CHECK_BITS // 8], "big")


def _codeword_bits(key: bytes, mark_id: int) -> np.ndarray:
    word = ((mark_id & ((1 << MARK_ID_BITS) - 1)) << CHECK_BITS) | _check_value(key, mark_id)
    return np.array([(word >> (CODEWORD_BITS - 1 - i)) & 1 for i in range(CODEWORD_BITS)], dtype=np.int8)


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
# Image plumbing
# --------------------------------------------------------------------------
def _check_key(key: bytes) -> bytes:
    if not isinstance(key, (bytes, bytearray)) or len(key) == 0:
        raise ValueError("watermark key must be non-empty bytes")
    return bytes(key)


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


# --------------------------------------------------------------------------
# Embedding
# --------------------------------------------------------------------------
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


# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------
def _decode(per_bit: np.ndarray, key: bytes) -> int | None:
    bits = _viterbi_decode(per_bit)
    word = 0
    for bit in bits:
        word = (word << 1) | int(bit)
    mark_id, check = word >> CHECK_BITS, word & ((1 << CHECK_BITS) - 1)
    if mark_id > MARK_ID_MAX:
        mark_id -= 1 << MARK_ID_BITS
    if not hmac.compare_digest(check.to_bytes(3, "big"), _check_value(key, mark_id).to_bytes(3, "big")):
        return None
    return mark_id


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


def _visible_weights(valid_y: np.ndarray, valid_x: np.ndarray) -> np.ndarray:
    """1 for the slots of blocks whose pre-filter footprint lies wholly inside the image."""
    def blocks_ok(valid: np.ndarray) -> np.ndarray:
        bad = ~valid
        if bad.any():  # the pre-filter reads PREFILTER_RADIUS samples beyond each block
            bad = np.convolve(bad.astype(np.int64), np.ones(2 * _PREFILTER_RADIUS + 1), "same") > 0
        return ~bad.reshape(_BLOCKS, BLOCK).any(axis=1)

    ok = blocks_ok(valid_y)[:, None] & blocks_ok(valid_x)[None, :]
    return np.repeat(ok.ravel().astype(np.float64), _BAND.size)


class _Reader:
    """The planes of one received image on the canonical grid, under each geometry hypothesis:
    luma, then (on demand) the clip maps."""

    def __init__(self, rgb: np.ndarray):
        self.rgb = rgb
        self.height, self.width = rgb.shape[:2]
        self.planes = [_luma(rgb)]
        self.weight = 1.0  # a video frame's, in the frames' sums (``_FramesSearch``)
        self._full: dict[int, np.ndarray] = {}
        self._rows: dict[int, np.ndarray] = {}
        self._cols: dict[int, np.ndarray] = {}
        self._reduced: dict[tuple[int, int], np.ndarray] = {}
        self._scan_red: dict[str, np.ndarray] = {}
        # Resamplings and products by their hypotheses: the mirror's search (the same reader,
        # the mirrored layout) asks for the same ones.
        self.cache: dict[tuple, object] = {}

    def memo(self, key: tuple, make):
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    def add_clip_maps(self) -> float:
        """Add the clip maps as planes 1 and 2; the fraction of pixels with a clipped channel."""
        if len(self.planes) == 1:
            self.planes += list(_clip_maps(self.rgb))
        return float(np.count_nonzero(self.planes[1] + self.planes[2])) / (self.height * self.width)

    def _coeffs(self, grid: np.ndarray) -> np.ndarray:
        return _coefficients(_prefilter(grid.astype(np.float64)))

    def full(self, plane: int = 0) -> tuple[np.ndarray, np.ndarray]:
        if plane not in self._full:
            if plane == 0 and min(self.height, self.width) >= CANONICAL_SIZE:  # _grid's resampling, kept for the searches
                grid = self._plane(CANONICAL_SIZE, CANONICAL_SIZE, False).astype(np.float64)
            else:
                grid = _grid(self.planes[plane])
            self._full[plane] = self._coeffs(grid)
        ones = np.ones(CANONICAL_SIZE, dtype=bool), np.ones(CANONICAL_SIZE, dtype=bool)
        return self._full[plane], _visible_weights(*ones)

    def cropped(self, axis: str, start: float, length: float, plane: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Coefficients if the image is the part of a wider (axis "x") or taller one."""
        if axis == "x":
            if plane not in self._rows:  # rows resampled once, columns per hypothesis
                self._rows[plane] = _left(_to_canonical(self.height, 0.0, float(self.height))[0], self.planes[plane])
            m, valid_x = _to_canonical(self.width, start, length)
            grid, valid_y = _right(self._rows[plane], m), np.ones(CANONICAL_SIZE, dtype=bool)
        else:
            if plane not in self._cols:
                self._cols[plane] = _right(self.planes[plane], _to_canonical(self.width, 0.0, float(self.width))[0])
            m, valid_y = _to_canonical(self.height, start, length)
            grid, valid_x = _left(m, self._cols[plane]), np.ones(CANONICAL_SIZE, dtype=bool)
        return self._coeffs(grid), _visible_weights(valid_y, valid_x)

    def cropped_many(self, axis: str, starts, lengths) -> list[tuple[np.ndarray, np.ndarray]]:
        """``cropped`` for many extents of one axis at once: exact area resampling by differences
        of a cumulative sum (``_scan_coefficients``) when every hypothesis shrinks the axis (an
        extent of at least a canonical sample per pixel); one by one otherwise."""
        starts, lengths = np.asarray(starts, dtype=np.float64), np.asarray(lengths, dtype=np.float64)
        if len(lengths) == 0:
            return []
        return self.memo(_key("many", axis, starts, lengths), lambda: self._cropped_many(axis, starts, lengths))

    def _cropped_many(self, axis: str, starts: np.ndarray, lengths: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        if lengths.min() < CANONICAL_SIZE:
            return [self.cropped(axis, float(a), float(b)) for a, b in zip(starts, lengths)]
        n = self.width if axis == "x" else self.height
        if axis not in self._scan_red:
            self._scan_red[axis] = self._scan_reduced(axis)
        coeffs, slots = _scan_coefficients(self._scan_red[axis], starts, lengths, np.arange(_BLOCKS), axis == "y")
        visible = _visible_cols(n, starts, lengths)
        if axis == "x":
            weights = np.repeat(np.tile(visible, (1, _BLOCKS)), _BAND.size, axis=1)
        else:
            weights = np.repeat(np.repeat(visible, _BLOCKS, axis=1), _BAND.size, axis=1)
        out = []
        for c, w in zip(coeffs, weights):
            full = np.empty(_N_SLOTS)
            full[slots] = c
            out.append((full, w.astype(np.float64)))
        return out

    def _scan_reduced(self, axis: str) -> np.ndarray:
        """Luma resampled and pre-filtered along the axis that is not scanned: (N, extent)."""
        if axis == "y":
            cols = _right(self.planes[0], _axis(self.width).down)  # (height, N)
            return cv2.sepFilter2D(cols, cv2.CV_32F, _PREFILTER, np.ones(1), borderType=cv2.BORDER_REFLECT)
        rows = _left(_axis(self.height).down, self.planes[0])  # (N, width)
        rows = cv2.sepFilter2D(rows, cv2.CV_32F, np.ones(1), _PREFILTER, borderType=cv2.BORDER_REFLECT)
        return np.ascontiguousarray(rows.T)

    def one_axis_crops(self, dither: np.ndarray) -> list[tuple[float, str, str, float, float]]:
        """(score, axis, kept, start, length) of the best hypotheses of a crop along one axis, best
        first; ``kept`` says what the crop kept of the original: its "end" (the start was cut),
        its "start", or its "centre" (both sides cut alike).  The original's extent is scanned
        coarsely on the two block columns by what was kept, the best few refined on every
        visible block.  The coarse pass is one separable product per kept edge (``_sep_scores``)."""
        dither = dither.astype(np.float32)
        coarse = []
        reduced = {}
        plane, fx, fy = self._sep_plane()
        for axis, n in (("x", self.width), ("y", self.height)):
            if axis not in self._scan_red:
                self._scan_red[axis] = self._scan_reduced(axis)
            reduced[axis] = self._scan_red[axis]
            for kept, cols in _KEPT_BLOCKS.items():
                lengths = n * _SCAN_RATIOS
                starts = _kept_start(kept, n, lengths)
                if axis == "x":  # the other axis whole: one hypothesis
                    whole = (fy, self.height, [0.0], [float(self.height)], np.arange(_BLOCKS))
                    z = _sep_scores(plane, (fx, self.width, starts, lengths, cols), whole, _K_LOW, dither,
                                    cache=self.cache)[0]
                else:
                    whole = (fx, self.width, [0.0], [float(self.width)], np.arange(_BLOCKS))
                    z = _sep_scores(plane, whole, (fy, self.height, starts, lengths, cols), _K_LOW, dither,
                                    cache=self.cache)[:, 0]
                i = int(np.argmax(z))
                coarse.append((float(z[i]), axis, kept, float(_SCAN_RATIOS[i])))
        coarse.sort(key=lambda t: -t[0])
        fine = []
        every = np.arange(_BLOCKS)
        for z0, axis, kept, ratio in coarse[:_SCAN_CANDIDATES]:
            if z0 < _SCAN_THRESHOLD:
                break
            n = self.width if axis == "x" else self.height
            lengths = n * ratio * np.exp(_SCAN_FINE)
            lengths = lengths[lengths > n]
            if lengths.size == 0:
                continue
            starts = _kept_start(kept, n, lengths)
            coeffs, slots = self.memo(_key("scan", axis, starts, lengths), lambda: _scan_coefficients(
                reduced[axis], starts, lengths, every, axis == "y"))
            visible = _visible_cols(n, starts, lengths)  # (h, 8) block columns (rows for "y")
            if axis == "x":  # slots by block row, then block column
                weights = np.repeat(np.tile(visible, (1, _BLOCKS)), _BAND.size, axis=1)
            else:
                weights = np.repeat(np.repeat(visible, _BLOCKS, axis=1), _BAND.size, axis=1)
            z = _scan_z(coeffs, weights.astype(np.float32), dither[slots])
            i = int(np.argmax(z))
            fine.append((float(z[i]), axis, kept, float(starts[i]), float(lengths[i])))
        fine.sort(key=lambda t: -t[0])
        return fine

    def _windows(self, boxes, bx: np.ndarray, by: np.ndarray, mid: tuple[float, float] | None = None):
        """Band coefficients of the blocks (by x bx) under each hypothesis (xs, xl, ys, yl) of
        ``boxes`` (the image is the part of an original whose canonical sample (j, i) covers x in
        [xs + i*xl/N, ...), y in [ys + j*yl/N, ...)): (hypotheses, slots), and the slots.
        Bilinear from a plane reduced to about a canonical sample per pixel.  ``mid``: a coarse
        pass over hypotheses whose extents are about (mid_x * width, mid_y * height): the plane
        is reduced to a canonical sample per pixel at those extents and pre-filtered once, not
        each hypothesis (the filter is then off by the extents' spread, which a score tolerates)."""
        if mid is None:
            k = max(1.0, min(self.width, self.height) / CANONICAL_SIZE)
            wd, hd = max(8, round(self.width / k)), max(8, round(self.height / k))
        else:
            wd, hd = max(8, round(CANONICAL_SIZE / mid[0])), max(8, round(CANONICAL_SIZE / mid[1]))
        plane = self._plane(wd, hd, mid is not None)
        r = 0 if mid is not None else _PREFILTER_RADIUS
        x0, x1 = max(0, int(bx.min()) * BLOCK - r), min(CANONICAL_SIZE, (int(bx.max()) + 1) * BLOCK + r)
        y0, y1 = max(0, int(by.min()) * BLOCK - r), min(CANONICAL_SIZE, (int(by.max()) + 1) * BLOCK + r)
        fx, fy = wd / self.width, hd / self.height
        regions = np.empty((len(boxes), y1 - y0, x1 - x0), dtype=np.float32)
        for n, (xs, xl, ys, yl) in enumerate(boxes):
            sx, sy = xl / CANONICAL_SIZE * fx, yl / CANONICAL_SIZE * fy
            m = np.array([[sx, 0.0, xs * fx + (x0 + 0.5) * sx - 0.5], [0.0, sy, ys * fy + (y0 + 0.5) * sy - 0.5]])
            cv2.warpAffine(plane, m, (x1 - x0, y1 - y0), dst=regions[n],
                           flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)
        if mid is None:
            regions = _filter_stacked(regions, both=True)
        bl = regions[:, by[0] * BLOCK - y0 : (by[-1] + 1) * BLOCK - y0, bx[0] * BLOCK - x0 : (bx[-1] + 1) * BLOCK - x0]
        h = len(boxes)
        blocks = bl.reshape(h, len(by), BLOCK, len(bx), BLOCK).transpose(0, 1, 3, 2, 4)
        cm = _C_LOW.astype(np.float32)
        low = cm @ blocks @ cm.T
        coeffs = low.reshape(h, -1, _K_LOW * _K_LOW)[:, :, _BAND_LOW].reshape(h, -1)
        ids = (np.asarray(by)[:, None] * _BLOCKS + np.asarray(bx)[None, :]).ravel()
        slots = (ids[:, None] * _BAND.size + np.arange(_BAND.size)[None, :]).ravel()
        return coeffs, slots

    def zoom_crops(self, dither: np.ndarray) -> list[tuple[float, np.ndarray, np.ndarray]]:
        """A crop from several sides that kept the picture's proportions (a zoom): the same
        fraction of each axis, the original's corner or centre kept.  Scanned coarsely on the
        4x4 blocks by what was kept, the best few refined on every visible
        block; (score, coefficients, weights) of the best, best first."""
        w, h = self.width, self.height
        coarse = []
        dither32 = dither.astype(np.float32)
        for kx, ky in _ZOOM_KEPT:
            ratios = _ZOOM_RATIOS["centre" if kx == "centre" else "corner"]
            # In bands of extents, each from a plane reduced and pre-filtered at its band's middle
            # extent: one plane for the whole range was off by up to a tenth in scale at its ends,
            # enough to hide a 2.5% crop (lattice score 7.4 in bands, 2.9 from one plane).
            z = []
            for band, part in enumerate(np.array_split(ratios, _ZOOM_BANDS)):
                xl, yl = w * part, h * part
                boxes = np.stack([_kept_start(kx, w, xl), xl, _kept_start(ky, h, yl), yl], axis=1)
                middle = float(np.sqrt(part[0] * part[-1]))
                c, slots = self.memo(_key("zoom", kx, ky, band), lambda: self._windows(
                    boxes, _ZOOM_BLOCKS[kx], _ZOOM_BLOCKS[ky], mid=(middle, middle)))
                z.append(_scan_z(c, np.ones((1, c.shape[1]), np.float32), dither32[slots]))
            z = np.concatenate(z)
            i = int(np.argmax(z))
            coarse.append((float(z[i]), kx, ky, float(ratios[i])))
        coarse.sort(key=lambda t: -t[0])
        every = np.arange(_BLOCKS)
        fine = []
        for z0, kx, ky, ratio in coarse[:_SCAN_CANDIDATES]:
            if z0 < _SCAN_THRESHOLD:
                break
            ratios = ratio * _ZOOM_FINE
            ratios = ratios[ratios > 1.0]
            if ratios.size == 0:
                continue
            xl, yl = w * ratios, h * ratios
            xs, ys = _kept_start(kx, w, xl), _kept_start(ky, h, yl)
            boxes = np.stack([xs, xl, ys, yl], axis=1)
            c, slots = self.memo(_key("zoomfine", boxes), lambda: self._windows(boxes, every, every))
            vx, vy = _visible_cols(w, xs, xl), _visible_cols(h, ys, yl)
            weights = np.repeat((vy[:, :, None] & vx[:, None, :]).reshape(len(ratios), -1), _BAND.size, axis=1)
            z = _scan_z(c, weights.astype(np.float32), dither32[slots])
            i = int(np.argmax(z))
            if weights[i].sum() < _MIN_VISIBLE * _N_SLOTS:
                continue
            coeffs = np.empty(_N_SLOTS)
            coeffs[slots] = c[i]
            fine.append((float(z[i]), coeffs, weights[i].astype(np.float64)))
        fine.sort(key=lambda t: -t[0])
        return fine

    def rotated(self, degrees: float, canvas: str, coarse: bool = False, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """Coefficients if the image is the original turned by ``degrees`` about its centre,
        on a canvas of the original's size ("kept") or expanded to hold all of it ("expanded", as
        PIL's rotate), or kept and then cropped to the largest centred rectangle of the
        original's proportions inside the turned picture ("cropped": the borders removed, as a
        straightening tool does); uniformly rescaled
        afterwards or not (coordinates are taken relative to the size).  ``coarse``: from a plane
        pre-filtered once (a score, not a decode).  ``scale``: the original's extent is that
        much larger than the canvas says.  The angle searches warp many hypotheses at once
        (``_rotation_stack``)."""
        if self._rotation_params(degrees, canvas, scale) is None:
            return np.zeros(_N_SLOTS), np.zeros(_N_SLOTS)
        grids, ok = self._rotation_stack([degrees], canvas, CANONICAL_SIZE, scale, filtered=coarse)
        weights = np.repeat(ok[0].ravel().astype(np.float64), _BAND.size)
        grid = grids[0]
        coeffs = _coefficients(grid.astype(np.float64)) if coarse else self._coeffs(grid)
        return coeffs, weights

    def _plane(self, wd: int, hd: int, filtered: bool) -> np.ndarray:
        """Luma reduced to (wd, hd) by area averaging (the received plane when that is its size),
        pre-filtered when ``filtered``; kept by size, one for every search that asks for it
        (full grid, crop scans, zooms, rotations)."""
        plane = self._reduced.get((wd, hd))
        if plane is None:
            plane = self.planes[0] if (wd, hd) == (self.width, self.height) else cv2.resize(
                self.planes[0], (wd, hd), interpolation=cv2.INTER_AREA)
            self._reduced[(wd, hd)] = plane
        if filtered:
            done = self._reduced.get((wd, hd, True))
            if done is None:
                done = cv2.sepFilter2D(plane, cv2.CV_32F, _PREFILTER, _PREFILTER, borderType=cv2.BORDER_REFLECT)
                self._reduced[(wd, hd, True)] = done
            plane = done
        return plane

    def _rotation_params(self, degrees: float, canvas: str, scale: float):
        """The reduced plane's size (wd, hd) for a rotation hypothesis and the affine map (two
        rows, plain floats: the searches ask for thousands) from canonical samples to its
        pixels, or None when the original would be too small."""
        w, h = float(self.width), float(self.height)
        t = math.radians(degrees)
        cos, sin = math.cos(t), math.sin(t)
        if canvas == "expanded":  # w = W c + H s, h = W s + H c  (c, s the absolute values)
            c, sn = abs(cos), abs(sin)
            det = c * c - sn * sn
            width0, height0 = (w * c - h * sn) / det, (h * c - w * sn) / det
        elif canvas == "cropped":  # then cropped to the largest centred rectangle of its proportions
            c, sn = abs(cos), abs(sin)
            k = min(1.0 / (c + sn * h / w), 1.0 / (sn * w / h + c))  # what is kept of each side
            width0, height0 = w / k, h / k
        else:
            width0, height0 = w, h
        width0, height0 = width0 * scale, height0 * scale
        if min(width0, height0) < MIN_EXTRACT_SIDE:
            return None
        n = CANONICAL_SIZE
        k = max(1.0, min(width0, height0) / n)  # received pixels per canonical sample, about
        k = math.exp(round(math.log(k) / 0.05) * 0.05)  # in 5% steps: a few reduced planes per image, not one per angle
        wd, hd = max(8, round(w / k)), max(8, round(h / k))
        # Canonical sample (j, i) -> reduced received pixel: one affine map, for warpAffine.
        sx, sy = wd / w, hd / h
        fx, fy = width0 / n, height0 / n  # original pixels per canonical sample
        ox, oy = 0.5 * fx - width0 / 2, 0.5 * fy - height0 / 2  # sample 0's offset from the centre
        m = [
            [sx * cos * fx, sx * sin * fy, sx * (cos * ox + sin * oy + w / 2) - 0.5],
            [-sy * sin * fx, sy * cos * fy, sy * (-sin * ox + cos * oy + h / 2) - 0.5],
        ]
        return wd, hd, m

    def _rotation_stack(self, angles, canvas: str, size: int, scale: float = 1.0, scales=None, offset: int = 0,
                        filtered: bool = True, out: np.ndarray | None = None):
        """The coarse (``filtered``: from the plane pre-filtered once) grids of many rotation
        hypotheses at once, warped into one
        stack (hypotheses, size, size) float32, and the (8, 8) visible blocks of each (all
        hidden where the original would be too small).  Hypothesis i is ``angles[i]`` at
        ``scales[i]`` (or ``scale``); ``size``: CANONICAL_SIZE (every sample), half of it (every
        other sample: pairs summed into the DCT's rows by ``_C_HALF``), or a window of ``size``
        samples from canonical sample (offset, offset) on.  ``out``: a buffer for the grids, at
        least that many (a search warping in chunks reuses one)."""
        count = len(angles)
        ms = np.zeros((count, 2, 3))
        dims = np.zeros((count, 2))
        planes: list = [None] * count
        for i in range(count):
            params = self._rotation_params(float(angles[i]), canvas, float(scale if scales is None else scales[i]))
            if params is None:
                continue
            wd, hd, m = params
            planes[i] = self._plane(wd, hd, filtered)
            ms[i] = m
            dims[i] = wd, hd
        if size == CANONICAL_SIZE // 2 and not offset:  # output pixel (q, p) is canonical sample (2q + 0.5, 2p + 0.5)
            warp = np.empty_like(ms)
            warp[:, :, 0] = 2.0 * ms[:, :, 0]
            warp[:, :, 1] = 2.0 * ms[:, :, 1]
            warp[:, :, 2] = 0.5 * (ms[:, :, 0] + ms[:, :, 1]) + ms[:, :, 2]
        else:
            warp = ms.copy()
            if offset:  # output pixel (0, 0) is canonical sample (offset, offset)
                warp[:, :, 2] += offset * (ms[:, :, 0] + ms[:, :, 1])
        grids = np.empty((count, size, size), np.float32) if out is None else out[:count]
        flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
        for i in range(count):
            if planes[i] is None:
                grids[i] = 0.0
            else:
                cv2.warpAffine(planes[i], warp[i], (size, size), dst=grids[i], flags=flags,
                               borderMode=cv2.BORDER_REPLICATE)
        # A block (with the pre-filter's reach) is visible when its four corners map inside.
        r = _PREFILTER_RADIUS
        lo = np.arange(_BLOCKS) * BLOCK - r
        hi = lo + BLOCK - 1 + 2 * r
        ok = np.array([p is not None for p in planes])[:, None, None] & np.ones((1, _BLOCKS, _BLOCKS), dtype=bool)
        m = ms[:, :, :, None, None]
        wd, hd = dims[:, 0, None, None], dims[:, 1, None, None]
        for cy in (lo, hi):
            for cx in (lo, hi):
                px = m[:, 0, 0] * cx[None, None, :] + m[:, 0, 1] * cy[None, :, None] + m[:, 0, 2]
                py = m[:, 1, 0] * cx[None, None, :] + m[:, 1, 1] * cy[None, :, None] + m[:, 1, 2]
                ok &= (px >= 0) & (px <= wd - 1) & (py >= 0) & (py <= hd - 1)
        return grids, ok

    def zoomed_rotation_z(self, angles, scales, dither: np.ndarray, blocks: int) -> np.ndarray:
        """A rotation (the canvas kept) then a crop keeping the centre at any fraction (scale =
        the original's extent over the canvas's): the lattice score of every (scale, angle)
        pair on the ``blocks`` x ``blocks`` blocks about the centre (there an error of angle or
        scale moves samples least).  The resamplings are kept by hypothesis: the mirror's search
        (angles negated, a symmetric set) reuses them."""
        b0, q = (_BLOCKS - blocks) // 2, blocks * BLOCK
        pairs = [(float(sc), float(a)) for sc in scales for a in angles]

        def make():
            cm = _C_LOW.astype(np.float32)
            out = np.empty((len(pairs), blocks * blocks, _BAND.size), np.float32)
            chunk = 64  # grids warped and transformed a few at a time (a bounded transient)
            buffer = np.empty((chunk, q, q), np.float32)
            for c0 in range(0, len(pairs), chunk):
                part = pairs[c0 : c0 + chunk]
                grids, _ = self._rotation_stack([a for _, a in part], "kept", q, scales=[sc for sc, _ in part],
                                                offset=b0 * BLOCK, out=buffer)
                g = grids.reshape(-1, blocks, BLOCK, blocks, BLOCK).swapaxes(2, 3)
                low = cm @ g @ cm.T
                out[c0 : c0 + len(part)] = low.reshape(len(part), blocks * blocks, _K_LOW * _K_LOW)[:, :, _BAND_LOW]
            return out

        coeffs = self.memo(_key("zrot", blocks, np.round(np.array(pairs), 9)), make)
        d = dither.reshape(_BLOCKS, _BLOCKS, _BAND.size)[b0 : b0 + blocks, b0 : b0 + blocks].reshape(blocks * blocks, -1)
        c = np.cos(np.float32(4.0 * np.pi / QIM_STEP) * (coeffs - d[None].astype(np.float32)))
        z = c.sum(axis=(1, 2)) / np.float32(math.sqrt(d.size / 2.0))
        return z.reshape(len(scales), len(angles))

    def rotated_coarse_z(self, angles, canvas: str, dither: np.ndarray, half: bool = True) -> np.ndarray:
        """The angle search's score of every angle at once: ``_z`` of ``rotated(angle, canvas,
        coarse=True)`` (``half``: on the two lowest rings only, frequencies below 4, read from a
        grid of half the samples each way; otherwise on the whole band), -inf where fewer than
        30% of the blocks are visible.  One warp per angle into one stack, one DCT over it."""
        if half:
            rows, pick, keep = _C_HALF, _HALF_PICK, _HALF_KEEP[_HALF_LOW]
        else:
            rows, pick, keep = _C_LOW.astype(np.float32), _BAND_LOW, np.arange(_BAND.size)

        def make():
            grids, oks = self._rotation_stack(angles, canvas, CANONICAL_SIZE // 2 if half else CANONICAL_SIZE)
            coeffs = _block_dct_stack(grids, rows)[:, :, pick]
            return (coeffs[:, :, _HALF_LOW] if half else coeffs), oks

        # Rounded: the mirror's fine pass asks for the same angles up to the float sums' last bits.
        coeffs, oks = self.memo(_key("rot", canvas, half, np.round(np.asarray(angles, float), 9)), make)
        d = dither.reshape(_BLOCKS * _BLOCKS, _BAND.size)[:, keep].astype(np.float32)
        c = np.cos(np.float32(4.0 * np.pi / QIM_STEP) * (coeffs - d[None]))
        ok = oks.reshape(len(angles), -1).astype(np.float32)
        n = ok.sum(axis=1) * keep.size
        z = np.einsum("abc,ab->a", c, ok) / np.sqrt(np.maximum(n / 2.0, 1e-12))
        z[ok.sum(axis=1) * _BAND.size < 0.3 * _N_SLOTS] = -np.inf
        return z


    def two_axis_crops(self, dither: np.ndarray) -> list[tuple[float, np.ndarray, np.ndarray]]:
        """A crop from several sides by unequal fractions: each axis lost its own fraction, with
        the original's corner or centre kept (say 12% off the left and 7% off the top).  Two
        unknown extents, searched together: every hypothesis is a resampling separable in x and
        y, so the band coefficients of all (x extent, y extent) pairs are one matrix product,
        (y hypotheses' rows) @ plane @ (x hypotheses' rows).T, the pre-filter and the block DCT
        folded into the rows (``_sep_rows``).  Coarse to fine: every pair on the 2 x 2 blocks
        beside what was kept, the best _CORNER_RESCORE of each kept corner on the 4 x 4 blocks
        there (``_corner_rescore``; the centre's: ``_centre_rescore``), the best _CORNER_MIDDLE
        of those on the 6 x 6 blocks by the corner at a sixth of the step, the best of those on
        every visible block; (score, coefficients, weights) of the best, best first."""
        plane, fx, fy = self._sep_plane()
        w, h = self.width, self.height
        dither32 = dither.astype(np.float32)

        def score(src, f2, kx, ky, rx, ry, bx, by):
            c, slots, weights = self.memo(_key("sepc", kx, ky, rx, ry, bx, by), lambda: _sep_coefficients(
                src, (f2[0], w, _kept_start(kx, w, w * rx), w * rx, bx), (f2[1], h, _kept_start(ky, h, h * ry), h * ry, by),
                _K_LOW))
            z = _scan_z(c, weights, dither32[slots]).reshape(len(ry), len(rx))
            z[np.log(ry)[:, None] + np.log(rx)[None, :] > _TWO_AXIS_LOG_AREA] = -np.inf
            return z, c, slots, weights

        corners = {}
        rows: dict[tuple[str, str], np.ndarray] = {}
        for kx, ky in _ZOOM_KEPT:
            rx = _TWO_AXIS_RATIOS[kx if kx == "centre" else "corner"]
            ry = _TWO_AXIS_RATIOS[ky if ky == "centre" else "corner"]
            bx, by = _KEPT_BLOCKS[kx], _KEPT_BLOCKS[ky]
            if ("x", kx) not in rows:  # each kept edge's rows are made once, for every pair and band
                rows["x", kx] = self.memo(("rows", "x", kx), lambda: _sep_rows(
                    plane.shape[1], fx, _kept_start(kx, w, w * rx), w * rx, bx, _COARSE_ROWS))
            if ("y", ky) not in rows:
                rows["y", ky] = self.memo(("rows", "y", ky), lambda: _sep_rows(
                    plane.shape[0], fy, _kept_start(ky, h, h * ry), h * ry, by, _COARSE_ROWS))
            per_x, per_y = len(bx) * _COARSE_ROWS, len(by) * _COARSE_ROWS

            def across(kx=kx):
                def make():
                    x0, x1 = _span(rows["x", kx])
                    return cv2.gemm(plane[:, x0:x1], rows["x", kx][:, x0:x1], float(np.float32(4.0 * np.pi / QIM_STEP)), None, 0.0,
                                    flags=cv2.GEMM_2_T)
                return self.memo(("across", kx), make)

            z = np.full((len(ry), len(rx)), -np.inf, dtype=np.float32)
            # Bands of y extents, each with the x extents the area allows (a staircase under the
            # area's bound: the finer, the fewer pairs past it are scored).
            edges = [len(ry) * i // _TWO_AXIS_BANDS for i in range(_TWO_AXIS_BANDS + 1)]
            for y0, y1 in zip(edges[:-1], edges[1:]):
                nx = int(np.searchsorted(np.log(rx), _TWO_AXIS_LOG_AREA - math.log(ry[y0]), side="right"))
                if y1 <= y0 or nx == 0:
                    continue
                xr, yr = rx[:nx], ry[y0:y1]
                z[y0:y1, :nx] = _sep_scores(plane, (fx, w, _kept_start(kx, w, w * xr), w * xr, bx),
                                            (fy, h, _kept_start(ky, h, h * yr), h * yr, by), _COARSE_ROWS, dither32,
                                            rows["x", kx][: nx * per_x], rows["y", ky][y0 * per_y : y1 * per_y],
                                            cache=self.cache, across=across)
            z[np.log(ry)[:, None] + np.log(rx)[None, :] > _TWO_AXIS_LOG_AREA] = -np.inf
            if kx == ky == "centre":
                centre = (z, rx, ry)
            else:
                corners[kx, ky] = (z, rx, ry)
        # Each kept corner's best pairs again on the 4 x 4 blocks there (``_corner_rescore``);
        # about the best of those, half the coarse step either side at a step the 6 x 6 blocks
        # tolerate (they reach 192 samples from the kept corner); each kept edge's rows made once
        # for all the candidates.
        coarse = self._corner_rescore(dither32, corners)
        span = np.exp(np.arange(-3, 4) / 6.0)
        grids, wanted = [], {}
        # The centre pairs are ``_centre_rescore``'s.
        for _, kx, ky, rx0, ry0 in coarse[:_CORNER_MIDDLE]:
            rx2 = np.maximum(rx0 * span ** _TWO_AXIS_STEP["corner"], 1.0)
            ry2 = np.maximum(ry0 * span ** _TWO_AXIS_STEP["corner"], 1.0)
            at = []
            for axis, kept, r in (("x", kx, rx2), ("y", ky, ry2)):
                wanted.setdefault((axis, kept), []).append(r)
                at.append(len(wanted[axis, kept]) - 1)
            grids.append((kx, ky, rx2, ry2, *at))
        made = {}
        for (axis, kept), ratios in wanted.items():
            n_recv = w if axis == "x" else h
            lengths = n_recv * np.concatenate(ratios)
            made[axis, kept] = self.memo(_key("made", axis, kept, lengths), lambda: _sep_rows(
                plane.shape[1 if axis == "x" else 0], fx if axis == "x" else fy,
                _kept_start(kept, n_recv, lengths), lengths, _CORNER_MIDDLE_BLOCKS[kept], _K_LOW))
        per = len(span) * len(_CORNER_MIDDLE_BLOCKS["end"]) * _K_LOW  # rows per candidate: 7 extents x the blocks x the DCT rows
        middle = []
        for kx, ky, rx2, ry2, ax, ay in grids:
            bx, by = _CORNER_MIDDLE_BLOCKS[kx], _CORNER_MIDDLE_BLOCKS[ky]
            z2 = _sep_scores(plane, (fx, w, _kept_start(kx, w, w * rx2), w * rx2, bx),
                             (fy, h, _kept_start(ky, h, h * ry2), h * ry2, by), _K_LOW, dither32,
                             made["x", kx][ax * per : (ax + 1) * per], made["y", ky][ay * per : (ay + 1) * per],
                             cache=self.cache)
            j2, i2 = np.unravel_index(int(np.argmax(z2)), z2.shape)
            middle.append((float(z2[j2, i2]), kx, ky, float(rx2[i2]), float(ry2[j2])))
        middle += self._centre_rescore(plane, fx, fy, dither32, *centre)
        middle.sort(key=lambda t: -t[0])
        every = np.arange(_BLOCKS)
        fine = []
        for z0, kx, ky, rx0, ry0 in middle[:_SCAN_CANDIDATES]:
            if z0 < _TWO_AXIS_THRESHOLD:
                break
            rx, ry = rx0 * _TWO_AXIS_FINE, ry0 * _TWO_AXIS_FINE
            rx, ry = rx[rx >= 1.0], ry[ry >= 1.0]
            z, c, slots, weights = score(plane, (fx, fy), kx, ky, rx, ry, every, every)
            hit = _best_visible(z.ravel(), c, slots, weights)
            if hit is not None:
                fine.append(hit)
        fine.sort(key=lambda t: -t[0])
        return fine

    def _corner_rescore(self, dither32, corners) -> list[tuple[float, str, str, float, float]]:
        """A crop keeping a corner after quality 35 as the coarse pass's 2 x 2 blocks see it:
        where the blocks by the corner carry little (clipped whites, black corners, WebP), the
        true pair scored 1.1-2.8 and ranked 13th-195th of its corner's ~2,800 pairs on the
        benchmark's misses.  The best _CORNER_RESCORE pairs of each kept corner's coarse pass
        (``corners``: kept corner -> (z over ry x rx, rx, ry)) are scored again on the 4 x 4
        blocks by that corner (``_corner_pairs``); (score, kx, ky, x extent, y extent) of each
        corner's best _CORNER_RESCORE_KEEP, best first (a corner whose blocks carry the mark
        does not crowd out another's)."""
        out = []
        for (kx, ky), (z, rx, ry) in corners.items():
            order = [int(f) for f in np.argsort(z, axis=None)[::-1][:_CORNER_RESCORE] if np.isfinite(z.flat[int(f)])]
            if not order:
                continue
            jj, ii = np.divmod(np.array(order), len(rx))
            best = self._corner_pairs(dither32, kx, ky, rx[ii], ry[jj])
            out += [(zc, kx, ky, x, y) for zc, x, y in best[:_CORNER_RESCORE_KEEP]]
        out.sort(key=lambda t: -t[0])
        return out

    def _corner_lattice(self, axis: str, kept: str, idx: np.ndarray, plane, f, k: int) -> np.ndarray:
        """Per extent exp(i * _CORNER_LOCAL_STEP) of the received side (i in ``idx``), the x
        axis's product of the plane with its rows (plane rows, blocks * k), or the y axis's rows
        (blocks * k, plane rows); each made once a reader (both orientations' searches share
        them)."""
        store = self.memo(("cornerlat", axis, kept, k), dict)
        need = [int(i) for i in np.unique(idx) if int(i) not in store]
        if need:
            n_recv = self.width if axis == "x" else self.height
            lengths = n_recv * np.exp(np.array(need, float) * _CORNER_LOCAL_STEP)
            blocks = _CORNER_RESCORE_BLOCKS[kept]
            rows = _sep_rows(plane.shape[1 if axis == "x" else 0], f, _kept_start(kept, n_recv, lengths), lengths, blocks, k)
            per = len(blocks) * k
            if axis == "x":
                x0, x1 = _span(rows)
                q = cv2.gemm(plane[:, x0:x1], rows[:, x0:x1], float(np.float32(4.0 * np.pi / QIM_STEP)), None, 0.0,
                             flags=cv2.GEMM_2_T)
                for j, i in enumerate(need):
                    store[i] = q[:, j * per : (j + 1) * per]
            else:
                for j, i in enumerate(need):
                    store[i] = rows[j * per : (j + 1) * per]
        return store

    def _corner_pairs(self, dither32, kx, ky, rx0, ry0) -> list[tuple[float, float, float]]:
        """For each candidate (x extent ``rx0[c]``, y extent ``ry0[c]``, fractions of the
        received sides, corner (``kx``, ``ky``) kept), the best of the extents
        ``_CORNER_LOCAL_IDX`` steps of _CORNER_LOCAL_STEP about it, per axis (2 x 2: a quarter of
        the coarse step either side, so the truth is at most 0.15% from one), on the 4 x 4
        blocks by that corner, frequencies below _COARSE_ROWS: (score, x extent, y extent), best
        first.  The extents lie on one lattice (the coarse step is four of its steps), so each
        one's rows and product with the plane are made once (``_corner_lattice``); each
        candidate's y rows with its x columns are one small OpenCV product."""
        plane, fx, fy = self._sep_plane()
        k = _COARSE_ROWS
        w, h = self.width, self.height
        local = np.asarray(_CORNER_LOCAL_IDX)
        m, n = len(rx0), len(local)
        ix = np.maximum(np.rint(np.log(rx0) / _CORNER_LOCAL_STEP).astype(int)[:, None] + local[None, :], 0)
        iy = np.maximum(np.rint(np.log(ry0) / _CORNER_LOCAL_STEP).astype(int)[:, None] + local[None, :], 0)
        qx = self._corner_lattice("x", kx, ix, plane, fx, k)
        wy = self._corner_lattice("y", ky, iy, plane, fy, k)
        bx, by = _CORNER_RESCORE_BLOCKS[kx], _CORNER_RESCORE_BLOCKS[ky]
        per = n * len(bx) * k
        r = np.empty((m, per, per), np.float32)
        for c in range(m):
            r[c] = cv2.gemm(np.concatenate([wy[int(i)] for i in iy[c]]), np.concatenate([qx[int(i)] for i in ix[c]], axis=1),
                            1.0, None, 0.0)
        xr, yr = np.exp(ix.ravel() * _CORNER_LOCAL_STEP), np.exp(iy.ravel() * _CORNER_LOCAL_STEP)
        return _best_local_pairs(r, dither32, k, n, (kx, w, xr, bx), (ky, h, yr, by), area_bound=True)

    def _centre_rescore(self, plane, fx, fy, dither32, z, rx, ry) -> list[tuple[float, str, str, float, float]]:
        """A centred crop by unequal fractions (5% off the left and right, 10% off the top and
        bottom) as the coarse pass's 2 x 2 centre blocks see it after quality 35: its true pair
        can score under the noise of the ~12,700 pairs of every kept corner (2.1 on a 512-px
        photograph whose 4 x 4 centre blocks score 8.4 there).  The best _CENTRE_RESCORE centre
        pairs (``z`` over ``ry`` x ``rx``) are scored again on the 4 x 4 centre blocks, each on a
        3 x 3 grid of extents a third of the coarse step apart (the blocks reach 64 samples from
        the centre); the best _CENTRE_RESCORE_KEEP of those once more on a 3 x 3 grid half as
        fine, every band frequency, as middle-pass candidates (score, "centre", "centre", x
        extent, y extent)."""
        order = [int(f) for f in np.argsort(z, axis=None)[::-1][:_CENTRE_RESCORE] if np.isfinite(z.flat[int(f)])]
        if not order:
            return []
        jj, ii = np.divmod(np.array(order), len(rx))
        best = self._centre_pairs(plane, fx, fy, dither32, rx[ii], ry[jj], _CENTRE_LOCAL, _COARSE_ROWS)
        best = best[:_CENTRE_RESCORE_KEEP]
        best = self._centre_pairs(plane, fx, fy, dither32, np.array([t[1] for t in best]), np.array([t[2] for t in best]),
                                  _CENTRE_LOCAL_FINE, _K_LOW)
        return [(zc, "centre", "centre", x, y) for zc, x, y in best]

    def _centre_pairs(self, plane, fx, fy, dither32, rx0, ry0, local, k) -> list[tuple[float, float, float]]:
        """For each candidate (x extent ``rx0[c]``, y extent ``ry0[c]``, as fractions of the
        received sides, the centre kept), the best of the grid ``rx0[c] * local`` x ``ry0[c] *
        local`` on the 4 x 4 centre blocks, frequencies below ``k``: (score, x extent, y
        extent), best first.  One product of the plane with every candidate's x rows, then each
        candidate's y rows with its own as one stacked product (a loop of small OpenCV products
        took eight times as long)."""
        w, h = self.width, self.height
        m, n = len(rx0), len(local)
        xr = np.maximum(rx0[:, None] * local[None, :], 1.0).ravel()  # the original is no smaller than what came
        yr = np.maximum(ry0[:, None] * local[None, :], 1.0).ravel()
        blocks = _ZOOM_BLOCKS["centre"]
        per = len(local) * len(blocks) * k
        # Candidates share extents (the coarse pass's grid): each distinct one's rows made once.
        ux, at_x = np.unique(rx0, return_inverse=True)
        uy, at_y = np.unique(ry0, return_inverse=True)
        lx, ly = np.maximum(ux[:, None] * local[None, :], 1.0).ravel(), np.maximum(uy[:, None] * local[None, :], 1.0).ravel()
        wx = _sep_rows(plane.shape[1], fx, _kept_start("centre", w, w * lx), w * lx, blocks, k)
        wy = _sep_rows(plane.shape[0], fy, _kept_start("centre", h, h * ly), h * ly, blocks, k)
        (x0, x1), (y0, y1) = _span(wx), _span(wy)
        phase = np.float32(4.0 * np.pi / QIM_STEP)
        q = cv2.gemm(plane[y0:y1, x0:x1], wx[:, x0:x1], float(phase), None, 0.0, flags=cv2.GEMM_2_T)
        # Each candidate's y rows with its x columns: OpenCV's single-threaded products (numpy's
        # stacked matmul goes through OpenBLAS, whose threads stalled it 40-fold on the shared
        # 2-core machine: 380 ms of CPU a call at load 5, 9 ms with one thread).
        wys = wy[:, y0:y1].reshape(len(uy), per, -1)
        qs = q.reshape(q.shape[0], len(ux), per)
        r = np.empty((m, per, per), np.float32)
        for c in range(m):
            r[c] = cv2.gemm(np.ascontiguousarray(wys[at_y[c]]), np.ascontiguousarray(qs[:, at_x[c]]), 1.0, None, 0.0)
        return _best_local_pairs(r, dither32, k, n, ("centre", w, xr, blocks), ("centre", h, yr, blocks))

    def three_side_crops(self, dither: np.ndarray) -> list[tuple[float, np.ndarray, np.ndarray]]:
        """A crop from three sides: one axis kept an edge of the original, the other lost
        unequal amounts at both ends (5% off the left, 3% off the right, 12% off the top), so
        neither a corner nor the centre is where ``two_axis_crops`` looks.  The cut axis has two
        unknowns, its extent and its offset, and the offset must be right to about a quarter
        of a canonical sample (a quarter off took a photograph's lattice score from 20.7 to 4.6),
        so the pair is not searched freely (~10^4 hypotheses an axis, ~10 GFLOP): every image
        this service marks is rendered square, and a crop, or a resize after it that keeps the
        proportions, leaves the original's extent the same number of received pixels along
        both axes; photographs are often 3:2, 4:3 or 16:9, so those proportions (either way) are
        searched too (_THREE_SIDE_RATIOS).  Per kept edge, over every such proportion: one
        extent at _THREE_SIDE_STEP, every start of the cut axis a quarter of a plane pixel
        apart, on the block row by the kept edge and the four blocks across the middle of the
        cut axis (``_three_side_products``, one product per axis).  Any other proportions
        (between 9:16 and 16:9; a 1.15:1 original) where each axis kept at least
        _THREE_SIDE_ODD_MIN: both extents scanned, the cut one at _THREE_SIDE_ODD_STEP on the two
        blocks across the middle (which tolerate twice the error in it).  The best few of
        each (every kept edge together) on the 4 x 4 blocks there, both extents free about it
        (a rounding or aspect change of a pixel or two; an odd candidate's cut extent across its
        coarse step); the best of those above _TWO_AXIS_THRESHOLD on every visible block.
        (score, coefficients, weights), best first."""
        plane, fx, fy = self._sep_plane()
        dither32 = dither.astype(np.float32)
        coarse = []
        for axis in ("y", "x"):
            pairs = self._three_side_pairs(axis)
            hyps = self.memo(("three", axis), lambda: self._three_side_products(plane, fx, fy, axis, pairs[:2]))
            if hyps is None:
                continue
            # Square and 3:2 (the first group) keep their own best, as before 4:3 and 16:9 joined.
            group = np.repeat(pairs[2], [h[5].size for h in hyps])
            for kept, z, lengths, cut_lengths, starts in self._three_side_scores(hyps, axis, dither32):
                for g in (0, 1):
                    zg = np.where(group == g, z, -np.inf)
                    top = np.argpartition(zg, -_THREE_SIDE_KEEP)[-_THREE_SIDE_KEEP:] if zg.size > _THREE_SIDE_KEEP else np.arange(zg.size)
                    coarse += [(float(z[i]), axis, kept, float(lengths[i]), float(starts[i]), float(cut_lengths[i]), g)
                               for i in top if np.isfinite(zg[i])]
        coarse.sort(key=lambda t: -t[0])
        first = [c for c in coarse if c[6] == 0][:_THREE_SIDE_MIDDLE]
        coarse = first + [c for c in coarse if c not in first][:_THREE_SIDE_MIDDLE_MORE]
        odd = []
        for axis in ("y", "x"):
            hyps = self.memo(("three-odd", axis), lambda: self._three_side_products(
                plane, fx, fy, axis, self._three_side_odd_pairs(axis), cut_blocks=_THREE_SIDE_ODD_BLOCKS))
            if hyps is None:
                continue
            for kept, z, lengths, cut_lengths, starts in self._three_side_scores(hyps, axis, dither32,
                                                                                 cut_blocks=_THREE_SIDE_ODD_BLOCKS):
                top = np.argpartition(z, -_THREE_SIDE_KEEP)[-_THREE_SIDE_KEEP:] if z.size > _THREE_SIDE_KEEP else np.arange(z.size)
                odd += [(float(z[i]), axis, kept, float(lengths[i]), float(starts[i]), float(cut_lengths[i]))
                        for i in top if np.isfinite(z[i])]
        odd.sort(key=lambda t: -t[0])
        # About each of the best: both extents free, half the coarse step either side, the cut
        # axis's offset within half the coarse step, on the 4 x 4 blocks by the kept edge and
        # across the middle.
        span = np.exp(np.arange(-2, 3) / 4.0 * _THREE_SIDE_STEP)
        odd_span = np.exp(np.arange(-4, 5) / 4.0 * _THREE_SIDE_STEP)
        nudges = np.arange(-1, 2) * (_THREE_SIDE_OFFSET / 3.0)
        middle = []
        for n_cand, (_, axis, kept, length, start, cut_length, *_) in enumerate(coarse + odd[:_THREE_SIDE_ODD_MIDDLE]):
            cut_span = span if n_cand < len(coarse) else odd_span
            x_axis, y_axis = self._three_side_axes(fx, fy, axis, kept, length * span, cut_length, start, nudges,
                                                   _ZOOM_BLOCKS[kept], _ZOOM_BLOCKS["centre"],
                                                   cut_lengths=cut_length * cut_span)
            z2 = _sep_scores(plane, x_axis, y_axis, _K_LOW, dither32, cache=self.cache)
            j2, i2 = np.unravel_index(int(np.argmax(z2)), z2.shape)
            cut = x_axis if axis == "y" else y_axis
            i_cut, i_kept = (i2, j2) if axis == "y" else (j2, i2)
            kept_len = (y_axis if axis == "y" else x_axis)[3][i_kept]
            middle.append((float(z2[j2, i2]), axis, kept, float(kept_len), float(cut[3][i_cut]), float(cut[2][i_cut])))
        middle.sort(key=lambda t: -t[0])
        every = np.arange(_BLOCKS)
        fine = []
        for z0, axis, kept, kept_len, cut_len, cut_start in middle[:1]:
            if z0 < _TWO_AXIS_THRESHOLD:
                break
            # Each extent finer (the kept edge stays), the cut axis's offset an eighth of a sample apart.
            x_axis, y_axis = self._three_side_axes(fx, fy, axis, kept, kept_len * _TWO_AXIS_FINE, cut_len, cut_start,
                                                   np.arange(-2, 3) / 8.0, every, every, cut_lengths=cut_len * _TWO_AXIS_FINE)
            c, slots, weights = self.memo(_key("threefine", *x_axis[2:4], *y_axis[2:4]), lambda: _sep_coefficients(
                plane, x_axis, y_axis, _K_LOW))
            hit = _best_visible(_scan_z(c, weights, dither32[slots]), c, slots, weights)
            if hit is not None:
                fine.append(hit)
        return fine

    def _three_side_axes(self, fx, fy, axis, kept, kept_lengths, cut_len, cut_start, nudges, kept_blocks, cut_blocks,
                         cut_lengths=None):
        """(x axis, y axis) hypotheses for ``_sep_scores``: the kept axis's extents
        ``kept_lengths`` from its kept edge; the cut axis's extents (``cut_lengths``, the same as
        the kept axis's when not given) each placed so that the middle of its grid stays where
        ``cut_start``, ``cut_len`` put it, then moved by ``nudges`` canonical samples."""
        n_kept, n_cut = (self.height, self.width) if axis == "y" else (self.width, self.height)
        f_kept, f_cut = (fy, fx) if axis == "y" else (fx, fy)
        kept_lengths = np.asarray(kept_lengths, float)
        lc = kept_lengths if cut_lengths is None else np.asarray(cut_lengths, float)
        mid = cut_start + cut_len / 2.0
        starts = (mid - lc[:, None] / 2.0 + np.asarray(nudges)[None, :] * lc[:, None] / CANONICAL_SIZE).ravel()
        kept_axis = (f_kept, n_kept, _kept_start(kept, n_kept, kept_lengths), kept_lengths, kept_blocks)
        cut_axis = (f_cut, n_cut, starts, np.repeat(lc, len(nudges)), cut_blocks)
        return (cut_axis, kept_axis) if axis == "y" else (kept_axis, cut_axis)

    def _three_side_pairs(self, axis: str):
        """The (kept extent, cut extent) pairs of the proportions searched whole
        (_THREE_SIDE_RATIOS): per proportion r, every extent L of the kept axis at
        _THREE_SIDE_STEP and the cut axis's r * L (received pixels), the area at least
        AREA_KEPT_MIN and, r not 1, each axis at least _THREE_SIDE_AXIS_MIN; and each pair's group
        (0: _THREE_SIDE_FIRST, 1: the others)."""
        n_kept, n_cut = (self.height, self.width) if axis == "y" else (self.width, self.height)
        kept, cut, group = [], [], []
        for ratio in _THREE_SIDE_RATIOS:
            lo, hi = float(max(n_kept, n_cut / ratio)), math.sqrt(n_kept * n_cut / AREA_KEPT_MIN / ratio)
            if ratio != 1.0:  # each axis keeps at least _THREE_SIDE_AXIS_MIN (a square from a 3:2 original is not sought)
                hi = min(hi, n_kept / _THREE_SIDE_AXIS_MIN, n_cut / (ratio * _THREE_SIDE_AXIS_MIN))
            if hi <= lo * 1.001:
                continue
            lengths = lo * np.exp(np.arange(0.0, math.log(hi / lo) + 1e-9, _THREE_SIDE_STEP))
            kept.append(lengths)
            cut.append(lengths * ratio)
            group.append(np.full(len(lengths), int(ratio not in _THREE_SIDE_FIRST)))
        if not kept:
            return np.zeros(0), np.zeros(0), np.zeros(0, int)
        return np.concatenate(kept), np.concatenate(cut), np.concatenate(group)

    def _three_side_odd_pairs(self, axis: str):
        """The (kept extent, cut extent) pairs of the odd-proportion scan: the kept axis's extent
        at _THREE_SIDE_STEP, the cut one's at _THREE_SIDE_ODD_STEP, each axis cut (both lose
        something) but keeping at least _THREE_SIDE_ODD_MIN, the area at least AREA_KEPT_MIN, the
        proportions between _THREE_SIDE_ODD_RATIOS."""
        n_kept, n_cut = (self.height, self.width) if axis == "y" else (self.width, self.height)
        top = math.log(1.0 / _THREE_SIDE_ODD_MIN) + 1e-9
        kept = n_kept * np.exp(np.arange(_THREE_SIDE_STEP, top, _THREE_SIDE_STEP))
        cut = n_cut * np.exp(np.arange(_THREE_SIDE_ODD_STEP, top, _THREE_SIDE_ODD_STEP))
        lk, lc = (v.ravel() for v in np.meshgrid(kept, cut, indexing="ij"))
        lo, hi = _THREE_SIDE_ODD_RATIOS
        ok = (n_kept * n_cut >= AREA_KEPT_MIN * lk * lc) & (lc >= lo * lk) & (lc <= hi * lk)
        return lk[ok], lc[ok]

    def _three_side_products(self, plane, fx, fy, axis, pairs, k=None, cut_blocks=None):
        """The coarse pass's band coefficients (frequencies below ``k``, _THREE_SIDE_ROWS when
        not given) of the blocks beside each kept edge of ``axis`` (its start and its end: the
        same hypotheses, one product) and ``cut_blocks`` (_THREE_SIDE_CUT_BLOCKS) of the cut
        axis, for each (kept extent L, cut extent) of ``pairs`` (received pixels) and every start
        of the cut axis from n - cut extent to 0 at most _THREE_SIDE_OFFSET of a sample apart: a
        list, per pair, of (L, cut extent, starts (a, q), coefficients times the lattice phase
        (kept edges, kept rows, a, q, cut blocks, cut rows), the cut blocks' visibility (a, q,
        cut blocks), whether (a, q) is a start); None when there is no pair.  The kept axis's
        rows contract the plane once per pair; the cut axis's rows then every start at once
        (below), left in the products' own layout for ``_three_side_scores`` (no gathers)."""
        k = _THREE_SIDE_ROWS if k is None else k
        cut_blocks = _THREE_SIDE_CUT_BLOCKS if cut_blocks is None else cut_blocks
        n_kept, n_cut = (self.height, self.width) if axis == "y" else (self.width, self.height)
        f_kept, f_cut = (fy, fx) if axis == "y" else (fx, fy)
        lengths, cut_lengths = (np.asarray(v, float) for v in pairs)
        if lengths.size == 0:
            return None
        edges = ("end", "start")
        p = plane if axis == "y" else np.ascontiguousarray(plane.T)
        rows = np.concatenate([_sep_rows(p.shape[0], f_kept, _kept_start(kept, n_kept, lengths), lengths,
                                         _THREE_SIDE_KEPT_BLOCKS[kept], k).reshape(len(lengths), -1, p.shape[0])
                               for kept in edges], axis=1)
        rows = rows.reshape(-1, p.shape[0])
        r0, r1 = _span(rows)
        kept_part = cv2.gemm(np.ascontiguousarray(rows[:, r0:r1]), np.ascontiguousarray(p[r0:r1]), 1.0, None, 0.0)
        kept_part = np.ascontiguousarray(kept_part.reshape(len(lengths), rows.shape[0] // len(lengths), -1).transpose(0, 2, 1))
        j0 = max(0, int(cut_blocks[0]) * BLOCK - _PREFILTER_RADIUS)
        j1 = min(CANONICAL_SIZE, (int(cut_blocks[-1]) + 1) * BLOCK + _PREFILTER_RADIUS)
        dct = np.ascontiguousarray(_PRE_DCT[cut_blocks, :k].reshape(-1, CANONICAL_SIZE)[:, j0:j1])  # (cut rows, samples)
        n, rk, rc = p.shape[1], kept_part.shape[2], dct.shape[0]
        # The cut axis's starts, from n - L (its far end kept) to 0 (its near end kept), a
        # 1/_THREE_SIDE_PHASES of a plane pixel apart (at most _THREE_SIDE_OFFSET of a canonical
        # sample: the plane has at least a pixel per sample).  Start -(a - q/P) pixels samples
        # the plane at the positions of start 0 moved by q/P, less a whole a: for each phase q
        # the bilinear sampling composed with the pre-filtered DCT rows is one kernel, and
        # every a is a window of the kept rows' products one pixel further (one product over a
        # Hankel view per extent, no gathers).  The ends replicated, as ``_sep_rows``.
        phases = _THREE_SIDE_PHASES
        pad = n + 2
        padded = np.pad(np.ascontiguousarray(kept_part.transpose(0, 2, 1)), ((0, 0), (0, 0), (pad, pad)), mode="edge")
        samples = np.arange(j0, j1) + 0.5
        # Per extent and phase, each cut block's kernel over the plane's pixels: the bilinear
        # weights of its samples (two a sample) times its pre-filtered DCT rows, summed per
        # pixel (bincounts over every extent at once).
        at = (f_cut * samples[None, None, :] * (cut_lengths / CANONICAL_SIZE)[:, None, None] - 0.5
              + (np.arange(phases) / phases)[None, :, None])  # (extents, phases, samples)
        first = np.floor(at).astype(np.int64)
        fr = (at - first).astype(np.float32)
        kernels = []
        for bi in range(len(cut_blocks)):
            own = slice(max(0, int(cut_blocks[bi]) * BLOCK - _PREFILTER_RADIUS) - j0,
                        min(CANONICAL_SIZE, (int(cut_blocks[bi]) + 1) * BLOCK + _PREFILTER_RADIUS) - j0)
            i_b, f_b = first[:, :, own], fr[:, :, own]
            lo_b = i_b.min(axis=(1, 2))  # per extent: the kernel's first pixel
            width = int((i_b.max(axis=(1, 2)) - lo_b).max()) + 2
            cell = ((np.arange(len(lengths))[:, None, None] * phases + np.arange(phases)[None, :, None]) * width
                    + (i_b - lo_b[:, None, None]))
            size = len(lengths) * phases * width
            rows_b = dct[bi * k : (bi + 1) * k, own]
            kern = np.stack([np.bincount(cell.ravel(), weights=((1.0 - f_b) * r).ravel(), minlength=size)
                             + np.bincount((cell + 1).ravel(), weights=(f_b * r).ravel(), minlength=size + 1)[:size]
                             for r in rows_b])  # (k, extents * phases * width)
            kern = kern.reshape(k, len(lengths), phases, width).transpose(1, 3, 2, 0).reshape(len(lengths), width, phases * k)
            kernels.append((lo_b, width, np.ascontiguousarray(kern * np.float32(4.0 * np.pi / QIM_STEP), np.float32)))
        out = []
        for li, length in enumerate(cut_lengths):
            shift = int(math.floor(phases * f_cut * (length - n_cut) + 1e-9))  # whole steps of 1/P pixel
            amax = -(-shift // phases)  # a = ceil(h / P)
            src = padded[li]
            res = np.empty((rk, amax + 1, phases, rc), np.float32)  # window t: a = amax - t
            for bi, (lo_b, width, kern) in enumerate(kernels):
                t0 = pad + int(lo_b[li]) - amax
                view = np.lib.stride_tricks.as_strided(src[:, t0:], shape=(rk, amax + 1, width),
                                                       strides=(src.strides[0], src.strides[1], src.strides[1]))
                windows = np.ascontiguousarray(view).reshape(rk * (amax + 1), width)  # (a copy: BLAS-shaped)
                res[:, :, :, bi * k : (bi + 1) * k] = cv2.gemm(windows, kern[li], 1.0, None, 0.0).reshape(rk, amax + 1, phases, k)
            # Window t holds a = amax - t; hypothesis (t, q): h = a * P - q steps of 1/P pixel.
            h = (amax - np.arange(amax + 1))[:, None] * phases - np.arange(phases)[None, :]
            valid = (h >= 0) & (h <= shift)
            starts = -np.clip(h, 0, shift) / (phases * f_cut)
            vis = _visible_cols(n_cut, starts.ravel(), np.full(h.size, length))[:, cut_blocks].reshape(h.shape + (-1,))
            out.append((float(lengths[li]), float(length), starts, res.reshape(len(edges), k, amax + 1, phases, len(cut_blocks), k),
                        vis, valid))
        return out

    def _three_side_scores(self, hyps, axis: str, dither32: np.ndarray, k=None, cut_blocks=None):
        """The coarse pass's lattice score of every hypothesis of ``_three_side_products``, per
        kept edge: [(kept, scores, kept extents, cut extents, starts)], flat over the pairs."""
        k = _THREE_SIDE_ROWS if k is None else k
        cut_blocks = _THREE_SIDE_CUT_BLOCKS if cut_blocks is None else cut_blocks
        i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")  # kept row, cut row
        flat = (i * BLOCK + j) if axis == "y" else (j * BLOCK + i)
        where = np.full(BLOCK * BLOCK, -1)
        where[_BAND] = np.arange(_BAND.size)
        slot = where[flat]  # (k, k): the band's place of each (kept, cut) frequency, -1 outside
        mask = (slot >= 0).astype(np.float32)
        phase = np.float32(4.0 * np.pi / QIM_STEP)
        d = np.empty((2, k, len(cut_blocks), k), np.float32)
        for e, kept in enumerate(("end", "start")):
            kb = int(_THREE_SIDE_KEPT_BLOCKS[kept][0])
            ids = (kb * _BLOCKS + cut_blocks) if axis == "y" else (cut_blocks * _BLOCKS + kb)
            d[e] = (dither32[ids[None, :, None] * _BAND.size + np.maximum(slot, 0)[:, None, :]] * phase
                    * mask[:, None, :])  # (kept row, cut block, cut row)
        norm = np.float32(mask.sum() / 2.0)  # band entries a block
        ones_k = np.ones((k, 1), np.float32)
        ones_b = np.ones((len(cut_blocks), 1), np.float32)
        zs = [[], []]
        lens, cuts, sts = [], [], []
        for length, cut_length, starts, res, vis, valid in hyps:
            cs = np.subtract(res, d[:, :, None, None], dtype=np.float32)
            np.cos(cs, out=cs)
            cs *= mask[None, :, None, None, None, :]
            by_cut = cs.sum(axis=1)  # (edges, a, q, cut blocks, cut rows): slabs added
            per_block = cv2.gemm(by_cut.reshape(-1, k), ones_k, 1.0, None, 0.0).reshape(2, -1, len(cut_blocks))
            vf = vis.reshape(-1, len(cut_blocks)).astype(np.float32)
            nv = vf.sum(axis=1)
            bad = (nv < len(cut_blocks) / 2) | ~valid.ravel()
            den = np.sqrt(np.maximum(nv * norm, 1e-12))
            for e in range(2):
                z = cv2.gemm(per_block[e] * vf, ones_b, 1.0, None, 0.0).ravel() / den
                z[bad] = -np.inf
                zs[e].append(z)
            lens.append(np.full(valid.size, length))
            cuts.append(np.full(valid.size, cut_length))
            sts.append(starts.ravel())
        lengths, cut_lengths, starts = np.concatenate(lens), np.concatenate(cuts), np.concatenate(sts)
        return [(kept, np.concatenate(zs[e]), lengths, cut_lengths, starts) for e, kept in enumerate(("end", "start"))]

    def turned_stack(self, angles, canvas: str) -> tuple[np.ndarray, np.ndarray]:
        """Coefficients and weights (hypotheses, slots) of the whole grid for each angle of a
        turn (``rotated(angle, canvas, coarse=True)`` for many angles at once), kept by
        hypothesis (the mirror's search asks for the same angles negated: a symmetric set)."""
        angles = np.round(np.asarray(angles, float), 9)

        def make():
            coeffs = np.empty((len(angles), _N_SLOTS), np.float32)
            weights = np.empty((len(angles), _N_SLOTS), np.float32)
            buffer = np.empty((_ENERGY_CHUNK, CANONICAL_SIZE, CANONICAL_SIZE), np.float32)
            for c0 in range(0, len(angles), _ENERGY_CHUNK):
                part = angles[c0 : c0 + _ENERGY_CHUNK]
                grids, oks = self._rotation_stack(part, canvas, CANONICAL_SIZE, out=buffer)
                c = _block_dct_stack(grids, _C_LOW.astype(np.float32))[:, :, _BAND_LOW]
                coeffs[c0 : c0 + len(part)] = c.reshape(len(part), -1)
                weights[c0 : c0 + len(part)] = np.repeat(oks.reshape(len(part), -1), _BAND.size, axis=1)
            return coeffs, weights

        return self.memo(_key("turned", canvas, angles), make)

    def zoomed_stack(self, kx: str, ky: str, ratios, ratios_y=None) -> tuple[np.ndarray, np.ndarray]:
        """Coefficients and weights (hypotheses, slots) of the whole grid for each extent of a
        crop from several sides (the corner or centre ``kx``, ``ky`` kept; the original's extent
        ``ratios`` times the received one's along x, ``ratios_y`` along y: the same when not
        given, a zoom), kept by hypothesis."""
        ratios = np.asarray(ratios, float)
        ratios_y = ratios if ratios_y is None else np.asarray(ratios_y, float)
        w, h = self.width, self.height

        def make():
            every = np.arange(_BLOCKS)
            coeffs = np.empty((len(ratios), _N_SLOTS), np.float32)
            weights = np.empty((len(ratios), _N_SLOTS), np.float32)
            for c0 in range(0, len(ratios), _ENERGY_CHUNK):
                part, part_y = ratios[c0 : c0 + _ENERGY_CHUNK], ratios_y[c0 : c0 + _ENERGY_CHUNK]
                xl, yl = w * part, h * part_y
                xs, ys = _kept_start(kx, w, xl), _kept_start(ky, h, yl)
                # Pre-filtered once, at the chunk's middle extent (a chunk spans under 8% of scale).
                mid = (float(np.sqrt(part.min() * part.max())), float(np.sqrt(part_y.min() * part_y.max())))
                c, slots = self._windows(np.stack([xs, xl, ys, yl], axis=1), every, every, mid=mid)
                coeffs[c0 : c0 + len(part)][:, slots] = c
                vx, vy = _visible_cols(w, xs, xl), _visible_cols(h, ys, yl)
                weights[c0 : c0 + len(part)] = np.repeat((vy[:, :, None] & vx[:, None, :]).reshape(len(part), -1),
                                                          _BAND.size, axis=1)
            return coeffs, weights

        return self.memo(_key("zoomed", kx, ky, ratios, ratios_y), make)

    def _sep_plane(self, half: bool = False) -> tuple[np.ndarray, float, float]:
        """Luma reduced to about a canonical sample per pixel, or per two
        (``half``: a coarse pass's, whose frequencies are at most a quarter cycle per pixel
        there), and the factors."""
        k = max(1.0, min(self.width, self.height) / CANONICAL_SIZE)
        if half:
            k = max(1.0, min(self.width, self.height) / (CANONICAL_SIZE / 2))
        wd, hd = max(8, round(self.width / k)), max(8, round(self.height / k))
        return self._plane(wd, hd, False), wd / self.width, hd / self.height



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


_COMMON_CROPS = (0.05, 0.10, 0.15, 0.20)  # step 3c's exact one-side crops
_COMMON_CROP_DECODES = 3


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


def _sep_rows(n: int, f: float, starts: np.ndarray, lengths: np.ndarray, blocks: np.ndarray, k: int) -> np.ndarray:
    """(hypotheses * len(blocks) * k, n): for each hypothesis (the original's axis spans
    [start, start + length) of the received one), the first ``k`` pre-filtered DCT rows of each
    block in ``blocks``, composed with bilinear sampling of a reduced axis of ``n`` pixels
    (``f`` reduced pixels per received pixel; the border replicated, as warpAffine's)."""
    nh = len(starts)
    pos = f * (starts[:, None] + (np.arange(CANONICAL_SIZE) + 0.5)[None, :] * (lengths / CANONICAL_SIZE)[:, None]) - 0.5
    x0 = np.floor(pos)
    frac = (pos - x0).astype(np.float32)
    i0 = np.clip(x0, 0, n - 1).astype(np.int64)
    i1 = np.clip(x0 + 1, 0, n - 1).astype(np.int64)
    a = _PRE_DCT[blocks, :k].reshape(-1, CANONICAL_SIZE)  # (r, 256)
    # Sampling of every hypothesis as one sparse (hypotheses * n, 256) matrix (two taps a sample).
    rows = (np.arange(nh)[:, None] * n + np.concatenate([i0, i1], axis=1)).ravel()
    cols = np.tile(np.arange(CANONICAL_SIZE), 2 * nh)
    sampling = sparse.csr_matrix((np.concatenate([1.0 - frac, frac], axis=1).ravel(), (rows, cols)),
                                 shape=(nh * n, CANONICAL_SIZE))
    out = np.asarray(sampling @ a.T, dtype=np.float32)  # (hypotheses * n, r)
    return np.ascontiguousarray(out.reshape(nh, n, -1).transpose(0, 2, 1)).reshape(-1, n)


@functools.lru_cache(maxsize=8)
def _band_of(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Band entries whose frequencies are both below ``k``: their index in a (k x k) block and
    their place in the band."""
    u, v = np.divmod(_BAND, BLOCK)
    keep = np.flatnonzero((u < k) & (v < k))
    return u[keep] * k + v[keep], keep


_HALF_PICK, _HALF_KEEP = _band_of(4)
_C_HALF = (_C_LOW[:4, 0::2] + _C_LOW[:4, 1::2]).astype(np.float32)  # DCT rows over pairs of samples
_HALF_LOW = np.flatnonzero(_SLOT_RING[:_BAND.size][_HALF_KEEP] <= 1)  # of those, the two lowest rings


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
ROTATION_RANGE = 5.5  # degrees either way the decoder searches
# The mirror's search (unflipped coefficients, mirrored layout) turns the other way: it scores
# these angles negated, which is the flipped image's search at these angles.
_ROTATION_COARSE = np.arange(-ROTATION_RANGE, ROTATION_RANGE + 1e-9, 0.15)
_ROTATION_FINE = np.arange(-0.1, 0.1001, 0.05)
_ROTATION_REFINE = 4
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


class _Search:
    """Candidate decodes, cheapest first; every Viterbi attempt is counted (each one is a
    2**-24 chance of a false mark on an unmarked image)."""

    def __init__(self, reader: _Reader, key: bytes, deadline: float | None = None, mirrored: bool = False):
        self.reader = reader
        self.key = key
        self.layout = _mirrored_layout(key) if mirrored else _layout(key)
        self.turn = -1.0 if mirrored else 1.0  # a turn of the flipped image is the opposite one here
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
        angles = self.turn * _ROTATION_COARSE
        for canvas in ("kept", "expanded", "cropped"):
            z = self.reader.rotated_coarse_z(angles, canvas, dither)
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


# --------------------------------------------------------------------------
# Video: MP4 through PyAV (FFmpeg).  Every frame carries the same mark; the decoder sums the
# soft values of many frames, so a re-encode that leaves each frame weak still reads.
# --------------------------------------------------------------------------
VideoSource = bytes | bytearray | memoryview | str | os.PathLike


def _open_input(src: VideoSource):
    import av

    if isinstance(src, (bytes, bytearray, memoryview)):
        return av.open(io.BytesIO(bytes(src)), "r")
    return av.open(os.fspath(src), "r")


def probe_video(src: VideoSource) -> tuple[int, int, int]:
    """(width, height, frame count or 0 when the container does not say) of the first video
    stream.  Raises ValueError when FFmpeg cannot read a video stream from ``src``."""
    import av

    try:
        with _open_input(src) as source:
            if not source.streams.video:
                raise ValueError("the file has no video stream")
            video = source.streams.video[0]
            return int(video.codec_context.width), int(video.codec_context.height), int(video.frames or 0)
    except (av.FFmpegError, OSError) as exc:
        raise ValueError(f"not a readable video: {exc}") from exc


def embed_video(
    src: VideoSource, mark_id: int, key: bytes, *, crf: int = 18, preset: str = "veryfast"
) -> bytes:
    """An MP4 (H.264, yuv420p; MPEG-4 Part 2 where FFmpeg lacks x264) whose every frame
    carries ``mark_id`` under ``key``.

    ``src`` is a video file's bytes or path (any container and codec FFmpeg reads).  Audio
    streams are copied as they are; the frame timing is kept.  Raises ValueError for a file
    without a readable video stream or with frames smaller than 128 pixels on a side.
    """
    import av

    mark_id = _check_mark_id(mark_id)
    key = _check_key(key)
    offsets = _offsets(key, mark_id)
    try:
        source = _open_input(src)
    except (av.FFmpegError, OSError) as exc:
        raise ValueError(f"not a readable video: {exc}") from exc
    out = io.BytesIO()
    with source:
        if not source.streams.video:
            raise ValueError("the file has no video stream")
        video = source.streams.video[0]
        width, height = video.codec_context.width & ~1, video.codec_context.height & ~1
        if min(width, height) < MIN_IMAGE_SIDE:
            raise ValueError(
                f"frames are {video.codec_context.width}x{video.codec_context.height}; "
                f"the watermark needs at least {MIN_IMAGE_SIDE}x{MIN_IMAGE_SIDE} pixels"
            )
        audio = [s for s in source.streams.audio]
        with av.open(out, "w", format="mp4") as sink:
            h264 = "libx264" in av.codecs_available
            encoder = sink.add_stream("libx264" if h264 else "mpeg4", rate=video.average_rate or video.guessed_rate or 25)
            encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuv420p"
            encoder.time_base = video.time_base
            if h264:
                encoder.options = {"crf": str(int(crf)), "preset": preset}
            else:  # MPEG-4 Part 2, which every FFmpeg has: a fixed high quality instead of a CRF
                encoder.options = {"qscale": "2"}
            copies = {a.index: sink.add_stream_from_template(a) for a in audio}
            for packet in source.demux(video, *audio):
                if packet.stream.index in copies:
                    if packet.dts is not None:
                        packet.stream = copies[packet.stream.index]
                        sink.mux(packet)
                    continue
                for frame in packet.decode():
                    rgb = np.ascontiguousarray(frame.to_ndarray(format="rgb24")[:height, :width])
                    marked = av.VideoFrame.from_ndarray(_embed_rgb(rgb, offsets), format="rgb24")
                    marked.pts, marked.time_base = frame.pts, frame.time_base
                    sink.mux(encoder.encode(marked))
            sink.mux(encoder.encode(None))
    return out.getvalue()


# A frame resized to an odd side and then encoded (H.264 4:2:0 wants even sides) lost its last
# column or row: 384x288 at 0.7 is 269x202, encoded 268x202.  The whole frame read as the
# original then stretches the grid by a pixel (0.95 canonical samples at the far edge of a
# 268-wide frame), which moves the host's quantised coefficients off the lattice (measured on
# the benchmark's resize x0.7 + CRF 35 clips: the 48 frames' sums correlate 0.46 -> 0.59,
# 0.51 -> 0.72 with the codeword with the column put back; 1 -> 3 of 14 clips read).  So the
# first pass also sums each frame read as the original one pixel wider, taller or both (an
# axis up to ``_EDGE_AXIS_MAX`` long, where a pixel is at least a quarter of a canonical
# sample), decoded when the whole-frame sums fail.
_EDGE_AXIS_MAX = 1024


@functools.lru_cache(maxsize=16)
def _short_axis(n: int) -> sparse.csr_matrix:
    """canonical <- image for an axis that lost its last pixel (the original n + 1 long; the
    last canonical samples average what is left of theirs)."""
    return _to_canonical(n, 0.0, n + 1.0)[0]


def _edge_hypotheses(height: int, width: int) -> list[tuple[int, int]]:
    """(pixels lost at the bottom, at the right) hypotheses beside the frame as read."""
    ys = (0, 1) if height <= _EDGE_AXIS_MAX else (0,)
    xs = (0, 1) if width <= _EDGE_AXIS_MAX else (0,)
    return [(y, x) for y in ys for x in xs if y or x]


def _edge_coefficients(plane: np.ndarray, lost: tuple[int, int]) -> np.ndarray:
    """The band coefficients of a whole luma ``plane`` read as an original that was ``lost``
    (rows, columns) pixels longer at its far edges."""
    height, width = plane.shape
    down_y = _short_axis(height) if lost[0] else _axis(height).down
    down_x = _short_axis(width) if lost[1] else _axis(width).down
    return _coefficients(_prefilter(_to_grid(plane, down_y, down_x)))


_SEARCH_FRAME_MIN_SIDE = 384  # a kept frame's short side after halving: 1.5 times the canonical grid
_KEY_FRAME_WEIGHT = 8.0  # a key frame's soft values and scores against a predicted frame's (measured: CRF 35)
_SUM_CHECKPOINTS = frozenset({1, 2, 4, 8, 16, 32, 64})  # frames summed when the whole-frame sum is decoded


def _kept_for_search(rgb: np.ndarray, min_side: int = _SEARCH_FRAME_MIN_SIDE) -> np.ndarray:
    """A video frame kept for the geometric search, halved (area resampling) while its short
    side stays at least ``min_side``: a 4K frame is searched at 960x540 (a sixteenth of the
    memory; ``_ENERGY_FRAMES`` are kept: a request's bound), still 1.5 times the canonical grid
    on its short side (the search reads planes of about a canonical sample per pixel)."""
    while min(rgb.shape[:2]) >= 2 * min_side:
        height, width = rgb.shape[:2]
        rgb = cv2.resize(rgb, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
    return rgb


# Geometry after a strong re-encode: the lattice score (the second harmonic of each coefficient's
# phase, no payload needed) falls to noise on CRF-35 frames while the first harmonic still carries
# the mark (measured: a key frame's lattice score 0.9-1.7 at the clip's geometry, its coded bits
# 85-94% right).  The first harmonic's sign is the coded bit, unknown, but every coded bit is
# written on ~10 slots of a frame and on every frame: the energy of the soft values summed per
# coded bit (over slots and frames) grows with the mark whatever the bits are.  It needs every
# block (a few blocks hold under one slot per coded bit), so it scores a hypothesis on the whole
# grid: one warp per hypothesis and frame, affordable for one-parameter families (a turn, a zoom)
# on a few frames.
_ENERGY_FRAMES = 3  # frames kept for the energy search: spread over the clip, key frames preferred
_ENERGY_ANGLES = np.arange(-36, 37) * 0.15  # symmetric: both orientations share the warps
_ENERGY_FINE = np.arange(-0.1, 0.1001, 0.025)
_ENERGY_ZOOM = np.exp(np.arange(0.0012, math.log(1.0 / ZOOM_KEPT_MIN) + 0.001, 0.0012))
_ENERGY_AXES = np.exp(np.arange(-0.0036, 0.00361, 0.0009))  # each axis's extent about the best zoom's
_ENERGY_THRESHOLD = 5.0  # of the best hypotheses of a family, below this none is decoded
_ENERGY_CORNERS = 3  # kept corners (of the five, by their coarse energy) whose extents are refined per axis
_ENERGY_DECODES = 2  # hypotheses refined (of both orientations), together in one second pass over the file
VIDEO_PASSES = 2  # the most times extract_video decodes a frame: a caller's pixel budget charges them all
# The refinement (the second pass): about each of the best hypotheses, a neighbourhood scored by the
# energy of every frame read (not the search's three) and decoded best first.  The search's three
# frames put a 24-fps clip's turn 0.025 degrees or a crop's extent a pixel off where every frame
# together reads (measured: a turn found at 2.025 degrees read at 2.0 and 1.95, not there).
_REFINE_TURN = np.arange(-0.075, 0.0751, 0.025)
_REFINE_AXES = np.exp(np.arange(-0.0024, 0.00241, 0.0012))  # each axis's extent about the search's
_REFINE_SHIFTS = {"end": np.array([0.0, 1.0]), "start": np.array([0.0]), "centre": np.array([0.0])}
_REFINE_DECODES = 6  # hypotheses of the neighbourhoods decoded, by their energy over every frame
_ENERGY_CHUNK = 64  # hypotheses warped at once (a bounded transient)


def _coded_matrix(layout: _Layout) -> tuple[np.ndarray, np.ndarray]:
    """The slots in the order of the coded bit they carry, and where each coded bit's run of
    slots starts (for ``np.add.reduceat``)."""
    order = np.argsort(layout.coded_bit, kind="stable")
    starts = np.searchsorted(layout.coded_bit[order], np.arange(_CODED_BITS))
    return order, starts


def _energy_z(per_frame: list[tuple[np.ndarray, np.ndarray]], frame_weights: list[float], layout: _Layout,
              matrix: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The coded-bit energy of each hypothesis (rows), in standard deviations of its value
    where nothing is marked: the soft values of every frame (``per_frame``: coefficients and
    weights, (hypotheses, slots) each), weighted, summed per coded bit, squared and summed."""
    order, starts = matrix
    phase = np.float32(2.0 * np.pi / QIM_STEP)
    dither = layout.dither.astype(np.float32)[order][None, :]
    sums = 0.0
    for (c, w), a in zip(per_frame, frame_weights):
        w = w[:, order]
        soft = np.cos(phase * (c[:, order].astype(np.float32) - dither)) * w
        sums = sums + np.float32(a) * np.add.reduceat(soft, starts, axis=1)
    w = per_frame[0][1][:, order]  # one geometry: every frame's weights are the same
    var = np.float32(sum(a * a for a in frame_weights) / 2.0) * np.add.reduceat(w * w, starts, axis=1)
    excess = np.sum(sums * sums - var, axis=1)
    return excess / np.sqrt(np.maximum(2.0 * np.sum(var * var, axis=1), 1e-12))


class _FramesSearch:
    """The geometric search of a clip, whose frames share one geometry (a crop, a turn is
    applied to every frame): every hypothesis scored by the coded-bit energy of a few frames
    together (``_energy_z``); the best two refined and decoded by ``_refine_decode`` (a second
    pass over the file).  Every Viterbi attempt is counted, as ``_Search``'s."""

    def __init__(self, readers: list[_Reader], key: bytes, deadline: float | None = None, mirrored: bool = False):
        self.readers = readers
        self.key = key
        self.layout = _mirrored_layout(key) if mirrored else _layout(key)
        self.turn = -1.0 if mirrored else 1.0
        self.attempts = 0
        self.deadline = deadline

    def late(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def energy(self) -> list[tuple[float, str, object, object]]:
        """A turn (the canvas kept, expanded or cropped to its proportions) or a zoom (a crop
        keeping a corner or the centre, the proportions first, then each axis about the best),
        scored by the coded-bit energy (``_energy_z``) on up to ``_ENERGY_FRAMES`` frames, key
        frames first: the best turn and the best crop, (score, kind, where, value), best
        first, those above ``_ENERGY_THRESHOLD`` only."""
        ranked = self.readers
        weights = [r.weight for r in ranked]
        matrix = _coded_matrix(self.layout)

        def score(stacks):
            return _energy_z(stacks, weights, self.layout, matrix)

        found = []
        angles = self.turn * _ENERGY_ANGLES
        for canvas in ("kept", "expanded", "cropped"):
            z = score([r.turned_stack(angles, canvas) for r in ranked])
            i = int(np.argmax(z))
            found.append((float(z[i]), "turn", canvas, float(angles[i])))
            if self.late():
                return []
        found.sort(key=lambda t: -t[0])
        _, _, canvas, centre = found[0]
        fine = centre + _ENERGY_FINE
        z = score([r.turned_stack(fine, canvas) for r in ranked])
        i = int(np.argmax(z))
        candidates = [(float(z[i]), "turn", canvas, float(fine[i]))]
        zooms = []
        for kx, ky in _ZOOM_KEPT:
            z = score([r.zoomed_stack(kx, ky, _ENERGY_ZOOM) for r in ranked])
            i = int(np.argmax(z))
            zooms.append((float(z[i]), "zoom", (kx, ky), float(_ENERGY_ZOOM[i])))
            if self.late():
                return []
        # The best zooms, each axis's extent on its own (a crop rounded to even sides, or by
        # other fractions about that one).  The coarse pass's equal extents sit up to a pixel
        # off each axis of a crop whose sides were rounded apart, where the energy has fallen
        # to the noise's (measured: 24 at the truth, under 5 a pixel off on one axis): the best
        # ``_ENERGY_CORNERS`` kept corners are refined, not only the first.
        zoom_best = []
        for _, _, (kx, ky), ratio in sorted(zooms, key=lambda t: -t[0])[:_ENERGY_CORNERS]:
            rx, ry = (g.ravel() for g in np.meshgrid(ratio * _ENERGY_AXES, ratio * _ENERGY_AXES))
            keep = (rx >= 1.0) & (ry >= 1.0)
            rx, ry = rx[keep], ry[keep]
            if rx.size:
                z = score([r.zoomed_stack(kx, ky, rx, ry) for r in ranked])
                i = int(np.argmax(z))
                zoom_best.append((float(z[i]), "zoom", (kx, ky), (float(rx[i]), float(ry[i]))))
            if self.late():
                return []
        if zoom_best:
            candidates.append(max(zoom_best, key=lambda t: t[0]))
        candidates.sort(key=lambda t: -t[0])
        return [t for t in candidates if t[0] >= _ENERGY_THRESHOLD]


_FRAME_CLASSES = 3  # key frames, P frames, the others (B frames)
def _adaptive_sum(sums: np.ndarray, counts: np.ndarray, noise: float) -> np.ndarray | None:
    """The per-coded-bit sums of a clip's frame classes (``sums``: key, P, B rows, unweighted;
    ``counts``: frames in each; ``noise``: the key frames' per-coded-bit noise variances where
    nothing is marked, summed) weighted by what this clip's frames carry, or None without both
    key frames and others.  A frame's soft value per coded bit is s b + n (b the coded bit's
    sign): the best weight is s / var(n), var(n) alike for every frame of a size.  The key
    frames' mean m estimates s_key^2 as mean(m^2) - var(m's noise); a class's s s_key as
    <its mean, m> / coded bits (its noise is independent of the key frames': the content moves
    under a mark that stays), so a class's weight against a key frame's is s / s_key.  A class
    whose frames do not agree with the key frames gets no weight: what the encoder left on a
    24-fps clip's predicted frames at CRF 35 is often nothing (measured: 0.02 against the key
    frame's 0.2 correlation with the codeword, where a fixed weight of 1/8 of a key frame's
    lowered the sum's signal to noise from 1.02 to 0.81)."""
    keys = counts[0]
    if not keys or not counts[1:].any():
        return None
    mean_key = sums[0] / keys
    per_key = noise / (keys * keys)  # the noise variance of the key frames' mean, per coded bit
    signal2 = max(float(mean_key @ mean_key) / _CODED_BITS - per_key, 0.25 * per_key)
    out = sums[0].copy()
    for row, n in zip(sums[1:], counts[1:]):
        if n:
            out += max(0.0, float(row @ mean_key) / (_CODED_BITS * n) / signal2) * row
    return out


def _frame_class(frame) -> int:
    """0 for a key frame (or any intra-coded one), 1 for a P frame, 2 for the others (B)."""
    kind = getattr(frame.pict_type, "name", frame.pict_type)  # FFmpeg's AVPictureType: I 1, P 2 (or a name)
    if frame.key_frame or kind in ("I", 1):
        return 0
    return 1 if kind in ("P", 2) else 2


def _video_frames(src: VideoSource, max_frames: int, deadline: float | None):
    """(RGB, weight, frames to expect, class) of up to ``max_frames`` frames spread evenly over
    the clip when its length is known (the first ones otherwise), decoded one at a time; a key
    frame's weight is ``_KEY_FRAME_WEIGHT``, another's 1; the class is ``_frame_class``'s.
    (None, 0, 0, 0) for a frame too small to read; nothing more on a damaged file or past
    ``deadline``."""
    import av

    try:
        with _open_input(src) as source:
            if not source.streams.video:
                return
            video = source.streams.video[0]
            count = video.frames or 0
            wanted = set(np.round(np.linspace(0, count - 1, min(count, max_frames))).astype(int).tolist()) if count else None
            expected = len(wanted) if wanted is not None else max_frames
            read = 0
            for i, frame in enumerate(source.decode(video)):
                if wanted is not None and i not in wanted:
                    continue
                if deadline is not None and time.monotonic() > deadline:
                    return
                rgb = np.ascontiguousarray(frame.to_ndarray(format="rgb24"))
                if min(rgb.shape[:2]) < MIN_EXTRACT_SIDE:
                    yield None, 0.0, 0, 0
                    return
                yield rgb, (_KEY_FRAME_WEIGHT if frame.key_frame else 1.0), expected, _frame_class(frame)
                read += 1
                if read >= max_frames:
                    return
    except (av.FFmpegError, OSError, ValueError):
        return


def extract_video(src: VideoSource, key: bytes, *, max_frames: int = 48, deadline: float | None = None) -> int | None:
    """The mark id carried by a video's frames under ``key``, or None.

    Reads up to ``max_frames`` frames spread evenly over the clip and sums their soft decisions
    (as read and mirrored: a mirrored clip), a key frame's weighted ``_KEY_FRAME_WEIGHT`` times
    (an encoder spends its bits there; the predicted frames after it carry the mark weaker),
    decoding the sums after 1, 2, 4, 8... frames and at the end, each also as the sums of key, P
    and B frames weighted by what this clip's frames carry (``_adaptive_sum``); failing that, searches the
    clip's geometry (a turn, a crop keeping a corner or the centre; both orientations) on
    ``_ENERGY_FRAMES`` frames (spread over the clip, key frames preferred), every hypothesis
    scored by their coded-bit energy together, and reads every frame again (one second pass)
    about the best two, each with a neighbourhood of angles or extents ranked by the energy of
    every frame, the best decoded (``_refine_decode``).  Never raises on a damaged or
    non-video file: that is "no mark" too.  Frames are decoded one at a time; only the frames
    the search needs are kept, halved while large.  Past ``deadline`` (``time.monotonic()``) no
    further frame is read and no further search step starts.
    """
    key = _check_key(key)
    layout, flipped = _layout(key), _mirrored_layout(key)
    frames: list[tuple[np.ndarray, float]] = []  # kept for the geometric search, with their weights
    read = decoded_at = 0
    total = np.zeros(_CODED_BITS)
    total_flipped = np.zeros(_CODED_BITS)  # the same frames mirrored: a mirrored clip

    # Per layout, the unweighted sums of each frame class (``_frame_class``) and the frames in
    # each: ``_adaptive_sum`` weighs the classes by what this clip's frames carry.
    by_class = {id(acc): np.zeros((_FRAME_CLASSES, _CODED_BITS)) for acc in (total, total_flipped)}
    in_class = np.zeros(_FRAME_CLASSES)
    noise = 0.0  # one frame's per-coded-bit variance where nothing is marked, summed over key frames

    def decode_sums() -> int | None:
        for lay_total in (total, total_flipped):
            found = _decode(lay_total, key)
            if found is not None:
                return found
            adaptive = _adaptive_sum(by_class[id(lay_total)], in_class, noise)
            if adaptive is not None:
                found = _decode(adaptive, key)
                if found is not None:
                    return found
        return None

    # The frame's far edges a pixel short (``_edge_hypotheses``): per hypothesis and layout, the
    # weighted sums and those of each frame class, decoded once the whole-frame sums have failed.
    edges: list[tuple[int, int]] = []
    edge_shape: tuple[int, ...] = ()
    edge_total = edge_class = None

    def decode_edges(every: bool) -> int | None:
        """Every hypothesis, or (``every`` false: at a checkpoint) the one whose sums carry the
        most energy, per layout."""
        for lay in range(2):
            ranked = np.argsort(-np.einsum("ij,ij->i", edge_total[:, lay], edge_total[:, lay]))
            for e in ranked if every else ranked[:1]:
                found = _decode(edge_total[e, lay], key)
                if found is None:
                    adaptive = _adaptive_sum(edge_class[e, lay], in_class, noise)
                    found = _decode(adaptive, key) if adaptive is not None else None
                if found is not None:
                    return found
        return None

    kept_at: set[int] = set()
    for rgb, weight, expected, kind in _video_frames(src, max_frames, deadline):
        if rgb is None:
            return None
        if not read:
            kept_at = {round(j * (expected - 1) / max(1, _ENERGY_FRAMES - 1)) for j in range(_ENERGY_FRAMES)}
            edge_shape = rgb.shape
            edges = _edge_hypotheses(*rgb.shape[:2])
            edge_total = np.zeros((len(edges), 2, _CODED_BITS))
            edge_class = np.zeros((len(edges), 2, _FRAME_CLASSES, _CODED_BITS))
        plain = [n for n, (_, a) in enumerate(frames) if a < weight]  # a key frame replaces another
        if read in kept_at or plain:
            small = _kept_for_search(rgb)
            if frames and small.shape != frames[0][0].shape:  # one geometry: one size
                pass
            elif read in kept_at and len(frames) < _ENERGY_FRAMES:
                frames.append((small, weight))
            elif plain:
                frames[plain[-1]] = (small, weight)
        read += 1
        reader = _Reader(rgb)
        coeffs, weights = reader.full()
        in_class[kind] += 1
        if kind == 0:
            noise += float(weights @ weights) / (2.0 * _CODED_BITS)
        for lay, acc in ((layout, total), (flipped, total_flipped)):  # the mirror: its layout
            soft = np.bincount(lay.coded_bit, weights=weights * np.cos((2.0 * np.pi / QIM_STEP) * (coeffs - lay.dither)),
                               minlength=_CODED_BITS)
            acc += weight * soft
            by_class[id(acc)][kind] += soft
        if rgb.shape == edge_shape:  # one geometry: a frame of another size adds nothing here
            for e, lost in enumerate(edges):
                shifted = _edge_coefficients(reader.planes[0], lost)
                for j, lay in enumerate((layout, flipped)):
                    soft = np.bincount(lay.coded_bit, weights=np.cos((2.0 * np.pi / QIM_STEP) * (shifted - lay.dither)),
                                       minlength=_CODED_BITS)
                    edge_total[e, j] += weight * soft
                    edge_class[e, j, kind] += soft
        del rgb, reader
        if read in _SUM_CHECKPOINTS:
            decoded_at = read
            found = decode_sums()
            if found is None and edges:
                found = decode_edges(every=False)
            if found is not None:
                return found
    if read and decoded_at != read:
        found = decode_sums()
        if found is not None:
            return found
    if read and edges:
        found = decode_edges(every=True)
        if found is not None:
            return found
    if not frames:
        return None
    readers = []
    while frames:
        small, weight = frames.pop(0)
        readers.append(_Reader(small))
        readers[-1].weight = weight
    shape = readers[0].rgb.shape
    found_at = []
    for mirrored in (False, True):  # the mirror's search reuses the warps (symmetric hypotheses)
        if deadline is not None and time.monotonic() > deadline:
            return None
        search = _FramesSearch(readers, key, deadline, mirrored=mirrored)
        found_at += [(hypothesis, search) for hypothesis in search.energy()]
    found_at.sort(key=lambda t: -t[0][0])
    if not found_at:
        return None
    again = ((rgb, weight, kind) for rgb, weight, _, kind in _video_frames(src, max_frames, deadline)
             if rgb is not None and _kept_for_search(rgb).shape == shape)
    return _refine_decode(again, found_at[:_ENERGY_DECODES], key, deadline)


def _neighbourhood(hypothesis) -> tuple[str, object, object]:
    """The hypotheses about one the search found: (kind, where, values): a turn's angles, or a
    crop's (extents along x, along y, start shifts along x, along y): each axis's extent about
    the search's on ``_REFINE_AXES``, and with a kept far edge a pixel short on its middle three."""
    _, kind, where, value = hypothesis
    if kind == "turn":
        return kind, where, (value + _REFINE_TURN,)
    parts = []
    for sx in _REFINE_SHIFTS[where[0]]:
        for sy in _REFINE_SHIFTS[where[1]]:
            axes = _REFINE_AXES if not (sx or sy) else _REFINE_AXES[1:-1]
            parts.append(np.stack([g.ravel() for g in np.meshgrid(value[0] * axes, value[1] * axes, [sx], [sy])]))
    rx, ry, sx, sy = np.concatenate(parts, axis=1)
    keep = (rx >= 1.0) & (ry >= 1.0)
    return kind, where, (rx[keep], ry[keep], sx[keep], sy[keep])


_SEEN_MIN = 0.3  # of a block's area: a block less visible than this is not read by the second pass


def _seen_weights(seen: np.ndarray) -> np.ndarray:
    """Blocks' weights in the second pass from the fraction of each left inside the received
    frame: that fraction (what is left carries the mark; a block a turn's corner or a crop cut
    into still carries most of it), none under ``_SEEN_MIN`` (measured: a 24-fps clip turned 2
    degrees read with every block weighed 1, not with only the whole blocks)."""
    return np.where(seen >= _SEEN_MIN, seen, 0.0)


def _turned_fine(reader: _Reader, angles: np.ndarray, canvas: str) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients and weights (hypotheses, slots) of a turn's angles as a whole frame is read:
    the received plane turned back onto the original's pixels (bicubic), area-resampled to the
    canonical grid (``_grid``), then pre-filtered.  Not ``turned_stack``'s plane pre-filtered
    once and then warped, whose interpolation costs a CRF-35 frame the mark a decode needs
    (measured: a turn read at 2.0 and 1.95 degrees that way, at none of seven angles the other),
    nor ``_Reader.rotated``'s warp straight onto the canonical grid, which samples a 384-wide
    frame's reduced plane every 1.36 pixels across without averaging them (measured: a 24-fps
    clip turned 2 degrees read by the whole frame turned back, at none of seven angles so)."""
    plane = reader.planes[0]
    w, h = float(reader.width), float(reader.height)
    coeffs = np.zeros((len(angles), _N_SLOTS))
    seen = np.zeros((len(angles), _BLOCKS * _BLOCKS))
    ones = np.ones(plane.shape, np.float32)
    for i, degrees in enumerate(angles):
        params = reader._rotation_params(float(degrees), canvas, 1.0)
        if params is None:
            continue
        wd, hd, m = params
        # The original's size (width0, height0) from the map: canonical samples span it.
        fx = math.hypot(m[0][0] * w / wd, m[1][0] * h / hd)
        fy = math.hypot(m[0][1] * w / wd, m[1][1] * h / hd)
        width0, height0 = fx * CANONICAL_SIZE, fy * CANONICAL_SIZE
        ow, oh = max(1, round(width0)), max(1, round(height0))
        # Original pixel (x, y) -> canonical sample ((x + 0.5) n / ow - 0.5, ...) -> reduced
        # pixel (m) -> received pixel ((p + 0.5) w / wd - 0.5).
        a = np.array([[CANONICAL_SIZE / ow, 0.0, 0.5 * CANONICAL_SIZE / ow - 0.5],
                      [0.0, CANONICAL_SIZE / oh, 0.5 * CANONICAL_SIZE / oh - 0.5], [0.0, 0.0, 1.0]])
        b = np.array([[w / wd, 0.0, 0.5 * w / wd - 0.5], [0.0, h / hd, 0.5 * h / hd - 0.5], [0.0, 0.0, 1.0]])
        full = (b @ np.vstack([np.asarray(m, float), [0.0, 0.0, 1.0]]) @ a)[:2]
        turned = cv2.warpAffine(plane, full, (ow, oh), flags=cv2.INTER_CUBIC | cv2.WARP_INVERSE_MAP,
                                borderMode=cv2.BORDER_REPLICATE)
        coeffs[i] = _coefficients(_prefilter(_grid(turned)))
        inside = cv2.warpAffine(ones, full, (ow, oh), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                                borderMode=cv2.BORDER_CONSTANT, borderValue=0.0)
        seen[i] = _grid(inside).reshape(_BLOCKS, BLOCK, _BLOCKS, BLOCK).mean(axis=(1, 3)).ravel()
    return coeffs, np.repeat(_seen_weights(seen), _BAND.size, axis=1)


def _zoomed_boxes(reader: _Reader, where: tuple[str, str], ratios: np.ndarray, ratios_y: np.ndarray,
                  shifts: np.ndarray, shifts_y: np.ndarray):
    """Coefficients and weights (hypotheses, slots) of crops as ``zoomed_stack`` gives them (the
    corner or centre ``where`` kept, the original's extents ``ratios`` and ``ratios_y`` times the
    received ones), the original's start moved by ``shifts`` and ``shifts_y`` received pixels
    and the extents by as many (the kept far edge a pixel short, the other edge where it was: an
    encoder rounding an odd side down drops the last column or row, after a crop that kept the
    right or bottom edge), each window warped from the plane and then pre-filtered."""
    kx, ky = where
    w, h = reader.width, reader.height
    every = np.arange(_BLOCKS)
    xl, yl = w * np.asarray(ratios, float) + shifts, h * np.asarray(ratios_y, float) + shifts_y
    xs, ys = _kept_start(kx, w, xl) + shifts, _kept_start(ky, h, yl) + shifts_y
    coeffs = np.empty((len(xl), _N_SLOTS))
    c, slots = reader._windows(np.stack([xs, xl, ys, yl], axis=1), every, every)
    coeffs[:, slots] = c
    vx, vy = _visible_cols(w, xs, xl), _visible_cols(h, ys, yl)
    weights = np.repeat((vy[:, :, None] & vx[:, None, :]).reshape(len(xl), -1), _BAND.size, axis=1)
    return coeffs, weights.astype(np.float64)


def _refine_decode(frames, found_at, key: bytes, deadline: float | None) -> int | None:
    """The second pass: every frame read (``frames``: (RGB, weight, class) triples) at every
    hypothesis of the neighbourhoods of ``found_at`` ((hypothesis, ``_FramesSearch``) pairs),
    the soft values summed per coded bit (weighted, and per frame class); the hypotheses ranked
    by the energy of the weighted sums (``_energy_z``'s measure, over every frame), the best
    ``_REFINE_DECODES`` decoded, each failing that as ``_adaptive_sum`` weighs its classes."""
    families = []
    for hypothesis, search in found_at:
        kind, where, values = _neighbourhood(hypothesis)
        if len(values[0]):
            families.append((search, kind, where, values))
    phase = np.float32(2.0 * np.pi / QIM_STEP)
    state = []
    for search, kind, where, values in families:
        order, starts = _coded_matrix(search.layout)
        dither = search.layout.dither.astype(np.float32)[order][None, :]
        n = len(values[0])
        state.append(dict(order=order, starts=starts, dither=dither, total=np.zeros((n, _CODED_BITS)),
                          by_class=np.zeros((_FRAME_CLASSES, n, _CODED_BITS)), noise=np.zeros(n), w2=None))
    in_class = np.zeros(_FRAME_CLASSES)
    weights2 = 0.0
    for rgb, weight, frame_class in frames:
        if deadline is not None and time.monotonic() > deadline:
            return None
        reader = _Reader(_kept_for_search(rgb))
        for (search, kind, where, values), st in zip(families, state):
            c, w = _turned_fine(reader, values[0], where) if kind == "turn" else _zoomed_boxes(reader, where, *values)
            w = w[:, st["order"]]
            soft = np.add.reduceat(np.cos(phase * (c[:, st["order"]] - st["dither"])) * w, st["starts"], axis=1)
            st["total"] += weight * soft
            st["by_class"][frame_class] += soft
            if st["w2"] is None:  # one geometry per hypothesis: every frame's weights are the same
                st["w2"] = np.add.reduceat(w * w, st["starts"], axis=1).astype(np.float64)
            if frame_class == 0:
                st["noise"] += st["w2"].sum(axis=1) / (2.0 * _CODED_BITS)
        in_class[frame_class] += 1
        weights2 += weight * weight
    if not weights2:
        return None
    ranked = []
    for (search, *_), st in zip(families, state):
        var = (weights2 / 2.0) * st["w2"]
        z = (np.sum(st["total"] ** 2 - var, axis=1)) / np.sqrt(np.maximum(2.0 * np.sum(var * var, axis=1), 1e-12))
        ranked += [(float(z[i]), i, search, st) for i in range(len(z))]
    ranked.sort(key=lambda t: -t[0])
    for _, i, search, st in ranked[:_REFINE_DECODES]:
        search.attempts += 1
        found = _decode(st["total"][i], key)
        adaptive = _adaptive_sum(st["by_class"][:, i], in_class, float(st["noise"][i])) if found is None else None
        if adaptive is not None:
            search.attempts += 1
            found = _decode(adaptive, key)
        if found is not None:
            return found
    return None
