"""The hashes and tokens that find an invitation, a kiosk code or a draft without the
database ever holding what would open them."""

import base64
import hashlib
import hmac

from django.conf import settings


def sha(prefix: str, value: str) -> str:
    return hashlib.sha256(f"{prefix}:{value}".encode()).hexdigest()


def invitation_token(secret: str) -> str:
    """The token in a personal link: derived from the server's secret key and the
    invitation's own secret, so the database alone cannot produce it."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"staffwell.survey.invitation:{secret}".encode(), "sha256")
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")[:32]
