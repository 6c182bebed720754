"""Passkeys as the second step of a password sign-in (ADR 0022), against real signatures from a
software passkey (tests/core/softkey.py): set up, sign in, list, remove, recovery codes, and the
refusals the WebAuthn checks make (wrong origin, wrong site, replayed answer, someone else's
passkey, a cloned authenticator, a forged signature, garbage)."""

import json
import re

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp_webauthn.models import WebAuthnCredential

from staffwell.accounts.models import MfaRequirement
from staffwell.core.models import AuditEvent
from tests.core.softkey import SoftPasskey

PASSWORD = "correct horse battery staple"
RP_ID = "staffwell.test"
ORIGIN = "https://staffwell.test"


@pytest.fixture(autouse=True)
def passkey_site(settings):
    settings.OTP_WEBAUTHN_RP_ID = RP_ID
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGIN]


@pytest.fixture
def required(world):
    return MfaRequirement.objects.create(organisation=world.org, required=True)


def password_step(client: Client, persona: str = "admin"):
    r = client.post(reverse("accounts:login"), {"username": f"{persona}@northgate-test.example", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("accounts:mfa"), r
    return r


def post_json(client: Client, name: str, data=None):
    return client.post(reverse(name), json.dumps(data or {}), content_type="application/json")


def signed_in_as(client: Client):
    return client.session.get("_auth_user_id")


def enrol(client: Client, passkey: SoftPasskey):
    options = post_json(client, "accounts:passkey_add_begin").json()
    return post_json(client, "accounts:passkey_add_complete", passkey.create(options))


@pytest.fixture
def enrolled(world, required):
    """The admin has set up a passkey at her first sign-in."""
    passkey = SoftPasskey(RP_ID, ORIGIN)
    client = Client()
    password_step(client)
    assert enrol(client, passkey).status_code == 200
    assert client.get(reverse("accounts:recovery_codes")).status_code == 200  # where the page goes next
    return passkey


def test_the_first_sign_in_sets_up_a_passkey_and_recovery_codes(world, required):
    client = Client()
    password_step(client)
    page = client.get(reverse("accounts:mfa")).content.decode()
    assert "Set up a passkey" in page and "Or use an authenticator app" in page
    assert "The authenticator app works in any browser, even with JavaScript switched off" in page

    passkey = SoftPasskey(RP_ID, ORIGIN)
    done = enrol(client, passkey)
    assert done.status_code == 200 and done.json()["redirect_url"] == reverse("accounts:recovery_codes")
    assert signed_in_as(client) == str(world.users["admin"].pk)
    codes = client.get(reverse("accounts:recovery_codes")).content.decode()
    assert len(re.findall(r"<code>(\d{5} \d{5})</code>", codes)) == 10
    # Shown once.
    assert client.get(reverse("accounts:recovery_codes"))["Location"] == reverse("accounts:security")
    stored = WebAuthnCredential.objects.get(user=world.users["admin"])
    assert stored.confirmed and stored.name == "Passkey"
    assert AuditEvent.objects.filter(
        action="account.mfa.enrolled", actor=world.users["admin"], data__method="passkey"
    ).exists()


def test_next_time_the_passkey_is_the_second_step(world, enrolled):
    client = Client()
    password_step(client)
    page = client.get(reverse("accounts:mfa")).content.decode()
    assert "Use your passkey" in page and "Recovery code" in page
    assert "This works in any browser, even without JavaScript" in page
    assert signed_in_as(client) is None

    options = post_json(client, "accounts:passkey_sign_in_begin").json()
    assert [c["id"] for c in options["allowCredentials"]]  # only her own passkeys are offered
    done = post_json(client, "accounts:passkey_sign_in_complete", enrolled.get(options))
    assert done.status_code == 200, done.content
    assert done.json()["redirect_url"] == "/"
    assert signed_in_as(client) == str(world.users["admin"].pk)
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(action="account.mfa.verified", data__method="passkey").exists()


def _refused(client, answer, status=422):
    r = post_json(client, "accounts:passkey_sign_in_complete", answer)
    assert r.status_code == status, r.content
    assert "detail" in r.json()
    assert signed_in_as(client) is None
    return r


def test_an_answer_made_for_another_site_is_refused(world, enrolled):
    client = Client()
    password_step(client)
    options = post_json(client, "accounts:passkey_sign_in_begin").json()
    _refused(client, enrolled.get(options, origin="https://staffwell-login.example"))
    # The refusal used up the challenge: the same sign-in cannot simply try again with it.
    _refused(client, enrolled.get(options), status=400)

    options = post_json(client, "accounts:passkey_sign_in_begin").json()
    _refused(client, enrolled.get(options, rp_id="staffwell-login.example"))
    assert AuditEvent.objects.filter(action="account.mfa.failed", data__method="passkey").count() == 3


def test_a_replayed_answer_is_refused(world, enrolled):
    first = Client()
    password_step(first)
    options = post_json(first, "accounts:passkey_sign_in_begin").json()
    answer = enrolled.get(options)
    assert post_json(first, "accounts:passkey_sign_in_complete", answer).status_code == 200

    # Someone who captured the answer sends it again, with the password, in a new sign-in.
    thief = Client()
    password_step(thief)
    _refused(thief, answer, status=400)  # no challenge was asked for in this session
    post_json(thief, "accounts:passkey_sign_in_begin")
    _refused(thief, answer)  # a new challenge: the old answer does not sign it


def test_a_cloned_authenticator_and_a_forged_signature_are_refused(world, enrolled):
    client = Client()
    password_step(client)
    options = post_json(client, "accounts:passkey_sign_in_begin").json()
    assert post_json(client, "accounts:passkey_sign_in_complete", enrolled.get(options)).status_code == 200

    again = Client()
    password_step(again)
    options = post_json(again, "accounts:passkey_sign_in_begin").json()
    _refused(again, enrolled.get(options, count=1))  # the counter did not go up: a copy of the key

    options = post_json(again, "accounts:passkey_sign_in_begin").json()
    _refused(again, enrolled.get(options, signer=ec.generate_private_key(ec.SECP256R1())))


def test_someone_elses_passkey_does_not_complete_your_sign_in(world, required, enrolled):
    lead = Client()
    password_step(lead, "lead")
    lead_key = SoftPasskey(RP_ID, ORIGIN)
    assert enrol(lead, lead_key).status_code == 200

    # The admin's password, then the lead's passkey: refused.
    client = Client()
    password_step(client, "admin")
    options = post_json(client, "accounts:passkey_sign_in_begin").json()
    _refused(client, lead_key.get(options), status=403)


def test_a_password_alone_cannot_add_a_passkey_to_an_account_that_has_one(world, enrolled):
    client = Client()
    password_step(client)
    r = post_json(client, "accounts:passkey_add_begin")
    assert r.status_code == 403 and "Use your passkey or authenticator app first" in r.json()["detail"]
    assert WebAuthnCredential.objects.filter(user=world.users["admin"]).count() == 1

    # Nor a session that skipped the second step (here: signed in some other way): the
    # second-step middleware signs it out before any account page answers.
    other = Client()
    other.force_login(world.users["admin"])
    r = post_json(other, "accounts:passkey_add_begin")
    assert r.status_code == 302 and r["Location"] == reverse("accounts:mfa")
    assert "_auth_user_id" not in other.session
    passkey = WebAuthnCredential.objects.get(user=world.users["admin"])
    other.force_login(world.users["admin"])
    other.post(reverse("accounts:passkey_remove", kwargs={"passkey_id": passkey.pk}))
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_without_a_password_step_there_is_nothing_to_check(world, enrolled):
    client = Client()
    assert post_json(client, "accounts:passkey_sign_in_begin").status_code == 403
    assert post_json(client, "accounts:passkey_add_begin").status_code == 403
    password_step(client)
    _refused(client, {}, status=400)  # complete before begin: no challenge


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b"null",
        b'"text"',
        b"{}",
        b'{"id": 1, "rawId": [], "response": "x", "type": "public-key"}',
        b'{"id": "AA", "rawId": "AA", "type": "public-key", "response": {"clientDataJSON": "!!", '
        b'"authenticatorData": "AA", "signature": "AA"}}',
        json.dumps({"id": "A" * 10000, "rawId": "A" * 10000, "type": "public-key", "response": {}}).encode(),
    ],
)
def test_garbage_gets_a_clear_answer_never_a_500(world, enrolled, body):
    client = Client(raise_request_exception=False)
    password_step(client)
    post_json(client, "accounts:passkey_sign_in_begin")
    r = client.post(reverse("accounts:passkey_sign_in_complete"), body, content_type="application/json")
    assert 400 <= r.status_code < 500 and r.json()["detail"], (r.status_code, r.content[:300])
    assert signed_in_as(client) is None

    adder = Client(raise_request_exception=False)
    adder.force_login(world.users["staff"])
    post_json(adder, "accounts:passkey_add_begin")
    r = adder.post(reverse("accounts:passkey_add_complete"), body, content_type="application/json")
    assert 400 <= r.status_code < 500 and r.json()["detail"], (r.status_code, r.content[:300])


def test_recovery_codes_still_work_for_someone_with_only_a_passkey(world, required):
    client = Client()
    password_step(client)
    enrol(client, SoftPasskey(RP_ID, ORIGIN))
    codes = re.findall(r"<code>(\d{5} \d{5})</code>", client.get(reverse("accounts:recovery_codes")).content.decode())

    again = Client()
    password_step(again)
    assert again.post(reverse("accounts:mfa"), {"code": "123456"}).status_code == 400
    assert again.post(reverse("accounts:mfa"), {"code": codes[0]})["Location"] == "/"
    assert signed_in_as(again) == str(world.users["admin"].pk)
    assert StaticToken.objects.filter(device__user=world.users["admin"]).count() == 9


def test_the_account_page_lists_adds_and_removes_passkeys(world, enrolled):
    client = Client()
    password_step(client)
    options = post_json(client, "accounts:passkey_sign_in_begin").json()
    post_json(client, "accounts:passkey_sign_in_complete", enrolled.get(options))
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Passkey 1" in page and "You have 10 of 10 recovery codes left" in page

    laptop = SoftPasskey(RP_ID, ORIGIN)
    added = enrol(client, laptop)
    assert added.status_code == 200 and added.json()["redirect_url"] == reverse("accounts:security")
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Passkey 2" in page and "Passkey added" in page
    assert AuditEvent.objects.filter(action="account.mfa.passkey_added").count() == 1

    first = WebAuthnCredential.objects.filter(user=world.users["admin"]).order_by("created_at").first()
    r = client.post(reverse("accounts:passkey_remove", kwargs={"passkey_id": first.pk}))
    assert r["Location"] == reverse("accounts:security")
    assert not WebAuthnCredential.objects.filter(pk=first.pk).exists()
    assert AuditEvent.objects.filter(action="account.mfa.passkey_removed", actor=world.users["admin"]).exists()

    # New recovery codes replace the old ones.
    fresh = client.post(reverse("accounts:recovery_codes")).content.decode()
    assert len(re.findall(r"<code>(\d{5} \d{5})</code>", fresh)) == 10

    # Another person cannot remove it: it is not theirs (404).
    second = WebAuthnCredential.objects.get(user=world.users["admin"])
    outsider = Client()
    outsider.force_login(world.users["outsider"])
    assert outsider.post(reverse("accounts:passkey_remove", kwargs={"passkey_id": second.pk})).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=second.pk).exists()


def test_someone_whose_role_needs_no_second_step_may_add_one_and_is_then_asked(world):
    client = Client()
    client.force_login(world.users["staff"])
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Your role does not need a second step, but you can add one" in page
    assert enrol(client, SoftPasskey(RP_ID, ORIGIN)).json()["redirect_url"] == reverse("accounts:recovery_codes")
    password_step(Client(), "staff")


def test_a_platform_admin_resets_a_lost_second_step(world, enrolled):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "reset_second_step", "Admin@northgate-test.example", reason="Lost phone; called back on ward number", stdout=out
    )
    assert "1 passkeys" in out.getvalue()
    assert not WebAuthnCredential.objects.filter(user=world.users["admin"]).exists()
    assert not StaticToken.objects.filter(device__user=world.users["admin"]).exists()
    assert AuditEvent.objects.get(action="account.mfa.reset").data["reason"].startswith("Lost phone")
    client = Client()
    password_step(client)
    assert "Set up your second step" in client.get(reverse("accounts:mfa")).content.decode()
