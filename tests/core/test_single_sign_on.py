"""Single sign-on against a real OpenID Connect provider started on loopback (oidc-provider
from npm, tests/oidc/provider.mjs): code flow with PKCE, state and nonce; people are matched
by verified email within the organisation's staff list, and never created."""

import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse

from staffwell.accounts.models import SingleSignOn, User
from staffwell.core.models import AuditEvent
from staffwell.signin import sso as oidc
from tests.oidc import provider

ORGS = ("northgate-test", "southmoor-test")


@pytest.fixture(scope="module")
def idp():
    running = provider.start(
        [provider.REDIRECT.format(org=slug) for slug in ORGS],
        accounts={
            "unverified": {"email": "staff@northgate-test.example", "email_verified": False},
            "no-email": {"email": None},
        },
    )
    yield running
    running.stop()


def both_sides_agree(sso, lead, rep):
    """The employer-side lead and a staff-side rep agree the configuration as it is now, through
    the partnership service (signin/agreement.py): without it single sign-on is not used."""
    from staffwell.signin import agreement

    for membership in (lead, rep):
        agreement.agree(sso=sso, membership=membership, seen_version=agreement.version(sso))


def partners(org, unit):
    """An employer-side lead and a staff-side rep in ``org``."""
    from staffwell.core.permissions import Role
    from tests.conftest import _member

    _, lead = _member(org, unit, "lead", (Role.EMPLOYER_LEAD,))
    _, rep = _member(org, unit, "rep", (Role.STAFF_SIDE_REP,))
    return lead, rep


@pytest.fixture
def sso(world, idp):
    sso = SingleSignOn.objects.create(
        organisation=world.org,
        kind=SingleSignOn.Kind.NHSMAIL,
        issuer=idp.issuer,
        client_id="staffwell",
        client_secret=provider.SECRET,
        allowed_domains="northgate-test.example, nhs.example",
        is_enabled=True,
    )
    both_sides_agree(sso, world.memberships["lead"], world.memberships["rep"])
    return sso


def sign_in_with_sso(client: Client, org_slug: str, login: str):
    start = client.get(reverse("accounts:sso_start", kwargs={"org": org_slug}))
    assert start.status_code == 302, start.content[:500]
    callback = provider.sign_in_at_provider(start["Location"], login, "http://testserver/")
    parsed = urlparse(callback)
    return start, client.get(f"{parsed.path}?{parsed.query}")


def test_a_member_of_staff_signs_in_with_their_work_account(world, sso):
    client = Client()
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with NHSmail" in page and world.org.name in page
    start, done = sign_in_with_sso(client, world.org.slug, "staff@northgate-test.example")
    query = parse_qs(urlparse(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["client_id"] == ["staffwell"]
    assert done.status_code == 302 and done["Location"] == reverse("core:home")
    assert client.session["_auth_user_id"] == str(world.users["staff"].pk)
    assert client.session["signed_in_with"] == "sso"
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(action="account.sso.signed_in", actor=world.users["staff"]).exists()


@pytest.mark.parametrize(
    ("login", "message", "reason"),
    [
        ("nobody@northgate-test.example", "is not on", "unknown_person"),
        ("staff@elsewhere.example", "only with an address ending", "domain_not_allowed"),
        ("outsider@southmoor-test.example", "only with an address ending", "domain_not_allowed"),
        ("unverified", "has not verified your email", "email_not_verified"),
        ("no-email", "did not give your work email", "no_email"),
    ],
)
def test_refusals_say_why_and_create_nobody(world, sso, login, message, reason):
    users = User.objects.count()
    _, done = sign_in_with_sso(Client(), world.org.slug, login)
    assert done.status_code == 400
    assert message in done.content.decode().replace("&#39;", "'")
    assert User.objects.count() == users
    assert AuditEvent.objects.filter(action="account.sso.refused", data__reason=reason).exists()


def test_another_organisations_provider_cannot_sign_in_its_people_here(world, sso):
    """Matching is within the organisation's own staff list: the outsider's address, even in an
    allowed domain, does not reach a Southmoor account through Northgate's provider."""
    sso.allowed_domains = "northgate-test.example, southmoor-test.example"
    sso.save()
    both_sides_agree(sso, world.memberships["lead"], world.memberships["rep"])
    _, done = sign_in_with_sso(Client(), world.org.slug, "outsider@southmoor-test.example")
    assert done.status_code == 400 and "is not on" in done.content.decode()


def test_a_callback_with_a_forged_or_replayed_state_is_refused(world, sso):
    client = Client()
    start = client.get(reverse("accounts:sso_start", kwargs={"org": world.org.slug}))
    callback = provider.sign_in_at_provider(start["Location"], "staff@northgate-test.example", "http://testserver/")
    parsed = urlparse(callback)
    forged = parsed.query.replace("state=", "state=x")
    assert client.get(f"{parsed.path}?{forged}").status_code == 400
    # A different browser (no state in its session) cannot use the code either.
    assert Client().get(f"{parsed.path}?{parsed.query}").status_code == 400
    assert "_auth_user_id" not in client.session


def test_an_id_token_for_another_application_is_refused(world, sso, idp):
    token, nonce = provider.token_for(
        idp.issuer, "another-app", "staff@northgate-test.example", provider.REDIRECT.format(org=ORGS[0])
    )
    with pytest.raises(oidc.Refused) as refused:
        oidc.check_id_token(sso, token, nonce)
    assert refused.value.reason.startswith("id_token:")
    # The same kind of token, for staffwell, is accepted: the refusal is about the audience.
    token, nonce = provider.token_for(
        idp.issuer, "staffwell", "staff@northgate-test.example", provider.REDIRECT.format(org=ORGS[0])
    )
    assert oidc.check_id_token(sso, token, nonce)["email"] == "staff@northgate-test.example"
    with pytest.raises(oidc.Refused):
        oidc.check_id_token(sso, token, "another-nonce")


def test_an_expired_id_token_is_refused(world, sso, idp, settings):
    settings.STAFFWELL_SSO_CLOCK_LEEWAY_SECONDS = 0
    sso.client_id = "short-lived"  # the provider gives this client ID tokens that last 1 second
    sso.save()
    token, nonce = provider.token_for(
        idp.issuer, "short-lived", "staff@northgate-test.example", provider.REDIRECT.format(org=ORGS[0])
    )
    time.sleep(2.2)
    with pytest.raises(oidc.Refused) as refused:
        oidc.check_id_token(sso, token, nonce)
    assert "expired" in refused.value.reason


def test_a_disabled_or_missing_provider_is_not_found(world, sso):
    sso.is_enabled = False
    sso.save()
    assert Client().get(reverse("accounts:sso_start", kwargs={"org": world.org.slug})).status_code == 404
    assert Client().get(reverse("accounts:sso_start", kwargs={"org": world.other_org.slug})).status_code == 404


def test_an_organisation_admin_sets_up_single_sign_on_and_staff_can_use_it(world, idp, client_for):
    admin = client_for("admin")
    url = reverse("accounts:sso_settings", kwargs={"org": world.org.slug})
    page = admin.get(url).content.decode()
    assert "NHSmail" in page and "CIS2" in page and "http://testserver/sign-in/sso/northgate-test/callback/" in page
    bad = admin.post(url, {"kind": "nhsmail", "issuer": "not a url", "allowed_domains": "nhs", "client_id": ""})
    assert bad.status_code == 400
    for message in ("Enter the issuer as a web address", "Enter email domains", "Enter the client secret"):
        assert message in bad.content.decode()
    ok = admin.post(
        url,
        {
            "kind": "nhsmail",
            "issuer": idp.issuer,
            "client_id": "staffwell",
            "client_secret": provider.SECRET,
            "allowed_domains": "@Northgate-Test.example",
            "email_claim": "email",
            "require_email_verified": "on",
            "is_enabled": "on",
        },
    )
    assert ok.status_code == 302
    sso = SingleSignOn.objects.get(organisation=world.org)
    assert sso.allowed_domains == "northgate-test.example" and sso.client_secret == provider.SECRET
    assert provider.SECRET not in admin.get(url).content.decode()
    assert AuditEvent.objects.filter(action="account.sso.configured", organisation=world.org).exists()
    both_sides_agree(sso, world.memberships["lead"], world.memberships["rep"])
    _, done = sign_in_with_sso(Client(), world.org.slug, "manager@northgate-test.example")
    assert done.status_code == 302


def test_single_sign_on_relies_on_the_providers_mfa(world, sso):
    from staffwell.accounts.models import MfaRequirement

    MfaRequirement.objects.create(organisation=world.org, required=True)
    client = Client()
    _, done = sign_in_with_sso(client, world.org.slug, "admin@northgate-test.example")
    assert done.status_code == 302 and done["Location"] == reverse("core:home")
    assert client.session["_auth_user_id"] == str(world.users["admin"].pk)


def test_one_organisations_provider_cannot_borrow_another_organisations_member(world, sso, idp):
    """The staff member also works at Southmoor (she confirmed it); Northgate's provider, set by
    Northgate's admin, may sign her in only if Southmoor trusts the same issuer."""
    from tests.factories import MembershipFactory

    MembershipFactory(organisation=world.other_org, user=world.users["staff"], unit=world.other_org_team)
    _, done = sign_in_with_sso(Client(), world.org.slug, "staff@northgate-test.example")
    assert done.status_code == 400 and "also belongs to another organisation" in done.content.decode()
    other = SingleSignOn.objects.create(
        organisation=world.other_org,
        issuer=idp.issuer + "/",
        client_id="staffwell",
        client_secret=provider.SECRET,
        allowed_domains="southmoor-test.example",
        is_enabled=True,
    )
    # Southmoor's own configuration counts only once both of its sides agreed it.
    _, done = sign_in_with_sso(Client(), world.org.slug, "staff@northgate-test.example")
    assert done.status_code == 400 and "also belongs to another organisation" in done.content.decode()
    both_sides_agree(other, *partners(world.other_org, world.other_org_team))
    client = Client()
    _, done = sign_in_with_sso(client, world.org.slug, "staff@northgate-test.example")
    assert done.status_code == 302 and client.session["_auth_user_id"] == str(world.users["staff"].pk)


def test_platform_admins_do_not_sign_in_with_an_organisations_provider(world, sso):
    from tests.factories import MembershipFactory

    platform = world.users["platform"]
    platform.email = "platform@northgate-test.example"
    platform.save()
    MembershipFactory(organisation=world.org, user=platform, unit=world.team)
    _, done = sign_in_with_sso(Client(), world.org.slug, "platform@northgate-test.example")
    assert done.status_code == 400 and "Platform admins sign in with" in done.content.decode()


def test_the_email_on_a_staff_record_never_signs_anyone_in_to_its_account(world, sso):
    """An attack: the admin's staff list gave the rep's record an address their provider
    would vouch for; single sign-on matched the record's email and signed them in to the
    rep's account, which then appointed a rep and agreed settings for the staff side."""
    from staffwell.organisations.models import Membership

    rep = world.memberships["rep"]
    Membership.objects.filter(pk=rep.pk).update(email="spare@northgate-test.example")
    client = Client()
    _, done = sign_in_with_sso(client, world.org.slug, "spare@northgate-test.example")
    assert done.status_code == 400 and "is not on" in done.content.decode()
    assert "_auth_user_id" not in client.session
    _, done = sign_in_with_sso(Client(), world.org.slug, world.users["rep"].email)
    assert done.status_code == 302  # the rep's own account address still works


@pytest.mark.parametrize(
    "domains", ["northgate-test.example\nevil.example", "north gate.example", "nhs", "-bad.example", "a..example", "*"]
)
def test_an_allowed_domain_must_be_a_domain(domains):
    from staffwell.accounts.forms import SingleSignOnForm

    form = SingleSignOnForm(data={"allowed_domains": domains})
    form.is_valid()
    assert "allowed_domains" in form.errors


def test_allowed_domains_are_tidied():
    from staffwell.accounts.forms import SingleSignOnForm

    form = SingleSignOnForm(data={"allowed_domains": " @NHS.net , northgate-test.example,"})
    form.is_valid()
    assert form.cleaned_data["allowed_domains"] == "nhs.net, northgate-test.example"
