"""MFA is checked on every request, not only at sign-in (found by an attack): a privileged
session that began before the organisation required MFA, or a role given while signed in,
gets no privileged page without a second factor."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffwell.accounts.models import MfaRequirement
from staffwell.core.permissions import Role
from tests.factories import RoleAssignmentFactory


def _signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _walkthroughs(world):
    return reverse("support:walkthroughs", kwargs={"org": world.org.slug})


def test_a_session_from_before_mfa_was_required_is_sent_to_the_second_step(world):
    lead = _signed_in(world.users["lead"])
    assert lead.get(_walkthroughs(world)).status_code == 200
    MfaRequirement.objects.create(organisation=world.org, required=True)
    r = lead.get(_walkthroughs(world))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:mfa")
    assert "_auth_user_id" not in lead.session  # signed out of the unverified session
    assert "Set up your second step" in lead.get(reverse("accounts:mfa")).content.decode()
    assert lead.get(_walkthroughs(world)).status_code == 302


def test_a_role_given_while_signed_in_needs_a_second_factor_at_once(world):
    MfaRequirement.objects.create(organisation=world.org, required=True)
    staff = _signed_in(world.users["staff"])
    assert staff.get(reverse("core:home")).status_code == 200
    RoleAssignmentFactory(membership=world.memberships["staff"], role=Role.EMPLOYER_LEAD)
    r = staff.get(_walkthroughs(world))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:mfa")


def test_a_session_verified_by_a_second_factor_or_single_sign_on_goes_on(world):
    import django_otp

    MfaRequirement.objects.create(organisation=world.org, required=True)
    lead = _signed_in(world.users["lead"])
    session = lead.session
    session["signed_in_with"] = "sso"
    session.save()
    assert lead.get(_walkthroughs(world)).status_code == 200

    device = TOTPDevice.objects.create(user=world.users["rep"], name="app", confirmed=True)
    rep = Client()
    rep.force_login(world.users["rep"])
    request = type("R", (), {"session": rep.session, "user": world.users["rep"]})()
    django_otp.login(request, device)
    request.session.save()
    assert rep.get(reverse("core:home")).status_code == 200


@pytest.mark.parametrize("persona", ["staff", "manager"])
def test_people_without_a_privileged_role_are_not_interrupted(world, persona):
    MfaRequirement.objects.create(organisation=world.org, required=True)
    assert _signed_in(world.users[persona]).get(reverse("core:home")).status_code == 200
