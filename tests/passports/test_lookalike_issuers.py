"""Look-alike issuers made with letters from other alphabets, accents and full-width forms (an
attack after ADR 0028): a key from elsewhere naming itself "Northgate" with a Cyrillic o (U+043E)
verified with only a "signer unknown" warning, was trusted by a tricked admin, imported, and
came back out signed by Northgate's real key. Each case is played on the verify page, the
trusted-issuers page and the import page; plain and Welsh names from elsewhere still work."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from staffwell.core.lookalike import mixed_scripts, skeleton
from staffwell.passports import signing
from staffwell.passports.models import Passport, TrustedIssuerKey
from staffwell.passports.transfer import passport_data
from tests.passports.helpers import passport_for
from tests.passports.test_attacks import Attacker, check

LOCAL_NAME = "Northgate Teaching Hospitals NHS Foundation Trust (demo)"
WELSH = "Bwrdd Iechyd Prifysgol Cwm Taf Morgannwg"


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


LOOKALIKES = {
    "cyrillic-o": LOCAL_NAME.replace("o", "\u043e", 1),
    "cyrillic-T": LOCAL_NAME.replace("T", "\u0422", 1),
    "combining-accent": "N\u0301" + LOCAL_NAME[1:],
    "greek-capital-omicron": LOCAL_NAME.upper().replace("O", "\u039f"),
    "full-width": _fullwidth(LOCAL_NAME),
}


@pytest.fixture
def local(world):
    type(world.org).objects.filter(pk=world.org.pk).update(name=LOCAL_NAME, ods_code="RZZ01")
    world.org.refresh_from_db()
    return world.org


@pytest.fixture
def attacker():
    return Attacker()


@pytest.fixture
def anonymous(client_for):
    return client_for("anonymous")


def _trust(client, org, key_file):
    url = reverse("passports:trusted_keys", kwargs={"org": org.slug})
    return client.post(url, {"key_file": key_file, "fingerprint_checked": "on"})


def _import(client, text: str):
    upload = SimpleUploadedFile("passport.json", text.encode("utf-8"), "application/json")
    return client.post(reverse("passports:import"), {"file": upload, "confirm": "on"})


def _holder(user) -> dict:
    return {"holder": {"name": user.full_name, "email": user.email}}


# The one fold -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_every_look_alike_has_the_local_names_skeleton(name):
    assert name != LOCAL_NAME and skeleton(name) == skeleton(LOCAL_NAME)


def test_welsh_accents_are_one_script_and_differ_from_other_names():
    for name in (WELSH, "Bwrdd Iechyd Prifysgol Cŵm Tâf Morgannŵg", "Ysbyty Gŵyr a Dyffryn ŷ", "Cw\u0302m Ta\u0302f"):
        assert mixed_scripts(name) == []
    assert skeleton(WELSH) != skeleton(LOCAL_NAME)
    assert mixed_scripts(LOOKALIKES["cyrillic-o"]) == ["Latin", "Cyrillic"]


# 1. The verify page -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_the_verify_page_shows_a_look_alike_signer_as_an_impostor(local, attacker, anonymous, name):
    signed = attacker.sign(attacker.passport(ods="XQ125", name=name))
    for key_file in (attacker.key_file(ods="XQ125", name=name), attacker.key_file(), attacker.public_key):
        r = check(anonymous, signed, key_file)
        body = r.content.decode()
        assert r.status_code == 400 and "The signature is valid" not in body
        assert "Impostor" in body and f"{LOCAL_NAME} (RZZ01)" in body
    # A plain passport with a look-alike key file: the key cannot speak for anyone either.
    r = check(anonymous, attacker.sign(attacker.passport(ods="XQ125")), attacker.key_file(ods="XQ125", name=name))
    assert r.status_code == 400 and "The signature is valid" not in r.content.decode()


def test_a_name_mixing_alphabets_is_refused_even_if_it_imitates_no_one(local, attacker, anonymous):
    name = "Elsewhere C\u043emmunity Trust"
    r = check(anonymous, attacker.sign(attacker.passport(name=name)), attacker.key_file(name=name))
    body = r.content.decode()
    assert r.status_code == 400 and "mixes letters from different alphabets (Latin and Cyrillic)" in body


def test_a_plain_or_welsh_name_from_elsewhere_still_verifies(local, attacker, anonymous):
    for name in ("Elsewhere Community Trust", WELSH, "Bwrdd Iechyd Prifysgol Cŵm Tâf Morgannŵg", "Cw\u0302m Ta\u0302f"):
        r = check(anonymous, attacker.sign(attacker.passport(name=name)), attacker.key_file(name=name))
        body = r.content.decode()
        assert r.status_code == 200 and "The signature is valid" in body, name
        assert "The signer is unknown to this staffwell" in body


def test_a_welsh_look_alike_of_a_local_welsh_board_is_refused(local, attacker, anonymous):
    type(local).objects.filter(pk=local.pk).update(name=WELSH)
    name = "Bwrdd Iechyd Prifysgol Cŵm Tâf Morgannŵg"
    r = check(anonymous, attacker.sign(attacker.passport(name=name)), attacker.key_file(name=name))
    body = r.content.decode()
    assert r.status_code == 400 and "Impostor" in body and WELSH in body


# 2. The trusted-issuers page --------------------------------------------------------------------


@pytest.mark.parametrize("name", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_an_admin_cannot_trust_a_look_alike_key(local, attacker, client_for, name):
    r = _trust(client_for("admin"), local, attacker.key_file(ods="XQ125", name=name))
    body = r.content.decode()
    assert r.status_code == 400 and "1 key added" not in body
    assert f"{LOCAL_NAME} (RZZ01), an organisation on this staffwell" in body
    assert not TrustedIssuerKey.objects.exists()


def test_an_admin_cannot_trust_a_name_mixing_alphabets(local, attacker, client_for):
    r = _trust(client_for("admin"), local, attacker.key_file(name="\u0395lsewhere Community Trust"))
    assert r.status_code == 400 and "(Greek and Latin)" in r.content.decode()
    assert not TrustedIssuerKey.objects.exists()


@pytest.mark.parametrize("name", ["Elsewhere Community Trust", WELSH, "Bwrdd Iechyd Prifysgol Cŵm Tâf Morgannŵg"])
def test_an_admin_can_still_trust_a_genuine_key_from_elsewhere(local, attacker, client_for, name):
    r = _trust(client_for("admin"), local, attacker.key_file(name=name))
    assert r.status_code == 302
    assert TrustedIssuerKey.objects.get(organisation=local).issuer_name == name


# 3. Import, and re-signing -----------------------------------------------------------------------


def _tricked_admin_trusted(org, attacker, name, ods="XQ125"):
    """As if an admin had trusted the key before the fix: straight into the table."""
    return TrustedIssuerKey.objects.create(
        organisation=org, issuer_ods_code=ods, issuer_name=name, key_id=attacker.key_id, public_key=attacker.public_key
    )


@pytest.mark.parametrize("name", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_a_passport_from_a_look_alike_key_is_not_imported(local, world, attacker, client_for, name):
    _tricked_admin_trusted(local, attacker, name)
    staff = world.users["staff"]
    forged = attacker.sign(attacker.passport(ods="XQ125", name=name, **_holder(staff)))
    r = _import(client_for("staff"), forged)
    body = r.content.decode()
    assert r.status_code == 400 and "Impostor" in body and f"{LOCAL_NAME} (RZZ01)" in body
    assert not Passport.objects.filter(owner=staff).exists()


def test_a_passport_from_a_genuine_trusted_key_is_still_imported(local, world, attacker, client_for):
    staff = world.users["staff"]
    r = _trust(client_for("admin"), local, attacker.key_file(name=WELSH))
    assert r.status_code == 302
    r = _import(client_for("staff"), attacker.sign(attacker.passport(name=WELSH, **_holder(staff))))
    assert r.status_code == 302
    assert Passport.objects.get(owner=staff).imported_from_name == WELSH


@pytest.mark.parametrize("name", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_a_laundered_import_is_never_re_signed_by_the_local_key(local, world, attacker, client_for, name):
    """Imported before the fix: the export is refused, not signed as Northgate's."""
    passport = passport_for(world.users["staff"])
    type(passport).objects.filter(pk=passport.pk).update(
        imported_from_ods="XQ125", imported_from_name=name, imported_key_id=attacker.key_id, imported_at=timezone.now()
    )
    c = client_for("staff")
    for route in ("passports:export_json", "passports:export_pdf"):
        r = c.get(reverse(route, kwargs={"passport_id": passport.pk}), follow=True)
        body = r.content.decode()
        assert "application/json" not in r["Content-Type"] and "application/pdf" not in r["Content-Type"]
        assert f"{LOCAL_NAME} (RZZ01), an organisation on this staffwell" in body and "will not sign it" in body
    detail = c.get(reverse("passports:detail", kwargs={"passport_id": passport.pk})).content.decode()
    assert "Do not rely on where this says it came from" in detail


@pytest.mark.parametrize("name", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_a_laundered_file_signed_before_the_fix_does_not_verify(local, world, anonymous, name):
    passport = passport_for(world.users["staff"])
    data = signing.sign(
        {
            **passport_data(passport),
            "issued_at": "2026-11-20T10:00:00+00:00",
            "imported_from": {"ods_code": "XQ125", "name": name, "on": "2026-11-19T10:00:00+00:00"},
        },
        local,
    )
    r = check(anonymous, json.dumps(data, ensure_ascii=False))
    body = r.content.decode()
    assert r.status_code == 400 and "The signature is valid" not in body
    assert "Impostor" in body and f"{LOCAL_NAME} (RZZ01)" in body


def test_a_genuine_import_from_another_local_organisation_still_re_signs(local, world, client_for, anonymous):
    passport = passport_for(world.users["staff"])
    other = world.other_org
    key = signing.signing_key_for(other)
    type(passport).objects.filter(pk=passport.pk).update(
        imported_from_ods=other.ods_code,
        imported_from_name=other.name,
        imported_key_id=key.key_id,
        imported_at=timezone.now(),
    )
    signed = client_for("staff").get(reverse("passports:export_json", kwargs={"passport_id": passport.pk}))
    assert signed.status_code == 200
    body = check(anonymous, signed.content.decode()).content.decode()
    assert "The signature is valid" in body and f"{other.name} ({other.ods_code})" in body


def test_a_look_alike_key_trusted_before_the_fix_is_flagged_on_the_trusted_issuers_page(local, attacker, client_for):
    _tricked_admin_trusted(local, attacker, LOOKALIKES["cyrillic-o"])
    r = client_for("admin").get(reverse("passports:trusted_keys", kwargs={"org": local.slug}))
    body = r.content.decode()
    assert r.status_code == 200 and "Do not trust this key" in body and "stop trusting it" in body
    assert f"{LOCAL_NAME} (RZZ01), an organisation on this staffwell" in body


# Near names (a second attack): letters that look like one, a word left off, a letter changed -----

NEAR = {
    "rn-for-m": LOCAL_NAME.replace("demo", "derno"),
    "cl-for-d": LOCAL_NAME.replace("Foundation", "Founclation"),
    "word-left-off": "Northgate Teaching Hospitals NHS Foundation Trust",
    "word-added": LOCAL_NAME + " Group",
    "letter-changed": LOCAL_NAME.replace("Hospitals", "Hospital"),
}


@pytest.mark.parametrize("name", NEAR.values(), ids=NEAR.keys())
def test_an_admin_cannot_trust_a_key_whose_name_resembles_a_local_organisation(local, attacker, client_for, name):
    r = _trust(client_for("admin"), local, attacker.key_file(ods="RZX98", name=name))
    assert r.status_code == 400 and "1 key added" not in r.content.decode()
    assert f"{LOCAL_NAME} (RZZ01), an organisation on this staffwell" in r.content.decode()
    assert not TrustedIssuerKey.objects.exists()


@pytest.mark.parametrize("name", NEAR.values(), ids=NEAR.keys())
def test_the_verify_page_shows_a_near_name_signer_as_an_impostor(local, attacker, anonymous, name):
    signed = attacker.sign(attacker.passport(ods="RZX98", name=name))
    body = check(anonymous, signed, attacker.key_file(ods="RZX98", name=name)).content.decode()
    assert "The signature is valid" not in body
    assert "Impostor" in body and f"{LOCAL_NAME} (RZZ01)" in body


def test_a_different_organisation_with_a_short_or_unrelated_name_is_not_a_near_name():
    from staffwell.core.lookalike import resembles

    assert resembles("Northgate Teaching Hospitals NHS Foundation Trust", LOCAL_NAME)
    assert not resembles("Northgate Community Health NHS Trust", LOCAL_NAME)
    assert not resembles("Elsewhere Community Trust", LOCAL_NAME)
    assert not resembles("NHS Trust", "NHS Trust A")  # short names must be equal to count
