"""Short test clips and the edits a video platform makes to them (PyAV, H.264 in MP4).

Shared by the watermark benchmark (benchmarks/watermark.py, its video rows) and the watermark
tests (tests/generation/test_watermark.py): one copy of the clip maker and of the edits.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence

import numpy as np

FrameEdit = Callable[[np.ndarray], np.ndarray]


def pan_frames(picture: np.ndarray, w: int, h: int, frames: int, *, zoom: float = 1.0) -> list[np.ndarray]:
    """``frames`` w x h views of ``picture`` (RGB, at least w x h): a pan from the top-left
    corner towards the bottom-right and, with ``zoom`` > 1, a slow zoom in by that factor
    (each view is a window shrinking from the whole w x h to w/zoom x h/zoom, scaled back up).
    Every frame differs from the last, as in a real shot."""
    import cv2

    ph, pw = picture.shape[:2]
    out = []
    for i in range(frames):
        t = i / max(1, frames - 1)
        z = 1.0 + (zoom - 1.0) * t
        cw, ch = w / z, h / z
        x = t * (pw - cw)
        y = 0.5 * t * (ph - ch)
        if zoom == 1.0:
            view = picture[round(y) : round(y) + h, round(x) : round(x) + w]
        else:  # sub-pixel window, resampled to w x h
            m = np.array([[1 / z, 0, x], [0, 1 / z, y]], np.float64)
            view = cv2.warpAffine(picture, m, (w, h), flags=cv2.INTER_AREA | cv2.WARP_INVERSE_MAP,
                                  borderMode=cv2.BORDER_REFLECT)
        out.append(np.ascontiguousarray(view))
    return out


def encode_frames(frames: Sequence[np.ndarray], fps: float, *, crf: int = 18, audio: bool = False) -> bytes:
    """The RGB ``frames`` as an H.264 (yuv420p) MP4 at ``fps`` and ``crf`` (sides rounded down
    to even), optionally with a silent AAC track."""
    import av

    h, w = (frames[0].shape[0] & ~1), (frames[0].shape[1] & ~1)
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=round(fps))
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.options = {"crf": str(crf)}
        sound = out.add_stream("aac", rate=44100) if audio else None
        for f in frames:
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(f[:h, :w]), format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
        if sound is not None:
            for j in range(10):
                block = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
                block.sample_rate, block.pts = 44100, j * 1024
                out.mux(sound.encode(block))
            out.mux(sound.encode(None))
    return buf.getvalue()


def decode_frames(data: bytes) -> tuple[list[np.ndarray], float]:
    """(every frame as RGB, the average frame rate) of an MP4's first video stream."""
    import av

    with av.open(io.BytesIO(data)) as src:
        video = src.streams.video[0]
        rate = float(video.average_rate)
        return [f.to_ndarray(format="rgb24") for f in src.decode(video)], rate


def edit_clip(
    data: bytes,
    *,
    crf: int = 35,
    mirror: bool = False,
    fps: float | None = None,
    keep: Iterable[int] | None = None,
    frame_edit: FrameEdit | None = None,
) -> bytes:
    """Re-encode with H.264 at ``crf``: keeping only the frames whose index is in ``keep``, at
    another frame rate (frames dropped or repeated by their time), each frame edited by
    ``frame_edit`` (RGB in, RGB out: a crop, a turn, a resize...) and optionally mirrored."""
    frames, rate = decode_frames(data)
    if keep is not None:
        kept = set(keep)
        frames = [f for i, f in enumerate(frames) if i in kept]
    if fps is not None:
        n = max(1, round(len(frames) * fps / rate))
        frames = [frames[min(len(frames) - 1, int(i * rate / fps))] for i in range(n)]
    if frame_edit is not None:
        frames = [frame_edit(f) for f in frames]
    if mirror:
        frames = [f[:, ::-1] for f in frames]
    return encode_frames(frames, fps or rate, crf=crf)
