"""Video: every frame marked as an image and re-encoded (``embed_video``); the decoder sums the
soft values of many frames, and searches a geometry applied to every frame by the coded-bit energy
of a few frames together (``extract_video``, ``_FramesSearch``, ``_refine_decode``)."""

from __future__ import annotations

import functools
import io
import math
import os
import time

import cv2
import numpy as np
from scipy import sparse

from .codes import _CODED_BITS, _decode
from .embedding import _check_mark_id, _embed_rgb, _offsets
from .keys import _check_key
from .layout import _Layout, _layout, _mirrored_layout
from .params import _BLOCKS, BLOCK, CANONICAL_SIZE, MIN_EXTRACT_SIDE, MIN_IMAGE_SIDE, QIM_STEP
from .reader import _Reader
from .scan import _ZOOM_KEPT, ZOOM_KEPT_MIN, _kept_start, _visible_cols
from .threads import one_blas_thread
from .transforms import _BAND, _N_SLOTS, _axis, _coefficients, _grid, _prefilter, _to_canonical, _to_grid

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
    with one_blas_thread():
        return _extract_video(src, key, max_frames, deadline)


def _extract_video(src: VideoSource, key: bytes, max_frames: int, deadline: float | None) -> int | None:
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
