"""Attacks on signed passports by someone with the running app, the raw database and the
docs (issue 14). Each test plays the attack against the real pages."""

import base64
import json
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from staffwell.passports import signing
from tests.passports.helpers import passport_for


class Attacker:
    """A signing key of the attacker's own, and the key file they would paste in."""

    def __init__(self):
        self.private = Ed25519PrivateKey.generate()
        raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_key = base64.b64encode(raw).decode()
        self.key_id = signing.key_id_for(raw)

    def passport(self, *, ods="ZZ900", name="Elsewhere Community Trust", **fields) -> dict:
        return {
            "format": "staffwell-passport",
            "version": 1,
            "id": str(uuid.uuid4()),
            "kind": "adjustments",
            "kind_label": "Reasonable adjustments passport",
            "holder": {"name": "Sam Holder", "email": "sam@elsewhere.example"},
            "issuer": {"ods_code": ods, "name": name, "key_id": self.key_id, "public_key_url": ""},
            "issued_at": "2026-11-20T10:00:00+00:00",
            "in_their_words": [],
            "adjustments": [{"request": "A desk by the window", "status": "agreed", "status_label": "Agreed"}],
            "confirmed": None,
            **fields,
        }

    def sign(self, passport: dict) -> str:
        message = json.dumps(passport, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        value = base64.b64encode(self.private.sign(message.encode("utf-8", "surrogatepass"))).decode()
        return json.dumps(
            {"passport": passport, "signature": {"algorithm": "Ed25519", "key_id": self.key_id, "value": value}}
        )

    def key_file(self, *, ods="ZZ900", name="Elsewhere Community Trust", superseded=(), **key_fields) -> str:
        key = {
            "key_id": self.key_id,
            "algorithm": "Ed25519",
            "public_key": self.public_key,
            "retired_at": None,
            "revoked_at": None,
            **key_fields,
        }
        return json.dumps({"issuer": {"ods_code": ods, "name": name}, "keys": [key], "superseded": list(superseded)})


@pytest.fixture
def attacker():
    return Attacker()


@pytest.fixture
def anonymous(db):
    return Client(raise_request_exception=False)


def check(client, text: str, key: str = ""):
    return client.post(reverse("passports:verify"), {"text": text, "public_key": key})


# 1. A lone surrogate ---------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["value", "key", "nested"])
def test_a_lone_surrogate_anywhere_in_the_passport_is_refused_on_both_pages(world, attacker, anonymous, where):
    passport = attacker.passport(holder={"name": "Sam Holder", "email": world.users["outsider"].email})
    if where == "value":
        passport["kind_label"] = "Reasonable \ud800 passport"
    elif where == "key":
        passport["\udfff"] = "x"
    else:
        passport["adjustments"][0]["history"] = [{"status": "agreed", "note": "\ud83d"}]
    text = attacker.sign(passport)
    assert "\\ud" in text  # written as a JSON escape, as an attacker would
    r = check(anonymous, text, attacker.public_key)
    assert r.status_code == 400 and "not valid Unicode" in r.content.decode()
    importer = Client(raise_request_exception=False)
    importer.force_login(world.users["outsider"])
    r = importer.post(
        reverse("passports:import"), {"file": SimpleUploadedFile("p.json", text.encode()), "confirm": "on"}
    )
    assert r.status_code == 400 and "not valid Unicode" in r.content.decode()


# 2. Erasing everything withdraws every signed download ------------------------------------------


def test_erasing_everything_withdraws_the_persons_signed_passports(world, client_for, anonymous):
    staff = world.users["staff"]
    passport = passport_for(staff)
    owner = client_for("staff")
    signed = owner.get(reverse("passports:export_json", kwargs={"passport_id": passport.pk})).content
    assert "The signature is valid" in check(anonymous, signed.decode()).content.decode()
    assert owner.post(reverse("records:erase"), {"confirm": "erase"}).status_code == 302

    r = check(anonymous, signed.decode())
    assert r.status_code == 400 and "withdrawn" in r.content.decode()
    keys = json.loads(anonymous.get(reverse("passports:public_key", kwargs={"ods_code": world.org.ods_code})).content)
    assert {"id": str(passport.uid), "withdrawn": True} in keys["superseded"]


# 3. A key file you give is read whole, and fails closed -------------------------------------------


def test_a_given_key_file_that_withdraws_or_supersedes_the_passport_is_obeyed(attacker, anonymous):
    passport = attacker.passport()
    text = attacker.sign(passport)
    assert "The signature is valid" in check(anonymous, text, attacker.key_file()).content.decode()
    withdrawn = attacker.key_file(superseded=[{"id": passport["id"], "withdrawn": True}])
    r = check(anonymous, text, withdrawn)
    assert r.status_code == 400 and "has withdrawn this passport" in r.content.decode()
    later = attacker.key_file(superseded=[{"id": passport["id"], "current_issued_at": "2026-11-21T09:00:00+00:00"}])
    r = check(anonymous, text, later)
    assert r.status_code == 400 and "has been replaced" in r.content.decode()
    newer_revision = attacker.key_file(
        superseded=[{"id": passport["id"], "current_issued_at": passport["issued_at"], "current_revision": 2}]
    )
    r = check(anonymous, text, newer_revision)
    assert r.status_code == 400 and "has been replaced" in r.content.decode()


@pytest.mark.parametrize("field", ["revoked_at", "retired_at"])
@pytest.mark.parametrize("value", ["garbage", "", 0, False, True, [], {}])
def test_an_unreadable_revocation_makes_the_key_file_untrusted(attacker, anonymous, field, value):
    r = check(anonymous, attacker.sign(attacker.passport()), attacker.key_file(**{field: value}))
    assert r.status_code == 400
    body = r.content.decode()
    assert "The signature is valid" not in body and "cannot be trusted" in body


@pytest.mark.parametrize(
    "entry", [{"withdrawn": "yes"}, {"withdrawn": 1}, {"current_issued_at": "soon"}, {}, {"current_revision": "2"}]
)
def test_an_unreadable_superseded_entry_makes_the_key_file_untrusted(attacker, anonymous, entry):
    passport = attacker.passport()
    r = check(anonymous, attacker.sign(passport), attacker.key_file(superseded=[{"id": passport["id"], **entry}]))
    assert r.status_code == 400 and "The signature is valid" not in r.content.decode()


def test_a_key_listed_twice_is_refused_even_if_only_one_copy_is_revoked(attacker, anonymous):
    data = json.loads(attacker.key_file())
    data["keys"].append({**data["keys"][0], "revoked_at": "2026-11-01T00:00:00+00:00"})
    r = check(anonymous, attacker.sign(attacker.passport()), json.dumps(data))
    assert r.status_code == 400
    assert "lists key" in r.content.decode() and "The signature is valid" not in r.content.decode()


# 6. Two downloads in the same second -------------------------------------------------------------


def test_of_two_versions_signed_in_the_same_second_only_the_later_verifies(world, anonymous):
    from staffwell.passports import services

    passport = passport_for(world.users["staff"])
    payload = {**services.passport_data(passport), "issued_at": "2026-11-20T10:00:00+00:00"}
    first = signing.sign(payload, passport.organisation)
    second = signing.sign(payload, passport.organisation)
    assert first["passport"]["issued_at"] == second["passport"]["issued_at"]
    r = check(anonymous, json.dumps(first))
    assert r.status_code == 400 and "has been replaced" in r.content.decode()
    assert "The signature is valid" in check(anonymous, json.dumps(second)).content.decode()


def test_an_older_download_from_the_page_is_superseded_by_the_next(world, client_for, anonymous):
    passport = passport_for(world.users["staff"])
    owner = client_for("staff")
    url = reverse("passports:export_json", kwargs={"passport_id": passport.pk})
    first, second = owner.get(url).content.decode(), owner.get(url).content.decode()
    assert check(anonymous, first).status_code == 400
    assert "The signature is valid" in check(anonymous, second).content.decode()


# 4. Look-alike issuers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lookalike",
    ["{ods}\u00a0", "{ods} ", "{lower}", "{fullwidth}", "{o_for_zero}", "\u200b{ods}"],
)
def test_a_given_key_cannot_pass_as_a_local_organisation_by_a_look_alike_code(world, attacker, anonymous, lookalike):
    ods = world.org.ods_code
    type(world.org).objects.filter(pk=world.org.pk).update(ods_code="RZZ01")
    ods = "RZZ01"
    code = lookalike.format(
        ods=ods,
        lower=ods.lower(),
        fullwidth="".join(chr(ord(c) + 0xFEE0) for c in ods),
        o_for_zero=ods.replace("0", "O"),
    )
    for key_file in (attacker.key_file(ods=code, name=world.org.name), attacker.public_key):
        r = check(anonymous, attacker.sign(attacker.passport(ods=code, name=world.org.name)), key_file)
        body = r.content.decode()
        assert r.status_code == 400 and "The signature is valid" not in body, code


def test_a_given_key_cannot_pass_as_a_local_organisation_by_name(world, attacker, anonymous):
    r = check(anonymous, attacker.sign(attacker.passport(name=world.org.name.upper())), attacker.public_key)
    assert r.status_code == 400 and "looks like" in r.content.decode()
    r = check(anonymous, attacker.sign(attacker.passport()), attacker.key_file(name=world.org.name))
    assert r.status_code == 400 and "looks like" in r.content.decode()


def test_a_passport_signed_with_a_given_key_says_prominently_the_signer_is_unknown(attacker, anonymous):
    r = check(anonymous, attacker.sign(attacker.passport()), attacker.key_file())
    body = r.content.decode()
    assert r.status_code == 200 and "The signer is unknown to this staffwell" in body
    assert "not checked by staffwell" in body


# 7. A passport that came from elsewhere shows where --------------------------------------------------


def test_a_reexported_imported_passport_shows_its_origin_on_the_verify_page(world, anonymous, client_for):
    from django.utils import timezone

    passport = passport_for(world.users["staff"])
    type(passport).objects.filter(pk=passport.pk).update(
        imported_from_ods="ZZ900", imported_from_name="Elsewhere Community Trust", imported_at=timezone.now()
    )
    signed = client_for("staff").get(reverse("passports:export_json", kwargs={"passport_id": passport.pk})).content
    body = check(anonymous, signed.decode()).content.decode()
    assert "Originally from" in body and "Elsewhere Community Trust (ZZ900)" in body


# 7. Look-alike ODS codes can be neither created nor trusted ---------------------------------------


@pytest.mark.parametrize("code", ["{lower}", "{ods}\u00a0", "{o_for_zero}", "{fullwidth}"])
def test_a_platform_admin_cannot_add_an_organisation_with_a_look_alike_ods_code(world, client_for, code):
    from staffwell.organisations.models import Organisation

    type(world.org).objects.filter(pk=world.org.pk).update(ods_code="RZZ01")
    code = code.format(
        ods="RZZ01", lower="rzz01", o_for_zero="RZZO1", fullwidth="".join(chr(ord(c) + 0xFEE0) for c in "RZZ01")
    )
    r = client_for("platform").post(
        reverse("platform:organisations"), {"name": "Copy Trust", "slug": "copy", "ods_code": code, "kind": "acute"}
    )
    assert "looks the same" in r.content.decode() or "already an organisation" in r.content.decode()
    assert not Organisation.objects.filter(slug="copy").exists()


def test_the_database_refuses_an_ods_code_differing_only_in_case(world):
    from django.db import IntegrityError, transaction

    from tests.factories import OrganisationFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(ods_code=world.org.ods_code.lower())


def test_a_trusted_issuer_key_cannot_be_stored_under_a_local_organisations_code(world, attacker, client_for):
    from staffwell.passports.models import TrustedIssuerKey

    url = reverse("passports:trusted_keys", kwargs={"org": world.org.slug})
    for ods, name in (
        (world.other_org.ods_code, "Anyone"),
        (world.other_org.ods_code.lower(), "Anyone"),
        ("ZZ900", world.other_org.name),
    ):
        r = client_for("admin").post(
            url, {"key_file": attacker.key_file(ods=ods, name=name), "fingerprint_checked": "on"}
        )
        body = r.content.decode()
        assert r.status_code == 400 and ("an organisation on this staffwell" in body or "is not an ODS code" in body)
    assert not TrustedIssuerKey.objects.exists()
