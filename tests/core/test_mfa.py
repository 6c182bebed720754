"""Multi-factor authentication for password sign-in of privileged roles: real TOTP codes
(RFC 6238, computed here as an authenticator app would), single-use recovery codes."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffwell.accounts.models import MfaRequirement
from staffwell.core.models import AuditEvent

PASSWORD = "correct horse battery staple"


def code_for(device: TOTPDevice, later: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + later * device.step
    return f"{totp.token():06d}"


def password_sign_in(client: Client, email: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})


@pytest.fixture
def required(world):
    return MfaRequirement.objects.create(organisation=world.org, required=True)


def test_a_privileged_role_sets_up_an_authenticator_then_needs_a_code(world, required):
    client = Client()
    r = password_sign_in(client, "admin@northgate-test.example")
    assert r.status_code == 302 and r["Location"] == reverse("accounts:mfa")
    assert "_auth_user_id" not in client.session  # not signed in yet
    assert client.get(reverse("core:home")).status_code == 302

    page = client.get(reverse("accounts:mfa"))
    assert "Or use an authenticator app" in page.content.decode() and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.users["admin"], confirmed=False)
    wrong = client.post(reverse("accounts:mfa"), {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "The code is not right" in wrong.content.decode()
    time.sleep(1.1)  # django-otp refuses any code for a second after a wrong one (then 2, 4, ...)
    done = client.post(reverse("accounts:mfa"), {"code": code_for(device)})
    assert done.status_code == 200 and "Your recovery codes" in done.content.decode()
    codes = re.findall(r"<code>(\d{5} \d{5})</code>", done.content.decode())
    assert len(codes) == 10
    assert client.session["_auth_user_id"] == str(world.users["admin"].pk)
    assert AuditEvent.objects.filter(action="account.mfa.enrolled", actor=world.users["admin"]).exists()

    # Next time: the password alone is not enough.
    again = Client()
    assert password_sign_in(again, "admin@northgate-test.example")["Location"] == reverse("accounts:mfa")
    assert "Enter your code" in again.get(reverse("accounts:mfa")).content.decode()
    device.refresh_from_db()
    assert again.post(reverse("accounts:mfa"), {"code": code_for(device, later=1)}).status_code == 302
    assert again.session["_auth_user_id"] == str(world.users["admin"].pk)

    # A recovery code works once.
    for expected in (302, 400):
        c = Client()
        password_sign_in(c, "admin@northgate-test.example")
        assert c.post(reverse("accounts:mfa"), {"code": codes[0]}).status_code == expected


@pytest.mark.parametrize("persona", ["lead", "rep", "editor", "admin"])
def test_every_privileged_role_is_asked(world, required, persona):
    r = password_sign_in(Client(), f"{persona}@northgate-test.example")
    assert r["Location"] == reverse("accounts:mfa")


@pytest.mark.parametrize("persona", ["staff", "manager"])
def test_other_staff_are_not_asked(world, required, persona):
    r = password_sign_in(Client(), f"{persona}@northgate-test.example")
    assert r.status_code == 302 and r["Location"] != reverse("accounts:mfa")


def test_without_the_organisation_setting_nobody_is_asked(world):
    assert password_sign_in(Client(), "admin@northgate-test.example")["Location"] != reverse("accounts:mfa")


def test_platform_admins_are_asked_when_the_setting_is_on(world, settings):
    settings.STAFFWELL_MFA_FOR_PLATFORM_ADMINS = True
    assert password_sign_in(Client(), "platform@test.example")["Location"] == reverse("accounts:mfa")


def test_the_admin_switches_the_requirement_on_and_it_is_audited(world, client_for):
    assert client_for("lead").post(reverse("accounts:mfa_settings", kwargs={"org": world.org.slug})).status_code == 403
    admin = client_for("admin")
    r = admin.post(reverse("accounts:mfa_settings", kwargs={"org": world.org.slug}), {"required": "on"})
    assert r.status_code == 302 and MfaRequirement.objects.get(organisation=world.org).required
    assert AuditEvent.objects.filter(action="account.mfa.policy_changed", organisation=world.org).exists()
    # the admin's own session had no second factor: their next page is the second step
    assert admin.get(reverse("core:home"))["Location"] == reverse("accounts:mfa")


def test_a_stale_or_missing_second_step_goes_back_to_sign_in(world):
    assert Client().get(reverse("accounts:mfa"))["Location"] == reverse("accounts:login")
