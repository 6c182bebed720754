"""Single sign-on by OpenID Connect, per organisation, with Authlib (ADR 0012).

Authorisation code flow with PKCE (S256); Authlib keeps state, nonce and the code verifier in
the session and checks the ID token's signature (the provider's published keys), issuer,
audience, expiry and nonce. staffwell then checks the email: a verified address (unless the
organisation turned that check off for Entra ID), in one of the organisation's allowed domains,
belonging to a current member of its staff list who has an account. Nobody is ever created
from the provider's claims. A configuration is used only once both sides of the partnership
have agreed it (signin/agreement.py), and only with an https issuer outside development.
"""

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from joserfc.errors import JoseError
from requests import RequestException

from staffwell.accounts.models import SingleSignOn


class Refused(Exception):
    """Why a sign-in was refused: ``reason`` for the audit log, the message for the person."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.message = message
        self.reason = reason


def client_for(sso: SingleSignOn):
    oauth = OAuth()
    return oauth.register(
        name=f"org{sso.organisation_id}",
        client_id=sso.client_id,
        client_secret=sso.client_secret,
        server_metadata_url=sso.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "timeout": 10},
    )


def start(request, sso: SingleSignOn, redirect_uri: str):
    try:
        return client_for(sso).authorize_redirect(request, redirect_uri)
    except (OAuthError, RequestException, ValueError, KeyError) as exc:
        raise Refused(
            f"{sso.get_kind_display()} cannot be reached at the moment. Try again shortly, or sign in with your "
            "staffwell password.",
            reason=f"provider_unreachable:{exc.__class__.__name__}",
        ) from None


def claims_from_callback(request, sso: SingleSignOn) -> dict:
    """The validated ID token claims, or Refused."""
    client = client_for(sso)
    try:
        token = client.authorize_access_token(request, leeway=settings.STAFFWELL_SSO_CLOCK_LEEWAY_SECONDS)
    except OAuthError as exc:
        raise Refused(
            "The sign-in did not complete (it may have been cancelled, taken too long, or been started in another "
            "window). Try again.",
            reason=f"oauth:{exc.error or 'state'}",
        ) from None
    except JoseError as exc:
        raise Refused(
            "The sign-in could not be trusted: the identity token was not valid for staffwell. Try again; if it "
            "keeps happening, tell your organisation admin.",
            reason=f"id_token:{exc.error}",
        ) from None
    except (RequestException, ValueError, KeyError) as exc:
        raise Refused(
            f"{sso.get_kind_display()} cannot be reached at the moment. Try again shortly.",
            reason=f"provider_unreachable:{exc.__class__.__name__}",
        ) from None
    claims = token.get("userinfo")
    if not claims:
        raise Refused("The provider sent no identity token. Try again.", reason="no_id_token")
    return dict(claims)


def check_id_token(sso: SingleSignOn, token: dict, nonce: str) -> dict:
    """Validate a token response's ID token exactly as the callback does (used by tests)."""
    try:
        return dict(
            client_for(sso).parse_id_token(token, nonce=nonce, leeway=settings.STAFFWELL_SSO_CLOCK_LEEWAY_SECONDS)
        )
    except JoseError as exc:
        raise Refused("The identity token was not valid for staffwell.", reason=f"id_token:{exc.error}") from None


def member_for(sso: SingleSignOn, claims: dict):
    """The organisation's current member these claims name, or Refused."""
    from staffwell.organisations.models import Membership

    email = claims.get(sso.email_claim)
    if not isinstance(email, str) or "@" not in email:
        raise Refused(
            "The provider did not give your work email address, so staffwell cannot tell who you are.",
            reason="no_email",
        )
    email = email.strip().lower()
    if sso.require_email_verified and claims.get("email_verified") is not True:
        raise Refused(
            "The provider has not verified your email address, so staffwell cannot rely on it.",
            reason="email_not_verified",
        )
    domain = email.rsplit("@", 1)[1]
    if domain not in sso.domains:
        raise Refused(
            f"{sso.organisation.name} lets people sign in this way only with an address ending "
            f"{' or '.join('@' + d for d in sorted(sso.domains))}. Sign in with your staffwell password instead.",
            reason="domain_not_allowed",
        )
    # The account's own email, never the email on the staff record: the employer's staff list
    # sets that one, and an attack gave the rep's record an address the admin's provider
    # vouched for, and signed in to the rep's account.
    member = (
        Membership.objects.for_org(sso.organisation)
        .active()
        .filter(user__email__iexact=email, user__is_active=True)
        .select_related("user")
        .first()
    )
    if member is None:
        raise Refused(
            f"{email} is not on {sso.organisation.name}'s staff list in staffwell. If you have just started, your "
            "organisation admin adds you with the next staff list upload.",
            reason="unknown_person",
        )
    _vouched_for_everywhere(sso, member.user)
    return member


def _issuer(value: str) -> str:
    return value.strip().rstrip("/")


def _vouched_for_everywhere(sso: SingleSignOn, user) -> None:
    """An organisation's provider is set by its own admin, so it may sign in only accounts that
        belong to it alone, or whose other organisations trust the same issuer (e.g. NHSmail):
        otherwise one organisation's admin could borrow the identity of another's member. The other
    organisation's configuration counts only if both its sides agreed it."""
    from staffwell.organisations.models import Membership

    if user.is_platform_admin:
        raise Refused(
            "Platform admins sign in with their staffwell password and authenticator app, not single sign-on.",
            reason="platform_admin",
        )
    others = set(
        Membership.objects.active()
        .filter(user=user)
        .exclude(organisation=sso.organisation)
        .values_list("organisation_id", flat=True)
    )
    if not others:
        return
    from staffwell.signin import agreement

    same_issuer = {
        o.organisation_id
        for o in SingleSignOn.objects.filter(organisation_id__in=others, is_enabled=True)
        if _issuer(o.issuer) == _issuer(sso.issuer) and agreement.trusted(o)
    }
    if others - same_issuer:
        raise Refused(
            "Your staffwell account also belongs to another organisation that does not use this sign-in, so it "
            "cannot be used for your account. Sign in with your staffwell password.",
            reason="other_organisation",
        )


def sign_ins_of(user, limit: int = 20):
    """The person's own recent single sign-on sign-ins (from the audit log), newest first, so
    they see any sign-in to their account through an organisation's provider."""
    from staffwell.core.models import AuditEvent

    return (
        AuditEvent.objects.filter(action="account.sso.signed_in", actor=user)
        .select_related("organisation")
        .order_by("-created_at", "-pk")[:limit]
    )
