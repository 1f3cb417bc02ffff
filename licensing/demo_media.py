"""Synthetic liveness clips for demo data and tests, built from real photographs that ship with
scikit-image: the astronaut (Eileen Collins) facing the camera; the cameraman in profile. Each
frame gets its own framing and light. Not used by the product's checks (licensing.faces)."""
from __future__ import annotations

import io


def _jittered(img, rng):
    """A frame of a living clip: a slightly different framing, scale and light each time."""
    from PIL import Image

    w, h = img.size
    gain = 0.95 + rng.random() * 0.1
    im = Image.eval(img, lambda v: max(0, min(255, int(v * gain))))
    return im.transform((w, h), Image.AFFINE, (1, 0, rng.randint(-4, 4), 0, 1, rng.randint(-4, 4)))


def pose_frames(size: int = 320) -> dict:
    """Real photographs that ship with scikit-image, one per pose: the astronaut (Eileen Collins)
    facing the camera; the cameraman in profile, pointing right, and mirrored, pointing left."""
    from PIL import Image
    from skimage import data

    front = Image.fromarray(data.astronaut()).resize((size, size))
    right = Image.fromarray(data.camera()).convert("RGB").resize((size, size))
    return {"front": front, "right": right, "left": right.transpose(Image.FLIP_LEFT_RIGHT)}


def clip_mp4(frames, fps: int = 8, comment: str = "") -> bytes:
    """Frames (PIL images of one size) as an H.264 MP4 clip, as a phone would record it (PyAV).
    `comment` goes in the container's metadata (two recordings of the same frames differ)."""
    import av

    buf = io.BytesIO()
    with av.open(buf, mode="w", format="mp4") as container:
        if comment:
            container.metadata["comment"] = comment
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = frames[0].size
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "18", "threads": "1"}  # one thread: the same frames give the same bytes
        for f in frames:
            for packet in stream.encode(av.VideoFrame.from_image(f.convert("RGB"))):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buf.getvalue()


def liveness_clip(sequence, *, per_move: int = 4, seed: int = 0, size: int = 320, comment: str = "") -> bytes:
    """A synthetic clip performing `sequence` (e.g. ("front", "left", "right", "front")), each
    pose held for `per_move` frames with a fresh jitter per frame."""
    import random

    rng = random.Random(seed)
    poses = pose_frames(size)
    return clip_mp4([_jittered(poses[p], rng) for p in sequence for _ in range(per_move)], comment=comment)


