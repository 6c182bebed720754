"""Passkeys in a real browser (ADR 0022): Chromium's virtual authenticator (DevTools protocol)
plays the phone. From the home page, clicking only what a person sees: the first sign-in sets
up a passkey and shows recovery codes, the next one uses it, and the account page lists and
removes it. Every page is checked with axe and at 320px."""

import pytest

from staffwell.accounts.models import MfaRequirement
from tests.browser.journeys import click

PASSWORD = "correct horse battery staple"


@pytest.fixture
def authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


@pytest.fixture
def passkey_site(settings, live_server):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


def sign_in_with_password(page, here, email):
    click(page, "Sign in")
    here()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_set_up_a_passkey_sign_in_with_it_and_remove_it(
    world, page, live_server, here, width, authenticator, passkey_site
):
    cdp, authenticator_id = authenticator
    MfaRequirement.objects.create(organisation=world.org, required=True)
    page.goto(live_server.url + "/")
    here()
    sign_in_with_password(page, here, "admin@northgate-test.example")

    # First sign-in: choose a passkey (the page says the app needs no JavaScript).
    assert page.get_by_role("heading", name="Set up your second step").is_visible()
    assert "The authenticator app works in any browser, even with JavaScript switched off" in page.content()
    here()
    page.get_by_role("button", name="Set up a passkey").click()
    page.wait_for_url("**/sign-in/recovery-codes/")
    here()
    assert page.locator("#recovery-codes li").count() == 10
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]) == 1
    click(page, "I have saved my recovery codes")
    here()
    assert "Admin Person" in page.content() or page.get_by_role("link", name="Password and sign-in").count()

    # The same device cannot be added twice: the page says so.
    click(page, "Password and sign-in")
    here()
    assert page.get_by_text("Passkey 1", exact=True).is_visible()
    page.get_by_role("button", name="Add a passkey").click()
    page.get_by_text("This device already has a passkey").wait_for()
    here()

    # Sign out, and sign in again: password, then the passkey.
    click(page, "Sign out")
    here()
    click(page, "Sign out", role="button")
    here()
    sign_in_with_password(page, here, "admin@northgate-test.example")
    assert page.get_by_role("heading", name="Confirm it is you").is_visible()
    assert "This works in any browser, even without JavaScript" in page.content()
    here()
    page.get_by_role("button", name="Use your passkey").click()
    page.wait_for_url(live_server.url + "/")
    here()
    assert page.get_by_role("link", name="Password and sign-in").count()

    # The account page lists the passkey (used just now). Her role needs a second step, so her
    # only passkey cannot be removed (that would sign her out at once); once MFA is no longer
    # required, it can.
    click(page, "Password and sign-in")
    here()
    assert "last used" in page.locator("#passkeys").inner_text()
    page.get_by_role("button", name="Remove passkey 1").click()
    page.wait_for_load_state()
    here()
    assert "This is your only passkey" in page.content() and "last used" in page.locator("#passkeys").inner_text()
    MfaRequirement.objects.filter(organisation=world.org).update(required=False)
    page.get_by_role("button", name="Remove passkey 1").click()
    page.wait_for_load_state()
    here()
    assert "Passkey removed" in page.content() and "You have no passkeys" in page.content()
