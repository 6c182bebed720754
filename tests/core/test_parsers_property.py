"""Property-based tests of every parser a stranger can reach: whatever arrives, the only
outcomes are a result or a clear error (never an exception of another kind, never a 500)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from staffwell.assessments import formats
from staffwell.organisations import imports
from staffwell.passports import signing

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
WEB = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text with lone surrogates too: json.dumps writes them as \\ud800 escapes, which parse to a
# str that cannot be encoded as UTF-8 (found by an attack: a 500 when the passport was signed).
lone_surrogates = st.characters(categories=["Cs"])
any_text = st.text(max_size=40) | st.text(alphabet=lone_surrogates | st.sampled_from("a\u00e9"), min_size=1, max_size=6)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | any_text,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(any_text, children, max_size=5),
    max_leaves=40,
)
PASSPORT_KEYS = ["format", "version", "id", "kind", "holder", "issuer", "issued_at", "adjustments", "confirmed"]
passport_like = st.fixed_dictionaries(
    {
        "passport": st.dictionaries(st.sampled_from(PASSPORT_KEYS), json_values, max_size=9).map(
            lambda d: {"format": "staffwell-passport", "version": 1, **d}
        ),
        "signature": st.fixed_dictionaries(
            {
                "algorithm": st.just("Ed25519") | st.text(max_size=8),
                "key_id": any_text,
                "value": st.text(max_size=100) | st.just("A" * 86 + "=="),
            }
        ),
    }
)
adversarial_text = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=1, max_value=3000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.integers(min_value=1, max_value=6000).map(lambda n: '{"passport": ' + "9" * n + "}"),
    st.sampled_from(["NaN", "Infinity", "-Infinity", '{"passport": {"x": NaN}}', '{"a": 1, "a": 2}', "\ufeff{}"]),
)


def _dumps(value) -> str:
    return json.dumps(value, allow_nan=True)


def _passport_outcome(data) -> None:
    try:
        result = signing.verify(data, keys=signing.known_keys())
    except signing.VerificationError as exc:
        assert exc.message and exc.code
    else:
        assert isinstance(result, signing.Verified)


@FAST
@given(st.one_of(adversarial_text, json_values.map(_dumps), passport_like.map(_dumps)))
def test_passport_text_gives_a_result_or_a_clear_error(db, text):
    _passport_outcome(text)
    _passport_outcome(text.encode("utf-8", "surrogatepass"))


@FAST
@given(st.binary(max_size=2000))
def test_passport_bytes_give_a_result_or_a_clear_error(db, raw):
    _passport_outcome(raw)


@FAST
@given(st.one_of(adversarial_text, json_values.map(_dumps)))
def test_key_files_give_keys_or_a_clear_error(db, text):
    try:
        keys = signing.key_from_published(text)
    except signing.VerificationError as exc:
        assert exc.message
    else:
        assert all(isinstance(k, signing.IssuerKey) for k in keys)


csv_cell = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30) | st.sampled_from(
    ["Medicine > Ward 7", "Nursing and Midwifery Registered", "0.6", "1", "=1+1", "a@b.example", ""]
)
csv_text = st.lists(st.lists(csv_cell, min_size=1, max_size=9), max_size=8).map(
    lambda rows: "\n".join(",".join(row) for row in [list(imports.COLUMNS), *rows])
)


@FAST
@given(st.one_of(st.binary(max_size=3000), csv_text.map(str.encode), adversarial_text.map(str.encode)))
def test_staff_lists_give_rows_or_row_level_errors(raw):
    try:
        rows = imports.parse(imports.decode(raw, max_bytes=10_000))
    except imports.ImportRejected as exc:
        assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)
    else:
        assert all(isinstance(r, imports.StaffRow) for r in rows)


framework_text = st.lists(
    st.tuples(st.sampled_from([*formats.TYPES, "other", ""]), csv_cell, csv_cell, csv_cell), max_size=12
).map(lambda rows: "\n".join(",".join(r) for r in [tuple(formats.HEADER), *rows]))


@FAST
@given(st.one_of(st.binary(max_size=3000), framework_text.map(str.encode), adversarial_text.map(str.encode)))
def test_framework_files_give_a_framework_or_line_level_errors(raw):
    try:
        parsed = formats.parse(raw)
    except formats.FrameworkFileError as exc:
        assert exc.errors and all(isinstance(m, str) and m for m in exc.messages)
    else:
        assert parsed is not None


@pytest.fixture
def anonymous(db):
    return Client(raise_request_exception=False)


@WEB
@given(st.one_of(adversarial_text, passport_like.map(_dumps)), st.one_of(st.just(""), adversarial_text))
def test_the_public_verify_page_answers_200_or_400_to_anything(anonymous, text, key):
    upload = anonymous.post(
        reverse("passports:verify"),
        {"file": SimpleUploadedFile("p.json", text.encode("utf-8", "surrogatepass")), "public_key": key},
    )
    assert upload.status_code in (200, 400)
    pasted = anonymous.post(reverse("passports:verify"), {"text": text, "public_key": key})
    assert pasted.status_code in (200, 400)


@WEB
@given(st.one_of(st.binary(max_size=2000), adversarial_text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_the_passport_import_page_answers_400_to_anything(world, text):
    c = Client(raise_request_exception=False)
    c.force_login(world.users["outsider"])
    r = c.post(reverse("passports:import"), {"file": SimpleUploadedFile("p.json", text or b"x"), "confirm": "on"})
    assert r.status_code == 400


def _signed_with_a_given_key(passport: dict):
    """``passport`` signed with a key of the attacker's own, and that key as a verifier would give it."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_id = signing.key_id_for(raw)
    passport = {**passport, "format": "staffwell-passport", "version": 1}
    given = passport.get("issuer") if isinstance(passport.get("issuer"), dict) else {}
    passport["issuer"] = {"ods_code": "ZZ900", "name": "Elsewhere", **given, "key_id": key_id}
    message = json.dumps(passport, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    value = base64.b64encode(private.sign(message.encode("utf-8", "surrogatepass"))).decode()
    document = {"passport": passport, "signature": {"algorithm": "Ed25519", "key_id": key_id, "value": value}}
    return json.dumps(document), base64.b64encode(raw).decode()


signed_payloads = st.dictionaries(st.sampled_from(PASSPORT_KEYS) | any_text, json_values, max_size=9)


@FAST
@given(signed_payloads)
def test_a_passport_signed_with_a_given_key_gives_a_result_or_a_clear_error(db, passport):
    text, public_key = _signed_with_a_given_key(passport)
    try:
        result = signing.verify(text, keys=signing.known_keys(extra=signing.key_from_published(public_key)))
    except signing.VerificationError as exc:
        assert exc.message and exc.code
    else:
        assert isinstance(result, signing.Verified)


@WEB
@given(signed_payloads)
def test_the_public_verify_page_answers_a_signed_hostile_passport_with_200_or_400(anonymous, passport):
    text, public_key = _signed_with_a_given_key(passport)
    r = anonymous.post(reverse("passports:verify"), {"text": text, "public_key": public_key})
    assert r.status_code in (200, 400)
