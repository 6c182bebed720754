"""A signed passport from one organisation verifies and imports into another; any tampering
is refused with a clear, specific message."""

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from staffwell.passports import services, signing
from staffwell.passports.models import Passport, SigningKey, Status, TrustedIssuerKey
from tests.passports.helpers import passport_for, same_person_at, share


def on_another_staffwell(org):
    """As if ``org`` ran its own staffwell: its keys and its ODS code are not on this one."""
    SigningKey.objects.filter(organisation=org).delete()
    type(org).objects.filter(pk=org.pk).update(ods_code="ZZ999", name="Elsewhere Here (a different trust)")


@pytest.fixture
def agreed(world):
    staff, manager = world.users["staff"], world.users["manager"]
    passport = passport_for(staff, requests=["Written handover notes", "A fan at the nurses' station"])
    share(passport, manager)
    first, second = passport.adjustments.all()
    services.move(adjustment=first, to=Status.AGREED, actor=manager)
    services.move(adjustment=second, to=Status.NOT_AGREED, actor=manager, reason="Infection control rules")
    services.confirm(passport=passport, actor=staff)
    services.confirm(passport=passport, actor=manager)
    return passport


@pytest.fixture
def signed(agreed, client_for):
    r = client_for("staff").get(reverse("passports:export_json", kwargs={"passport_id": agreed.pk}))
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment;")
    return r.content


def test_the_signed_json_verifies_with_only_the_public_key_and_a_few_lines_of_python(world, signed, client_for):
    """The method docs/passports.md gives, using nothing from staffwell but the published key."""
    key_file = client_for("anonymous").get(reverse("passports:public_key", kwargs={"ods_code": world.org.ods_code}))
    published = json.loads(key_file.content)
    document = json.loads(signed)
    key = next(k for k in published["keys"] if k["key_id"] == document["signature"]["key_id"])
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    message = json.dumps(document["passport"], sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    public.verify(base64.b64decode(document["signature"]["value"]), message)  # raises if not genuine
    assert document["passport"]["issuer"]["ods_code"] == world.org.ods_code
    history = document["passport"]["adjustments"][1]["history"]
    assert [h["status"] for h in history] == ["requested", "not_agreed"]
    assert history[1]["by"] == "Manager Person" and history[1]["on"]


def test_the_issuing_organisations_private_key_never_leaves(world, signed, client_for):
    key = SigningKey.objects.get(organisation=world.org)
    published = client_for("anonymous").get(reverse("passports:public_key", kwargs={"ods_code": world.org.ods_code}))
    assert key.private_key not in published.content.decode()
    assert key.private_key not in signed.decode()


def test_a_passport_exported_from_one_organisation_imports_into_another(world, agreed, signed, client_for):
    holder = agreed.owner
    expected_steps = list(agreed.adjustments.get(status=Status.NOT_AGREED).steps.values_list("at", flat=True))
    mover, outsider = same_person_at(world.other_org, world.other_org_team, holder)
    r = outsider.post(
        reverse("passports:import"),
        {"file": SimpleUploadedFile("passport.json", signed, "application/json"), "confirm": "on"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    imported = Passport.objects.get(owner=mover)
    assert imported.organisation == world.other_org
    assert imported.imported_from_ods == world.org.ods_code and imported.imported_from_name == world.org.name
    assert imported.content["what_is_hard"] == "Bright strip lights give me migraines"
    statuses = [(a.status, a.imported) for a in imported.adjustments.all()]
    assert statuses == [(Status.AGREED, True), (Status.NOT_AGREED, True)]
    declined = imported.adjustments.get(status=Status.NOT_AGREED)
    assert declined.reason == "Infection control rules"
    steps = list(declined.steps.all())
    assert [s.status for s in steps] == ["requested", "not_agreed"]
    assert steps[1].actor_name == "Manager Person" and steps[1].imported_from == world.org.name
    assert steps[1].at == expected_steps[1]
    assert imported.imported_issued_at is not None
    page = outsider.get(reverse("passports:detail", kwargs={"passport_id": imported.pk})).content.decode()
    assert "Imported from" in page and world.org.name in page and "Signed by the issuer" in page
    assert imported.review_overdue is False and imported.manager_confirmed_at is None


def _tamper_changed_byte(raw: bytes) -> bytes:
    return raw.replace(b"Written handover notes", b"Written handover nites", 1)


def _tamper_changed_field(raw: bytes) -> bytes:
    doc = json.loads(raw)
    doc["passport"]["adjustments"][1]["status"] = "agreed"
    return json.dumps(doc).encode()


def _tamper_wrong_key(raw: bytes) -> bytes:
    doc = json.loads(raw)
    other = Ed25519PrivateKey.generate()
    doc["signature"]["value"] = base64.b64encode(other.sign(signing.canonical(doc["passport"]))).decode()
    return json.dumps(doc).encode()


def _tamper_truncated(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def _not_json(raw: bytes) -> bytes:
    return b"%PDF-1.7 \xff\xfe this is a PDF"


def _not_json_text(raw: bytes) -> bytes:
    return b"Holder: Staff Person\nAdjustments: all agreed"


def _duplicate_field(raw: bytes) -> bytes:
    return raw.replace(b'"kind": "adjustments"', b'"kind": "adjustments", "kind": "carer"', 1)


def _signature_removed(raw: bytes) -> bytes:
    doc = json.loads(raw)
    del doc["signature"]
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (_tamper_changed_byte, "does not match the passport's contents"),
        (_tamper_changed_field, "does not match the passport's contents"),
        (_tamper_wrong_key, "does not match the passport's contents"),
        (_tamper_truncated, "ends part way through"),
        (_not_json, "is not text"),
        (_not_json_text, "is not valid JSON"),
        (_duplicate_field, "appears twice"),
        (_signature_removed, "has no signature"),
    ],
)
def test_tampering_is_refused_with_a_specific_message(world, signed, client_for, tamper, message):
    r = client_for("outsider").post(
        reverse("passports:import"),
        {"file": SimpleUploadedFile("passport.json", tamper(signed), "application/json"), "confirm": "on"},
    )
    assert r.status_code == 400
    assert message in r.content.decode().replace("&#39;", "'")
    assert not Passport.objects.filter(owner=world.users["outsider"]).exists()
    # and the public page says the same
    page = client_for("anonymous").post(
        reverse("passports:verify"), {"text": tamper(signed).decode("utf-8", "replace")}
    )
    assert page.status_code == 400


def test_a_key_signed_by_another_organisation_claiming_to_be_the_issuer_is_refused(world, signed):
    doc = json.loads(signed)
    other_key = signing.signing_key_for(world.other_org)
    forged = dict(doc["passport"])
    forged["issuer"] = {**forged["issuer"], "key_id": other_key.key_id}
    private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(other_key.private_key))
    forged_doc = {
        "passport": forged,
        "signature": {
            "algorithm": "Ed25519",
            "key_id": other_key.key_id,
            "value": base64.b64encode(private.sign(signing.canonical(forged))).decode(),
        },
    }
    with pytest.raises(signing.VerificationError) as exc:
        signing.verify(json.dumps(forged_doc), keys=signing.known_keys())
    assert exc.value.code == "wrong_issuer"


def test_an_unknown_issuer_is_refused_until_an_admin_trusts_its_key(world, signed, client_for):
    # The issuer is on another staffwell: its key is not on this one.
    key = SigningKey.objects.get(organisation=world.org)
    published = json.dumps(signing.published_keys(world.org))
    on_another_staffwell(world.org)
    with pytest.raises(signing.VerificationError) as exc:
        signing.verify(signed, keys=signing.known_keys(trusted_by=world.other_org))
    assert exc.value.code == "unknown_key" and "not known here" in exc.value.message

    from tests.factories import MembershipFactory, RoleAssignmentFactory, UserFactory

    admin = UserFactory(email="admin@southmoor.example")
    RoleAssignmentFactory(membership=MembershipFactory(organisation=world.other_org, user=admin), role="org_admin")
    from django.test import Client

    c = Client()
    c.force_login(admin)
    url = reverse("passports:trusted_keys", kwargs={"org": world.other_org.slug})
    r = c.post(url, {"key_file": published})
    assert r.status_code == 400 and "Check the fingerprint" in r.content.decode()
    r = c.post(url, {"key_file": published, "fingerprint_checked": "on"})
    assert r.status_code == 302
    assert TrustedIssuerKey.objects.filter(organisation=world.other_org, key_id=key.key_id).exists()
    verified = signing.verify(signed, keys=signing.known_keys(trusted_by=world.other_org))
    assert verified.key.source == "trusted by your organisation"


def test_the_public_page_verifies_a_genuine_passport(world, signed, client_for):
    r = client_for("anonymous").post(
        reverse("passports:verify"), {"file": SimpleUploadedFile("p.json", signed, "application/json")}
    )
    body = r.content.decode()
    assert r.status_code == 200 and "The signature is valid" in body
    assert signing.fingerprint(SigningKey.objects.get().public_key) in body


def test_the_public_page_accepts_the_issuers_key_pasted_in(world, signed, client_for):
    published = json.dumps(signing.published_keys(world.org))
    on_another_staffwell(world.org)
    r = client_for("anonymous").post(reverse("passports:verify"), {"text": signed.decode(), "public_key": published})
    assert r.status_code == 200 and "The signature is valid" in r.content.decode()


def test_the_pdf_carries_the_fingerprint_and_how_to_verify(world, agreed, client_for):
    r = client_for("staff").get(reverse("passports:export_pdf", kwargs={"passport_id": agreed.pk}))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert b"/EmbeddedFile" in r.content or b"/EmbeddedFiles" in r.content


def test_importing_the_same_kind_twice_is_refused(world, agreed, signed, client_for):
    _, outsider = same_person_at(world.other_org, world.other_org_team, agreed.owner)
    for expected in (302, 400):
        r = outsider.post(
            reverse("passports:import"),
            {"file": SimpleUploadedFile("passport.json", signed, "application/json"), "confirm": "on"},
        )
        assert r.status_code == expected
    assert "You already have a reasonable adjustments passport here" in r.content.decode()


def test_a_person_cannot_import_into_the_organisation_that_issued_it(world, signed, client_for):
    r = client_for("manager").post(
        reverse("passports:import"),
        {"file": SimpleUploadedFile("passport.json", signed, "application/json"), "confirm": "on"},
    )
    assert r.status_code == 400 and "issued by your own organisation" in r.content.decode()
