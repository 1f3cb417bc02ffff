"""Face detection for liveness checks: OpenCV's bundled Haar cascade (ships inside the
opencv-python-headless wheel, so it works offline; OpenCV 5 dropped them, hence the <5 pin). A stronger detector replaces this behind the
same function."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image


@lru_cache(maxsize=1)
def _cascade():
    import cv2

    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    if cascade.empty():
        raise RuntimeError("OpenCV's frontal-face cascade could not be loaded")
    return cascade


def count_faces(image: Image.Image) -> int:
    import cv2

    rgb = image.convert("RGB")
    scale = 640 / max(rgb.size) if max(rgb.size) > 640 else 1.0
    if scale != 1.0:
        rgb = rgb.resize((max(1, int(rgb.width * scale)), max(1, int(rgb.height * scale))))
    gray = cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2GRAY)
    gray = cv2.equalizeHist(gray)
    min_side = max(24, int(min(gray.shape) * 0.12))
    faces = _cascade().detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=(min_side, min_side))
    return len(faces)
