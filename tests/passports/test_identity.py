"""A signed passport is bound to its holder and its issuer: it cannot be borrowed, and a key
cannot be shadowed, revoked keys and superseded versions do not verify."""

import base64
import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from staffwell.core.models import AuditEvent
from staffwell.passports import services, signing
from staffwell.passports.models import Passport, SigningKey, Status
from tests.passports.helpers import passport_for, share


@pytest.fixture
def agreed(world):
    staff, manager = world.users["staff"], world.users["manager"]
    passport = passport_for(staff, requests=["Written handover notes"])
    share(passport, manager)
    services.move(adjustment=passport.adjustments.get(), to=Status.AGREED, actor=manager)
    return passport


@pytest.fixture
def signed(agreed, client_for):
    return client_for("staff").get(reverse("passports:export_json", kwargs={"passport_id": agreed.pk})).content


def _forge(passport: dict, private: Ed25519PrivateKey, key_id: str | None = None) -> tuple[str, str]:
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key_id = key_id or signing.key_id_for(raw)
    passport = {**passport, "issuer": {**passport["issuer"], "key_id": key_id}}
    doc = {
        "passport": passport,
        "signature": {
            "algorithm": "Ed25519",
            "key_id": key_id,
            "value": base64.b64encode(private.sign(signing.canonical(passport))).decode(),
        },
    }
    return json.dumps(doc), base64.b64encode(raw).decode()


def _import(client, raw: bytes):
    return client.post(
        reverse("passports:import"),
        {"file": SimpleUploadedFile("passport.json", raw, "application/json"), "confirm": "on"},
    )


def test_someone_elses_passport_cannot_be_imported_as_ones_own(world, signed, client_for):
    r = _import(client_for("outsider"), signed)
    assert r.status_code == 400
    body = r.content.decode()
    assert "belongs to Staff Person" in body and "only import your own passport" in body
    assert not Passport.objects.filter(owner=world.users["outsider"]).exists()
    refused = AuditEvent.objects.get(action="passport.import_refused")
    assert refused.data["reason"] == "holder_mismatch" and refused.actor == world.users["outsider"]


def test_a_staff_list_naming_the_holder_does_not_make_her_passport_yours(world, signed, client_for):
    """The email on a staff list is what an organisation's upload says: the outsider's own
    organisation puts the holder's address on the outsider's row. Only the address the person
    signs in with counts."""
    outsider = world.users["outsider"]
    outsider.memberships.update(email=world.users["staff"].email)
    r = _import(client_for("outsider"), signed)
    assert r.status_code == 400 and "belongs to Staff Person" in r.content.decode()
    assert not Passport.objects.filter(owner=outsider).exists()
    refused = AuditEvent.objects.get(action="passport.import_refused")
    assert refused.data["reason"] == "holder_mismatch"


def test_a_supplied_key_file_cannot_shadow_a_known_organisations_key(world, signed, client_for):
    real = SigningKey.objects.get(organisation=world.org)
    forger = Ed25519PrivateKey.generate()
    passport = json.loads(signed)["passport"]
    passport["adjustments"][0]["status_label"] = "Agreed: a four-day week"
    forged, public = _forge(passport, forger, key_id=real.key_id)
    key_file = json.dumps(
        {
            "issuer": {"ods_code": world.org.ods_code, "name": world.org.name},
            "keys": [{"key_id": real.key_id, "public_key": public}],
        }
    )
    anonymous = client_for("anonymous")
    r = anonymous.post(reverse("passports:verify"), {"text": forged, "public_key": key_file})
    assert r.status_code == 400 and "The signature is valid" not in r.content.decode()
    assert "derived from the key" in r.content.decode()

    # With its true key id the forged key still cannot speak for an organisation on this staffwell.
    forged, public = _forge(passport, forger)
    for given in (public, key_file.replace(real.key_id, signing.key_id_for(base64.b64decode(public)))):
        r = anonymous.post(reverse("passports:verify"), {"text": forged, "public_key": given})
        assert r.status_code == 400 and "The signature is valid" not in r.content.decode()
        assert "is not one of its keys" in r.content.decode()


def _random_public_key() -> str:
    raw = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return base64.b64encode(raw).decode()


def test_a_supplied_key_that_did_not_sign_the_passport_is_named_as_such(world, signed, client_for):
    anonymous = client_for("anonymous")
    stranger = _random_public_key()
    stranger_id = signing.key_id_for(base64.b64decode(stranger))
    real = SigningKey.objects.get(organisation=world.org)

    # A passport from an organisation on this staffwell, with someone else's key given: still valid
    # (its own key was used), and the page says the given key played no part.
    r = anonymous.post(reverse("passports:verify"), {"text": signed.decode(), "public_key": stranger})
    body = r.content.decode()
    assert r.status_code == 200 and "The signature is valid" in body
    assert f"The key you gave ({stranger_id}) is not the key that signed this passport ({real.key_id})" in body
    assert "never replaces a known organisation&#39;s key" in body

    # A passport from an issuer this staffwell does not know, with the wrong key given.
    passport = {**json.loads(signed)["passport"], "issuer": {"ods_code": "RZZ", "name": "Faraway Trust"}}
    elsewhere, its_key = _forge(passport, Ed25519PrivateKey.generate())
    r = anonymous.post(reverse("passports:verify"), {"text": elsewhere, "public_key": stranger})
    body = r.content.decode()
    assert r.status_code == 400 and "is not known here" in body
    assert f"The key you gave ({stranger_id}) is not the key that signed this passport" in body

    # With the key that did sign it: valid, and nothing to say about the key.
    r = anonymous.post(reverse("passports:verify"), {"text": elsewhere, "public_key": its_key})
    assert r.status_code == 200 and "The signature is valid" in r.content.decode()
    assert "About the key you gave" not in r.content.decode()
    # No key given: nothing to say either.
    r = anonymous.post(reverse("passports:verify"), {"text": signed.decode()})
    assert r.status_code == 200 and "About the key you gave" not in r.content.decode()


def test_a_revoked_key_is_published_and_nothing_it_signed_verifies(world, signed, client_for):
    SigningKey.objects.filter(organisation=world.org).update(
        revoked_at=timezone.now(), retired_at=timezone.now(), revocation_reason="Laptop lost"
    )
    published = signing.published_keys(world.org)
    revoked = [k for k in published["keys"] if k["revoked_at"]]
    assert revoked and revoked[0]["revocation_reason"] == "Laptop lost"
    assert len([k for k in published["keys"] if not k["retired_at"]]) == 1  # a new key was made
    with pytest.raises(signing.VerificationError) as exc:
        signing.verify(signed, keys=signing.known_keys())
    assert exc.value.code == "key_revoked"


def test_a_retired_key_verifies_what_it_signed_before_but_nothing_after(world, signed, agreed):
    key = SigningKey.objects.get(organisation=world.org)
    signing.verify(signed, keys=signing.known_keys())
    SigningKey.objects.filter(pk=key.pk).update(retired_at=timezone.now() + dt.timedelta(seconds=5))
    assert signing.verify(signed, keys=signing.known_keys()).key.key_id == key.key_id
    private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(key.private_key))
    passport = json.loads(signed)["passport"]
    passport["issued_at"] = (timezone.now() + dt.timedelta(days=1)).isoformat()
    passport["id"] = "00000000-0000-0000-0000-000000000000"
    forged, _ = _forge(passport, private)
    with pytest.raises(signing.VerificationError) as exc:
        signing.verify(forged, keys=signing.known_keys())
    assert exc.value.code == "key_retired"


def test_a_superseded_version_is_published_and_refused(world, agreed, signed, client_for):
    first = signed
    passport = json.loads(first)["passport"]
    later = (dt.datetime.fromisoformat(passport["issued_at"]) + dt.timedelta(minutes=5)).isoformat()
    document = signing.sign({**{k: v for k, v in passport.items() if k != "issuer"}, "issued_at": later}, world.org)
    assert signing.verify(json.dumps(document), keys=signing.known_keys())
    with pytest.raises(signing.VerificationError) as exc:
        signing.verify(first, keys=signing.known_keys())
    assert exc.value.code == "superseded" and "issued a newer one" in exc.value.message
    published = client_for("anonymous").get(reverse("passports:public_key", kwargs={"ods_code": world.org.ods_code}))
    entry = {"id": str(agreed.uid), "current_issued_at": later, "current_revision": 2}
    assert entry in json.loads(published.content)["superseded"]


def test_a_deleted_passport_is_withdrawn(world, agreed, signed):
    services.delete_passport(passport=agreed, actor=agreed.owner)
    with pytest.raises(signing.VerificationError) as exc:
        signing.verify(signed, keys=signing.known_keys())
    assert exc.value.code == "withdrawn"


def test_the_verify_page_shows_when_it_was_issued_and_who_holds_it(world, signed, client_for):
    r = client_for("anonymous").post(reverse("passports:verify"), {"text": signed.decode()})
    issued = json.loads(signed)["passport"]["issued_at"]
    body = r.content.decode()
    assert r.status_code == 200 and "Signed on" in body and issued in body and "Staff Person" in body


@pytest.mark.parametrize(
    "damage",
    [
        {"adjustments": 5},
        {"adjustments": [{"request": "x", "history": "not a list"}]},
        {"holder": "Someone"},
        {"confirmed": ["yes"]},
        {"in_their_words": [1, 2]},
        {"issued_at": 20261201},
    ],
)
def test_a_file_signed_with_any_key_but_in_the_wrong_shape_is_refused_not_a_500(world, signed, damage):
    passport = {**json.loads(signed)["passport"], **damage, "issuer": {"ods_code": "ZZ901", "name": "Elsewhere"}}
    forged, public = _forge(passport, Ed25519PrivateKey.generate())
    c = Client(raise_request_exception=False)
    r = c.post(reverse("passports:verify"), {"text": forged, "public_key": public})
    assert r.status_code == 400
    assert "not in the staffwell passport format" in r.content.decode()


def test_the_key_command_retires_and_revokes(world, signed, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    key = SigningKey.objects.get(organisation=world.org)
    call_command("passport_keys", world.org.ods_code, "--retire")
    assert signing.verify(signed, keys=signing.known_keys())  # what it signed still verifies
    with pytest.raises(CommandError):
        call_command("passport_keys", world.org.ods_code, "--revoke", key.key_id)
    call_command("passport_keys", world.org.ods_code, "--revoke", key.key_id, "--reason", "Backup lost")
    assert "revoked" in capsys.readouterr().out
    with pytest.raises(signing.VerificationError) as exc:
        signing.verify(signed, keys=signing.known_keys())
    assert exc.value.code == "key_revoked" and AuditEvent.objects.filter(action="passport.key.revoked").exists()
