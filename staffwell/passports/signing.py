"""Signed passports: canonical JSON, Ed25519, and verification with specific messages.

The format is described in docs/passports.md and the design in docs/adr (passport signing).
Reading the file someone hands in (strict JSON, the envelope, the shape) is in ``signed_file.py``;
its names are importable from here too.
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
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from staffwell.passports.models import PublishedVersion, SigningKey, TrustedIssuerKey
from staffwell.passports.signed_file import (  # noqa: F401 - part of this module's interface
    ALGORITHM,
    FORMAT,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_INT_DIGITS,
    VERSION,
    VerificationError,
    _decode_public,
    _str,
    _when_or_none,
    canonical,
    check_shape,
    load_json,
    max_depth,
    parse,
    parse_date,
)

MAX_KEY_FILE_CHARS = 100_000


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
    key = SigningKey.objects.filter(organisation=org, retired_at__isnull=True, revoked_at__isnull=True).first()
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
    issued_at = _when_or_none(payload.get("issued_at"))
    if isinstance(payload.get("id"), str) and issued_at is not None:
        PublishedVersion.objects.update_or_create(
            organisation=org, passport_uid=payload["id"], defaults={"issued_at": issued_at, "withdrawn": False}
        )
    return {
        "passport": payload,
        "signature": {"algorithm": ALGORITHM, "key_id": key.key_id, "value": _b64(private.sign(canonical(payload)))},
    }


def withdraw(passport) -> None:
    """The passport is deleted: every signed download of it is superseded from now on."""
    PublishedVersion.objects.filter(organisation=passport.organisation, passport_uid=str(passport.uid)).update(
        withdrawn=True
    )


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
                "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
                "revocation_reason": k.revocation_reason or None,
            }
            for k in SigningKey.objects.filter(organisation=org)
        ],
        # Passports with a newer signed version: any download of ``id`` issued before
        # ``current_issued_at`` is superseded (withdrawn: every download is).
        "superseded": [
            (
                {"id": v.passport_uid, "withdrawn": True}
                if v.withdrawn
                else {"id": v.passport_uid, "current_issued_at": v.issued_at.isoformat()}
            )
            for v in PublishedVersion.objects.filter(organisation=org)
        ],
    }


# Verification ------------------------------------------------------------------------------


LOCAL = "an organisation on this staffwell"
SUPPLIED = "the key you gave"


@dataclass(frozen=True)
class IssuerKey:
    ods_code: str
    name: str
    key_id: str
    public_key: str
    source: str  # LOCAL, "trusted by your organisation", SUPPLIED
    retired_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None

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


def _supplied_key(ods: str, name: str, public_key: str, given_id: str | None = None, **dates) -> IssuerKey:
    raw = _decode_public(public_key).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key_id = key_id_for(raw)  # derived from the key, never taken from the file
    if given_id is not None and given_id != key_id:
        raise VerificationError(
            f"The key file names a key “{given_id[:40]}” whose id does not match the key itself ({key_id}). "
            "A key id is always derived from the key, so the key file has been changed.",
            code="key_id_mismatch",
        )
    return IssuerKey(ods, name, key_id, public_key, SUPPLIED, **dates)


def key_from_published(text: str) -> list[IssuerKey]:
    """Keys from a published key file (passports/keys/<ods>.json) or a bare base64 public key.
    Key ids are derived from each key; a file whose key id does not match its key is refused."""
    text = (text or "").strip()
    if not text:
        return []
    if len(text) > MAX_KEY_FILE_CHARS:
        raise VerificationError(
            "The public key you gave is far longer than any staffwell key file. Paste the key file from the issuer's "
            "passports/keys address, or just the base64 public key.",
            code="bad_public_key",
        )
    if not text.startswith("{"):
        return [_supplied_key("", "", text)]
    try:
        data = load_json(text)
    except (VerificationError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("issuer"), dict) or not isinstance(data.get("keys"), list):
        raise VerificationError(
            "The public key you gave is not a staffwell key file. Paste the whole file from the issuer's "
            "passports/keys address, or just the base64 public key.",
            code="bad_public_key",
        )
    issuer = data["issuer"]
    ods, name = _str(issuer.get("ods_code"), "ods_code")[:10], _str(issuer.get("name"), "name")[:200]
    keys = []
    for k in data["keys"][:100]:
        if not isinstance(k, dict):
            _str(None, "a key")
        keys.append(
            _supplied_key(
                ods,
                name,
                _str(k.get("public_key"), "public_key"),
                _str(k.get("key_id"), "key_id"),
                retired_at=_when_or_none(k.get("retired_at")),
                revoked_at=_when_or_none(k.get("revoked_at")),
            )
        )
    return keys


def known_keys(*, trusted_by=None, extra: list[IssuerKey] = ()) -> dict[str, IssuerKey]:
    """Keys this service accepts: every organisation's own keys on this staffwell, keys an
    admin of ``trusted_by`` (an organisation or several) recorded, and any given. A given key
    never replaces a known one, and never speaks for an organisation on this staffwell."""
    keys: dict[str, IssuerKey] = {}
    for k in SigningKey.objects.select_related("organisation"):
        keys[k.key_id] = IssuerKey(
            k.organisation.ods_code,
            k.organisation.name,
            k.key_id,
            k.public_key,
            LOCAL,
            retired_at=k.retired_at,
            revoked_at=k.revoked_at,
        )
    if trusted_by is not None:
        orgs = trusted_by if isinstance(trusted_by, list | tuple) else [trusted_by]
        for t in TrustedIssuerKey.objects.filter(organisation__in=orgs):
            keys.setdefault(
                t.key_id,
                IssuerKey(t.issuer_ods_code, t.issuer_name, t.key_id, t.public_key, "trusted by your organisation"),
            )
    for k in extra:
        keys.setdefault(k.key_id, k)
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
    local_org = _local_org(issuer.get("ods_code"))
    if local_org is not None and key.source != LOCAL:
        raise VerificationError(
            f"The passport names {local_org.name} ({local_org.ods_code}) as its issuer. That organisation is on "
            f"this staffwell and key {key_id} is not one of its keys, so this passport was not signed by it.",
            code="not_the_issuers_key",
            fingerprint=key.fingerprint,
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
    check_shape(passport)
    issued_at = _when_or_none(passport.get("issued_at"))
    if key.revoked_at is not None:
        raise VerificationError(
            f"{key.name or 'The issuer'} revoked the key this passport was signed with on "
            f"{key.revoked_at:%d %B %Y}, so it can no longer be trusted. Ask the person for a fresh download.",
            code="key_revoked",
            fingerprint=key.fingerprint,
        )
    if key.retired_at is not None and (issued_at is None or issued_at > key.retired_at):
        raise VerificationError(
            f"This passport says it was signed after {key.name or 'the issuer'} retired the key on "
            f"{key.retired_at:%d %B %Y}. A retired key signs nothing new, so it cannot be trusted.",
            code="key_retired",
            fingerprint=key.fingerprint,
        )
    if local_org is not None:
        latest = latest_version(local_org, passport.get("id"))
        if latest is not None and latest.withdrawn:
            raise VerificationError(
                f"{local_org.name} has withdrawn this passport (the holder deleted it there), so it can no longer "
                "be relied on.",
                code="withdrawn",
                fingerprint=key.fingerprint,
            )
        if latest is not None and (issued_at is None or issued_at < latest.issued_at):
            raise VerificationError(
                f"This version of the passport has been replaced: {local_org.name} issued a newer one on "
                f"{latest.issued_at:%d %B %Y at %H:%M}. Ask the person for the latest download.",
                code="superseded",
                fingerprint=key.fingerprint,
            )
    return Verified(passport=passport, key=key, signature=str(signature["value"]))


def supplied_key_note(data, supplied: list[IssuerKey], verified: Verified | None) -> str:
    """What to tell someone who gave a key that did not sign the passport (it was not used), and
    that a key they give never replaces the key of an organisation this staffwell knows."""
    if not supplied:
        return ""
    if verified is not None:
        key_id = verified.key.key_id
    else:
        try:
            key_id = str(parse(data)["signature"].get("key_id") or "")
        except VerificationError:
            return ""
    if any(k.key_id == key_id for k in supplied):
        return ""
    given = ", ".join(k.key_id for k in supplied[:3]) + (" and others" if len(supplied) > 3 else "")
    note = (
        f"The key you gave ({given}) is not the key that signed this passport ({key_id[:40] or 'no key named'}), "
        "so it was not used."
    )
    if verified is not None and verified.key.source != SUPPLIED:
        note += (
            f" The passport was checked with the key of {verified.key.name} ({verified.key.ods_code}), which this "
            f"staffwell already has ({verified.key.source}). A key you give is only used for an issuer this "
            "staffwell does not know: it never replaces a known organisation's key."
        )
    return note


def _local_org(ods_code):
    from staffwell.organisations.models import Organisation

    if not isinstance(ods_code, str) or not ods_code:
        return None
    return Organisation.objects.filter(ods_code=ods_code).first()


def latest_version(org, passport_uid) -> PublishedVersion | None:
    if not isinstance(passport_uid, str):
        return None
    return PublishedVersion.objects.filter(organisation=org, passport_uid=passport_uid[:40]).first()
