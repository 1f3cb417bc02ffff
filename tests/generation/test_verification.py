"""The public verify answer (generation.verification) over every combination of the two signals:
both present, either one stripped or destroyed, neither, a manifest from a signer we do not
trust, the two naming different generations, a taken-down output, and MP4 as well as images.
Outputs come from the real loop (a brief rendered by the built-in model, marked and signed)."""
from __future__ import annotations

import io
import json
import struct

import c2pa
import numpy as np
import pytest
from PIL import Image

from generation import config
from generation import services as gen
from generation.models import GenerationJob, StoredManifest
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
    assert both["confidence"] == "very_high" and both["licence_standing"] == "stands"
    assert both["manifest"]["recovered"] is False and both["c2pa_development_certificate"] is True
    assert both["training_mining"] == dict.fromkeys(credentials.TRAINING_MINING_ENTRIES, "notAllowed")

    # The manifest stripped (re-encoded and cropped on the way through a platform): the mark alone.
    stripped = verify_bytes(jpeg(served, quality=60, crop_left=0.10), name="shared.jpg")
    assert stripped["made_here"] is True and stripped["found_by"] == ["watermark"]
    assert stripped["generation_id"] == str(job.pk) and stripped["c2pa_state"] == "absent"
    assert stripped["signals_agree"] is None and stripped["confidence"] == "high"
    # ... and gets its original manifest back from the repository.
    assert stripped["manifest"]["recovered"] is True and stripped["manifest"]["id"] == both["manifest"]["id"]
    assert "stripped" in stripped["summary"]

    # The mark destroyed but a trusted manifest present: the credentials alone.
    plain = Image.open(io.BytesIO(noise_png(size=256, seed=3)))
    signed = credentials.sign(png(plain), mime="image/png", claim=claim_for(job), material=config.signing_material())
    by_c2pa = verify_bytes(signed, name="signed.png")
    assert by_c2pa["made_here"] is True and by_c2pa["found_by"] == ["c2pa"]
    assert by_c2pa["watermark"] == "not found" and by_c2pa["generation_id"] == str(job.pk)


def test_not_made_here_and_claims_that_are_not_believed(released, tmp_path):
    job, served = released()

    nothing = verify_bytes(noise_png(seed=11), name="x.png")
    assert nothing["made_here"] is False and nothing["verdict"] == "no_mark_found"
    assert nothing["found_by"] == [] and nothing["generation_id"] is None and nothing["taken_down"] is False
    assert nothing["summary"].startswith("No Rightscast mark found") and "not made on" not in nothing["summary"].lower().replace("does not show it was not made on", "")
    assert nothing["confidence"] is None and nothing["manifest"] is None and nothing["lineage"] == []

    # A valid manifest that names our generation, signed by someone else's CA: reported, not believed.
    forger = credentials.ensure_dev_certificates(tmp_path / "forger")
    forged = credentials.sign(noise_png(seed=12), mime="image/png", claim=claim_for(job), material=forger)
    answer = verify_bytes(forged, name="forged.png")
    assert answer["made_here"] is False and answer["c2pa_state"] == "valid" and answer["c2pa_trusted"] is False
    assert answer["verdict"] == "other_signer" and "someone else" in answer["summary"]
    assert answer["c2pa_development_certificate"] is True  # the forger used a development CA too

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
    assert "altered" in answer["summary"] and answer["confidence"] == "altered"


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
    assert 'id="dev-certificate"' in html and "development certificate" in html  # explained, not hidden
    assert answer["licence_standing"] == "taken_down" and answer["report_misuse_url"] == "/report/"  # the misuse report form (#10)


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


# --- the manifest repository and the C2PA Soft Binding Resolution API (issue #16) -------------
def test_a_stripped_copy_is_matched_back_to_its_manifest(released, client):
    job, served = released()
    stored = StoredManifest.objects.get(job=job)
    report = credentials.read(served, mime="image/png")
    assert stored.manifest_id == report.manifest_id and stored.store in served
    assert report.soft_binding == {"alg": credentials.SOFT_BINDING_ALG, "value": credentials.soft_binding_value(job.mark_id)}
    assert stored.binding_value == report.soft_binding["value"]

    algs = client.get("/c2pa/services/supportedAlgorithms").json()
    assert algs == {"watermarks": [{"alg": credentials.SOFT_BINDING_ALG}], "fingerprints": []}

    # A client that read the mark: by binding, GET and POST.
    q = {"alg": credentials.SOFT_BINDING_ALG, "value": stored.binding_value}
    assert client.get("/c2pa/matches/byBinding", q).json() == {"matches": [{"manifestId": stored.manifest_id, "similarityScore": 100}]}
    assert client.post("/c2pa/matches/byBinding", q, content_type="application/json").json()["matches"][0]["manifestId"] == stored.manifest_id

    # A client holding only a re-encoded, cropped copy: by content, the asset as the body.
    copy = jpeg(served, quality=50, crop_left=0.10)
    assert credentials.read(copy, mime="image/jpeg").state == "absent"
    r = client.post(f"/c2pa/matches/byContent?alg={credentials.SOFT_BINDING_ALG}", copy, content_type="image/jpeg")
    assert r.status_code == 200 and r.json()["matches"][0]["manifestId"] == stored.manifest_id

    # The manifest store itself, which a C2PA reader validates against the original file.
    r = client.get(f"/c2pa/manifests/{stored.manifest_id}")
    assert r.status_code == 200 and r["Content-Type"] == "application/c2pa"
    with c2pa.Reader("image/png", io.BytesIO(served), manifest_data=r.content) as reader:
        store = json.loads(reader.json())
    assert store["active_manifest"] == stored.manifest_id

    # The verify page links it, and the licence state is today's.
    job.brief.licence.status = "revoked"
    job.brief.licence.save(update_fields=["status"])
    answer = verify_bytes(copy, name="copy.jpg")
    assert answer["manifest"] == {"id": stored.manifest_id, "url": f"/c2pa/manifests/{stored.manifest_id}", "recovered": True}
    assert answer["licence_standing"] == "revoked" and answer["licence_valid"] is False
    page = client.post("/verify/", {"file": upload("copy.jpg", copy)}).content.decode()
    assert f"/c2pa/manifests/{stored.manifest_id}" in page and 'id="report-misuse-link"' in page
    assert "Not made on Rightscast" not in client.post("/verify/", {"file": upload("n.png", noise_png(seed=5))}).content.decode()


def test_resolution_api_refuses_bad_queries_clearly(released, client):
    job, _ = released()
    assert client.get("/c2pa/matches/byBinding", {"alg": "com.other.wm", "value": "AAAAAAAAAAA="}).status_code == 400
    assert client.get("/c2pa/matches/byBinding", {"alg": credentials.SOFT_BINDING_ALG, "value": "%%%"}).status_code == 400
    assert client.get("/c2pa/matches/byBinding", {"alg": credentials.SOFT_BINDING_ALG}).status_code == 400
    q = {"alg": credentials.SOFT_BINDING_ALG, "value": credentials.soft_binding_value(job.mark_id), "maxResults": "zero"}
    assert client.get("/c2pa/matches/byBinding", q).status_code == 400
    # An id nobody was given: no match, not an error.
    other = {"alg": credentials.SOFT_BINDING_ALG, "value": credentials.soft_binding_value(job.mark_id ^ 1)}
    assert client.get("/c2pa/matches/byBinding", other).json() == {"matches": []}
    assert client.get("/c2pa/manifests/urn:c2pa:00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/c2pa/manifests/not-an-urn").status_code == 400
    r = client.post("/c2pa/matches/byContent", b"hello there", content_type="text/plain")
    assert r.status_code == 415
    assert client.post("/c2pa/matches/byContent", b"", content_type="image/png").status_code == 400
    assert client.post("/c2pa/matches/byContent", noise_png(seed=9), content_type="image/png").json() == {"matches": []}
    # An output never released (quarantined) is not matched.
    GenerationJob.objects.filter(pk=job.pk).update(status="quarantined")
    q = {"alg": credentials.SOFT_BINDING_ALG, "value": credentials.soft_binding_value(job.mark_id)}
    assert client.get("/c2pa/matches/byBinding", q).json() == {"matches": []}


def test_a_remix_lists_its_parent_with_hash_and_manifest(django_capture_on_commit_callbacks, builtin_model):
    licence = granted_licence(derivatives="allowed", commercial_use=False)
    with django_capture_on_commit_callbacks(execute=True):
        parent_brief = gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="an original", seed=7)
    parent_job = GenerationJob.objects.get(brief=parent_brief)
    with parent_job.output.open("rb") as fh:
        parent_served = fh.read()
    with django_capture_on_commit_callbacks(execute=True):
        brief = gen.brief_submit(
            requester=licence.licensee, licence_id=licence.pk, prompt="a remix", seed=8, parent_brief_id=parent_brief.pk
        )
    job = GenerationJob.objects.get(brief=brief)
    assert job.status == "released", job.error
    with job.output.open("rb") as fh:
        served = fh.read()
    report = credentials.read(served, mime="image/png")
    parent_manifest = credentials.read(parent_served, mime="image/png").manifest_id
    assert report.ingredients == [
        {"title": f"Rightscast generation {parent_job.pk}", "relationship": "inputTo",
         "sha256": parent_job.output_sha256, "manifest_id": parent_manifest}
    ]
    answer = verify_bytes(served, name="remix.png")
    assert [a["generation_id"] for a in answer["lineage"]] == [str(parent_job.pk)]
    assert answer["lineage"][0]["output_sha256"] == parent_job.output_sha256


def test_the_schema_documents_the_verify_answer_and_the_resolution_api(client):
    schema = client.get("/api/schema/?format=json").json()
    verify = schema["paths"]["/api/verify/"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][verify.rsplit("/", 1)[-1]]["properties"]
    for name in ("verdict", "confidence", "licence_standing", "lineage", "manifest", "training_mining", "report_misuse_url"):
        assert name in fields, name
    for path in ("/c2pa/matches/byBinding", "/c2pa/matches/byContent", "/c2pa/manifests/{manifest_id}", "/c2pa/services/supportedAlgorithms"):
        assert path in schema["paths"], path
