"""Fernet encryption with keys from configuration.

``settings.STAFFWELL_ENCRYPTION_KEYS`` is a list of Fernet keys: the first encrypts, every
key decrypts. To rotate, put a new key first, keep the old ones after it, run
``manage.py rotate_encryption_keys``, then drop the old keys (docs/staff-owned-records.md).
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "decrypt", "encrypt", "key_fingerprint", "multi_fernet"]


@lru_cache(maxsize=8)
def _build(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("Set STAFFWELL_ENCRYPTION_KEYS to at least one Fernet key.")
    fernets = []
    for i, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode("ascii")))
        except (ValueError, UnicodeEncodeError):
            raise ImproperlyConfigured(
                f"Key {i} in STAFFWELL_ENCRYPTION_KEYS is not a Fernet key "
                "(32 url-safe base64-encoded bytes; make one with `manage.py generate_encryption_key`)."
            ) from None
    return MultiFernet(fernets)


def multi_fernet() -> MultiFernet:
    return _build(tuple(settings.STAFFWELL_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    """Encrypt with the current (first) key. The token is ASCII and safe in a text column."""
    return multi_fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt with any configured key. Raises ``InvalidToken`` if no key fits."""
    return multi_fernet().decrypt(token.encode("ascii")).decode("utf-8")


def is_current(token: str) -> bool:
    """Whether a token was made with the current key (so rotation can skip it)."""
    current = _build((settings.STAFFWELL_ENCRYPTION_KEYS[0],))
    try:
        current.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def key_fingerprint(key: str) -> str:
    """A short, non-secret name for a key, for messages (never log the key itself)."""
    import hashlib

    return hashlib.sha256(key.encode("ascii")).hexdigest()[:8]
