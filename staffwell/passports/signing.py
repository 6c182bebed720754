"""Signed passports: canonical JSON, Ed25519, and verification with specific messages.

The format is described in docs/passports.md and the design in docs/adr (passport signing).
In brief, a signed passport is::

    {"passport": {...}, "signature": {"algorithm": "Ed25519", "key_id": "...", "value": "<base64>"}}

and the signature is over the canonical JSON of the ``passport`` object: keys sorted,
no insignificant whitespace, UTF-8, no floating-point numbers.
"""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from staffwell.organisations.models import ODS_CODE
from staffwell.passports.issuer_keys import (  # noqa: F401 - part of this module's interface
    LOCAL,
    MAX_KEY_FILE_CHARS,
    SUPPLIED,
    IssuerKey,
    Latest,
    _b64,
    find_local_org,
    fingerprint,
    imitated_org,
    imitation_message,
    key_from_published,
    key_id_for,
    known_keys,
    mixed_script_problem,
    name_skeleton,
)
from staffwell.passports.models import PublishedVersion, SigningKey
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
    """Sign ``payload`` as ``org``. Each signing of a passport gets the next ``revision`` (a
    whole number, counted in the database under a row lock), and only the latest revision
    verifies: two downloads in the same second are still told apart (``issued_at`` is to the
    second)."""
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
    with transaction.atomic():
        if isinstance(payload.get("id"), str) and issued_at is not None:
            PublishedVersion.objects.get_or_create(
                organisation=org, passport_uid=payload["id"], defaults={"issued_at": issued_at, "revision": 0}
            )
            row = PublishedVersion.objects.select_for_update().get(organisation=org, passport_uid=payload["id"])
            row.revision += 1
            row.issued_at, row.withdrawn = issued_at, False
            row.save(update_fields=["revision", "issued_at", "withdrawn"])
            payload["revision"] = row.revision
        return {
            "passport": payload,
            "signature": {
                "algorithm": ALGORITHM,
                "key_id": key.key_id,
                "value": _b64(private.sign(canonical(payload))),
            },
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
        # Passports with a newer signed version: any download of ``id`` with a revision below
        # ``current_revision`` (or, before revisions, issued before ``current_issued_at``) is
        # superseded; withdrawn: every download is.
        "superseded": [
            (
                {"id": v.passport_uid, "withdrawn": True}
                if v.withdrawn
                else {
                    "id": v.passport_uid,
                    "current_issued_at": v.issued_at.isoformat(),
                    "current_revision": v.revision,
                }
            )
            for v in PublishedVersion.objects.filter(organisation=org)
        ],
    }


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
    if not isinstance(issuer.get("ods_code"), str) or not ODS_CODE.fullmatch(issuer["ods_code"]):
        raise VerificationError(
            f"The passport's issuer code {json.dumps(issuer.get('ods_code'))[:40]} is not an ODS code (three to "
            "ten capital letters A to Z and digits, nothing else), so it cannot be trusted.",
            code="bad_ods_code",
        )
    local_org = find_local_org(issuer["ods_code"], issuer.get("name"))
    if local_org is not None and key.source != LOCAL:
        raise VerificationError(
            "Impostor: "
            + imitation_message("the passport names as its issuer", issuer["ods_code"], issuer.get("name"), local_org)
            + f". Key {key_id} is not one of its keys, so this passport was not signed by it.",
            code="not_the_issuers_key",
            fingerprint=key.fingerprint,
        )
    claimed = find_local_org(key.ods_code, key.name) if key.source != LOCAL else None
    if claimed is not None:
        raise VerificationError(
            "Impostor: "
            + imitation_message("the key file says its key belongs to", key.ods_code, key.name, claimed)
            + ". It is not one of its keys, so nothing signed with it can speak for that organisation.",
            code="not_the_issuers_key",
            fingerprint=key.fingerprint,
        )
    if key.source != LOCAL:
        problem = mixed_script_problem(issuer.get("name"), "The passport's issuer name") or mixed_script_problem(
            key.name, "The key file's organisation name"
        )
        if problem:
            raise VerificationError(problem, code="mixed_script_name", fingerprint=key.fingerprint)
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
    _check_origin(passport, key)
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
    latest = _latest_for(local_org, key, passport.get("id"))
    issuer_name = local_org.name if local_org is not None else (key.name or "The issuer")
    if latest is not None and latest.withdrawn:
        raise VerificationError(
            f"{issuer_name} has withdrawn this passport (the holder deleted it there), so it can no longer "
            "be relied on.",
            code="withdrawn",
            fingerprint=key.fingerprint,
        )
    revision = passport.get("revision", 0)
    if latest is not None and (
        issued_at is None
        or revision < latest.revision
        or (revision == latest.revision and latest.issued_at is not None and issued_at < latest.issued_at)
    ):
        raise VerificationError(
            f"This version of the passport has been replaced: {issuer_name} issued a newer one"
            + (f" on {latest.issued_at:%d %B %Y at %H:%M}" if latest.issued_at else "")
            + ". Ask the person for the latest download.",
            code="superseded",
            fingerprint=key.fingerprint,
        )
    return Verified(passport=passport, key=key, signature=str(signature["value"]))


def _check_origin(passport: dict, key: IssuerKey) -> None:
    """Where the passport says it came from before its issuer (``imported_from``, and the issuer
    beside each step of imported history) is never a look-alike of an organisation on this
    staffwell, nor a name mixing scripts: a passport imported with a key from elsewhere that
    passed as a local organisation must not come back out, re-signed by a real key, looking as
    if that organisation had agreed it."""
    origin = passport.get("imported_from")
    names: dict[tuple[str, str], None] = {}  # in order, once each
    if isinstance(origin, dict):
        ods_code, name = origin.get("ods_code"), origin.get("name")
        names[(ods_code if isinstance(ods_code, str) else "", name if isinstance(name, str) else "")] = None
    for item in passport.get("adjustments", []):
        for step in item.get("history", []):
            if isinstance(step.get("issuer"), str):
                names[("", step["issuer"])] = None
    for ods_code, name in names:
        if ods_code:
            org = imitated_org(ods_code, name)
        else:  # a step's issuer is a name only: anything but a local organisation's own name is not it
            org = find_local_org("", name)
            org = org if org is not None and org.name != name else None
        if org is not None:
            raise VerificationError(
                "Impostor: "
                + imitation_message("this passport says it was first agreed at", ods_code, name, org)
                + ". It was not: it came from a key from elsewhere that passed as that organisation. "
                "Do not rely on its adjustments.",
                code="impostor_origin",
                fingerprint=key.fingerprint,
            )
        problem = mixed_script_problem(name, "The name of the organisation this passport was first agreed at")
        if problem:
            raise VerificationError(problem, code="mixed_script_name", fingerprint=key.fingerprint)


def _latest_for(local_org, key: IssuerKey, passport_uid) -> Latest | None:
    """The issuer's latest version of the passport: from the database for an organisation on
    this staffwell, from the key file's superseded list for a key you gave."""
    if not isinstance(passport_uid, str):
        return None
    if local_org is not None:
        row = latest_version(local_org, passport_uid)
        return Latest(row.withdrawn, row.issued_at, row.revision) if row is not None else None
    return key.superseded.get(passport_uid[:40])


def latest_version(org, passport_uid) -> PublishedVersion | None:
    if not isinstance(passport_uid, str):
        return None
    return PublishedVersion.objects.filter(organisation=org, passport_uid=passport_uid[:40]).first()


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
