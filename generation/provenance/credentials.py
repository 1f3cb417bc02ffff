"""C2PA content credentials: sign outputs, read them back.

Built on c2pa-python's Context / Settings API (>= 0.29; the deprecated
``load_settings`` is not used).  Everything runs offline: no timestamp
authority, no OCSP, no remote manifests.

What c2pa-rs (``check_certificate_profile``) requires of a signing certificate,
which :func:`ensure_dev_certificates` follows:

* X.509 v3, no issuer/subject unique ids, signed with ecdsa-with-SHA256/384/512,
  RSA (>= 2048 bits, PKCS#1 or PSS) or Ed25519; EC keys on P-256/384/521;
* valid *now* (without a timestamp authority there is no signing time to
  check against, so a manifest reads as expired once its signer expires);
* not a self-signed CA: a certificate that is a CA with issuer == subject is
  refused as a signer ("the certificate was self-signed").  (c2pa-rs 0.91
  lets a self-signed *non-CA* leaf through, but the spec's trust model wants
  an end-entity certificate under a CA, which is what is generated here;)
* an Authority Key Identifier extension; a Subject Key Identifier on CAs;
* Key Usage with ``digitalSignature`` (and without ``keyCertSign`` on a
  non-CA certificate);
* Extended Key Usage present on a non-CA certificate, containing an allowed
  purpose (``id-kp-emailProtection`` or ``id-kp-documentSigning`` by default),
  never ``anyExtendedKeyUsage``, and not mixing OCSP-signing/time-stamping
  with other purposes.

Validation outcomes (c2pa-rs ``validation_state``): ``Invalid`` -> "invalid";
``Valid`` -> "valid", untrusted; ``Trusted`` -> "valid", trusted.  An
untrusted signer is reported by c2pa as ``signingCredential.untrusted`` (a
failure code, but it does not make the state ``Invalid``); it is not counted
as an issue here: ``trusted`` carries it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import io
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import c2pa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

logger = logging.getLogger(__name__)

__all__ = [
    "GENERATOR_NAME",
    "LICENCE_ASSERTION_LABEL",
    "SIGNABLE_MIME_TYPES",
    "CredentialClaim",
    "CredentialError",
    "CredentialReport",
    "SigningMaterial",
    "ensure_dev_certificates",
    "load_signing_material",
    "read",
    "sign",
]

GENERATOR_NAME = "Rightscast"
GENERATOR_VERSION = "0.1.0"
LICENCE_ASSERTION_LABEL = "com.rightscast.licence"
ACTIONS_ASSERTION_LABEL = "c2pa.actions.v2"
TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
SIGNABLE_MIME_TYPES = frozenset({"image/png", "image/jpeg", "video/mp4"})
DEV_CA_NAME = "Rightscast Development CA"
DEV_SIGNER_NAME = "Rightscast Development Signer"

# Failure codes that do not make a manifest invalid: trust is reported separately.
_TRUST_CODES = frozenset({"signingCredential.untrusted"})
_OFFLINE_VERIFY = {"remote_manifest_fetch": False, "ocsp_fetch": False}
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class CredentialError(Exception):
    """Signing failed (bad signing material, or data c2pa cannot embed a manifest in)."""


# --------------------------------------------------------------------------
# Signing material
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class SigningMaterial:
    cert_chain_pem: bytes  # signer certificate first, then intermediates (and optionally the root)
    private_key_pem: bytes
    trust_anchor_pem: bytes  # root(s) a reader should trust for this signer
    alg: str = "es256"

    def __repr__(self) -> str:  # never print the key
        return f"SigningMaterial(alg={self.alg!r}, cert_chain_pem=<{len(self.cert_chain_pem)} bytes>, private_key_pem=<redacted>)"


def _alg_for_key(key: Any) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        algs = {"secp256r1": "es256", "secp384r1": "es384", "secp521r1": "es512"}
        if key.curve.name not in algs:
            raise ValueError(f"unsupported EC curve for C2PA signing: {key.curve.name}")
        return algs[key.curve.name]
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < 2048:
            raise ValueError("RSA signing keys must be at least 2048 bits")
        return "ps256"
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "ed25519"
    raise ValueError(f"unsupported private key type for C2PA signing: {type(key).__name__}")


def _public_der(key: Any) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _material_from_pem(chain_pem: bytes, key_pem: bytes, anchor_pem: bytes) -> SigningMaterial:
    try:
        chain = x509.load_pem_x509_certificates(chain_pem)
    except ValueError as exc:
        raise ValueError(f"the certificate chain is not valid PEM: {exc}") from exc
    try:
        x509.load_pem_x509_certificates(anchor_pem)
    except ValueError as exc:
        raise ValueError(f"the trust anchors are not valid PEM certificates: {exc}") from exc
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"the private key is not an unencrypted PEM key: {exc}") from exc
    if _public_der(key.public_key()) != _public_der(chain[0].public_key()):
        raise ValueError("the private key does not match the first certificate of the chain")
    return SigningMaterial(cert_chain_pem=chain_pem, private_key_pem=key_pem, trust_anchor_pem=anchor_pem, alg=_alg_for_key(key))


def load_signing_material(
    cert_chain_path: os.PathLike | str, private_key_path: os.PathLike | str, trust_anchor_path: os.PathLike | str
) -> SigningMaterial:
    """Configured (production) signing material: PEM files, chain leaf-first; alg follows the key type."""
    return _material_from_pem(
        Path(cert_chain_path).read_bytes(), Path(private_key_path).read_bytes(), Path(trust_anchor_path).read_bytes()
    )


_CA_FILE = "ca.pem"
_CHAIN_FILE = "signer-chain.pem"
_KEY_FILE = "signer-key.pem"
_LOCK_FILE = ".lock"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Rightscast"), x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    )


def _key_usage(*, digital_signature: bool = False, key_cert_sign: bool = False, crl_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=crl_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _generate_dev_pki() -> tuple[bytes, bytes, bytes]:
    """(ca_pem, chain_pem, key_pem) for a fresh development CA and ES256 signer."""
    now = dt.datetime.now(dt.timezone.utc)
    not_before = now - dt.timedelta(hours=1)  # tolerate small clock skew

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(DEV_CA_NAME)
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(now + dt.timedelta(days=20 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(DEV_SIGNER_NAME))
        .issuer_name(ca_name)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(now + dt.timedelta(days=10 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    pem = serialization.Encoding.PEM
    ca_pem = ca_cert.public_bytes(pem)
    chain_pem = signer_cert.public_bytes(pem) + ca_pem
    key_pem = signer_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return ca_pem, chain_pem, key_pem


def _write_atomic(path: Path, data: bytes, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _load_dev(directory: Path) -> SigningMaterial | None:
    paths = [directory / _CHAIN_FILE, directory / _KEY_FILE, directory / _CA_FILE]
    if not all(p.is_file() for p in paths):
        return None
    material = load_signing_material(*paths)
    leaf = x509.load_pem_x509_certificates(material.cert_chain_pem)[0]
    if leaf.not_valid_after_utc <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1):
        logger.warning("development C2PA signer in %s has expired; issuing a new CA and signer", directory)
        return None
    return material


def ensure_dev_certificates(directory: os.PathLike | str) -> SigningMaterial:
    """A local development CA and ES256 signer in ``directory``, created on first use.

    Files: ``ca.pem`` (the trust anchor), ``signer-chain.pem`` (signer, then
    CA) and ``signer-key.pem`` (mode 0600).  Creation holds an exclusive
    ``fcntl`` lock on ``directory/.lock`` and writes each file atomically, so
    concurrent processes all end up with the same material.  Not for
    production: readers will only trust it when given ``ca.pem``.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(directory / _LOCK_FILE, "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            material = _load_dev(directory)
            if material is not None:
                return material
            ca_pem, chain_pem, key_pem = _generate_dev_pki()
            _write_atomic(directory / _KEY_FILE, key_pem, 0o600)
            _write_atomic(directory / _CHAIN_FILE, chain_pem, 0o644)
            _write_atomic(directory / _CA_FILE, ca_pem, 0o644)
            return _material_from_pem(chain_pem, key_pem, ca_pem)
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


# --------------------------------------------------------------------------
# Signing
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class CredentialClaim:
    generation_id: str
    licence_id: str
    licence_terms_digest: str  # sha256 hex of the licence terms
    rights_holders: list[str]
    model_name: str
    title: str
    parents: list[dict] = field(default_factory=list)  # [{"generation_id": ..., "title": ...}]


def _manifest_definition(claim: CredentialClaim) -> dict:
    digest = claim.licence_terms_digest.lower()
    if not _HEX64.match(digest):
        raise ValueError("licence_terms_digest must be a SHA-256 hex digest (64 hex characters)")
    parents = []
    for parent in claim.parents:
        if not isinstance(parent, dict) or not parent.get("generation_id"):
            raise ValueError(f"each parent needs a generation_id, got {parent!r}")
        parents.append({"generation_id": str(parent["generation_id"]), "title": str(parent.get("title") or "")})
    licence = {
        "generation_id": str(claim.generation_id),
        "licence_id": str(claim.licence_id),
        "licence_terms_digest": digest,
        "rights_holders": [str(h) for h in claim.rights_holders],
        "model": str(claim.model_name),
        "parents": [p["generation_id"] for p in parents],
    }
    return {
        "claim_generator_info": [{"name": GENERATOR_NAME, "version": GENERATOR_VERSION}],
        "title": claim.title,
        "assertions": [
            {
                "label": ACTIONS_ASSERTION_LABEL,
                "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA}]},
            },
            {"label": LICENCE_ASSERTION_LABEL, "data": licence},
        ],
        # Remix parents, described without their files: "inputTo" is C2PA 2.x's
        # relationship for an input to a generative process.
        "ingredients": [
            {
                "title": p["title"] or f"Rightscast generation {p['generation_id']}",
                "relationship": "inputTo",
                "instance_id": f"rightscast:generation:{p['generation_id']}",
            }
            for p in parents
        ],
    }


def sign(data: bytes, *, mime: str, claim: CredentialClaim, material: SigningMaterial) -> bytes:
    """``data`` with an embedded, signed C2PA manifest describing ``claim``.

    Raises ValueError for an unsupported mime type or a malformed claim, and
    CredentialError when c2pa cannot sign (bad material, undecodable data).
    """
    if mime not in SIGNABLE_MIME_TYPES:
        raise ValueError(f"cannot sign {mime!r}; supported: {', '.join(sorted(SIGNABLE_MIME_TYPES))}")
    definition = _manifest_definition(claim)
    settings = {
        "builder": {"thumbnail": {"enabled": False}},
        # Verify-after-sign checks integrity only; trust is the reader's business.
        "verify": {**_OFFLINE_VERIFY, "verify_trust": False},
    }
    out = io.BytesIO()
    try:
        info = c2pa.C2paSignerInfo(material.alg, material.cert_chain_pem, material.private_key_pem, None)
        with contextlib.ExitStack() as stack:
            signer = stack.enter_context(c2pa.Signer.from_info(info))
            context = stack.enter_context(c2pa.Context.from_dict(settings))
            builder = stack.enter_context(c2pa.Builder(definition, context=context))
            builder.sign(signer, mime, io.BytesIO(data), out)
    except c2pa.C2paError as exc:
        raise CredentialError(f"C2PA signing failed: {exc}") from exc
    return out.getvalue()


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class CredentialReport:
    state: str  # "absent" | "valid" | "invalid"
    trusted: bool  # the signer chains to the given trust anchor
    licence: dict | None  # the com.rightscast.licence assertion (unauthenticated unless state == "valid")
    generator: str | None  # e.g. "Rightscast 0.1.0"
    issues: list[str] = field(default_factory=list)  # "code: explanation"; empty unless invalid


_ABSENT = CredentialReport(state="absent", trusted=False, licence=None, generator=None, issues=[])


def _looks_like_c2pa(data: bytes) -> bool:
    # A JUMBF superbox ("jumb") with a C2PA manifest store label ("c2pa"); in MP4 the store
    # sits in a "uuid" box whose payload starts with the same JUMBF.
    return b"jumb" in data and b"c2pa" in data


def _generator(manifest: dict) -> str | None:
    for info in manifest.get("claim_generator_info") or []:
        if isinstance(info, dict) and info.get("name"):
            return f"{info['name']} {info['version']}" if info.get("version") else str(info["name"])
    claim_generator = manifest.get("claim_generator")
    return str(claim_generator) if claim_generator else None


def _licence(manifest: dict) -> dict | None:
    for assertion in manifest.get("assertions") or []:
        if isinstance(assertion, dict) and assertion.get("label") == LICENCE_ASSERTION_LABEL:
            data = assertion.get("data")
            return dict(data) if isinstance(data, dict) else None
    return None


def _failures(store: dict) -> list[dict]:
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    failures = list(results.get("failure") or [])
    if not failures:  # older stores carry only the flat list
        failures = list(store.get("validation_status") or [])
    return [f for f in failures if isinstance(f, dict)]


def _reader_context(trust_anchor_pem: bytes | None) -> c2pa.Context:
    settings: dict = {"verify": {**_OFFLINE_VERIFY, "verify_trust": trust_anchor_pem is not None}}
    if trust_anchor_pem is not None:
        # "trust_anchors" replaces the SDK's own list: only these anchors count.
        settings["trust"] = {"trust_anchors": trust_anchor_pem.decode("ascii", errors="replace")}
    try:
        return c2pa.Context.from_dict(settings)
    except c2pa.C2paError as exc:
        raise ValueError(f"trust_anchor_pem is not usable as C2PA trust anchors: {exc}") from exc


def read(data: bytes, *, mime: str | None, trust_anchor_pem: bytes | None = None) -> CredentialReport:
    """Read and validate the C2PA manifest of ``data``.

    Never raises on bad ``data`` (garbage, truncated, unsigned, tampered);
    raises ValueError only for an unusable ``trust_anchor_pem``.  Offline: no
    remote manifests, no OCSP.  ``mime`` is a hint (None: detect from the
    bytes).  ``trusted`` is True only when ``trust_anchor_pem`` is given and
    the signer chains to it.
    """
    try:
        supported = set(c2pa.Reader.get_supported_mime_types())
    except Exception:  # pragma: no cover - defensive
        supported = set()
    fmt = mime if mime in supported else None  # None: let c2pa detect the format from the bytes

    with _reader_context(trust_anchor_pem) as context:
        try:
            with c2pa.Reader(fmt, io.BytesIO(bytes(data)), context=context) as reader:
                store = json.loads(reader.json())
        except c2pa.C2paError.ManifestNotFound:
            return _ABSENT
        except Exception as exc:  # c2pa raises many error types on malformed input
            if isinstance(data, (bytes, bytearray, memoryview)) and _looks_like_c2pa(bytes(data)):
                return CredentialReport(
                    state="invalid", trusted=False, licence=None, generator=None, issues=[f"manifest unreadable: {exc}"]
                )
            return _ABSENT

    manifests = store.get("manifests") or {}
    manifest = manifests.get(store.get("active_manifest") or "") or {}
    state_name = str(store.get("validation_state") or "")
    failures = [f for f in _failures(store) if f.get("code") not in _TRUST_CODES]
    invalid = state_name == "Invalid" or (not state_name and bool(failures)) or not manifest
    issues = [f"{f.get('code')}: {f.get('explanation', '')}".rstrip(": ") for f in failures] if invalid else []
    if invalid and not issues:
        issues = ["manifest store has no valid active manifest"]
    return CredentialReport(
        state="invalid" if invalid else "valid",
        trusted=(not invalid) and state_name == "Trusted",
        licence=_licence(manifest),
        generator=_generator(manifest),
        issues=issues,
    )
