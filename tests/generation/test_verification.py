"""The public verify answer (generation.verification) over every combination of the two signals:
both present, either one stripped or destroyed, neither, a manifest from a signer we do not
trust, the two naming different generations, a taken-down output, and MP4 as well as images.
Outputs come from the real loop (a brief rendered by the built-in model, marked and signed)."""
from __future__ import annotations

import io
import struct

import numpy as np
import pytest
from PIL import Image

from generation import config
from generation import services as gen
from generation.models import GenerationJob
from generation.provenance import credentials, watermark
from generation.verification import verify_bytes
from tests.factories import granted_licence, noise_png, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def released(django_capture_on_commit_callbacks, builtin_model):
    """A released output of the loop: (job, the PNG as served)."""

    def make(prompt: str = "a portrait, studio light"):
        licence = granted_licence()
        with django_capture_on_commit_callbacks(execute=True):
            brief = gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt=prompt, seed=7)
        job = GenerationJob.objects.select_related("brief__licence__likeness").get(brief=brief)
        assert job.status == "released", job.error
        with job.output.open("rb") as fh:
            return job, fh.read()

    return make


def claim_for(job: GenerationJob) -> credentials.CredentialClaim:
    licence = job.brief.licence
    return credentials.CredentialClaim(
        generation_id=str(job.pk), licence_id=str(licence.pk), licence_terms_digest=gen.terms_digest(licence),
        rights_holders=[licence.likeness.name], model_name=job.model_name, title=f"Rightscast generation {job.pk}",
    )


def jpeg(data: bytes, quality: int = 75, crop_left: float = 0.0) -> bytes:
    img = Image.open(io.BytesIO(data)).convert("RGB")
    if crop_left:
        img = img.crop((round(img.width * crop_left), 0, img.width, img.height))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def test_both_signals_then_each_alone(released):
    job, served = released()

    both = verify_bytes(served, name="out.png")
    assert both["made_here"] is True and both["verdict"] == "made_here"
    assert both["found_by"] == ["watermark", "c2pa"] and both["signals_agree"] is True
    assert both["generation_id"] == str(job.pk) and both["licence_status"] == "active" and both["licence_valid"]
    assert both["watermark"] == "found" and both["watermark_matches"] is True
    assert both["c2pa_state"] == "valid" and both["c2pa_trusted"] is True
    assert both["taken_down"] is False and both["output_status"] == "released" and both["media"] == "image"
    assert both["summary"].startswith("Made on Rightscast") and "active" in both["summary"]

    # The manifest stripped (re-encoded and cropped on the way through a platform): the mark alone.
    stripped = verify_bytes(jpeg(served, quality=60, crop_left=0.10), name="shared.jpg")
    assert stripped["made_here"] is True and stripped["found_by"] == ["watermark"]
    assert stripped["generation_id"] == str(job.pk) and stripped["c2pa_state"] == "absent"
    assert stripped["signals_agree"] is None

    # The mark destroyed but a trusted manifest present: the credentials alone.
    plain = Image.open(io.BytesIO(noise_png(size=256, seed=3)))
    signed = credentials.sign(png(plain), mime="image/png", claim=claim_for(job), material=config.signing_material())
    by_c2pa = verify_bytes(signed, name="signed.png")
    assert by_c2pa["made_here"] is True and by_c2pa["found_by"] == ["c2pa"]
    assert by_c2pa["watermark"] == "not found" and by_c2pa["generation_id"] == str(job.pk)


def test_not_made_here_and_claims_that_are_not_believed(released, tmp_path):
    job, served = released()

    nothing = verify_bytes(noise_png(seed=11), name="x.png")
    assert nothing["made_here"] is False and nothing["verdict"] == "not_made_here"
    assert nothing["found_by"] == [] and nothing["generation_id"] is None and nothing["taken_down"] is False
    assert nothing["summary"].startswith("Not made on Rightscast")

    # A valid manifest that names our generation, signed by someone else's CA: reported, not believed.
    forger = credentials.ensure_dev_certificates(tmp_path / "forger")
    forged = credentials.sign(noise_png(seed=12), mime="image/png", claim=claim_for(job), material=forger)
    answer = verify_bytes(forged, name="forged.png")
    assert answer["made_here"] is False and answer["c2pa_state"] == "valid" and answer["c2pa_trusted"] is False
    assert "does not trust" in answer["summary"]

    # Pixels changed after signing, the manifest kept: it no longer validates, the mark still reads.
    arr = np.asarray(Image.open(io.BytesIO(served)).convert("RGB")).copy()
    arr[:8, :8] = 255 - arr[:8, :8]
    answer = verify_bytes(with_chunk_of(served, png(Image.fromarray(arr)), b"caBX"), name="edited.png")
    assert answer["c2pa_state"] == "invalid" and answer["c2pa_issues"]
    assert answer["made_here"] is True and answer["found_by"] == ["watermark"]
    assert answer["generation_id"] == str(job.pk)


def with_chunk_of(source: bytes, target: bytes, chunk_type: bytes) -> bytes:
    """``target`` PNG with ``source``'s chunk of that type inserted after IHDR."""
    pos, chunk = 8, None
    while pos < len(source):
        (length,) = struct.unpack(">I", source[pos : pos + 4])
        if source[pos + 4 : pos + 8] == chunk_type:
            chunk = source[pos : pos + 12 + length]
        pos += 12 + length
    assert chunk is not None, f"no {chunk_type!r} chunk"
    (ihdr_len,) = struct.unpack(">I", target[8:12])
    cut = 8 + 12 + ihdr_len
    return target[:cut] + chunk + target[cut:]


def test_the_two_signals_disagree(released):
    job_a, served_a = released("first")
    job_b, _ = released("second")
    marked_a = Image.open(io.BytesIO(served_a)).convert("RGB")  # carries job A's mark
    signed_b = credentials.sign(png(marked_a), mime="image/png", claim=claim_for(job_b), material=config.signing_material())
    answer = verify_bytes(signed_b, name="mixed.png")
    assert answer["made_here"] is True and answer["signals_agree"] is False
    assert answer["generation_id"] == str(job_b.pk)  # the manifest binds these bytes; it wins
    assert answer["watermark_matches"] is False
    assert "altered" in answer["summary"]


def test_a_taken_down_output_says_so(released, client, api):
    job, served = released()
    owner = job.brief.licence.likeness.owner
    gen.output_take_down(job=job, actor=owner, reason="misuse reported")
    answer = api.post("/api/verify/", {"file": upload("o.png", served)}, format="multipart").json()
    assert answer["made_here"] is True and answer["taken_down"] is True and answer["taken_down_at"]
    assert "taken down" in answer["summary"]
    assert "misuse reported" not in str(answer)  # the reason is the rights holder's business

    page = client.post("/verify/", {"file": upload("o.png", served)})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="takedown"' in html and "taken down" in html and 'id="verify-summary"' in html


def test_mp4_both_signals_and_the_mark_alone_after_a_reencode(released):
    import av

    job, served = released()
    frame = np.asarray(Image.open(io.BytesIO(served)).convert("RGB"))
    clip = io.BytesIO()
    with av.open(clip, "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=12)
        stream.width, stream.height, stream.pix_fmt = frame.shape[1], frame.shape[0], "yuv420p"
        for i in range(12):
            shifted = np.roll(frame, 2 * i, axis=1)
            out.mux(stream.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(shifted), format="rgb24")))
        out.mux(stream.encode(None))
    marked = watermark.embed_video(clip.getvalue(), job.mark_id, config.watermark_key())
    signed = credentials.sign(marked, mime="video/mp4", claim=claim_for(job), material=config.signing_material())

    answer = verify_bytes(signed, name="clip.mp4")
    assert answer["media"] == "video" and answer["made_here"] is True
    assert answer["found_by"] == ["watermark", "c2pa"] and answer["generation_id"] == str(job.pk)

    reencoded = io.BytesIO()  # a platform's re-encode: new file, lower bitrate, no manifest
    with av.open(io.BytesIO(signed)) as src, av.open(reencoded, "w", format="mp4") as out:
        video = src.streams.video[0]
        stream = out.add_stream("libx264", rate=video.average_rate)
        stream.width, stream.height, stream.pix_fmt = video.codec_context.width, video.codec_context.height, "yuv420p"
        stream.time_base, stream.bit_rate = video.time_base, int(len(signed) * 8 / 2)
        for f in src.decode(video):
            out.mux(stream.encode(f))
        out.mux(stream.encode(None))
    answer = verify_bytes(reencoded.getvalue(), name="reposted.mp4")
    assert answer["made_here"] is True and answer["found_by"] == ["watermark"] and answer["c2pa_state"] == "absent"


def test_bad_uploads_are_clear_errors(api):
    r = api.post("/api/verify/", {"file": upload("x.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200)}, format="multipart")
    assert r.status_code == 400 and "not a readable video" in r.json()["detail"]
    r = api.post("/api/verify/", {"file": upload("x.txt", b"hello there")}, format="multipart")
    assert r.status_code == 400 and "not a readable image" in r.json()["detail"]
