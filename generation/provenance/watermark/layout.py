"""The keyed layout: each slot's secret dither and the coded bit it carries (a keyed interleaver),
and the mirrored layout that reads a flipped image from the unflipped image's coefficients."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .codes import _CODED_BITS
from .keys import _keystream_u64
from .params import _BLOCKS, BLOCK, QIM_STEP
from .transforms import _BAND, _N_SLOTS


@dataclass(frozen=True)
class _Layout:
    dither: np.ndarray  # per slot, in [0, QIM_STEP)
    coded_bit: np.ndarray  # which coded bit each slot carries
    slot_block: np.ndarray  # which block each slot lies in (row-major over the 8x8 blocks)


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
