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

The package, one topic a file; each imports only the files listed above it:

* ``params.py``: the format: the codeword's sizes, ``MIN_IMAGE_SIDE`` and ``MIN_EXTRACT_SIDE``,
  the scheme parameters (canonical grid, blocks, band, lattice step, pre-filter, gain range).
* ``keys.py``: the key's check, and the subkeys and keystreams derived from it.
* ``codes.py``: the convolutional code (trellis, encoder, Viterbi decoder), the keyed check
  value, the codeword's bits, and decoding soft values back to a verified mark id.
* ``transforms.py``: the band, the DCT matrices, the block DCT of the pre-filtered grid, the
  resampling operators to and from the canonical grid, and the operators composed from them
  for the searches.
* ``layout.py``: the keyed layout (dither and interleaver) and the mirrored layout.
* ``image.py``: image plumbing (RGB, luma, clip maps, writing a luma change).
* ``embedding.py``: ``new_mark_id``, ``embed`` and the frame embedder video uses.
* ``scoring.py``: the keyed lattice score and the gain search (per frequency ring).
* ``scan.py``: the crop searches' parameters and the separable scans of a crop's lost extent.
* ``reader.py``: ``_Reader``, a received image's coefficients under each geometric hypothesis.
* ``threads.py``: one BLAS thread while an image or a clip is read.
* ``search.py``: ``_Search`` (the candidate decodes, cheapest first; rotation parameters) and
  ``extract``.
* ``video.py``: ``probe_video``, ``embed_video``, ``extract_video`` and the frames' search.
"""

from .embedding import embed, new_mark_id
from .params import CHECK_BITS, CODEWORD_BITS, MARK_ID_BITS, MIN_EXTRACT_SIDE, MIN_IMAGE_SIDE
from .params import MARK_ID_MAX as MARK_ID_MAX
from .params import MARK_ID_MIN as MARK_ID_MIN
from .search import extract
from .video import VIDEO_PASSES as VIDEO_PASSES
from .video import embed_video, extract_video, probe_video

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
# MARK_ID_MIN, MARK_ID_MAX (the range of a mark id) and VIDEO_PASSES (the most times extract_video
# decodes a frame, which the verify endpoint's pixel budget charges) are read as attributes by
# callers, as before the split; not in ``__all__``, as before.
