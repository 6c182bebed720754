"""The sealed inbox and the keyed hashes (docs/staff-voice.md).

The inbox is sealed with the application's encryption keys (``staffwell.core.crypto``,
purpose "voice-inbox", rotated by ``rotate_encryption_keys``); the keyed hashes use the
server's ``SECRET_KEY``. Neither is in the database: with a copy of the database alone
nobody can open the inbox, compute a follow code's hash, or tell whose "me too" a support
is.
"""

import hashlib
import hmac
import json
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction

from staffwell.core import crypto
from staffwell.voice.models import Inbox

PURPOSE = "voice-inbox"  # its key in staffwell.core.crypto (crypto.SEALED)
PAD_BLOCK = 16384  # plaintext padded to a multiple of this: hides how much is waiting
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _secrets() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _key(secret: str, purpose: str) -> bytes:
    return hmac.new(secret.encode(), f"staffwell.voice.{purpose}".encode(), hashlib.sha256).digest()


def keyed(purpose: str, value: str, secret: str | None = None) -> str:
    return hmac.new(_key(secret or settings.SECRET_KEY, purpose), value.encode(), hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------- codes


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def new_code() -> str:
    """A private follow code: 80 random bits, shown once and never stored (only its keyed
    hash is). Never derived from anything the page carries: the form's token is in the
    HTML, and a code made from it could be recovered by anyone who replays the token."""
    n = int.from_bytes(secrets.token_bytes(10), "big")
    chars = []
    for _ in range(16):
        n, r = divmod(n, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[r])
    raw = "".join(chars)
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum()).replace("O", "0")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def follow_hashes(code: str) -> list[str]:
    """The stored hash of a follow code, under the current key and any fallbacks."""
    return [keyed("follow", normalise_code(code), s) for s in _secrets()]


def token_hash(form_token: str) -> str:
    return keyed("token", form_token)


def supporter_hash(*, post_id, user_id: int) -> str:
    return keyed("support", f"{post_id}:{user_id}")


# --------------------------------------------------------------------------- the inbox


def _aad(org_id: int) -> bytes:
    return f"voice-inbox:{org_id}".encode()


EMPTY = {"posts": [], "supports": [], "replies": []}


def seal(org_id: int, content: dict) -> bytes:
    plain = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    padded = plain + b" " * (PAD_BLOCK - len(plain) % PAD_BLOCK)
    return crypto.seal(padded, purpose=PURPOSE, context=_aad(org_id))


def unseal(inbox: Inbox) -> dict:
    blob = bytes(inbox.ciphertext)
    if not blob:
        return {k: [] for k in EMPTY}
    try:
        plain = crypto.unseal(blob, purpose=PURPOSE, context=_aad(inbox.organisation_id))
    except crypto.InvalidToken:
        raise ValueError("The staff voice inbox cannot be read with the configured encryption keys.") from None
    content = json.loads(plain.decode().rstrip())
    return {k: content.get(k, []) for k in EMPTY}


def ensure_inbox(org_id: int) -> None:
    if Inbox.objects.filter(organisation_id=org_id).exists():
        return
    try:
        with transaction.atomic():
            Inbox.objects.create(organisation_id=org_id, ciphertext=seal(org_id, {k: [] for k in EMPTY}))
    except IntegrityError:  # made at the same moment by another request
        pass


def locked(org_id: int) -> Inbox:
    """The organisation's inbox, locked until the transaction ends (call inside atomic)."""
    ensure_inbox(org_id)
    return Inbox.objects.select_for_update().get(organisation_id=org_id)


def peek(org_id: int) -> dict:
    """What is waiting, read without locking (for counts shown on pages)."""
    inbox = Inbox.objects.filter(organisation_id=org_id).first()
    return unseal(inbox) if inbox else {k: [] for k in EMPTY}


def store(inbox: Inbox, content: dict) -> None:
    inbox.ciphertext = seal(inbox.organisation_id, content)
    inbox.save(update_fields=["ciphertext"])


def cover(org_id: int) -> None:
    """Re-seal the inbox unchanged (a fresh nonce): every request to a staff voice page
    writes the inbox exactly once, so an inbox write in the database's history says only
    that someone used these pages, never that they posted or supported."""
    with transaction.atomic():
        inbox = locked(org_id)
        store(inbox, unseal(inbox))
