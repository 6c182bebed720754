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
import unicodedata
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from staffwell.organisations.models import ODS_CODE, ods_skeleton
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
    # From a supplied key file: passport id -> its latest version there (None for local keys,
    # whose versions are in the database).
    superseded: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


@dataclass(frozen=True)
class Latest:
    """The latest signed version of a passport its issuer published."""

    withdrawn: bool
    issued_at: dt.datetime | None = None
    revision: int = 0


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


def _supplied_key(ods: str, name: str, public_key: str, given_id: str | None = None, **more) -> IssuerKey:
    raw = _decode_public(public_key).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key_id = key_id_for(raw)  # derived from the key, never taken from the file
    if given_id is not None and given_id != key_id:
        raise VerificationError(
            f"The key file names a key “{given_id[:40]}” whose id does not match the key itself ({key_id}). "
            "A key id is always derived from the key, so the key file has been changed.",
            code="key_id_mismatch",
        )
    return IssuerKey(ods, name, key_id, public_key, SUPPLIED, **more)


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
    superseded = _superseded_from_file(data.get("superseded", []))
    keys: list[IssuerKey] = []
    for k in data["keys"][:100]:
        if not isinstance(k, dict):
            _str(None, "a key")
        key = _supplied_key(
            ods,
            name,
            _str(k.get("public_key"), "public_key"),
            _str(k.get("key_id"), "key_id"),
            retired_at=_key_file_when(k, "retired_at"),
            revoked_at=_key_file_when(k, "revoked_at"),
            superseded=superseded,
        )
        if any(other.key_id == key.key_id for other in keys):
            raise _bad_key_file(
                f"it lists key {key.key_id} twice. A key file lists each key once; one copy may say the key "
                "is revoked, so it cannot be read either way"
            )
        keys.append(key)
    return keys


def _bad_key_file(why: str) -> VerificationError:
    return VerificationError(
        f"The key file you gave cannot be trusted: {why}. Fetch it again from the issuer's passports/keys address.",
        code="bad_key_file",
    )


def _key_file_when(k: dict, name: str) -> dt.datetime | None:
    """A key's ``retired_at`` or ``revoked_at``: null (or absent) means not, a date means since
    then. Anything else is refused, never read as "not revoked" (fail closed)."""
    value = k.get(name)
    if value is None:
        return None
    when = _when_or_none(value)
    if when is None:
        raise _bad_key_file(f"its {name} for key {str(k.get('key_id'))[:40]} is {json.dumps(value)[:40]}, not a date")
    return when


def _superseded_from_file(entries) -> dict:
    """The key file's list of superseded and withdrawn passports, read strictly: an entry that
    cannot be read makes the whole file untrusted, since it may be the one that withdraws."""
    if not isinstance(entries, list):
        raise _bad_key_file("its list of superseded passports is not a list")
    latest: dict[str, Latest] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise _bad_key_file("an entry in its list of superseded passports has no passport id")
        pid = entry["id"][:40]
        withdrawn = entry.get("withdrawn", False)
        revision = entry.get("current_revision", 0)
        if withdrawn is not True and withdrawn is not False:
            raise _bad_key_file(
                f"passport {pid} is marked withdrawn with {json.dumps(withdrawn)[:40]}, not true or false"
            )
        if isinstance(revision, bool) or not isinstance(revision, int) or revision < 0:
            raise _bad_key_file(f"passport {pid} has a current revision that is not a whole number")
        issued_at = _when_or_none(entry.get("current_issued_at"))
        if not withdrawn and issued_at is None:
            raise _bad_key_file(f"passport {pid} has no readable current_issued_at")
        if pid in latest:
            raise _bad_key_file(f"passport {pid} is listed twice in its superseded passports")
        latest[pid] = Latest(withdrawn=withdrawn, issued_at=issued_at, revision=revision)
    return latest


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
    if not isinstance(issuer.get("ods_code"), str) or not ODS_CODE.fullmatch(issuer["ods_code"]):
        raise VerificationError(
            f"The passport's issuer code {json.dumps(issuer.get('ods_code'))[:40]} is not an ODS code (three to "
            "ten capital letters A to Z and digits, nothing else), so it cannot be trusted.",
            code="bad_ods_code",
        )
    local_org = find_local_org(issuer["ods_code"], issuer.get("name"))
    if local_org is not None and key.source != LOCAL:
        raise VerificationError(
            f"The passport names {issuer.get('name')} ({issuer['ods_code']}) as its issuer, which is or looks like "
            f"{local_org.name} ({local_org.ods_code}), an organisation on this staffwell. Key {key_id} is not one of "
            "its keys, so this passport was not signed by it.",
            code="not_the_issuers_key",
            fingerprint=key.fingerprint,
        )
    claimed = find_local_org(key.ods_code, key.name) if key.source != LOCAL else None
    if claimed is not None:
        raise VerificationError(
            f"The key file says its key belongs to {key.name} ({key.ods_code}), which is or looks like "
            f"{claimed.name} ({claimed.ods_code}), an organisation on this staffwell. It is not one of its keys, so "
            "nothing signed with it can speak for that organisation.",
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


def name_skeleton(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return "".join(c for c in folded if c.isalnum())


def find_local_org(ods_code, name=""):
    """The organisation on this staffwell that an issuer is, or looks like: the same ODS code, a
    code that reads the same (``RZZ01`` + a non-breaking space, ``rzz01``, ``RZZO1``, full-width),
    or the same name. A key from elsewhere may never be shown as one of these."""
    from staffwell.organisations.models import Organisation

    if isinstance(ods_code, str) and ods_code:
        exact = Organisation.objects.filter(ods_code=ods_code).first()
        if exact is not None:
            return exact
    code = ods_skeleton(ods_code) if isinstance(ods_code, str) else ""
    label = name_skeleton(name) if isinstance(name, str) else ""
    if not code and not label:
        return None
    for org in Organisation.objects.only("pk", "ods_code", "name", "slug"):
        if (code and ods_skeleton(org.ods_code) == code) or (label and name_skeleton(org.name) == label):
            return org
    return None


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
