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
