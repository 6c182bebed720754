"""Whose key signed a passport: this staffwell's organisations' keys, keys an admin trusts,
and key files a person supplies (read strictly: anything unreadable makes the file untrusted).
Key ids are derived from the key; a supplied key never speaks for an organisation here, nor for
one whose code or name looks like it (``staffwell.core.lookalike.skeleton`` decides). Signing and verifying are in ``signing.py``.
"""

import base64
import datetime as dt
import hashlib
import json
import unicodedata
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization

from staffwell.core.lookalike import mixed_scripts, resembles, skeleton
from staffwell.passports.models import SigningKey, TrustedIssuerKey
from staffwell.passports.signed_file import VerificationError, _decode_public, _str, _when_or_none, load_json

MAX_KEY_FILE_CHARS = 100_000


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def fingerprint(public_key_b64: str) -> str:
    """SHA-256 of the raw public key, as groups of four hex digits (for reading aloud)."""
    digest = hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def key_id_for(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


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


def name_skeleton(name: str) -> str:
    """The one fold for issuer names and codes (``staffwell.core.lookalike.skeleton``)."""
    return skeleton(name)


def find_local_org(ods_code, name=""):
    """The organisation on this staffwell that an issuer is, or looks like: the same ODS code, a
    code with the same skeleton, or a name that resembles its name (``staffwell.core.lookalike``:
    case, spacing, invisible characters, accents, full-width forms, letters from other scripts
    that look Latin, O/0 and I/L/1 all set aside; for names also "rn" for "m" and the like, a
    word left off or added, a letter changed). A key from elsewhere may never be shown as one of these."""
    from staffwell.organisations.models import Organisation

    if isinstance(ods_code, str) and ods_code:
        exact = Organisation.objects.filter(ods_code=ods_code).first()
        if exact is not None:
            return exact
    code = skeleton(ods_code)
    label = skeleton(name)
    if not code and not label:
        return None
    for org in Organisation.objects.only("pk", "ods_code", "name", "slug"):
        if (code and skeleton(org.ods_code) == code) or (label and resembles(name, org.name)):
            return org
    return None


def imitated_org(ods_code, name=""):
    """The organisation on this staffwell that an issuer imitates without being it: its code or
    name folds to that organisation's, but its code is not exactly that organisation's code.
    (An issuer with exactly a local organisation's code is that organisation, or is refused by
    ``find_local_org`` unless its key is that organisation's own.)"""
    org = find_local_org(ods_code, name)
    return org if org is not None and org.ods_code != ods_code else None


def mixed_script_problem(name, what: str = "The issuer's name") -> str:
    """Why ``name`` cannot be an issuer's name (it mixes scripts), or ""."""
    scripts = mixed_scripts(name)
    if not scripts:
        return ""
    return (
        f"{what} “{name[:200]}” mixes letters from different alphabets ({' and '.join(scripts)}). "
        "No NHS organisation's name does that, but a look-alike of another organisation's name does, so "
        "staffwell does not accept it. Ask the issuer for their key file and passport again."
    )


def imitation_message(what: str, ods_code, name, org) -> str:
    """``what`` + the issuer, and the organisation on this staffwell it is or looks like, naming
    the characters that are not what they seem (no full stop at the end)."""
    odd = []
    for char in f"{name or ''}{ods_code or ''}":
        if not char.isascii() and char not in org.name and char not in odd:
            odd.append(char)
    shown = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed character')}" for c in odd[:5])
    return (
        f"{what} {name or 'no name'} ({ods_code or 'no ODS code'}), which is or looks like {org.name} "
        f"({org.ods_code}), an organisation on this staffwell: the two read the same once case, spacing, "
        "accents, invisible characters and letters from other alphabets that look like Latin ones are set aside"
        + (f" (it is written with {shown}{' and more' if len(odd) > 5 else ''})" if odd else "")
    )
