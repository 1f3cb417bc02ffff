"""Frames → MP4 bytes with PyAV (FFmpeg's libraries).

H.264 (``libx264``) when the installed PyAV's FFmpeg has that encoder (the PyPI wheels do),
otherwise MPEG-4 Part 2 (``mpeg4``), which every FFmpeg build has. Both are written as yuv420p in
an MP4 container with the index at the front (``movflags=faststart``), so browsers can start
playing before the whole file has arrived. PyAV is imported lazily: only video work needs it.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from functools import lru_cache

from PIL import Image

H264 = "libx264"
MPEG4 = "mpeg4"
MAX_FPS = 60


def _av():
    try:
        import av
    except ImportError as exc:  # pragma: no cover - the requirement is declared
        raise RuntimeError("writing MP4 needs PyAV: pip install 'av>=14'") from exc
    return av


@lru_cache(maxsize=1)
def mp4_codec() -> str:
    """The encoder :func:`write_mp4` uses here: ``libx264`` if this FFmpeg has it, else ``mpeg4``."""
    av = _av()
    try:
        av.codec.Codec(H264, "w")
    except Exception:  # noqa: BLE001 - any failure means "not usable here"
        return MPEG4
    return H264


def write_mp4(frames: Sequence[Image.Image], fps: int, *, codec: str | None = None) -> bytes:
    """Encode ``frames`` (PIL images, all the same size, even width and height) as an MP4 at
    ``fps`` frames per second and return the file's bytes."""
    if not frames:
        raise ValueError("a video needs at least one frame")
    if isinstance(fps, bool) or not isinstance(fps, int) or not 1 <= fps <= MAX_FPS:
        raise ValueError(f"fps must be a whole number from 1 to {MAX_FPS}, not {fps!r}")
    width, height = frames[0].size
    if width % 2 or height % 2:
        raise ValueError(f"frame width and height must be even for yuv420p, not {width}x{height}")
    for frame in frames:
        if not isinstance(frame, Image.Image):
            raise ValueError(f"frames must be PIL images, got {type(frame).__name__}")
        if frame.size != (width, height):
            raise ValueError(f"every frame must be {width}x{height}; one is {frame.size[0]}x{frame.size[1]}")
    av = _av()
    codec = codec or mp4_codec()
    # faststart rewrites the file to move the index to the front: FFmpeg needs a real file for that.
    with tempfile.TemporaryDirectory(prefix="rightscast-mp4-") as tmp:
        target = os.path.join(tmp, "video.mp4")
        _encode(av, target, frames, fps, codec, width, height)
        with open(target, "rb") as fh:
            return fh.read()


def _encode(av, target: str, frames, fps: int, codec: str, width: int, height: int) -> None:
    with av.open(target, mode="w", format="mp4", options={"movflags": "faststart"}) as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width = width
        stream.height = height
        stream.pix_fmt = "yuv420p"
        if codec == H264:
            stream.options = {"crf": "18", "preset": "veryfast"}
        else:
            stream.bit_rate = max(400_000, width * height * fps // 2)
        for image in frames:
            frame = av.VideoFrame.from_image(image.convert("RGB"))
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():  # flush
            container.mux(packet)


def read_mp4(data: bytes) -> tuple[str, float, list[Image.Image]]:
    """Decode MP4 bytes: (codec name, average frame rate, frames as RGB PIL images)."""
    av = _av()
    with av.open(io.BytesIO(data), mode="r") as container:
        stream = container.streams.video[0]
        codec = stream.codec_context.name
        rate = float(stream.average_rate) if stream.average_rate else 0.0
        frames = [frame.to_image().convert("RGB") for frame in container.decode(stream)]
    return codec, rate, frames
