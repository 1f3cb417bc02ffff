"""Faces for liveness checks and identity: OpenCV's bundled Haar cascades (frontal and profile;
they ship inside the opencv-python-headless wheel, so this works offline; OpenCV 5 dropped them,
hence the <5 pin). Pure: images in, answers out, no database.

- `count_faces`: frontal faces in one image.
- `pose_of`: the head pose in one frame: "front", "left" or "right" (which way the face points
  in the picture, as the person sees themselves in a mirrored preview), "none" or "many".
- `check_sequence`: a clip's frames against a challenge (a random sequence of poses): the poses,
  in order, each held for at least two sampled frames, and nothing else; a still clip, a clip
  with two faces, or the wrong sequence fail with a reason a person understands.
- `face_hash`: a perceptual hash of the aligned (detected, cropped, equalised) face, and
  `hash_distance` to compare two; faces of one person in similar light land a few bits apart.

What this can and cannot detect is written down in DESIGN.md ("Liveness")."""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from PIL import Image

POSES = ("front", "left", "right")
DETECT_SIDE = 320  # frames are scaled down to this before detection: speed, and the cascades need no more


_loaded = threading.local()


def _cascade(name: str):
    """OpenCV's cascade `name`, loaded once per thread: a CascadeClassifier keeps scratch state
    while it detects, so two threads sharing one (a web request and an in-process worker checking
    faces at once) can misread frames."""
    import cv2

    cascades = _loaded.__dict__.setdefault("cascades", {})
    cascade = cascades.get(name)
    if cascade is None:
        cascade = cv2.CascadeClassifier(cv2.data.haarcascades + name)
        if cascade.empty():
            raise RuntimeError(f"OpenCV's cascade {name} could not be loaded")
        cascades[name] = cascade
    return cascade


def _gray(image: Image.Image, side: int = 640) -> np.ndarray:
    import cv2

    rgb = image.convert("RGB")
    scale = side / max(rgb.size) if max(rgb.size) > side else 1.0
    if scale != 1.0:
        rgb = rgb.resize((max(1, int(rgb.width * scale)), max(1, int(rgb.height * scale))))
    return cv2.equalizeHist(cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2GRAY))


def _detect(gray: np.ndarray, name: str, *, scale: float = 1.1, neighbours: int = 5):
    min_side = max(24, int(min(gray.shape) * 0.12))
    return _cascade(name).detectMultiScale(gray, scaleFactor=scale, minNeighbors=neighbours, minSize=(min_side, min_side))


def count_faces(image: Image.Image) -> int:
    return len(_detect(_gray(image), "haarcascade_frontalface_default.xml"))


def _overlap(a, b) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return not (ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay)


def pose_of(image: Image.Image) -> str:
    import cv2

    gray = _gray(image, DETECT_SIDE)
    frontal = list(_detect(gray, "haarcascade_frontalface_default.xml", neighbours=8))
    if frontal:
        # two faces: a second frontal face, apart from the first and of a comparable size (the
        # cascade's small false hits on clothes and backgrounds are not people)
        largest = max(w for _, _, w, _ in frontal)
        people = []
        for box in sorted(frontal, key=lambda b: -b[2]):
            if box[2] >= 0.6 * largest and not any(_overlap(box, p) for p in people):
                people.append(box)
        return "many" if len(people) > 1 else "front"
    # The profile cascade finds faces pointing to the left of the picture; mirrored, to the right.
    left = len(_detect(gray, "haarcascade_profileface.xml", scale=1.08, neighbours=3))
    right = len(_detect(cv2.flip(gray, 1), "haarcascade_profileface.xml", scale=1.08, neighbours=3))
    if left and not right:
        return "left"
    if right and not left:
        return "right"
    return "none"


@dataclass(frozen=True)
class SequenceCheck:
    passed: bool
    reason: str
    poses: tuple[str, ...]  # one per frame checked
    performed: tuple[str, ...]  # the moves seen, in order


def performed_moves(poses: list[str], *, hold: int = 2) -> list[str]:
    """The moves a clip shows, in order: runs of one pose (frames with no face are skipped); a run
    shorter than `hold` frames is a detector's flicker, not a move: it is dropped and the runs on
    either side of it, if they are the same pose, join."""
    runs: list[list] = []
    for pose in poses:
        if pose in ("none", "many"):
            continue
        if runs and runs[-1][0] == pose:
            runs[-1][1] += 1
        else:
            runs.append([pose, 1])
    while True:
        short = [i for i, (_, length) in enumerate(runs) if length < hold]
        if not short:
            break
        i = min(short, key=lambda k: runs[k][1])
        del runs[i]
        merged: list[list] = []
        for pose, length in runs:
            if merged and merged[-1][0] == pose:
                merged[-1][1] += length
            else:
                merged.append([pose, length])
        runs = merged
    return [pose for pose, _ in runs]


def frames_still(frames: list[Image.Image]) -> bool:
    """Every frame the same picture (a still image turned into a clip): the mean absolute change
    between consecutive frames is below a level that a living head never reaches."""
    if len(frames) < 2:
        return True
    small = [np.asarray(f.convert("L").resize((64, 64)), dtype=np.float32) for f in frames]
    change = max(float(np.mean(np.abs(a - b))) for a, b in zip(small, small[1:]))
    return change < 1.0


def check_sequence(frames: list[Image.Image], challenge: tuple[str, ...]) -> SequenceCheck:
    if len(frames) < 2:
        return SequenceCheck(False, "A still image cannot show the head movements: record a short clip following the moves on screen.", (), ())
    poses = [pose_of(f) for f in frames]
    if poses.count("many") >= 2:  # a second person stays in the picture; one stray frame is the detector
        return SequenceCheck(False, "More than one face is in the clip: record it alone.", tuple(poses), ())
    if frames_still(frames):
        return SequenceCheck(False, "Nothing moves in the clip: it looks like a still picture. Record yourself following the moves.", tuple(poses), ())
    if sum(1 for p in poses if p != "none") * 2 < len(poses):
        return SequenceCheck(False, "No face was found in most of the clip: face the camera in good light.", tuple(poses), ())
    moves = performed_moves(poses)
    if tuple(moves) != tuple(challenge):
        seen = ", ".join(moves) if moves else "no clear movement"
        if moves and set(moves) == {"front"}:
            why = "The face never turned: it looks like a photo held to the camera. Follow the moves on screen."
        else:
            why = f"The clip shows {seen}, but the challenge was {', '.join(challenge)}: record it again following this challenge's moves."
        return SequenceCheck(False, why, tuple(poses), tuple(moves))
    return SequenceCheck(True, "", tuple(poses), tuple(moves))


# --- identity: perceptual hashes of aligned face crops -------------------------------------------

# Where the eyes sit in a frontal detection box (measured on OpenCV's default cascade), used when
# the eye cascade does not find both: the crop is then aligned on the box alone.
BOX_EYES = ((0.30, 0.38), (0.70, 0.38))
CROP_SIDE = 64
CROP_EYE_Y, CROP_EYE_GAP = 0.30, 0.44  # in the aligned crop: the eye line's height, the eyes' distance (fractions of the side)


def eyes_in(gray: np.ndarray, box) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Both eye centres in a frontal face box (OpenCV's eye cascade on the box's upper part): the
    largest detection on each side of the box's middle, at about one height; None if either is
    missing or they do not look like a pair."""
    x, y, w, h = (int(v) for v in box)
    upper = gray[y: y + int(h * 0.6), x: x + w]
    found = _cascade("haarcascade_eye.xml").detectMultiScale(upper, scaleFactor=1.05, minNeighbors=3, minSize=(max(6, w // 9),) * 2, maxSize=(w // 2,) * 2)
    left = [e for e in found if e[0] + e[2] / 2 < w / 2]
    right = [e for e in found if e[0] + e[2] / 2 >= w / 2]
    if not left or not right:
        return None
    (lx, ly, lw, lh), (rx, ry, rw, rh) = max(left, key=lambda e: e[2]), max(right, key=lambda e: e[2])
    a = (x + lx + lw / 2, y + ly + lh / 2)
    b = (x + rx + rw / 2, y + ry + rh / 2)
    gap = b[0] - a[0]
    if not 0.25 * w <= gap <= 0.65 * w or abs(b[1] - a[1]) > 0.25 * gap:
        return None
    return a, b


def face_crop(image: Image.Image) -> np.ndarray | None:
    """The largest frontal face, aligned on its eyes: rotated so the eye line is level, scaled so
    the eyes are a fixed distance apart, the eye line at a fixed height (the eye cascade's eyes,
    else where the detection box puts them); equalised, blurred, 64×64. Scale, position and a
    small tilt of the head no longer move the crop."""
    import cv2

    gray = _gray(image)
    boxes = _detect(gray, "haarcascade_frontalface_default.xml", neighbours=8)
    if len(boxes) == 0:
        return None
    box = max(boxes, key=lambda b: b[2])
    x, y, w, h = (float(v) for v in box)
    eyes = eyes_in(gray, box) or tuple((x + fx * w, y + fy * h) for fx, fy in BOX_EYES)
    (lx, ly), (rx, ry) = eyes
    angle = np.degrees(np.arctan2(ry - ly, rx - lx))
    scale = CROP_EYE_GAP * CROP_SIDE / max(np.hypot(rx - lx, ry - ly), 1.0)
    centre = ((lx + rx) / 2, (ly + ry) / 2)
    m = cv2.getRotationMatrix2D(centre, angle, scale)
    m[0, 2] += CROP_SIDE / 2 - centre[0]
    m[1, 2] += CROP_EYE_Y * CROP_SIDE - centre[1]
    crop = cv2.warpAffine(gray, m, (CROP_SIDE, CROP_SIDE), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)
    return cv2.GaussianBlur(cv2.equalizeHist(crop), (0, 0), 1.5)


def phash(crop: np.ndarray) -> int:
    """A 64-bit DCT perceptual hash (the 8×8 lowest frequencies against their median)."""
    import cv2

    dct = cv2.dct(np.float32(cv2.resize(crop, (16, 16), interpolation=cv2.INTER_AREA)))
    low = dct[:8, :8].flatten()
    bits = low > np.median(low[1:])
    return int("".join("1" if b else "0" for b in bits), 2)


def face_hash(image: Image.Image) -> str | None:
    crop = face_crop(image)
    return None if crop is None else f"{phash(crop):016x}"


def hash_distance(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


SAME_FACE_BITS = 12  # at most this many of 64 bits apart: treated as the same face (a moderator decides)
