"""Signed passports: canonical JSON, Ed25519, and verification with specific messages.

The format is described in docs/passports.md and the design in docs/adr (passport signing).
In brief, a signed passport is::

    {"passport": {...}, "signature": {"algorithm": "Ed25519", "key_id": "...", "value": "<base64>"}}

and the signature is over the canonical JSON of the ``passport`` object: keys sorted,
no insignificant whitespace, UTF-8, no floating-point numbers.
"""

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from staffwell.passports.models import SigningKey, TrustedIssuerKey

FORMAT = "staffwell-passport"
VERSION = 1
ALGORITHM = "Ed25519"
MAX_BYTES = 1_000_000


def canonical(value) -> bytes:
    """The exact bytes that are signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def fingerprint(public_key_b64: str) -> str:
    """SHA-256 of the raw public key, as groups of four hex digits (for reading aloud)."""
    digest = hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def key_id_for(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


def public_key_url(org) -> str:
    return settings.STAFFWELL_BASE_URL.rstrip("/") + reverse("passports:public_key", kwargs={"ods_code": org.ods_code})


def signing_key_for(org) -> SigningKey:
    """The organisation's current signing key, made on first use."""
    key = SigningKey.objects.filter(organisation=org, retired_at__isnull=True).first()
    if key is not None:
        return key
    with transaction.atomic():
        private = Ed25519PrivateKey.generate()
        public_raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        private_raw = private.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        return SigningKey.objects.create(
            organisation=org,
            key_id=key_id_for(public_raw),
            public_key=_b64(public_raw),
            private_key=_b64(private_raw),
        )


def sign(payload: dict, org) -> dict:
    key = signing_key_for(org)
    private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(key.private_key))
    payload = {
        **payload,
        "format": FORMAT,
        "version": VERSION,
        "issuer": {
            "ods_code": org.ods_code,
            "name": org.name,
            "key_id": key.key_id,
            "public_key_url": public_key_url(org),
        },
    }
    return {
        "passport": payload,
        "signature": {"algorithm": ALGORITHM, "key_id": key.key_id, "value": _b64(private.sign(canonical(payload)))},
    }


def published_keys(org) -> dict:
    signing_key_for(org)
    return {
        "issuer": {"ods_code": org.ods_code, "name": org.name},
        "keys": [
            {
                "key_id": k.key_id,
                "algorithm": ALGORITHM,
                "public_key": k.public_key,
                "fingerprint": fingerprint(k.public_key),
                "created_at": k.created_at.isoformat(),
                "retired_at": k.retired_at.isoformat() if k.retired_at else None,
            }
            for k in SigningKey.objects.filter(organisation=org)
        ],
    }


# Verification ------------------------------------------------------------------------------


class VerificationError(Exception):
    """Why a file was refused, in words for the person holding it."""

    def __init__(self, message: str, *, code: str, fingerprint: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code
        self.fingerprint = fingerprint


@dataclass(frozen=True)
class IssuerKey:
    ods_code: str
    name: str
    key_id: str
    public_key: str
    source: str  # "this staffwell", "trusted by your organisation", "the key you gave"

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


@dataclass(frozen=True)
class Verified:
    passport: dict
    key: IssuerKey
    signature: str

    @property
    def signature_fingerprint(self) -> str:
        return signature_fingerprint(self.signature)


def signature_fingerprint(signature_b64: str) -> str:
    digest = hashlib.sha256(signature_b64.encode("ascii")).hexdigest().upper()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def _no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise VerificationError(
                f"The field “{k}” appears twice in the file. A signed passport never repeats a field, so the file "
                "has been changed.",
                code="duplicate_field",
            )
        seen[k] = v
    return seen


def _reject_float(text):
    raise VerificationError(
        "The file contains a number with a decimal point. Signed passports never do, so the file has been changed.",
        code="float",
    )


def parse(data: bytes | str) -> dict:
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise VerificationError("The file is larger than 1 MB, far larger than any passport.", code="too_large")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise VerificationError(
                "The file is not text (it may be a PDF or an image). Choose the .json file you downloaded.",
                code="not_text",
            ) from None
    else:
        text = data
    stripped = text.strip()
    if not stripped:
        raise VerificationError("The file is empty.", code="empty")
    try:
        document = json.loads(stripped, object_pairs_hook=_no_duplicates, parse_float=_reject_float)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(stripped) - 1:
            raise VerificationError(
                "The file ends part way through: it has been cut short or only partly copied. Download the "
                "signed passport again.",
                code="truncated",
            ) from None
        raise VerificationError(
            f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg.lower()}). "
            "Choose the .json signed passport, not the PDF.",
            code="not_json",
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("passport"), dict):
        raise VerificationError(
            "The file is JSON but not a staffwell signed passport: it has no “passport” section.", code="not_passport"
        )
    signature = document.get("signature")
    if not isinstance(signature, dict) or not signature.get("value"):
        raise VerificationError("The passport has no signature, so it cannot be trusted.", code="no_signature")
    extra = set(document) - {"passport", "signature"}
    if extra:
        raise VerificationError(
            f"The file has something added outside the signed passport ({', '.join(sorted(extra))}).",
            code="extra_fields",
        )
    if signature.get("algorithm") != ALGORITHM:
        raise VerificationError(
            f"The signature uses {signature.get('algorithm')!r}, not Ed25519, so it cannot be checked.",
            code="algorithm",
        )
    if document["passport"].get("format") != FORMAT or document["passport"].get("version") != VERSION:
        raise VerificationError(
            "This is not a version of the staffwell passport format this service understands.", code="format"
        )
    return document


def _decode_public(public_key_b64: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(public_key_b64, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise VerificationError(
            "The public key is not a valid Ed25519 public key (32 bytes, base64).", code="bad_public_key"
        ) from None


def key_from_published(text: str) -> list[IssuerKey]:
    """Keys from a published key file (passports/keys/<ods>.json) or a bare base64 public key."""
    text = (text or "").strip()
    if not text:
        return []
    if text.startswith("{"):
        try:
            data = json.loads(text)
            issuer = data["issuer"]
            keys = [
                IssuerKey(issuer["ods_code"], issuer["name"], k["key_id"], k["public_key"], "the key you gave")
                for k in data["keys"]
            ]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise VerificationError(
                "The public key you gave is not a staffwell key file. Paste the whole file from the issuer's "
                "passports/keys address, or just the base64 public key.",
                code="bad_public_key",
            ) from None
    else:
        pub = _decode_public(text)
        raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        keys = [IssuerKey("", "", key_id_for(raw), text, "the key you gave")]
    for k in keys:
        _decode_public(k.public_key)
    return keys


def known_keys(*, trusted_by=None, extra: list[IssuerKey] = ()) -> dict[str, IssuerKey]:
    """Keys this service accepts: every organisation's own keys on this staffwell, keys an
    admin of ``trusted_by`` (an organisation or several) recorded, and any given."""
    keys: dict[str, IssuerKey] = {}
    for k in SigningKey.objects.select_related("organisation"):
        keys[k.key_id] = IssuerKey(
            k.organisation.ods_code, k.organisation.name, k.key_id, k.public_key, "an organisation on this staffwell"
        )
    if trusted_by is not None:
        orgs = trusted_by if isinstance(trusted_by, list | tuple) else [trusted_by]
        for t in TrustedIssuerKey.objects.filter(organisation__in=orgs):
            keys.setdefault(
                t.key_id,
                IssuerKey(t.issuer_ods_code, t.issuer_name, t.key_id, t.public_key, "trusted by your organisation"),
            )
    for k in extra:
        keys[k.key_id] = k
    return keys


def verify(data: bytes | str, *, keys: dict[str, IssuerKey]) -> Verified:
    document = parse(data)
    passport, signature = document["passport"], document["signature"]
    key_id = str(signature.get("key_id") or "")
    issuer = passport.get("issuer") if isinstance(passport.get("issuer"), dict) else {}
    if issuer.get("key_id") != key_id:
        raise VerificationError(
            "The key named in the signature is not the key named in the passport, so the file has been changed.",
            code="key_mismatch",
        )
    try:
        raw_signature = base64.b64decode(str(signature["value"]), validate=True)
    except binascii.Error:
        raise VerificationError(
            "The signature is damaged (it is not valid base64), so the file has been changed.", code="bad_signature"
        ) from None
    if len(raw_signature) != 64:
        raise VerificationError(
            "The signature is the wrong length for Ed25519, so the file has been changed or cut short.",
            code="bad_signature",
        )
    key = keys.get(key_id)
    if key is None:
        name = issuer.get("name") or "the issuer"
        raise VerificationError(
            f"This passport says it was signed by {name} ({issuer.get('ods_code', 'no ODS code')}) with key "
            f"{key_id or '(none)'}, but that key is not known here. Ask your organisation admin to add the "
            f"issuer's public key from {issuer.get('public_key_url') or 'the issuer'} after checking its "
            "fingerprint with them, or paste the public key on the verification page.",
            code="unknown_key",
        )
    if key.ods_code and issuer.get("ods_code") != key.ods_code:
        raise VerificationError(
            f"The passport names {issuer.get('name')} ({issuer.get('ods_code')}) as its issuer, but the key "
            f"{key_id} belongs to {key.name} ({key.ods_code}). The file has been changed.",
            code="wrong_issuer",
            fingerprint=key.fingerprint,
        )
    try:
        _decode_public(key.public_key).verify(raw_signature, canonical(passport))
    except InvalidSignature:
        raise VerificationError(
            f"The signature does not match the passport's contents. Something in the file was changed after "
            f"{key.name or 'the issuer'} signed it, or it was signed with a different key. Do not rely on it: "
            "ask the person for a fresh download from their staffwell.",
            code="signature_mismatch",
            fingerprint=key.fingerprint,
        ) from None
    return Verified(passport=passport, key=key, signature=str(signature["value"]))


def parse_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
