"""Whatever a stranger sends, the answer is a clear message, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from staffwell.library.models import UrgentContact

DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE_JSON = {
    "deeply nested": '{"passport": ' + DEEP + "}",
    "deeply nested objects": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "NaN": '{"passport": {"format": "staffwell-passport", "version": 1, "x": NaN}, "signature": {"value": "a"}}',
    "Infinity": '{"passport": {"format": "staffwell-passport", "version": 1, "x": -Infinity}, "signature": {"value": "a"}}',
    "huge integer": '{"passport": {"format": "staffwell-passport", "version": ' + "9" * 10_000 + "}}",
}


@pytest.fixture
def anonymous(db):
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("name", sorted(HOSTILE_JSON))
def test_hostile_passport_files_get_a_clear_message_on_the_public_verify_page(world, anonymous, name):
    body = HOSTILE_JSON[name]
    uploaded = anonymous.post(
        reverse("passports:verify"), {"file": SimpleUploadedFile("p.json", body.encode(), "application/json")}
    )
    assert uploaded.status_code == 400, name
    assert "error-summary" in uploaded.content.decode()
    pasted = anonymous.post(reverse("passports:verify"), {"text": body})
    assert pasted.status_code == 400, name


@pytest.mark.parametrize("name", sorted(HOSTILE_JSON))
def test_hostile_key_files_get_a_clear_message(world, anonymous, name):
    r = anonymous.post(reverse("passports:verify"), {"text": "{}", "public_key": HOSTILE_JSON[name]})
    assert r.status_code == 400, name


@pytest.mark.parametrize("name", sorted(HOSTILE_JSON))
def test_hostile_passport_files_get_a_clear_message_on_import(world, client_for, name):
    c = client_for("outsider")
    c.raise_request_exception = False
    body = HOSTILE_JSON[name].encode()
    r = c.post(
        reverse("passports:import"), {"file": SimpleUploadedFile("p.json", body, "application/json"), "confirm": "on"}
    )
    assert r.status_code == 400, name


def test_a_pasted_passport_over_one_megabyte_is_refused_like_an_uploaded_one(world, anonymous):
    r = anonymous.post(reverse("passports:verify"), {"text": '{"passport": "' + "x" * 1_100_000 + '"}'})
    assert r.status_code == 400
    assert "1 MB" in r.content.decode()


def test_a_60000_character_sign_in_name_gets_a_clear_message(world, anonymous):
    r = anonymous.post(reverse("accounts:login"), {"username": "a" * 60_000 + "@x.example", "password": "x"})
    assert r.status_code == 200
    assert "error-summary" in r.content.decode()


def test_a_60000_character_reset_address_gets_a_clear_message(world, anonymous):
    r = anonymous.post(reverse("accounts:password_reset"), {"email": "a" * 60_000 + "@x.example"})
    assert r.status_code == 200
    assert "error-summary" in r.content.decode()


def test_urgent_support_contacts_have_enforced_lengths(world, client_for):
    contact = UrgentContact.objects.get(name="Samaritans")
    url = reverse("library:editorial_urgent_edit", kwargs={"pk": contact.pk})
    r = client_for("editor").post(
        url,
        {
            "name": "Samaritans",
            "number": "116 123",
            "action": "call",
            "when": "x" * 2_000_000,
            "order": 30,
            "is_active": "on",
            "last_checked": "2026-01-01",
        },
    )
    assert r.status_code == 400
    contact.refresh_from_db()
    assert len(contact.when) <= 300
