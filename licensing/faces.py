"""Face detection for liveness checks: OpenCV's bundled Haar cascade (ships inside the
opencv-python-headless wheel, so it works offline). A stronger detector replaces this behind the
same function."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image


@lru_cache(maxsize=1)
def _cascade():
    import cv2

    if not hasattr(cv2, "CascadeClassifier"):  # OpenCV 5 dropped the Haar cascades
        return None
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
    cascade = _cascade()
    if cascade is None:
        return _count_faces_lbp(gray, min_side)
    faces = cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=(min_side, min_side))
    return len(faces)


@lru_cache(maxsize=1)
def _lbp_cascade():
    from skimage import data, feature

    return feature.Cascade(data.lbp_frontal_face_cascade_filename())


def _count_faces_lbp(gray: np.ndarray, min_side: int) -> int:
    """Fallback for OpenCV builds without CascadeClassifier (5.x): the LBP frontal-face cascade
    that ships inside scikit-image (offline too)."""
    found = _lbp_cascade().detect_multi_scale(
        img=gray.astype(np.float64) / 255.0, scale_factor=1.1, step_ratio=1,
        min_size=(min_side, min_side), max_size=gray.shape, min_neighbor_number=4,
    )
    return len(found)
