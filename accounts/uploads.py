"""The one gate every uploaded file goes through before anything decodes it fully: size in bytes,
type by content (not by name), pixel count (decompression bombs are refused), and a full decode.

What one request may cost is bounded end to end (the figures are settings):
- bytes, while the body streams (`accounts.upload_stream`: a request over the size is refused from
  its Content-Length before it is read; a file over `UPLOAD_MAX_BYTES` is refused as its chunks
  arrive; at most `UPLOAD_MAX_FILES` files);
- decoded pixels: a still may declare at most `UPLOAD_MAX_PIXELS`, a video frame
  `UPLOAD_MAX_FRAME_PIXELS`, and every frame and still of one request together draw on one budget
  of `UPLOAD_PIXEL_BUDGET` pixels (`DecodeBudget`, one per request); frames are decoded one at a
  time and only small copies are kept: a still larger than `UPLOAD_WORKING_PIXELS` is reduced
  (area average, an integer factor; JPEGs are decoded at the reduced scale) before anything else
  sees it;
- time: the budget has a deadline (`UPLOAD_DECODE_SECONDS`); decoding stops there;
- concurrency: requests that upload files decode at most `UPLOAD_HEAVY_CONCURRENCY` at a time across
  every web process sharing the cache; the rest are answered 429 with Retry-After
  (`accounts.upload_stream`, `accounts.cache_semaphore`)."""
from __future__ import annotations

import contextvars
import io
import math
import os
import tempfile
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from accounts.errors import InvalidInput

IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


@dataclass
class DecodeBudget:
    """What one request may still decode: pixels across every frame and still, and a deadline."""

    pixels: int
    deadline: float
    spent: int = field(default=0)

    @classmethod
    def fresh(cls) -> "DecodeBudget":
        return cls(pixels=settings.UPLOAD_PIXEL_BUDGET, deadline=time.monotonic() + settings.UPLOAD_DECODE_SECONDS)

    def charge(self, pixels: int, *, name: str) -> None:
        if self.spent + pixels > self.pixels:
            raise InvalidInput(
                f"'{name}': this request would decode more than {self.pixels:,} pixels in all; send fewer or smaller files.",
                code="too_many_pixels",
            )
        self.check_time(name=name)
        self.spent += pixels

    def frames_allowed(self, frame_pixels: int, wanted: int) -> int:
        return max(0, min(wanted, (self.pixels - self.spent) // max(frame_pixels, 1)))

    def out_of_time(self) -> bool:
        return time.monotonic() > self.deadline

    def check_time(self, *, name: str) -> None:
        if self.out_of_time():
            raise InvalidInput(f"'{name}' took too long to read; send a smaller or shorter file.", code="too_slow")


_budget: contextvars.ContextVar[DecodeBudget | None] = contextvars.ContextVar("upload_decode_budget", default=None)


def current_budget() -> DecodeBudget:
    """The request's budget (set by the upload middleware); outside a request, a fresh one per call."""
    return _budget.get() or DecodeBudget.fresh()


@contextmanager
def decode_budget():
    """One budget for everything decoded inside (a request, a management command's file)."""
    token = _budget.set(DecodeBudget.fresh())
    try:
        yield _budget.get()
    finally:
        _budget.reset(token)


def _reduce_factor(width: int, height: int) -> int:
    return max(1, math.ceil(math.sqrt(width * height / settings.UPLOAD_WORKING_PIXELS)))


def check_frame_size(width: int, height: int, *, name: str) -> None:
    if width * height > settings.UPLOAD_MAX_FRAME_PIXELS:
        raise InvalidInput(
            f"'{name}' frames are {width}×{height}; the limit is {settings.UPLOAD_MAX_FRAME_PIXELS:,} pixels a frame.",
            code="too_many_pixels",
        )


@dataclass
class ImageUpload:
    image: Image.Image  # decoded, RGB
    data: bytes
    mime: str
    name: str


def read_bounded(f, max_bytes: int) -> bytes:
    size = getattr(f, "size", None)
    if size is not None and size > max_bytes:
        raise InvalidInput(f"'{getattr(f, 'name', 'file')}' is {size} bytes; the limit is {max_bytes}.", code="too_large")
    data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InvalidInput(f"'{getattr(f, 'name', 'file')}' is larger than {max_bytes} bytes.", code="too_large")
    if not data:
        raise InvalidInput(f"'{getattr(f, 'name', 'file')}' is empty.", code="empty_file")
    return data


def sniff_video(data: bytes) -> str | None:
    if data[4:8] == b"ftyp":
        return "video/mp4"
    if data[:4] == b"\x1aE\xdf\xa3":
        return "video/webm"
    return None


def decode_image(data: bytes, *, name: str = "file", max_pixels: int | None = None) -> ImageUpload:
    max_pixels = max_pixels or settings.UPLOAD_MAX_PIXELS
    budget = current_budget()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS))
            fmt = img.format
            if fmt not in IMAGE_FORMATS:
                raise InvalidInput(f"'{name}' is a {fmt or 'unknown'} file; upload PNG, JPEG or WebP.", code="wrong_type")
            w, h = img.size
            if w * h > max_pixels:
                raise InvalidInput(
                    f"'{name}' is {w}×{h} pixels; the limit is {max_pixels} pixels.", code="too_many_pixels"
                )
            if w < 16 or h < 16:
                raise InvalidInput(f"'{name}' is too small ({w}×{h}).", code="too_small")
            budget.charge(w * h, name=name)
            factor = _reduce_factor(w, h)
            if factor > 1 and fmt == "JPEG":
                img.draft("RGB", (max(1, w // factor), max(1, h // factor)))  # decoded at 1/2, 1/4 or 1/8 scale
            img.load()
            factor = _reduce_factor(*img.size)
            if factor > 1:
                img = img.reduce(factor)  # area average; the full-size decode is dropped here
            rgb = img.convert("RGB")
            del img
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(f"'{name}' decodes to too many pixels.", code="too_many_pixels")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, MemoryError):
        raise InvalidInput(f"'{name}' is not a readable image: upload a PNG, JPEG or WebP photo.", code="wrong_type")
    return ImageUpload(image=rgb, data=data, mime=IMAGE_FORMATS[fmt], name=name)


def read_image_upload(f) -> ImageUpload:
    name = os.path.basename(getattr(f, "name", "") or "file")
    data = read_bounded(f, settings.UPLOAD_MAX_BYTES)
    return decode_image(data, name=name)


def read_media_upload(f, *, max_frames: int = 12) -> tuple[list[Image.Image], list[ImageUpload]]:
    """An image or a short clip. Returns (frames to check, decoded still images). Clips are decoded
    with OpenCV from a temporary file; at most `max_frames` frames spread over the clip."""
    name = os.path.basename(getattr(f, "name", "") or "file")
    data = read_bounded(f, settings.UPLOAD_MAX_BYTES)
    if sniff_video(data) is None:
        upload = decode_image(data, name=name)
        return [upload.image], [upload]
    import cv2

    with tempfile.NamedTemporaryFile(suffix=".video") as tmp:
        tmp.write(data)
        tmp.flush()
        cap = cv2.VideoCapture(tmp.name)
        try:
            total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
            w = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH) or 0)
            h = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT) or 0)
            if not cap.isOpened() or total <= 0 or w <= 0 or h <= 0:
                raise InvalidInput(f"'{name}' is not a readable video.", code="wrong_type")
            check_frame_size(w, h, name=name)
            if total > 30 * 60:
                raise InvalidInput(f"'{name}' is too long; record a short clip (under a minute).", code="too_long")
            budget = current_budget()
            count = budget.frames_allowed(w * h, min(max_frames, total))
            if count == 0:
                budget.charge(w * h, name=name)  # raises: nothing left to decode with
            wanted = sorted({round(i * (total - 1) / max(count - 1, 1)) for i in range(count)})
            factor = _reduce_factor(w, h)
            frames = []
            wanted_set = set(wanted)
            # read in order (seeking an H.264 stream by frame index lands on keyframes, not frames)
            for index in range(wanted[-1] + 1 if wanted else 0):
                if index not in wanted_set:
                    if not cap.grab():
                        break
                    continue
                budget.charge(w * h, name=name)
                ok, frame = cap.read()
                if not ok:
                    break
                if factor > 1:  # keep a small copy; the full frame is dropped at once
                    frame = cv2.resize(frame, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA)
                frames.append(Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)))
        finally:
            cap.release()
    if not frames:
        raise InvalidInput(f"'{name}' has no frames that decode.", code="wrong_type")
    return frames, []
