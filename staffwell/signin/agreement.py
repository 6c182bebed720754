"""Who can sign people in is a partnership matter: both sides agree an organisation's single
sign-on configuration (kind ``signin.sso``, through ``staffwell.partnership``; ADR 0012,
"Update (session 5)").

A configuration's version is a fingerprint of everything that decides whose identity the
provider may vouch for: the kind, the issuer, the client id, a fingerprint of the client
secret, the allowed domains, the email claim and whether a verified email is required.
Saving a changed configuration clears the agreements to the earlier one; single sign-on is
used for sign-in only while the employer-side lead and a staff-side rep both stand agreed
to the current version. Switching it off and on again is not a new version.
"""

import hashlib
import json

from django.conf import settings

from staffwell.accounts.models import SingleSignOn
from staffwell.partnership import services as partnership

KIND = "signin.sso"


def register() -> None:
    partnership.register(KIND, label="single sign-on configuration (who can sign people in)")


def normalised_issuer(value: str) -> str:
    return value.strip().rstrip("/")


def secret_fingerprint(secret: str) -> str:
    """A short fingerprint of the client secret, so both sides can see it changed without
    ever seeing it."""
    if not secret:
        return ""
    return hashlib.sha256(secret.encode()).hexdigest()[:12]


def terms(sso: SingleSignOn) -> dict:
    """What each side agrees to, as they saw it."""
    return {
        "kind": sso.kind,
        "issuer": normalised_issuer(sso.issuer),
        "client_id": sso.client_id,
        "client_secret": secret_fingerprint(sso.client_secret),
        "allowed_domains": sorted(sso.domains),
        "email_claim": sso.email_claim,
        "require_email_verified": bool(sso.require_email_verified),
    }


def version(sso: SingleSignOn) -> str:
    return hashlib.sha256(json.dumps(terms(sso), sort_keys=True).encode()).hexdigest()


def state(sso: SingleSignOn):
    return partnership.state(obj=sso, kind=KIND, version=version(sso))


def trusted(sso: SingleSignOn) -> bool:
    """Both sides stand agreed to this configuration as it is now."""
    return sso.pk is not None and state(sso).complete


def agree(*, sso: SingleSignOn, membership, seen_version: str):
    """A side agrees to the configuration it was shown; refused if it has changed since."""
    current = version(sso)
    if seen_version != current:
        raise partnership.PartnershipError(
            "The single sign-on settings changed after you opened the page. Read them again before agreeing."
        )
    return partnership.agree(obj=sso, kind=KIND, version=current, membership=membership, terms=terms(sso))


def changed(sso: SingleSignOn, *, before: str | None, actor) -> bool:
    """After a save: if the configuration is a new version, end the agreements to the earlier
    ones (they stay on record), so it is not used until both sides agree again."""
    if before == version(sso):
        return False
    partnership.clear(
        obj=sso, kind=KIND, actor=actor, reason="The single sign-on configuration changed; both sides agree again."
    )
    return True


def issuer_allowed(issuer: str) -> bool:
    """Only an https issuer, except in development and tests (STAFFWELL_ENV=development)."""
    return issuer.strip().lower().startswith("https://") or bool(settings.DEVELOPMENT)
