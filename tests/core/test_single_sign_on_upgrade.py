"""Upgrading to the keyed client secret fingerprint (accounts 0006) gives every single sign-on
configuration a new version. Agreements both sides had made to a configuration as it still
is are carried over to it, so single sign-on they had agreed keeps working; an agreement to
settings that changed since, or from the person who saved them, is not."""

import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.surveys.test_agreement_migration import _migrate

BEFORE = [("accounts", "0004_mfa_requirement"), ("partnership", "0001_initial"), ("core", "0001_initial")]
SECRET = "an-entra-client-secret"


def _old_version(sso) -> str:
    """The version as staffwell made it before: the secret's fingerprint unkeyed SHA-256."""
    terms = {
        "kind": sso.kind,
        "issuer": sso.issuer.rstrip("/"),
        "client_id": sso.client_id,
        "client_secret": hashlib.sha256(sso.client_secret.encode()).hexdigest()[:12],
        "allowed_domains": sorted(d.strip() for d in sso.allowed_domains.split(",")),
        "email_claim": sso.email_claim,
        "require_email_verified": sso.require_email_verified,
    }
    return hashlib.sha256(json.dumps(terms, sort_keys=True).encode()).hexdigest(), terms


@pytest.mark.django_db(transaction=True)
def test_upgrading_carries_agreements_to_settings_that_still_match_and_no_others():
    old = _migrate(BEFORE)
    Organisation = old.get_model("organisations", "Organisation")
    User = old.get_model("accounts", "User")
    SingleSignOn = old.get_model("accounts", "SingleSignOn")
    Agreement = old.get_model("partnership", "Agreement")
    AuditEvent = old.get_model("core", "AuditEvent")
    ContentType = old.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="accounts", model="singlesignon")
    people = {
        name: User.objects.create(email=f"{name}@upgrade.example", full_name=name.title(), password="!")
        for name in ("admin", "lead", "rep", "admin_lead")
    }
    at = timezone.now() - timezone.timedelta(days=30)

    def configured(slug, saver, **changes):
        org = Organisation.objects.create(name=f"{slug} Trust", slug=slug, ods_code=slug.upper())
        sso = SingleSignOn.objects.create(
            organisation=org,
            kind="nhsmail",
            issuer="https://login.example.org/tenant/v2.0/",
            client_id="staffwell",
            client_secret=SECRET,
            allowed_domains="nhs.example, trust.example",
            email_claim="email",
            require_email_verified=False,
            is_enabled=True,
        )
        version, terms = _old_version(sso)
        AuditEvent.objects.create(
            action="account.sso.configured",
            actor=saver,
            actor_label=saver.full_name,
            organisation=org,
            object_type="accounts.singlesignon",
            object_id=str(sso.pk),
            data={"version": version, "needs_agreement": True},
        )
        return org, sso, version, terms

    def agreed(org, sso, version, terms, side, person):
        return Agreement.objects.create(
            organisation=org,
            content_type=ct,
            object_id=str(sso.pk),
            kind="signin.sso",
            version=version,
            side=side,
            agreed_by=person,
            agreed_by_name=person.full_name,
            agreed_at=at,
            terms=terms,
        )

    # Agreed by two people other than the admin who saved them, and unchanged since.
    org_a, a, version_a, terms_a = configured("upgradea", people["admin"])
    agreed(org_a, a, version_a, terms_a, "employer", people["lead"])
    agreed(org_a, a, version_a, terms_a, "staff", people["rep"])
    # Saved by an admin who was also the employer-side lead and agreed them themselves.
    org_b, b, version_b, terms_b = configured("upgradeb", people["admin_lead"])
    agreed(org_b, b, version_b, terms_b, "employer", people["admin_lead"])
    agreed(org_b, b, version_b, terms_b, "staff", people["rep"])
    # Agreed, then changed in the database without anyone agreeing again.
    org_c, c, version_c, terms_c = configured("upgradec", people["admin"])
    agreed(org_c, c, version_c, terms_c, "employer", people["lead"])
    agreed(org_c, c, version_c, terms_c, "staff", people["rep"])
    SingleSignOn.objects.filter(pk=c.pk).update(issuer="https://attacker.example/")

    try:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

        from staffwell.accounts.models import SingleSignOn as Current
        from staffwell.core.models import AuditEvent as Event
        from staffwell.organisations.models import Membership
        from staffwell.partnership.models import Agreement as Row
        from staffwell.signin import agreement

        a = Current.objects.get(pk=a.pk)
        state = agreement.state(a)
        assert agreement.trusted(a), "agreed settings must keep working after the upgrade"
        assert state.employer.agreed_by_id == people["lead"].pk and state.employer.agreed_at == at
        assert state.staff.agreed_by_id == people["rep"].pk
        assert state.version == agreement.version(a) != version_a
        fingerprint = agreement.terms(a)["client_secret"]
        assert state.employer.terms["client_secret"] == fingerprint != terms_a["client_secret"]
        assert a.saved_by_id == people["admin"].pk
        # What they agreed before stays on record, ended.
        earlier = Row.objects.filter(object_id=str(a.pk), version=version_a)
        assert earlier.count() == 2 and all(r.ended == "cleared" for r in earlier)

        b = Current.objects.get(pk=b.pk)
        assert not agreement.trusted(b)
        assert agreement.state(b).employer is None
        assert agreement.state(b).staff.agreed_by_id == people["rep"].pk
        assert b.saved_by_id == people["admin_lead"].pk
        admin_lead = Membership.objects.create(
            organisation_id=org_b.pk, user_id=people["admin_lead"].pk, person_id="1", full_name="Admin Lead"
        )
        with pytest.raises(agreement.SavedByYou):
            agreement.agree(sso=b, membership=_as_lead(admin_lead), seen_version=agreement.version(b))

        c = Current.objects.get(pk=c.pk)
        assert not agreement.trusted(c) and not agreement.state(c).agreements
        assert not Row.objects.filter(object_id=str(c.pk), ended_at=None).exists()

        carried = Event.objects.get(action="partnership.signin.sso.carried", object_id=str(b.pk))
        assert carried.partnership and [x["side"] for x in carried.data["not_carried"]] == ["employer"]
        assert Event.objects.get(action="partnership.signin.sso.carried", object_id=str(c.pk)).data["carried"] == []

        # Each configuration has its own fingerprint key: the same secret, another fingerprint.
        assert agreement.terms(b)["client_secret"] != fingerprint

        # Going back puts the carried agreements back as they were.
        old = _migrate(BEFORE)
        Agreement = old.get_model("partnership", "Agreement")
        standing = Agreement.objects.filter(object_id=str(a.pk), ended_at=None)
        assert sorted(standing.values_list("version", flat=True)) == [version_a, version_a]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _as_lead(membership):
    from staffwell.core.permissions import Role
    from staffwell.organisations.models import RoleAssignment

    RoleAssignment.objects.create(membership=membership, role=Role.EMPLOYER_LEAD)
    RoleAssignment.objects.create(membership=membership, role=Role.ORG_ADMIN)
    return type(membership).objects.get(pk=membership.pk)
