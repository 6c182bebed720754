"""The one encryption module: everything staffwell encrypts at rest goes through here
(docs/operations.md, "Encryption at rest", lists each thing and its key; ADR 0026).

Keys: ``settings.STAFFWELL_ENCRYPTION_KEYS``, a list of 32-byte keys (url-safe base64;
make one with ``manage.py generate_encryption_key``). The first encrypts, every key
decrypts. To rotate, put a new key first, keep the old ones after it, run
``manage.py rotate_encryption_keys`` (it re-encrypts every store in ``stores()``), then
drop the old keys.

Each use (``purpose``) has its own key, derived from each configured key with HKDF-SHA256
and the purpose's name, so a value sealed for one use cannot be opened as another.

The cipher is AES-256-GCM with a random 96-bit nonce: ``nonce || ciphertext || tag``.
Nothing in the clear says when a value was written or with which key (a Fernet token
carries its creation time to the second, readable without any key: anyone with a copy of
the database could read when each sealed survey response was submitted). Text columns
hold ``sw3.`` and the url-safe base64 of those bytes; the plaintext is padded to a whole
number of ``PAD_BLOCK`` bytes first (a 0x80 byte, then zeros), so a value's stored length
says only how many blocks it fills (an attack read "I need help now" and "everything got
worse" from unpadded lengths). ``sw2.`` tokens, unpadded, are still read and are rewritten
by ``rotate_encryption_keys``.

Still read, never written (rewritten by ``rotate_encryption_keys``): Fernet tokens made
before this module switched cipher, and the check-in pool, staff voice inbox and survey
drafts sealed with keys derived from ``SECRET_KEY``. ``_legacy_*`` below is the only code
that derives anything from ``SECRET_KEY`` for encryption; it goes once no legacy value is
left.

Keyed fingerprints (``keyed_fingerprint``): a short HMAC-SHA256 of a secret value, so people can
see that it changed without anyone being able to test guesses of it. Its key is a
``new_key()`` kept encrypted beside the value, so reading it needs these keys, and rotating
them re-encrypts it without changing it: the fingerprint stays the same across rotations
(one keyed with the configured keys themselves would change at every rotation).
"""

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "InvalidToken",
    "decrypt",
    "encrypt",
    "is_current",
    "key_fingerprint",
    "keyed_fingerprint",
    "new_key",
    "seal",
    "seal_for",
    "stores",
    "unseal",
    "unseal_for",
]

PREFIX = "sw3."  # a text token in the current format: padded plaintext
UNPADDED = "sw2."  # the format before padding: read, and rewritten by rotation
PAD_BLOCK = 256  # text plaintext is padded to a multiple of this many bytes
NONCE = 12
TAG = 16
WRAPPED = NONCE + 32 + TAG  # a data key sealed with an application key (``seal_for``)
RECORD = "record"  # the purpose of staff-owned records' encrypted fields


# --------------------------------------------------------------------------- keys


def new_key() -> str:
    """A new key for STAFFWELL_ENCRYPTION_KEYS."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


@lru_cache(maxsize=8)
def _masters(keys: tuple[str, ...]) -> tuple[bytes, ...]:
    if not keys:
        raise ImproperlyConfigured("Set STAFFWELL_ENCRYPTION_KEYS to at least one key.")
    out = []
    for i, key in enumerate(keys, start=1):
        try:
            raw = base64.urlsafe_b64decode(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError, binascii.Error):
            raw = b""
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"Key {i} in STAFFWELL_ENCRYPTION_KEYS is not a valid key "
                "(32 url-safe base64-encoded bytes; make one with `manage.py generate_encryption_key`)."
            )
        out.append(raw)
    return tuple(out)


def validate_keys(keys) -> None:
    """Raise ``ImproperlyConfigured`` with a specific message if a key is unusable."""
    _masters(tuple(keys))


def _configured() -> tuple[str, ...]:
    return tuple(settings.STAFFWELL_ENCRYPTION_KEYS)


@lru_cache(maxsize=64)
def _ciphers(keys: tuple[str, ...], purpose: str) -> tuple[AESGCM, ...]:
    info = f"staffwell.encryption:{purpose}".encode()
    return tuple(
        AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master))
        for master in _masters(keys)
    )


FINGERPRINT_LENGTH = 16  # hex characters: 64 bits, plenty to see that a value changed


def keyed_fingerprint(value: str, *, key: str) -> str:
    """A keyed fingerprint of a secret ``value`` (HMAC-SHA256, ``FINGERPRINT_LENGTH`` hex
    characters). ``key`` is a ``new_key()`` stored in an encrypted field next to the value
    (``SingleSignOn.fingerprint_key``): without it, a fingerprint shown on a page or kept in
    the database cannot be used to test guesses of the value. Raises ``ValueError`` for
    anything that is not such a key."""
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError, binascii.Error):
        raw = b""
    if len(raw) != 32:
        raise ValueError("A fingerprint needs a key made by crypto.new_key().")
    return hmac.new(raw, value.encode("utf-8"), hashlib.sha256).hexdigest()[:FINGERPRINT_LENGTH]


def digests(value: bytes, *, purpose: str) -> list[str]:
    """HMAC-SHA256 of ``value`` under a key derived for ``purpose`` from each configured key,
    the current key's first (``FINGERPRINT_LENGTH`` hex characters each). Store the first;
    a stored digest matches a value when it is any of them, so rotating keys changes nothing
    until the old key is removed. Without the keys a stored digest cannot test guesses."""
    return [
        hmac.new(key, value, hashlib.sha256).hexdigest()[:FINGERPRINT_LENGTH]
        for key in _digest_keys(_configured(), purpose)
    ]


@lru_cache(maxsize=16)
def _digest_keys(keys: tuple[str, ...], purpose: str) -> tuple[bytes, ...]:
    info = f"staffwell.digest:{purpose}".encode()
    return tuple(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(m) for m in _masters(keys))


def key_fingerprint(key: str) -> str:
    """A short, non-secret name for a key, for messages (never log the key itself)."""
    return hashlib.sha256(key.encode("ascii")).hexdigest()[:8]


# --------------------------------------------------------------------------- bytes


def seal(data: bytes, *, purpose: str, context: bytes = b"") -> bytes:
    """``data`` encrypted with the current key for ``purpose``; ``context`` (not stored)
    must be given again to open it, so a sealed value cannot be moved to another row."""
    nonce = secrets.token_bytes(NONCE)
    return nonce + _ciphers(_configured(), purpose)[0].encrypt(nonce, data, context)


def _open(blob: bytes, purpose: str, context: bytes) -> tuple[bytes, int]:
    """The plaintext and the index of the configured key that opened it."""
    if len(blob) >= NONCE + TAG:
        for i, cipher in enumerate(_ciphers(_configured(), purpose)):
            try:
                return cipher.decrypt(blob[:NONCE], blob[NONCE:], context), i
            except InvalidTag:
                continue
    raise InvalidToken


def unseal(blob: bytes, *, purpose: str, context: bytes = b"") -> bytes:
    """Open a value from ``seal`` (or a legacy one). Raises ``InvalidToken`` if no key fits."""
    blob = bytes(blob)
    try:
        return _open(blob, purpose, context)[0]
    except InvalidToken:
        return _legacy_unseal(blob, purpose, context)


def reseal(blob: bytes, *, purpose: str, context: bytes = b"") -> bytes | None:
    """``blob`` sealed again with the current key, or None if it already is."""
    blob = bytes(blob)
    try:
        plain, index = _open(blob, purpose, context)
    except InvalidToken:
        plain, index = _legacy_unseal(blob, purpose, context), -1
    return None if index == 0 else seal(plain, purpose=purpose, context=context)


# A value only its holder can open (a survey draft: the link or code is never stored). A
# random data key is sealed with the application key; the content is encrypted with a key
# made from that data key and the holder's secret. Rotation re-seals the data key alone,
# so it needs no holder's secret, and reading needs both the application key and the secret.


def _holder_cipher(data_key: bytes, holder: str) -> AESGCM:
    return AESGCM(hmac.new(data_key, holder.encode(), hashlib.sha256).digest())


def seal_for(holder: str, data: bytes, *, purpose: str, context: bytes = b"") -> bytes:
    data_key = secrets.token_bytes(32)
    nonce = secrets.token_bytes(NONCE)
    body = _holder_cipher(data_key, holder).encrypt(nonce, data, context)
    return seal(data_key, purpose=purpose, context=context) + nonce + body


def unseal_for(holder: str, blob: bytes, *, purpose: str, context: bytes = b"") -> bytes:
    blob = bytes(blob)
    try:
        data_key, _ = _open(blob[:WRAPPED], purpose, context)
        body = blob[WRAPPED:]
        return _holder_cipher(data_key, holder).decrypt(body[:NONCE], body[NONCE:], context)
    except (InvalidToken, InvalidTag):
        return _legacy_unseal_for(holder, blob, purpose, context)


def rewrap(blob: bytes, *, purpose: str, context: bytes = b"") -> bytes | None:
    """A ``seal_for`` value with its data key sealed again under the current key (None if it
    already is). Raises ``InvalidToken`` if no configured key opens it (or it is legacy:
    those need their holder and are left to expire)."""
    blob = bytes(blob)
    data_key, index = _open(blob[:WRAPPED], purpose, context)
    return None if index == 0 else seal(data_key, purpose=purpose, context=context) + blob[WRAPPED:]


# --------------------------------------------------------------------------- text


def _pad(data: bytes) -> bytes:
    data += b"\x80"
    return data + b"\x00" * (-len(data) % PAD_BLOCK)


def _unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise InvalidToken
    return stripped[:-1]


def encrypt(text: str, *, purpose: str = RECORD) -> str:
    """Encrypt with the current key, padded to whole blocks. The token is ASCII and safe
    in a text column."""
    sealed = seal(_pad(text.encode("utf-8")), purpose=purpose)
    return PREFIX + base64.urlsafe_b64encode(sealed).decode("ascii")


def _token_bytes(token: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(token[len(PREFIX) :].encode("ascii"))
    except (ValueError, UnicodeEncodeError, binascii.Error):
        raise InvalidToken from None


def decrypt(token: str, *, purpose: str = RECORD) -> str:
    """Decrypt with any configured key. Raises ``InvalidToken`` if no key fits."""
    if token.startswith(PREFIX):
        return _unpad(_open(_token_bytes(token), purpose, b"")[0]).decode("utf-8")
    if token.startswith(UNPADDED):
        return _open(_token_bytes(token), purpose, b"")[0].decode("utf-8")
    return _legacy_fernet_decrypt(token).decode("utf-8")


def is_current(token: str, *, purpose: str = RECORD) -> bool:
    """Whether a token was made in the current format with the current key."""
    if not token.startswith(PREFIX):
        return False
    try:
        return _open(_token_bytes(token), purpose, b"")[1] == 0
    except InvalidToken:
        return False


def reencrypt(token: str, *, purpose: str = RECORD) -> str | None:
    """``token`` encrypted again with the current key, or None if it already is."""
    if is_current(token, purpose=purpose):
        return None
    return encrypt(decrypt(token, purpose=purpose), purpose=purpose)


# --------------------------------------------------------------------------- legacy (read only)


def _legacy_fernet_decrypt(token: str) -> bytes:
    try:
        fernet = MultiFernet([Fernet(k.encode("ascii")) for k in _configured()])
        return fernet.decrypt(token.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise InvalidToken from None


# Before ADR 0026 these were sealed with HMAC-SHA256(SECRET_KEY, info) keys.
_LEGACY_INFO = {"checkin-pool": b"staffwell.survey.contribution-pool", "voice-inbox": b"staffwell.voice.inbox"}
_LEGACY_HOLDER_INFO = {"survey-draft": b"staffwell.survey.draft:"}


def _legacy_secrets() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _legacy_try(info: bytes, blob: bytes, context: bytes) -> bytes:
    if len(blob) >= NONCE + TAG:
        for secret in _legacy_secrets():
            key = hmac.new(secret.encode(), info, hashlib.sha256).digest()
            try:
                return AESGCM(key).decrypt(blob[:NONCE], blob[NONCE:], context)
            except InvalidTag:
                continue
    raise InvalidToken


def _legacy_unseal(blob: bytes, purpose: str, context: bytes) -> bytes:
    if purpose not in _LEGACY_INFO:
        raise InvalidToken
    return _legacy_try(_LEGACY_INFO[purpose], blob, context)


def _legacy_unseal_for(holder: str, blob: bytes, purpose: str, context: bytes) -> bytes:
    if purpose not in _LEGACY_HOLDER_INFO:
        raise InvalidToken
    return _legacy_try(_LEGACY_HOLDER_INFO[purpose] + holder.encode(), blob, context)


# --------------------------------------------------------------------------- what is encrypted


@dataclass(frozen=True)
class Store:
    """One encrypted column. ``kind``: "text" (a token from ``encrypt``), "blob" (bytes
    from ``seal``) or "holder" (bytes from ``seal_for``). ``context``: how the row's own
    columns make the value's context (``str.format`` over them)."""

    label: str
    field: str
    purpose: str
    what: str
    kind: str = "text"
    context: str = ""


# Everything sealed outside staff-owned records (docs/operations.md keeps the same list).
SEALED = (
    Store(
        "surveys.SealedResponse",
        "ciphertext",
        "sealed-response",
        "Submitted survey responses while their campaign is open (unit, band, answers, comments)",
    ),
    Store(
        "surveys.Draft",
        "ciphertext",
        "survey-draft",
        "Unfinished survey answers (also need the respondent's link or code)",
        kind="holder",
        context="{id}",
    ),
    Store(
        "surveys.ContributionPool",
        "ciphertext",
        "checkin-pool",
        "Check-in moods contributed to the pulse, waiting for their week's release",
        kind="blob",
        context="pool:{organisation_id}:{week}",
    ),
    Store(
        "voice.Inbox",
        "ciphertext",
        "voice-inbox",
        "Staff voice posts, supports and replies waiting for release",
        kind="blob",
        context="voice-inbox:{organisation_id}",
    ),
)


def stores() -> list[Store]:
    """Every encrypted column: each staff-owned record's encrypted fields
    (``records.fields``), then the sealed stores above."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "encrypted", False):
                found.append(Store(model._meta.label, field.attname, RECORD, model._meta.verbose_name))
    return [*found, *SEALED]


def context_for(store: Store, row: dict) -> bytes:
    return store.context.format(**row).encode() if store.context else b""
