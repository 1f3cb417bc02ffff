"""The watermark's format: the codeword's sizes, the smallest sides embedded and read, and the
scheme parameters every part reads (the canonical grid, its blocks and band, the lattice step, the
pre-filter, the gain range, the embedder's passes)."""

from __future__ import annotations

import numpy as np

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
