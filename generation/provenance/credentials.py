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

import base64
import contextlib
import datetime as dt
import fcntl
import hashlib
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
    "SignedAsset",
    "SigningMaterial",
    "SOFT_BINDING_ALG",
    "ensure_dev_certificates",
    "load_signing_material",
    "mark_id_from_binding",
    "read",
    "sign",
    "sign_asset",
    "soft_binding_value",
    "training_use",
]

GENERATOR_NAME = "Rightscast"
GENERATOR_VERSION = "0.1.0"
LICENCE_ASSERTION_LABEL = "com.rightscast.licence"
ACTIONS_ASSERTION_LABEL = "c2pa.actions.v2"
TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
SIGNABLE_MIME_TYPES = frozenset({"image/png", "image/jpeg", "video/mp4"})
SOFT_BINDING_LABEL = "c2pa.soft-binding"
# Our invisible watermark (generation/provenance/watermark/, layout v3).  Not (yet) in the C2PA
# soft binding algorithm list: a private, reverse-domain name as the list's rules allow.
SOFT_BINDING_ALG = "com.rightscast.watermark.3"
TRAINING_MINING_LABEL = "cawg.training-mining"
TRAINING_MINING_ENTRIES = ("cawg.data_mining", "cawg.ai_inference", "cawg.ai_training", "cawg.ai_generative_training")
TRAINING_USES = ("allowed", "notAllowed")
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
# Soft binding and training permissions
# --------------------------------------------------------------------------
def soft_binding_value(mark_id: int) -> str:
    """The watermark's id as the soft binding assertion and the resolution API carry it: the
    8 bytes of its two's complement, big-endian, base64."""
    if isinstance(mark_id, bool) or not isinstance(mark_id, int) or not -(1 << 63) <= mark_id < (1 << 63):
        raise ValueError("mark_id must be a signed 64-bit integer")
    return base64.b64encode((mark_id & ((1 << 64) - 1)).to_bytes(8, "big")).decode("ascii")


def mark_id_from_binding(value: str) -> int | None:
    """The id in a soft binding value, or None when ``value`` is not one of ours."""
    try:
        raw = base64.b64decode(str(value).strip(), validate=True)
    except (ValueError, TypeError):
        return None
    if len(raw) != 8:
        return None
    word = int.from_bytes(raw, "big")
    return word - (1 << 64) if word >= (1 << 63) else word


def training_use(allowed) -> str:
    """``cawg.training-mining``'s ``use`` for a licence's AI-training term: anything but an
    explicit True is "notAllowed"."""
    return "allowed" if allowed is True else "notAllowed"


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
    # [{"generation_id", "title", and optionally "sha256" (hex of the parent's file) and "data" +
    # "mime" (the parent's signed file: its manifest becomes the ingredient's)}]
    parents: list[dict] = field(default_factory=list)
    mark_id: int | None = None  # the invisible watermark's id: declared as a soft binding
    training_mining: str = "notAllowed"  # from the licence's AI-training term; "allowed" or "notAllowed"


@dataclass(frozen=True)
class SignedAsset:
    data: bytes  # the asset with its manifest store embedded
    manifest_store: bytes  # the manifest store alone (application/c2pa), for the manifest repository
    manifest_id: str  # the active manifest's label, e.g. "urn:c2pa:..."


def _manifest_definition(claim: CredentialClaim) -> dict:
    digest = claim.licence_terms_digest.lower()
    if not _HEX64.match(digest):
        raise ValueError("licence_terms_digest must be a SHA-256 hex digest (64 hex characters)")
    parents = []
    for parent in claim.parents:
        if not isinstance(parent, dict) or not parent.get("generation_id"):
            raise ValueError(f"each parent needs a generation_id, got {parent!r}")
        sha = str(parent.get("sha256") or "").lower()
        if sha and not _HEX64.match(sha):
            raise ValueError("a parent's sha256 must be a SHA-256 hex digest")
        parents.append({"generation_id": str(parent["generation_id"]), "title": str(parent.get("title") or ""), "sha256": sha})
    if claim.training_mining not in TRAINING_USES:
        raise ValueError(f"training_mining must be one of {', '.join(TRAINING_USES)}")
    licence = {
        "generation_id": str(claim.generation_id),
        "licence_id": str(claim.licence_id),
        "licence_terms_digest": digest,
        "rights_holders": [str(h) for h in claim.rights_holders],
        "model": str(claim.model_name),
        "parents": [p["generation_id"] for p in parents],
    }
    if any(p["sha256"] for p in parents):
        licence["parent_sha256"] = {p["generation_id"]: p["sha256"] for p in parents if p["sha256"]}
    assertions = [
        {
            "label": ACTIONS_ASSERTION_LABEL,
            "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA}]},
        },
        {"label": LICENCE_ASSERTION_LABEL, "data": licence},
        # What may be done with the output by machines, from the licence's AI-training term.
        {
            "label": TRAINING_MINING_LABEL,
            "data": {"entries": {entry: {"use": claim.training_mining} for entry in TRAINING_MINING_ENTRIES}},
        },
    ]
    if claim.mark_id is not None:
        # The invisible watermark as a soft binding: a file whose manifest was stripped is matched
        # back to this manifest through the repository (/matches/byBinding).
        assertions.append(
            {
                "label": SOFT_BINDING_LABEL,
                "data": {
                    "alg": SOFT_BINDING_ALG,
                    "blocks": [{"scope": {}, "value": soft_binding_value(claim.mark_id)}],
                    "pad": [],
                },
            }
        )
    return {
        "claim_generator_info": [{"name": GENERATOR_NAME, "version": GENERATOR_VERSION}],
        "title": claim.title,
        "assertions": assertions,
        # Remix parents whose file is not at hand, described by id and hash; those whose signed
        # file is given are added by sign() with their manifest.  "inputTo" is C2PA 2.x's
        # relationship for an input to a generative process.
        "ingredients": [_ingredient(p) for p in parents if not _parent_data(claim, p["generation_id"])],
    }


def _ingredient(parent: dict) -> dict:
    ingredient = {
        "title": parent["title"] or f"Rightscast generation {parent['generation_id']}",
        "relationship": "inputTo",
        "instance_id": f"rightscast:generation:{parent['generation_id']}",
    }
    if parent["sha256"]:
        ingredient["metadata"] = {"dc:identifier": f"sha256:{parent['sha256']}"}
    return ingredient


def _parent_data(claim: CredentialClaim, generation_id: str) -> tuple[bytes, str] | None:
    for parent in claim.parents:
        if str(parent.get("generation_id")) == generation_id and parent.get("data") and parent.get("mime") in SIGNABLE_MIME_TYPES:
            return bytes(parent["data"]), str(parent["mime"])
    return None


def sign(data: bytes, *, mime: str, claim: CredentialClaim, material: SigningMaterial) -> bytes:
    """``data`` with an embedded, signed C2PA manifest describing ``claim``.

    Raises ValueError for an unsupported mime type or a malformed claim, and
    CredentialError when c2pa cannot sign (bad material, undecodable data).
    """
    return sign_asset(data, mime=mime, claim=claim, material=material).data


def sign_asset(data: bytes, *, mime: str, claim: CredentialClaim, material: SigningMaterial) -> SignedAsset:
    """Like :func:`sign`, also returning the manifest store alone and the active manifest's id
    (what the manifest repository keeps)."""
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
            for parent in claim.parents:
                at_hand = _parent_data(claim, str(parent.get("generation_id")))
                if at_hand is not None:
                    parent_data, parent_mime = at_hand
                    sha = str(parent.get("sha256") or "") or hashlib.sha256(parent_data).hexdigest()
                    described = _ingredient({"generation_id": str(parent["generation_id"]), "title": str(parent.get("title") or ""), "sha256": sha})
                    builder.add_ingredient(described, parent_mime, io.BytesIO(parent_data))
            store = builder.sign(signer, mime, io.BytesIO(data), out)
            reader = stack.enter_context(c2pa.Reader(mime, io.BytesIO(out.getvalue()), context=context))
            manifest_id = json.loads(reader.json()).get("active_manifest") or ""
    except c2pa.C2paError as exc:
        raise CredentialError(f"C2PA signing failed: {exc}") from exc
    return SignedAsset(data=out.getvalue(), manifest_store=bytes(store or b""), manifest_id=str(manifest_id))


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
    signer: str | None = None  # the signing certificate's issuer (organisation, common name)
    manifest_id: str | None = None
    soft_binding: dict | None = None  # {"alg", "value"} of the first c2pa.soft-binding block
    training_mining: dict | None = None  # entry -> use, from cawg.training-mining
    ingredients: list[dict] = field(default_factory=list)  # [{"title", "relationship", "sha256", "manifest_id"}]


_ABSENT = CredentialReport(state="absent", trusted=False, licence=None, generator=None, issues=[])


def _assertion(manifest: dict, label: str) -> dict | None:
    for assertion in manifest.get("assertions") or []:
        if isinstance(assertion, dict) and assertion.get("label") == label and isinstance(assertion.get("data"), dict):
            return assertion["data"]
    return None


def _soft_binding(manifest: dict) -> dict | None:
    data = _assertion(manifest, SOFT_BINDING_LABEL) or {}
    blocks = data.get("blocks") if isinstance(data.get("blocks"), list) else []
    for block in blocks:
        if isinstance(block, dict) and isinstance(block.get("value"), str):
            return {"alg": str(data.get("alg") or ""), "value": block["value"]}
    return None


def _training(manifest: dict) -> dict | None:
    entries = (_assertion(manifest, TRAINING_MINING_LABEL) or {}).get("entries")
    if not isinstance(entries, dict):
        return None
    return {str(k): str(v.get("use")) for k, v in entries.items() if isinstance(v, dict)}


def _ingredients(manifest: dict) -> list[dict]:
    out = []
    for ing in manifest.get("ingredients") or []:
        if not isinstance(ing, dict):
            continue
        ident = str((ing.get("metadata") or {}).get("dc:identifier") or "")
        out.append(
            {
                "title": str(ing.get("title") or ""),
                "relationship": str(ing.get("relationship") or ""),
                "sha256": ident.removeprefix("sha256:") if ident.startswith("sha256:") else None,
                "manifest_id": ing.get("active_manifest"),
            }
        )
    return out


def _signer(manifest: dict) -> str | None:
    info = manifest.get("signature_info") or {}
    if not isinstance(info, dict):
        return None
    parts = [str(info[k]) for k in ("issuer", "common_name") if info.get(k)]
    return ", ".join(dict.fromkeys(parts)) or None


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
        signer=_signer(manifest),
        manifest_id=str(store.get("active_manifest") or "") or None,
        soft_binding=_soft_binding(manifest),
        training_mining=_training(manifest),
        ingredients=_ingredients(manifest),
    )
