"""Reading a signed passport file that anyone can hand in (the public verify page, an import):
size, text encoding, strict JSON, the envelope, and the shape of the signed content. Every
refusal is a ``VerificationError`` with words for the person holding the file, never a 500.

The signing and the keys are in ``signing.py``, which re-exports these names.
"""

import base64
import binascii
import datetime as dt
import json
import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "staffwell-passport"
VERSION = 1
ALGORITHM = "Ed25519"
MAX_BYTES = 1_000_000
MAX_DEPTH = 20  # a signed passport nests five levels deep
MAX_INT_DIGITS = 20  # a signed passport has no numbers but its format version


def canonical(value) -> bytes:
    """The exact bytes that are signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


# Verification ------------------------------------------------------------------------------


class VerificationError(Exception):
    """Why a file was refused, in words for the person holding it."""

    def __init__(self, message: str, *, code: str, fingerprint: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code
        self.fingerprint = fingerprint


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


def _reject_constant(name):
    raise VerificationError(
        f"The file contains “{name}”, which is not a number JSON allows. Signed passports never do, so the file "
        "has been changed.",
        code="not_a_number",
    )


def _bounded_int(text):
    if len(text) > MAX_INT_DIGITS:
        raise VerificationError(
            f"The file contains a number {len(text):,} digits long. Signed passports never do, so the file has "
            "been changed.",
            code="huge_number",
        )
    return int(text)


def load_json(text: str):
    """json.loads that refuses what would let two readers disagree or exhaust the server: repeated
    fields, floats, NaN and Infinity, huge integers and deep nesting."""
    depth = max_depth(text)
    if depth > MAX_DEPTH:
        raise VerificationError(
            f"The file is nested {depth:,} levels deep. Signed passports never are, so it is not a passport.",
            code="too_deep",
        )
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=_reject_float,
            parse_constant=_reject_constant,
            parse_int=_bounded_int,
        )
    except RecursionError:  # pragma: no cover - max_depth catches it first
        raise VerificationError("The file is nested too deeply to be a passport.", code="too_deep") from None
    _reject_lone_surrogates(value)
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _reject_lone_surrogates(value) -> None:
    """A JSON escape such as \\ud800 on its own is not a character: it cannot be written as
    UTF-8, so it can be neither signed nor shown. Refuse it in any string or field name."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            strings = (item,)
        elif isinstance(item, dict):
            strings = item.keys()
            stack.extend(item.values())
        elif isinstance(item, list):
            strings = ()
            stack.extend(item)
        else:
            continue
        if any(_SURROGATE.search(s) for s in strings):
            raise VerificationError(
                "The file contains text that is not valid Unicode (half of a character pair, written as a "
                "\\u escape such as \\ud800). Signed passports never do, so the file has been changed.",
                code="bad_unicode",
            )


def max_depth(text: str) -> int:
    """How deeply brackets nest, ignoring those inside strings (a linear scan, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def parse(data: bytes | str) -> dict:
    if isinstance(data, str) and len(data) > MAX_BYTES:
        data = data.encode("utf-8", "surrogatepass")
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
        document = load_json(stripped)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(stripped) - 1 or (
            exc.msg.startswith("Unterminated string") and '"' not in stripped[exc.pos + 1 :]
        ):
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


def _str(value, field: str) -> str:
    if not isinstance(value, str):
        raise VerificationError(
            f"The public key you gave is not a staffwell key file ({field} is missing or not text). Paste the whole "
            "file from the issuer's passports/keys address, or just the base64 public key.",
            code="bad_public_key",
        )
    return value


def _when_or_none(value) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


_TEXT_FIELDS = {
    "passport": ("id", "kind", "kind_label", "issued_at"),
    "holder": ("name", "email"),
    "issuer": ("ods_code", "name", "key_id"),
}


def _shape_error(where: str) -> VerificationError:
    return VerificationError(
        f"The signed file is not in the staffwell passport format ({where}), so it cannot be shown or imported.",
        code="shape",
    )


def check_shape(passport: dict) -> None:
    """The signed content has the types the format gives it, whoever signed it."""
    for section, names in _TEXT_FIELDS.items():
        obj = passport if section == "passport" else passport.get(section)
        if not isinstance(obj, dict):
            raise _shape_error(f"{section} is missing")
        for name in names:
            if not isinstance(obj.get(name), str):
                raise _shape_error(f"{section}.{name} is missing or not text")
    revision = passport.get("revision", 0)
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 0:
        raise _shape_error("revision is not a whole number")
    for name in ("in_their_words", "adjustments"):
        items = passport.get(name, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise _shape_error(f"{name} is not a list of entries")
    for item in passport.get("adjustments", []):
        history = item.get("history", [])
        if not isinstance(history, list) or not all(isinstance(h, dict) for h in history):
            raise _shape_error("an adjustment's history is not a list of steps")
        if any(not isinstance(item.get(k), str | None) for k in ("request", "status_label", "agreed", "reason")):
            raise _shape_error("an adjustment has a field that is not text")
    confirmed = passport.get("confirmed")
    if confirmed is not None and (
        not isinstance(confirmed, dict) or any(not isinstance(v, str | None) for v in confirmed.values())
    ):
        raise _shape_error("confirmed is not in the expected form")


def parse_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
