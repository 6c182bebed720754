"""With JavaScript switched off, the second step still works (ADR 0022): the pages say that a
passkey needs JavaScript, and the authenticator app and recovery codes are the way through."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffwell.accounts.models import MfaRequirement
from tests.browser.journeys import click
from tests.core.softkey import SoftPasskey

PASSWORD = "correct horse battery staple"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False}


def sign_in_with_password(page, email):
    click(page, "Sign in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_without_javascript_the_authenticator_app_and_recovery_codes_are_the_way_through(
    world, page, live_server, settings
):
    settings.OTP_WEBAUTHN_RP_ID = "staffwell.test"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["https://staffwell.test"]
    MfaRequirement.objects.create(organisation=world.org, required=True)

    # The admin has a passkey and recovery codes, made on another device.
    other_device = Client()
    other_device.post(reverse("accounts:login"), {"username": "admin@northgate-test.example", "password": PASSWORD})
    passkey = SoftPasskey("staffwell.test", "https://staffwell.test")
    options = other_device.post(reverse("accounts:passkey_add_begin"), "{}", content_type="application/json").json()
    other_device.post(
        reverse("accounts:passkey_add_complete"), passkey.create(options), content_type="application/json"
    )
    codes = re.findall(r"\d{5} \d{5}", other_device.get(reverse("accounts:recovery_codes")).content.decode())

    page.goto(live_server.url + "/")
    sign_in_with_password(page, "admin@northgate-test.example")
    assert "Using a passkey needs JavaScript, which is not running in this browser" in page.content()
    assert not page.get_by_role("button", name="Use your passkey").count()
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(live_server.url + "/")

    # The lead sets up her first second step: the authenticator app, no JavaScript needed.
    page.context.clear_cookies()
    page.goto(live_server.url + "/")
    sign_in_with_password(page, "lead@northgate-test.example")
    assert "Setting up a passkey needs JavaScript, which is not running in this browser" in page.content()
    device = TOTPDevice.objects.get(user=world.users["lead"], confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    page.get_by_label("Code").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.locator("#recovery-codes li").count() == 10
    click(page, "I have saved my recovery codes")
    assert page.url == live_server.url + "/"
