"""C2PA content credentials (generation.provenance.credentials): plain pytest, no database."""
from __future__ import annotations

import base64
import datetime
import hashlib
import io
import json
import multiprocessing
import stat
import struct
import subprocess
import sys
import zlib
from dataclasses import replace
from pathlib import Path

import c2pa
import numpy as np
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from PIL import Image

from generation.provenance import credentials, watermark
from generation.provenance.credentials import (
    CredentialClaim,
    CredentialError,
    ensure_dev_certificates,
    load_signing_material,
    read,
    sign,
)

ROOT = Path(__file__).resolve().parents[2]
DIGEST = "3f" * 32
CLAIM = CredentialClaim(
    generation_id="gen-0001",
    licence_id="licence-123",
    licence_terms_digest=DIGEST,
    rights_holders=["Ada Example", "Example Studio"],
    model_name="rightscast-builtin-v1",
    title="Rightscast generation gen-0001",
    parents=[{"generation_id": "gen-parent-1", "title": "The original"}, {"generation_id": "gen-parent-2"}],
)


@pytest.fixture(scope="module")
def material(tmp_path_factory):
    return ensure_dev_certificates(tmp_path_factory.mktemp("c2pa") / "dev")


@pytest.fixture(scope="module")
def other_material(tmp_path_factory):
    return ensure_dev_certificates(tmp_path_factory.mktemp("c2pa-other"))


def image_bytes(fmt: str, size=(160, 120), seed=0) -> bytes:
    rgb = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format=fmt)
    return buf.getvalue()


@pytest.fixture(scope="module")
def signed_png(material):
    return sign(image_bytes("PNG"), mime="image/png", claim=CLAIM, material=material)


@pytest.fixture(scope="module")
def signed_jpeg(material):
    return sign(image_bytes("JPEG"), mime="image/jpeg", claim=CLAIM, material=material)


# --- PNG surgery -------------------------------------------------------------------
def png_chunks(data: bytes):
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        yield pos, length, data[pos + 4 : pos + 8]
        pos += 12 + length


def edit_chunk(data: bytes, chunk_type: bytes, edit) -> bytes:
    """Apply ``edit`` to the payload of the first chunk of that type and fix its CRC."""
    out = bytearray(data)
    for pos, length, ctype in png_chunks(data):
        if ctype == chunk_type:
            payload = bytearray(out[pos + 8 : pos + 8 + length])
            edit(payload)
            assert len(payload) == length
            out[pos + 8 : pos + 8 + length] = payload
            crc = zlib.crc32(bytes(out[pos + 4 : pos + 8 + length])) & 0xFFFFFFFF
            out[pos + 8 + length : pos + 12 + length] = struct.pack(">I", crc)
            return bytes(out)
    raise AssertionError(f"no {chunk_type!r} chunk")


# --- development certificates ---------------------------------------------------------
def test_dev_certificates_created_once_and_reused(tmp_path):
    directory = tmp_path / "certs"
    first = ensure_dev_certificates(directory)
    files = {name: (directory / name).read_bytes() for name in ("ca.pem", "signer-chain.pem", "signer-key.pem")}
    second = ensure_dev_certificates(directory)
    assert second == first
    assert {name: (directory / name).read_bytes() for name in files} == files
    assert stat.S_IMODE((directory / "signer-key.pem").stat().st_mode) == 0o600
    assert first.alg == "es256"
    assert first.trust_anchor_pem == files["ca.pem"]
    assert first.cert_chain_pem == files["signer-chain.pem"]
    assert "redacted" in repr(first) and "PRIVATE" not in repr(first)


def test_dev_certificate_profile(material):
    leaf, ca = x509.load_pem_x509_certificates(material.cert_chain_pem)
    (anchor,) = x509.load_pem_x509_certificates(material.trust_anchor_pem)
    assert anchor == ca
    assert "Rightscast Development CA" in ca.subject.rfc4514_string()
    assert "Rightscast Development Signer" in leaf.subject.rfc4514_string()
    assert leaf.issuer == ca.subject and leaf.issuer != leaf.subject
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    ku = leaf.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and not ku.value.key_cert_sign
    eku = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.oid.ExtendedKeyUsageOID.EMAIL_PROTECTION in eku
    leaf.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    leaf.verify_directly_issued_by(ca)
    assert isinstance(leaf.public_key(), ec.EllipticCurvePublicKey) and leaf.public_key().curve.name == "secp256r1"


def _ensure_in_child(directory, barrier, queue):
    barrier.wait()
    material = ensure_dev_certificates(directory)
    queue.put((material.cert_chain_pem, material.private_key_pem, material.trust_anchor_pem))


def test_dev_certificates_safe_for_concurrent_processes(tmp_path):
    ctx = multiprocessing.get_context("fork")
    barrier, queue = ctx.Barrier(3), ctx.Queue()
    procs = [ctx.Process(target=_ensure_in_child, args=(tmp_path / "shared", barrier, queue)) for _ in range(3)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert len(set(results)) == 1
    mine = ensure_dev_certificates(tmp_path / "shared")
    assert (mine.cert_chain_pem, mine.private_key_pem, mine.trust_anchor_pem) == results[0]
    assert not [p for p in (tmp_path / "shared").iterdir() if p.name.endswith(".tmp")]


def test_load_signing_material(tmp_path, material):
    (tmp_path / "chain.pem").write_bytes(material.cert_chain_pem)
    (tmp_path / "key.pem").write_bytes(material.private_key_pem)
    (tmp_path / "ca.pem").write_bytes(material.trust_anchor_pem)
    assert load_signing_material(tmp_path / "chain.pem", tmp_path / "key.pem", tmp_path / "ca.pem") == material

    other_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "other.pem").write_bytes(other_key)
    with pytest.raises(ValueError, match="does not match"):
        load_signing_material(tmp_path / "chain.pem", tmp_path / "other.pem", tmp_path / "ca.pem")
    (tmp_path / "junk.pem").write_bytes(b"not a certificate")
    with pytest.raises(ValueError):
        load_signing_material(tmp_path / "junk.pem", tmp_path / "key.pem", tmp_path / "ca.pem")


# --- sign and read back -----------------------------------------------------------
@pytest.mark.parametrize("fixture,mime", [("signed_png", "image/png"), ("signed_jpeg", "image/jpeg")])
def test_sign_and_read_back(request, material, fixture, mime):
    data = request.getfixturevalue(fixture)
    Image.open(io.BytesIO(data)).load()  # still a valid image
    report = read(data, mime=mime, trust_anchor_pem=material.trust_anchor_pem)
    assert report.state == "valid", report.issues
    assert report.trusted is True
    assert report.issues == []
    assert "Rightscast" in report.generator
    assert report.licence == {
        "generation_id": "gen-0001",
        "licence_id": "licence-123",
        "licence_terms_digest": DIGEST,
        "rights_holders": ["Ada Example", "Example Studio"],
        "model": "rightscast-builtin-v1",
        "parents": ["gen-parent-1", "gen-parent-2"],
    }


def test_untrusted_without_or_with_another_anchor(signed_png, other_material):
    for anchor in (None, other_material.trust_anchor_pem):
        report = read(signed_png, mime="image/png", trust_anchor_pem=anchor)
        assert report.state == "valid", report.issues
        assert report.trusted is False
        assert report.issues == []
        assert report.licence["generation_id"] == "gen-0001"


def test_manifest_contents(signed_png):
    with c2pa.Reader("image/png", io.BytesIO(signed_png)) as reader:
        store = json.loads(reader.json())
    manifest = store["manifests"][store["active_manifest"]]
    assert manifest["title"] == "Rightscast generation gen-0001"
    actions = next(a for a in manifest["assertions"] if a["label"].startswith("c2pa.actions"))
    assert actions["data"]["actions"][0] == {
        "action": "c2pa.created",
        "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
    }
    ingredients = manifest["ingredients"]
    assert [i["title"] for i in ingredients] == ["The original", "Rightscast generation gen-parent-2"]
    assert {i["relationship"] for i in ingredients} == {"inputTo"}
    assert ingredients[0]["instance_id"] == "rightscast:generation:gen-parent-1"


def test_sign_without_parents(material):
    claim = replace(CLAIM, parents=[])
    report = read(
        sign(image_bytes("PNG"), mime="image/png", claim=claim, material=material),
        mime="image/png",
        trust_anchor_pem=material.trust_anchor_pem,
    )
    assert report.state == "valid" and report.trusted
    assert report.licence["parents"] == []


def test_mime_is_a_hint_only(signed_png, material):
    assert read(signed_png, mime=None, trust_anchor_pem=material.trust_anchor_pem).state == "valid"
    assert read(signed_png, mime="image/x-unknown").state == "valid"


# --- absent ---------------------------------------------------------------------
@pytest.mark.parametrize("fmt,mime", [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")])
def test_unsigned_is_absent(fmt, mime, material):
    report = read(image_bytes(fmt), mime=mime, trust_anchor_pem=material.trust_anchor_pem)
    assert report == credentials.CredentialReport(state="absent", trusted=False, licence=None, generator=None, issues=[])


@pytest.mark.parametrize(
    "data", [b"", b"hello", np.random.default_rng(1).bytes(5000), b"\x89PNG\r\n\x1a\n" + b"\0" * 50, b"\xff\xd8\xff" + b"x" * 100]
)
@pytest.mark.parametrize("mime", ["image/png", "image/jpeg", None])
def test_garbage_is_absent_and_never_raises(data, mime):
    assert read(data, mime=mime).state == "absent"


def test_reencoding_strips_the_manifest(signed_png):
    reencoded = io.BytesIO()
    Image.open(io.BytesIO(signed_png)).save(reencoded, format="PNG")
    assert read(reencoded.getvalue(), mime="image/png").state == "absent"


# --- invalid -----------------------------------------------------------------------
def test_pixels_changed_after_signing_is_invalid(signed_png, material):
    def flip(payload):
        payload[len(payload) // 2] ^= 0x01

    tampered = edit_chunk(signed_png, b"IDAT", flip)
    report = read(tampered, mime="image/png", trust_anchor_pem=material.trust_anchor_pem)
    assert report.state == "invalid"
    assert report.trusted is False
    assert any("dataHash.mismatch" in issue for issue in report.issues)


def test_jpeg_scan_data_changed_is_invalid(signed_jpeg, material):
    tampered = bytearray(signed_jpeg)
    tampered[-40] ^= 0x01  # inside the entropy-coded scan, before the EOI marker
    report = read(bytes(tampered), mime="image/jpeg", trust_anchor_pem=material.trust_anchor_pem)
    assert report.state == "invalid"
    assert report.issues


def test_manifest_edited_after_signing_is_invalid(signed_png, material):
    def relabel(payload):
        at = payload.find(b"licence-123")
        assert at >= 0
        payload[at : at + 11] = b"licence-999"

    tampered = edit_chunk(signed_png, b"caBX", relabel)
    report = read(tampered, mime="image/png", trust_anchor_pem=material.trust_anchor_pem)
    assert report.state == "invalid"
    assert report.trusted is False
    assert report.issues


@pytest.mark.parametrize("where", [0.0, 0.02, 0.2, 0.4, 0.6])
def test_corrupted_manifest_is_invalid(signed_png, material, where):
    # (The tail of the manifest store is the COSE signature's unprotected padding,
    # which is outside the signature by design, so it is not probed here.)
    def scramble(payload):
        start = int(len(payload) * where)
        for i in range(start, start + 16):
            payload[i] ^= 0xFF

    report = read(edit_chunk(signed_png, b"caBX", scramble), mime="image/png", trust_anchor_pem=material.trust_anchor_pem)
    assert report.state == "invalid"
    assert report.trusted is False
    assert report.issues


def test_self_signed_ca_certificate_is_refused_as_signer():
    # c2pa-rs refuses a certificate that is a CA with issuer == subject as a signer.
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "Self-signed")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, False, False, False), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
        .public_bytes(serialization.Encoding.PEM)
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    bogus = credentials.SigningMaterial(cert_chain_pem=cert, private_key_pem=key_pem, trust_anchor_pem=cert)
    with pytest.raises(CredentialError, match="self-signed"):
        sign(image_bytes("PNG"), mime="image/png", claim=CLAIM, material=bogus)


# --- argument checks ------------------------------------------------------------------
def test_sign_rejects_unsupported_mime_and_bad_claims(material):
    with pytest.raises(ValueError, match="cannot sign"):
        sign(image_bytes("PNG"), mime="image/gif", claim=CLAIM, material=material)
    with pytest.raises(ValueError, match="licence_terms_digest"):
        sign(image_bytes("PNG"), mime="image/png", claim=replace(CLAIM, licence_terms_digest="abc"), material=material)
    with pytest.raises(ValueError, match="generation_id"):
        sign(image_bytes("PNG"), mime="image/png", claim=replace(CLAIM, parents=[{"title": "x"}]), material=material)


def test_sign_rejects_data_that_is_not_the_declared_type(material):
    with pytest.raises(CredentialError):
        sign(b"definitely not a png", mime="image/png", claim=CLAIM, material=material)


# --- watermark and credentials together ----------------------------------------------
def test_watermark_then_sign_both_read_back(material):
    key = b"watermark-key"
    mark_id = watermark.new_mark_id()
    rgb = np.random.default_rng(3).integers(0, 256, (256, 320, 3), dtype=np.uint8)
    marked = watermark.embed(Image.fromarray(rgb), mark_id, key)
    buf = io.BytesIO()
    marked.save(buf, format="PNG")
    signed = sign(buf.getvalue(), mime="image/png", claim=CLAIM, material=material)

    assert watermark.extract(Image.open(io.BytesIO(signed)), key) == mark_id
    report = read(signed, mime="image/png", trust_anchor_pem=material.trust_anchor_pem)
    assert report.state == "valid" and report.trusted
    assert report.licence["generation_id"] == "gen-0001"

    # Stripping the manifest (a re-encode) leaves the watermark readable.
    jpeg = io.BytesIO()
    Image.open(io.BytesIO(signed)).convert("RGB").save(jpeg, format="JPEG", quality=75)
    assert read(jpeg.getvalue(), mime="image/jpeg").state == "absent"
    assert watermark.extract(Image.open(io.BytesIO(jpeg.getvalue())), key) == mark_id


def test_unusable_trust_anchor_is_a_configuration_error(signed_png):
    with pytest.raises(ValueError, match="trust_anchor_pem"):
        read(signed_png, mime="image/png", trust_anchor_pem=b"not a certificate")


# --- MP4 ---------------------------------------------------------------------------------------
def mp4_bytes(frames: int = 6, size=(160, 128)) -> bytes:
    import av

    buf = io.BytesIO()
    rng = np.random.default_rng(5)
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=12)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for _ in range(frames):
            rgb = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
            out.mux(stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")))
        out.mux(stream.encode(None))
    return buf.getvalue()


@pytest.fixture(scope="module")
def signed_mp4(material):
    return sign(mp4_bytes(), mime="video/mp4", claim=CLAIM, material=material)


def test_sign_and_read_back_mp4(signed_mp4, material):
    import av

    assert "video/mp4" in credentials.SIGNABLE_MIME_TYPES
    report = read(signed_mp4, mime="video/mp4", trust_anchor_pem=material.trust_anchor_pem)
    assert report.state == "valid" and report.trusted, report.issues
    assert report.licence["generation_id"] == "gen-0001"
    assert report.licence["parents"] == ["gen-parent-1", "gen-parent-2"]
    assert read(signed_mp4, mime=None, trust_anchor_pem=material.trust_anchor_pem).state == "valid"
    with av.open(io.BytesIO(signed_mp4)) as c:  # still a playable video, every frame there
        assert sum(1 for _ in c.decode(video=0)) == 6
    with c2pa.Reader("video/mp4", io.BytesIO(signed_mp4)) as reader:
        manifest = json.loads(reader.json())
    active = manifest["manifests"][manifest["active_manifest"]]
    actions = next(a for a in active["assertions"] if a["label"].startswith("c2pa.actions"))
    assert actions["data"]["actions"][0]["digitalSourceType"].endswith("/trainedAlgorithmicMedia")


def test_mp4_unsigned_tampered_and_untrusted(signed_mp4, material, other_material):
    assert read(mp4_bytes(), mime="video/mp4", trust_anchor_pem=material.trust_anchor_pem).state == "absent"
    tampered = bytearray(signed_mp4)
    mdat = signed_mp4.index(b"mdat")
    tampered[mdat + 64] ^= 0xFF
    report = read(bytes(tampered), mime="video/mp4", trust_anchor_pem=material.trust_anchor_pem)
    assert report.state == "invalid" and report.issues
    other = read(signed_mp4, mime="video/mp4", trust_anchor_pem=other_material.trust_anchor_pem)
    assert other.state == "valid" and other.trusted is False


def test_signed_jpeg_reads_back_and_survives_no_reencode(signed_jpeg, material):
    report = read(signed_jpeg, mime="image/jpeg", trust_anchor_pem=material.trust_anchor_pem)
    assert report.state == "valid" and report.trusted
    reencoded = io.BytesIO()
    Image.open(io.BytesIO(signed_jpeg)).save(reencoded, format="JPEG", quality=90)
    assert read(reencoded.getvalue(), mime="image/jpeg", trust_anchor_pem=material.trust_anchor_pem).state == "absent"


# --- soft binding, training permissions, remix ingredients (issue #16) ------------------------
def test_soft_binding_value_round_trips_every_signed_64_bit_id():
    for mark_id in (0, 1, -1, (1 << 63) - 1, -(1 << 63), 123456789012):
        value = credentials.soft_binding_value(mark_id)
        assert len(base64.b64decode(value)) == 8
        assert credentials.mark_id_from_binding(value) == mark_id
    for bad in ("", "not base64!", base64.b64encode(b"short").decode(), base64.b64encode(b"x" * 9).decode()):
        assert credentials.mark_id_from_binding(bad) is None
    with pytest.raises(ValueError):
        credentials.soft_binding_value(1 << 63)


def test_training_use_is_not_allowed_unless_the_term_says_so():
    assert credentials.training_use(True) == "allowed"
    for value in (False, None, "yes", 1):
        assert credentials.training_use(value) == "notAllowed"
    with pytest.raises(ValueError, match="training_mining"):
        sign(image_bytes("PNG"), mime="image/png", claim=replace(CLAIM, training_mining="sure"), material=ensure_dev_certificates_for_test())


def ensure_dev_certificates_for_test():
    import tempfile

    return ensure_dev_certificates(tempfile.mkdtemp())


@pytest.fixture(scope="module")
def remix(material):
    """A parent signed with a soft binding, then a remix whose manifest takes the parent's file."""
    parent_claim = replace(CLAIM, generation_id="gen-parent-1", parents=[], mark_id=-42, training_mining="allowed")
    parent = credentials.sign_asset(image_bytes("PNG", seed=3), mime="image/png", claim=parent_claim, material=material)
    parent_sha = hashlib.sha256(parent.data).hexdigest()
    claim = replace(
        CLAIM,
        mark_id=(1 << 62) + 5,
        parents=[{"generation_id": "gen-parent-1", "title": "The original", "sha256": parent_sha, "data": parent.data, "mime": "image/png"}],
    )
    child = credentials.sign_asset(image_bytes("PNG", seed=4), mime="image/png", claim=claim, material=material)
    return parent, parent_sha, child


def test_manifest_declares_soft_binding_training_and_parent_hash(remix, material):
    parent, parent_sha, child = remix
    assert parent.manifest_id.startswith("urn:c2pa:") and child.manifest_id.startswith("urn:c2pa:")
    assert child.manifest_store and child.manifest_store in child.data  # the store is what is embedded
    report = read(child.data, mime="image/png", trust_anchor_pem=material.trust_anchor_pem)
    assert report.state == "valid" and report.trusted and report.manifest_id == child.manifest_id
    assert report.soft_binding == {"alg": credentials.SOFT_BINDING_ALG, "value": credentials.soft_binding_value((1 << 62) + 5)}
    assert report.training_mining == dict.fromkeys(credentials.TRAINING_MINING_ENTRIES, "notAllowed")
    assert report.ingredients == [
        {"title": "The original", "relationship": "inputTo", "sha256": parent_sha, "manifest_id": parent.manifest_id}
    ]
    assert report.licence["parent_sha256"] == {"gen-parent-1": parent_sha}
    parent_report = read(parent.data, mime="image/png", trust_anchor_pem=material.trust_anchor_pem)
    assert parent_report.training_mining == dict.fromkeys(credentials.TRAINING_MINING_ENTRIES, "allowed")
    assert credentials.mark_id_from_binding(parent_report.soft_binding["value"]) == -42


def test_a_parent_without_its_file_still_carries_its_hash(material):
    claim = replace(CLAIM, parents=[{"generation_id": "p", "sha256": "ab" * 32}])
    report = read(sign(image_bytes("PNG"), mime="image/png", claim=claim, material=material), mime="image/png")
    assert report.ingredients[0]["sha256"] == "ab" * 32 and report.ingredients[0]["manifest_id"] is None
    with pytest.raises(ValueError, match="sha256"):
        sign(image_bytes("PNG"), mime="image/png", claim=replace(CLAIM, parents=[{"generation_id": "p", "sha256": "nope"}]), material=material)


def _outside_reader_python() -> Path | None:
    """var/c2pa-reader-venv: c2pa-python alone, made on first use from the package index."""
    venv = ROOT / "var" / "c2pa-reader-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if subprocess.run([str(python), "-c", "import c2pa"], capture_output=True).returncode != 0:
        if subprocess.run([str(python), "-m", "pip", "install", "-q", "c2pa-python"], capture_output=True).returncode != 0:
            return None
    return python


def test_an_outside_c2pa_reader_sees_soft_binding_ingredient_hash_and_training(remix):
    python = _outside_reader_python()
    if python is None:
        pytest.skip("no package index to build var/c2pa-reader-venv")
    parent, parent_sha, child = remix
    out = subprocess.run(
        [str(python), str(Path(__file__).with_name("outside_c2pa_reader.py")), "image/png"],
        input=child.data, capture_output=True, check=True, env={"PATH": "/usr/bin:/bin"},
    )
    seen = json.loads(out.stdout)
    assert seen["validation_state"] in ("Valid", "Trusted")  # untrusted signer: still valid
    assert seen["soft_binding"]["alg"] == credentials.SOFT_BINDING_ALG
    assert seen["soft_binding"]["blocks"][0]["value"] == credentials.soft_binding_value((1 << 62) + 5)
    assert seen["training_mining"]["entries"]["cawg.ai_generative_training"] == {"use": "notAllowed"}
    assert set(seen["training_mining"]["entries"]) == set(credentials.TRAINING_MINING_ENTRIES)
    assert seen["ingredients"][0]["metadata"] == {"dc:identifier": f"sha256:{parent_sha}"}
    assert seen["ingredients"][0]["active_manifest"] == parent.manifest_id
    assert parent.manifest_id in seen["manifests"]
