"""Single sign-on is a partnership matter (ADR 0012, "Update (session 5)"): a configuration
the admin saved is used for signing in only once the employer-side lead and a staff-side rep
have both agreed that version; a change needs both again; an http issuer is refused in
production."""

import pytest
from django.test import Client
from django.urls import reverse

from staffwell.accounts.models import MfaRequirement, SingleSignOn
from staffwell.core.models import AuditEvent
from tests.core.test_single_sign_on import ORGS, sign_in_with_sso
from tests.oidc import provider


@pytest.fixture(scope="module")
def idp():
    running = provider.start([provider.REDIRECT.format(org=slug) for slug in ORGS])
    yield running
    running.stop()


def _form(issuer, **extra):
    return {
        "kind": "other",
        "issuer": issuer,
        "client_id": "staffwell",
        "client_secret": provider.SECRET,
        "allowed_domains": "northgate-test.example",
        "email_claim": "email",
        "require_email_verified": "on",
        "is_enabled": "on",
        **extra,
    }


def _agree(client, org):
    url = reverse("accounts:sso_settings", kwargs={"org": org.slug})
    page = client.get(url).content.decode()
    assert "Agree these settings for the" in page
    version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    done = client.post(reverse("accounts:sso_agree", kwargs={"org": org.slug}), {"version": version})
    assert done.status_code == 302


def _refused(org_slug, login="staff@northgate-test.example"):
    client = Client()
    start = client.get(reverse("accounts:sso_start", kwargs={"org": org_slug}))
    assert start.status_code == 400
    assert "_auth_user_id" not in client.session
    return start.content.decode().replace("&#39;", "'")


def test_sso_only_the_admin_saved_is_refused_until_both_sides_agree_each_version(world, idp, client_for):
    admin = client_for("admin")
    url = reverse("accounts:sso_settings", kwargs={"org": world.org.slug})
    assert admin.post(url, _form(idp.issuer)).status_code == 302

    # Saved and switched on by the admin alone: not used, and the sign-in page says why.
    message = _refused(world.org.slug)
    assert "not in use yet" in message and "employer side and the staff side" in message
    assert AuditEvent.objects.filter(action="account.sso.refused", data__reason="not_agreed").exists()
    assert "Sign in with your work account" not in Client().get(reverse("accounts:login")).content.decode()
    assert "Not in use for signing in" in admin.get(url).content.decode()

    # One side is not enough.
    _agree(client_for("lead"), world.org)
    _refused(world.org.slug)
    assert "Waiting for the staff side" in admin.get(url).content.decode()

    _agree(client_for("rep"), world.org)
    assert "Agreed by both sides" in admin.get(url).content.decode()
    assert "Sign in with your work account" in Client().get(reverse("accounts:login")).content.decode()
    # Agreed: it works, and (as before) relies on the provider's own second step.
    MfaRequirement.objects.create(organisation=world.org, required=True)
    client = Client()
    _, done = sign_in_with_sso(client, world.org.slug, "admin@northgate-test.example")
    assert done.status_code == 302 and client.session["_auth_user_id"] == str(world.users["admin"].pk)
    MfaRequirement.objects.filter(organisation=world.org).delete()

    # The admin changes the issuer (here: the same provider written differently would not do,
    # so a new path): it stops until both agree the new version.
    assert admin.post(url, _form(idp.issuer + "/other")).status_code == 302
    _refused(world.org.slug)
    assert AuditEvent.objects.filter(action="partnership.signin.sso.cleared", organisation=world.org).exists()
    assert admin.post(url, _form(idp.issuer)).status_code == 302
    _refused(world.org.slug)  # back to the earlier settings: the earlier agreements were cleared
    _agree(client_for("lead"), world.org)
    _agree(client_for("rep"), world.org)
    _, done = sign_in_with_sso(Client(), world.org.slug, "staff@northgate-test.example")
    assert done.status_code == 302


def test_changing_only_the_client_secret_needs_both_sides_again(world, idp, client_for):
    from staffwell.signin import agreement

    admin = client_for("admin")
    url = reverse("accounts:sso_settings", kwargs={"org": world.org.slug})
    admin.post(url, _form(idp.issuer))
    _agree(client_for("lead"), world.org)
    _agree(client_for("rep"), world.org)
    sso = SingleSignOn.objects.get(organisation=world.org)
    assert agreement.trusted(sso)
    admin.post(url, _form(idp.issuer, client_secret="another-secret"))
    assert not agreement.trusted(SingleSignOn.objects.get(organisation=world.org))
    # Switching it off and on again, with nothing else changed, is the same version.
    admin.post(url, _form(idp.issuer, client_secret=provider.SECRET))
    _agree(client_for("lead"), world.org)
    _agree(client_for("rep"), world.org)
    admin.post(url, {k: v for k, v in _form(idp.issuer, client_secret="").items() if k != "is_enabled"})
    admin.post(url, _form(idp.issuer, client_secret=""))
    assert agreement.trusted(SingleSignOn.objects.get(organisation=world.org))


def test_an_agreement_to_settings_that_changed_since_the_page_was_read_is_refused(world, idp, client_for):
    admin = client_for("admin")
    url = reverse("accounts:sso_settings", kwargs={"org": world.org.slug})
    admin.post(url, _form(idp.issuer))
    lead = client_for("lead")
    page = lead.get(url).content.decode()
    version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    admin.post(url, _form(idp.issuer, allowed_domains="northgate-test.example, elsewhere.example"))
    lead.post(reverse("accounts:sso_agree", kwargs={"org": world.org.slug}), {"version": version})
    assert "Waiting for" not in admin.get(url).content.decode()
    assert "changed after you opened the page" in lead.get(url).content.decode()


def test_leads_and_reps_read_the_settings_but_only_the_admin_changes_them(world, idp, client_for):
    admin = client_for("admin")
    url = reverse("accounts:sso_settings", kwargs={"org": world.org.slug})
    admin.post(url, _form(idp.issuer))
    for persona in ("lead", "rep"):
        client = client_for(persona)
        page = client.get(url).content.decode()
        assert idp.issuer in page and "Client secret fingerprint" in page and provider.SECRET not in page
        assert "Save single sign-on settings" not in page
        assert client.post(url, _form("http://127.0.0.1:8199")).status_code == 403
        nav = client.get(reverse("core:home")).content.decode()
        assert url in nav
    assert SingleSignOn.objects.get(organisation=world.org).issuer == idp.issuer
    for persona in ("staff", "manager", "editor", "admin"):
        agree = reverse("accounts:sso_agree", kwargs={"org": world.org.slug})
        assert client_for(persona).post(agree).status_code == 403
    assert "Waiting for" not in admin.get(url).content.decode()


def test_an_existing_configuration_with_no_agreement_stops_being_used(world, idp):
    """Configurations saved before agreement was needed have no agreements: they stop until
    both sides agree (no migration marks them agreed)."""
    SingleSignOn.objects.create(
        organisation=world.org,
        issuer=idp.issuer,
        client_id="staffwell",
        client_secret=provider.SECRET,
        allowed_domains="northgate-test.example",
        is_enabled=True,
    )
    _refused(world.org.slug)
    client = Client()
    client.get(reverse("accounts:sso_start", kwargs={"org": world.org.slug}))
    # The callback refuses too, whatever a provider sends.
    assert (
        client.get(reverse("accounts:sso_callback", kwargs={"org": world.org.slug}) + "?code=x&state=y").status_code
        == 400
    )


def test_a_plain_http_issuer_is_refused_in_production(world, client_for, settings):
    settings.DEVELOPMENT = False
    settings.STAFFWELL_ENV = "production"
    admin = client_for("admin")
    url = reverse("accounts:sso_settings", kwargs={"org": world.org.slug})
    bad = admin.post(url, _form("http://127.0.0.1:8199"))
    assert bad.status_code == 400
    assert "Enter the issuer as an https address" in bad.content.decode()
    assert not SingleSignOn.objects.filter(organisation=world.org).exists()
    assert admin.post(url, _form("https://login.example.org/tenant/v2.0")).status_code == 302


def test_an_http_issuer_saved_earlier_is_not_used_in_production(world, idp, client_for, settings):
    admin = client_for("admin")
    url = reverse("accounts:sso_settings", kwargs={"org": world.org.slug})
    admin.post(url, _form(idp.issuer))
    _agree(client_for("lead"), world.org)
    _agree(client_for("rep"), world.org)
    settings.DEVELOPMENT = False
    assert "not at a secure (https) address" in _refused(world.org.slug)


def test_the_member_sees_each_single_sign_on_sign_in_to_their_account(world, idp, client_for):
    from tests.core.test_single_sign_on import both_sides_agree

    sso = SingleSignOn.objects.create(
        organisation=world.org,
        kind=SingleSignOn.Kind.OTHER,
        issuer=idp.issuer,
        client_id="staffwell",
        client_secret=provider.SECRET,
        allowed_domains="northgate-test.example",
        is_enabled=True,
    )
    security = reverse("accounts:security")
    staff = client_for("staff")
    assert "Nobody has signed in to your account with single sign-on" in staff.get(security).content.decode()
    both_sides_agree(sso, world.memberships["lead"], world.memberships["rep"])
    _, done = sign_in_with_sso(Client(), world.org.slug, "staff@northgate-test.example")
    assert done.status_code == 302
    page = staff.get(security).content.decode()
    assert "Single sign-on sign-ins to your account" in page
    assert world.org.name in page and "Another OpenID Connect provider" in page and idp.issuer in page
    # Someone else's sign-ins are not shown to them.
    assert idp.issuer not in client_for("manager").get(security).content.decode()


# --------------------------------------------------------------------------- the secret's fingerprint


def _organisations_sso(org, issuer, secret=provider.SECRET):
    return SingleSignOn.objects.create(
        organisation=org,
        kind=SingleSignOn.Kind.OTHER,
        issuer=issuer,
        client_id="staffwell",
        client_secret=secret,
        allowed_domains=f"{org.slug}.example",
        is_enabled=True,
    )


def test_the_client_secret_fingerprint_is_keyed_so_nobody_can_test_guesses_against_it(world, idp, client_for):
    """An attack: the fingerprint both sides see, which every agreement keeps in its terms, was
    SHA-256 of the secret cut to 12 characters, so anyone who could read the page or the
    database could test guesses of the client secret offline. It is a keyed HMAC now, with a
    key that is only in the database encrypted: the same secret has another fingerprint at
    another organisation, and no unkeyed hash of the secret matches it."""
    import hashlib
    import json

    from staffwell.partnership.models import Agreement
    from staffwell.signin import agreement

    admin = client_for("admin")
    url = reverse("accounts:sso_settings", kwargs={"org": world.org.slug})
    admin.post(url, _form(idp.issuer))
    _agree(client_for("lead"), world.org)
    sso = SingleSignOn.objects.get(organisation=world.org)
    shown = agreement.terms(sso)["client_secret"]
    assert shown and shown in admin.get(url).content.decode()
    stored = Agreement.objects.get(kind=agreement.KIND, side="employer")
    assert stored.terms["client_secret"] == shown

    guess = provider.SECRET.encode()
    unkeyed = [h(guess).hexdigest() for h in (hashlib.sha256, hashlib.sha1, hashlib.md5, hashlib.sha512)]
    assert not any(digest.startswith(shown) for digest in unkeyed)
    # Nor can the version be rebuilt from the terms with an unkeyed fingerprint.
    for digest in unkeyed:
        rebuilt = {**stored.terms, "client_secret": digest[:12]}
        assert hashlib.sha256(json.dumps(rebuilt, sort_keys=True).encode()).hexdigest() != stored.version

    other = _organisations_sso(world.other_org, idp.issuer)
    assert agreement.terms(other)["client_secret"] != shown
    assert sso.fingerprint_key and sso.fingerprint_key not in _raw_fingerprint_key(sso)


def _raw_fingerprint_key(sso) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT fingerprint_key FROM accounts_singlesignon WHERE id = %s", [sso.pk])
        return cursor.fetchone()[0]


def test_the_fingerprint_still_shows_that_the_secret_changed(world, idp):
    from staffwell.signin import agreement

    sso = _organisations_sso(world.org, idp.issuer)
    first = agreement.terms(sso)["client_secret"]
    sso.client_secret = "another-secret"
    assert agreement.terms(sso)["client_secret"] != first
    sso.client_secret = provider.SECRET
    assert agreement.terms(sso)["client_secret"] == first


def test_rotating_the_encryption_keys_leaves_the_fingerprint_and_the_agreement_standing(world, idp, settings):
    """The fingerprint's key is kept encrypted beside the secret, not derived from the
    configured keys: rotating those must not change the fingerprint (and so the version), or
    every organisation's single sign-on would stop until both sides agreed again."""
    import io

    from django.core.management import call_command

    from staffwell.core import crypto
    from staffwell.signin import agreement
    from tests.core.test_single_sign_on import both_sides_agree

    sso = _organisations_sso(world.org, idp.issuer)
    both_sides_agree(sso, world.memberships["lead"], world.memberships["rep"])
    before = agreement.version(sso)
    new = crypto.new_key()
    settings.STAFFWELL_ENCRYPTION_KEYS = [new, *settings.STAFFWELL_ENCRYPTION_KEYS]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    settings.STAFFWELL_ENCRYPTION_KEYS = [new]
    sso = SingleSignOn.objects.get(pk=sso.pk)
    assert agreement.version(sso) == before and agreement.trusted(sso)


# --------------------------------------------------------------------------- four eyes


def _give(persona_membership, role):
    from staffwell.organisations.models import RoleAssignment

    RoleAssignment.objects.create(membership=persona_membership, role=role)


@pytest.mark.parametrize("role", ["employer_lead", "staff_side_rep"])
def test_whoever_saved_the_settings_cannot_agree_them_for_either_side(world, idp, client_for, role):
    """An attack: an organisation admin who was also the employer-side lead set an issuer and
    agreed it for the employer side, so one other person was enough. Each side's agreement
    must come from someone other than the person who saved the settings as they are."""
    from staffwell.core.permissions import Role
    from staffwell.organisations.models import Membership
    from staffwell.partnership.services import PartnershipError
    from staffwell.signin import agreement

    _give(world.memberships["admin"], Role(role))
    admin = client_for("admin")
    url = reverse("accounts:sso_settings", kwargs={"org": world.org.slug})
    assert admin.post(url, _form(idp.issuer)).status_code == 302
    sso = SingleSignOn.objects.get(organisation=world.org)

    page = admin.get(url).content.decode().replace("&#39;", "'")
    assert "Agree these settings for the" not in page
    assert "You saved these settings, so you cannot agree them for either side" in page

    refused = admin.post(
        reverse("accounts:sso_agree", kwargs={"org": world.org.slug}), {"version": agreement.version(sso)}
    )
    assert refused.status_code == 302
    after = admin.get(url).content.decode().replace("&#39;", "'")
    assert "has to come from someone other than the person who saved them" in after
    assert not agreement.state(sso).agreements
    with pytest.raises(PartnershipError, match="someone other than the person who saved them"):
        agreement.agree(
            sso=sso,
            membership=Membership.objects.get(pk=world.memberships["admin"].pk),
            seen_version=agreement.version(sso),
        )
    assert not agreement.state(sso).agreements

    # Two other people, one for each side, can.
    _agree(client_for("lead" if role == "staff_side_rep" else "rep"), world.org)
    other = "lead" if role == "employer_lead" else "rep"
    assert "Agree these settings for the" in client_for(other).get(url).content.decode()
    _agree(client_for(other), world.org)
    assert agreement.trusted(SingleSignOn.objects.get(organisation=world.org))
    assert SingleSignOn.objects.get(organisation=world.org).saved_by == world.users["admin"]


def test_the_saver_is_whoever_changed_the_settings_last_not_whoever_pressed_save(world, idp, client_for):
    """Saving the settings unchanged does not make someone else their author (the author stays
    unable to agree); changing them does."""
    from staffwell.core.permissions import Role
    from staffwell.signin import agreement
    from tests.conftest import _member

    _give(world.memberships["admin"], Role.EMPLOYER_LEAD)
    second, _ = _member(world.org, world.directorate, "admin2", (Role.ORG_ADMIN, Role.EMPLOYER_LEAD))
    url = reverse("accounts:sso_settings", kwargs={"org": world.org.slug})
    client_for("admin").post(url, _form(idp.issuer))
    other = Client()
    other.force_login(second)
    other.post(url, _form(idp.issuer, client_secret=""))
    assert "You saved these settings" in client_for("admin").get(url).content.decode()
    assert "Agree these settings for the employer side" in other.get(url).content.decode()

    other.post(url, _form(idp.issuer, allowed_domains="northgate-test.example, elsewhere.example"))
    assert "You saved these settings" in other.get(url).content.decode()
    _agree(client_for("admin"), world.org)
    sso = SingleSignOn.objects.get(organisation=world.org)
    assert agreement.state(sso).employer.agreed_by == world.users["admin"]


def test_saving_the_settings_unchanged_keeps_the_agreements(world, idp, client_for):
    """The same settings saved again, with the same secret typed in again, are not a change:
    the agreements stand (no new rows, nothing cleared)."""
    from staffwell.partnership.models import Agreement
    from staffwell.signin import agreement

    admin = client_for("admin")
    url = reverse("accounts:sso_settings", kwargs={"org": world.org.slug})
    admin.post(url, _form(idp.issuer))
    _agree(client_for("lead"), world.org)
    _agree(client_for("rep"), world.org)
    standing = set(Agreement.objects.filter(kind=agreement.KIND, ended_at__isnull=True).values_list("pk", flat=True))
    admin.post(url, _form(idp.issuer))  # the secret typed in again
    admin.post(url, _form(idp.issuer + "/", client_secret=""))  # a trailing slash
    assert (
        set(Agreement.objects.filter(kind=agreement.KIND, ended_at__isnull=True).values_list("pk", flat=True))
        == standing
    )
    assert not AuditEvent.objects.filter(action="partnership.signin.sso.cleared").exists()
    assert agreement.trusted(SingleSignOn.objects.get(organisation=world.org))


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"version": ""},
        {"version": "x" * 100_000},
        {"version": ["a", "b"]},
        {"version": "\x00"},
        {"version": "' OR 1=1 --"},
    ],
)
def test_nothing_sent_to_the_agree_page_gives_an_error_page(world, idp, client_for, data):
    from staffwell.core.permissions import Role
    from staffwell.signin import agreement

    _give(world.memberships["admin"], Role.EMPLOYER_LEAD)
    url = reverse("accounts:sso_settings", kwargs={"org": world.org.slug})
    agree = reverse("accounts:sso_agree", kwargs={"org": world.org.slug})
    for persona in ("admin", "lead", "rep"):
        assert client_for(persona).post(agree, data).status_code == 404  # nothing saved yet
    client_for("admin").post(url, _form(idp.issuer))
    for persona in ("admin", "lead", "rep"):
        assert client_for(persona).post(agree, data).status_code == 302
    assert client_for("outsider").post(agree, data).status_code == 404
    assert not agreement.state(SingleSignOn.objects.get(organisation=world.org)).agreements


def test_an_agreement_reads_the_settings_afresh_so_a_save_in_between_is_not_agreed(world):
    """An attack raced an agreement against a save: the agreement to the old settings stayed
    standing. The agreement now reads the settings under a lock."""
    from staffwell.accounts.models import SingleSignOn
    from staffwell.partnership.models import Agreement
    from staffwell.signin import agreement

    sso = SingleSignOn.objects.create(
        organisation=world.org,
        kind=SingleSignOn.Kind.NHSMAIL,
        issuer="https://login.example",
        client_id="one",
        client_secret="s",
        allowed_domains="northgate-test.example",
    )
    shown = agreement.version(sso)
    stale = SingleSignOn.objects.get(pk=sso.pk)  # what the rep's page loaded
    sso.client_id = "two"
    agreement.save(sso, before=shown, actor=world.users["admin"])
    with pytest.raises(agreement.partnership.PartnershipError, match="changed after you opened the page"):
        agreement.agree(sso=stale, membership=world.memberships["rep"], seen_version=shown)
    assert not Agreement.objects.filter(ended="").exists()
