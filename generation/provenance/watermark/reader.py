"""The received image on the canonical grid (``_Reader``): its band coefficients under each
geometric hypothesis (whole, cropped along one axis, zoomed, cropped from two or three sides,
turned, turned then zoomed) and the coarse passes' scores, kept by hypothesis so that both
orientations' searches share them."""

from __future__ import annotations

import math

import cv2
import numpy as np

from .image import _clip_maps, _luma
from .params import _BLOCKS, _PREFILTER, _PREFILTER_RADIUS, BLOCK, CANONICAL_SIZE, MIN_EXTRACT_SIDE, QIM_STEP
from .scan import (
    _CENTRE_LOCAL,
    _CENTRE_LOCAL_FINE,
    _CENTRE_RESCORE,
    _CENTRE_RESCORE_KEEP,
    _COARSE_ROWS,
    _CORNER_LOCAL_IDX,
    _CORNER_LOCAL_STEP,
    _CORNER_MIDDLE,
    _CORNER_MIDDLE_BLOCKS,
    _CORNER_RESCORE,
    _CORNER_RESCORE_BLOCKS,
    _CORNER_RESCORE_KEEP,
    _KEPT_BLOCKS,
    _MIN_VISIBLE,
    _SCAN_CANDIDATES,
    _SCAN_FINE,
    _SCAN_RATIOS,
    _SCAN_THRESHOLD,
    _THREE_SIDE_AXIS_MIN,
    _THREE_SIDE_CUT_BLOCKS,
    _THREE_SIDE_FIRST,
    _THREE_SIDE_KEEP,
    _THREE_SIDE_KEPT_BLOCKS,
    _THREE_SIDE_MIDDLE,
    _THREE_SIDE_MIDDLE_MORE,
    _THREE_SIDE_ODD_BLOCKS,
    _THREE_SIDE_ODD_MIDDLE,
    _THREE_SIDE_ODD_MIN,
    _THREE_SIDE_ODD_RATIOS,
    _THREE_SIDE_ODD_STEP,
    _THREE_SIDE_OFFSET,
    _THREE_SIDE_PHASES,
    _THREE_SIDE_RATIOS,
    _THREE_SIDE_ROWS,
    _THREE_SIDE_STEP,
    _TWO_AXIS_BANDS,
    _TWO_AXIS_FINE,
    _TWO_AXIS_LOG_AREA,
    _TWO_AXIS_RATIOS,
    _TWO_AXIS_STEP,
    _TWO_AXIS_THRESHOLD,
    _ZOOM_BANDS,
    _ZOOM_BLOCKS,
    _ZOOM_FINE,
    _ZOOM_KEPT,
    _ZOOM_RATIOS,
    AREA_KEPT_MIN,
    _best_local_pairs,
    _best_visible,
    _filter_stacked,
    _kept_start,
    _key,
    _scan_coefficients,
    _scan_z,
    _sep_coefficients,
    _sep_rows,
    _sep_scores,
    _span,
    _visible_cols,
)
from .scoring import _SLOT_RING
from .transforms import (
    _BAND,
    _BAND_LOW,
    _C_LOW,
    _K_LOW,
    _N_SLOTS,
    _PRE_DCT,
    _axis,
    _band_of,
    _block_dct_stack,
    _coefficients,
    _grid,
    _left,
    _prefilter,
    _right,
    _to_canonical,
)

# The rotation search's coarse pass (``_Reader.rotated_coarse_z``): frequencies below 4 from half the samples.
_HALF_PICK, _HALF_KEEP = _band_of(4)
_C_HALF = (_C_LOW[:4, 0::2] + _C_LOW[:4, 1::2]).astype(np.float32)  # DCT rows over pairs of samples
_HALF_LOW = np.flatnonzero(_SLOT_RING[:_BAND.size][_HALF_KEEP] <= 1)  # of those, the two lowest rings
_ENERGY_CHUNK = 64  # hypotheses warped at once (a bounded transient)


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
