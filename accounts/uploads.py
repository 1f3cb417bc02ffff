"""Checks every uploaded file goes through before anything decodes it fully: size in bytes, type
by content (not by name), pixel count (decompression bombs are refused), and a full decode."""
from __future__ import annotations

import io
import os
import tempfile
import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from accounts.errors import InvalidInput

IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


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
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
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
            img.load()
            rgb = img.convert("RGB")
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(f"'{name}' decodes to too many pixels.", code="too_many_pixels")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"'{name}' is not a readable image ({exc.__class__.__name__}).", code="wrong_type")
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
            if w * h > settings.UPLOAD_MAX_PIXELS:
                raise InvalidInput(f"'{name}' frames are {w}×{h}; too large.", code="too_many_pixels")
            if total > 30 * 60:
                raise InvalidInput(f"'{name}' is too long; record a short clip (under a minute).", code="too_long")
            n = min(max_frames, total)
            wanted = sorted({round(i * (total - 1) / max(n - 1, 1)) for i in range(n)})
            frames = []
            wanted_set = set(wanted)
            # read in order (seeking an H.264 stream by frame index lands on keyframes, not frames)
            for index in range(wanted[-1] + 1 if wanted else 0):
                if index not in wanted_set:
                    if not cap.grab():
                        break
                    continue
                ok, frame = cap.read()
                if not ok:
                    break
                frames.append(Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)))
        finally:
            cap.release()
    if not frames:
        raise InvalidInput(f"'{name}' has no frames that decode.", code="wrong_type")
    return frames, []
