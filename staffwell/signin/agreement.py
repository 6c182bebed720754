"""Who can sign people in is a partnership matter: both sides agree an organisation's single
sign-on configuration (kind ``signin.sso``, through ``staffwell.partnership``; ADR 0012,
"Update (session 5)").

A configuration's version is a fingerprint of everything that decides whose identity the
provider may vouch for: the kind, the issuer, the client id, a keyed fingerprint of the client
secret, the allowed domains, the email claim and whether a verified email is required.
Saving a changed configuration clears the agreements to the earlier one and records who
saved it; single sign-on is used for sign-in only while the employer-side lead and a
staff-side rep both stand agreed to the current version, and neither agreement may come from
the person who saved it (four eyes, ADR 0012 "Update (session 6)"). Switching it off and on
again is not a new version.
"""

import hashlib
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from staffwell.accounts.models import SingleSignOn
from staffwell.core import crypto
from staffwell.partnership import services as partnership

KIND = "signin.sso"


def register() -> None:
    partnership.register(KIND, label="single sign-on configuration (who can sign people in)")


def normalised_issuer(value: str) -> str:
    return value.strip().rstrip("/")


SAVED_BY_YOU = (
    "You saved these settings, so you cannot agree them for either side: each side's agreement has to come "
    "from someone other than the person who saved them."
)


class SavedByYou(partnership.PartnershipError):
    """The person who saved the configuration as it is cannot agree it for either side: an
    admin who was also the employer-side lead had set an issuer and agreed it, so one other
    person was enough (found by an attack)."""


def secret_fingerprint(sso: SingleSignOn) -> str:
    """A short keyed fingerprint of the client secret, so both sides can see it changed
    without ever seeing it, and nobody who reads it (on the page, in an agreement's terms, in
    the database) can test guesses of the secret: its key is the configuration's own
    ``fingerprint_key``, stored encrypted (``crypto.keyed_fingerprint``)."""
    if not sso.client_secret:
        return ""
    return crypto.keyed_fingerprint(sso.client_secret, key=sso.fingerprint_key)


def terms(sso: SingleSignOn) -> dict:
    """What each side agrees to, as they saw it."""
    return {
        "kind": sso.kind,
        "issuer": normalised_issuer(sso.issuer),
        "client_id": sso.client_id,
        "client_secret": secret_fingerprint(sso),
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


def saved_by(sso: SingleSignOn, user) -> bool:
    """Whether ``user`` saved the configuration as it is now, and so may agree it for neither side."""
    return sso.saved_by_id is not None and getattr(user, "pk", None) == sso.saved_by_id


def agree(*, sso: SingleSignOn, membership, seen_version: str):
    """A side agrees to the configuration it was shown; refused if it has changed since, or
    if the person agreeing saved it."""
    with transaction.atomic():
        # Read the settings again under a lock: a save at the same moment otherwise left an
        # agreement standing to settings that were no longer the current ones (an attack raced
        # the two).
        if sso.pk is not None:
            sso = SingleSignOn.objects.select_for_update().get(pk=sso.pk)
        if saved_by(sso, membership.user):
            raise SavedByYou(SAVED_BY_YOU)
        current = version(sso)
        if seen_version != current:
            raise partnership.PartnershipError(
                "The single sign-on settings changed after you opened the page. Read them again before agreeing."
            )
        return partnership.agree(obj=sso, kind=KIND, version=current, membership=membership, terms=terms(sso))


def save(sso: SingleSignOn, *, before: str | None, actor) -> bool:
    """Save the configuration (``before``: its version as it was loaded, None if new). If it
    is a new version, record ``actor`` as the person who saved it and end the agreements to the
    earlier ones (they stay on record), so it is not used until two other people, one for each
    side, agree it. Saving it unchanged changes neither. True if it is a new version."""
    with transaction.atomic():
        new = before != version(sso)
        if new:
            sso.saved_by = actor if getattr(actor, "pk", None) else None
            sso.saved_at = timezone.now()
        sso.save()
        if new:
            partnership.clear(
                obj=sso,
                kind=KIND,
                actor=actor,
                reason="The single sign-on configuration changed; both sides agree again.",
            )
    return new


def issuer_allowed(issuer: str) -> bool:
    """Only an https issuer, except in development and tests (STAFFWELL_ENV=development)."""
    return issuer.strip().lower().startswith("https://") or bool(settings.DEVELOPMENT)
