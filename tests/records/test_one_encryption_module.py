"""Everything staffwell encrypts at rest goes through ``staffwell.core.crypto``, with one
key list and one rotation command (issue 13, item 4; ADR 0026).

Given one of every encrypted thing (a staff-owned record, a sealed survey response, a
survey draft, the check-in pool, the staff voice inbox), when the keys are rotated and the
old key removed, everything still reads; the raw database holds none of the content; and
values written in the older formats (Fernet tokens, blobs keyed from SECRET_KEY) are read,
then rewritten by the rotation so that SECRET_KEY no longer opens anything.
"""

import hashlib
import hmac
import io
import json
import re
import secrets
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from staffwell.core import crypto
from staffwell.surveys import contributions, sealing, services
from staffwell.surveys.models import ContributionPool, Draft, FreeTextAnswer, SealedResponse
from staffwell.voice import sealed as voice_sealed
from staffwell.voice import services as voice
from staffwell.voice.models import Inbox, Post
from staffwell.wellbeing import services as wellbeing
from staffwell.wellbeing.models import CheckIn
from tests.surveys.helpers import add_people, make_campaign, pulse_answers, ticket_of

MARKERS = {
    "note": "zebra-note-on-my-night-shifts",
    "survey": "zebra-comment-in-my-survey",
    "draft": "zebra-draft-not-yet-sent",
    "voice": "zebra-voice-post-body",
}


def _everything(world):
    """One of each encrypted thing; returns what the test needs to read them back."""
    people = add_people(world.org, world.team, 12)
    campaign = make_campaign(world, units=[world.team])
    wellbeing.record_checkin(owner=world.users["staff"], mood=2, factors={}, help_now=False, note=MARKERS["note"])
    answers, free = pulse_answers(campaign.instrument, 4, MARKERS["survey"])
    assert services.submit(
        ticket=ticket_of(people[0], campaign),
        questions=campaign.instrument.ordered_questions(),
        answers=answers,
        free_text=free,
    )
    drafter = ticket_of(people[1], campaign)
    services.save_draft(drafter, {"answers": {1: 3}, "free_text": {6: MARKERS["draft"]}, "mode": "one"})
    contributions.contribute(user=people[2].user, mood=5)
    voice.post_anonymous(
        org=world.org,
        form_token=voice_sealed.new_form_token(),
        unit=None,
        kind=Post.Kind.IDEA,
        title="Water",
        body=MARKERS["voice"],
        hold=False,
    )
    return campaign, people, drafter


def _reads_back(world, campaign, people, drafter):
    assert CheckIn.objects.get(owner=world.users["staff"]).note == MARKERS["note"]
    (sealed_row,) = SealedResponse.objects.filter(campaign=campaign)
    assert [t for _, t in sealing.unseal(sealed_row.ciphertext)["t"]] == [MARKERS["survey"]]
    assert services.load_draft(ticket_of(people[1], campaign))["free_text"] == {6: MARKERS["draft"]}
    (pool,) = ContributionPool.objects.filter(organisation=world.org)
    assert [e["mood"] for e in contributions.unseal(pool).values()] == [5]
    assert [p["body"] for p in voice_sealed.peek(world.org.pk)["posts"]] == [MARKERS["voice"]]


def _raw_database() -> str:
    """Every row of every table, as the database holds it."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        out.append(bytes(value).decode("latin-1"))
                    else:
                        out.append(str(value))
    return "\n".join(out)


def _rotate() -> str:
    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    return out.getvalue()


def test_every_encrypted_thing_is_rotated_and_reads_after_the_old_key_is_removed(world, settings):
    campaign, people, drafter = _everything(world)
    old = list(settings.STAFFWELL_ENCRYPTION_KEYS)
    new = crypto.new_key()
    settings.STAFFWELL_ENCRYPTION_KEYS = [new, *old]
    report = _rotate()
    for label in (
        "wellbeing.CheckIn",
        "surveys.SealedResponse",
        "surveys.Draft",
        "surveys.ContributionPool",
        "voice.Inbox",
    ):
        assert re.search(rf"{re.escape(label)}\.\w+: [1-9]\d* row\(s\) re-encrypted", report), (label, report)
    settings.STAFFWELL_ENCRYPTION_KEYS = [new]  # the old key is gone
    _reads_back(world, campaign, people, drafter)
    dry = io.StringIO()
    call_command("rotate_encryption_keys", "--dry-run", stdout=dry)
    assert "0 row(s) would be re-encrypted" in dry.getvalue()
    # And the survey still closes: its sealed response is released with the new key alone.
    services.close(campaign=campaign, actor=world.users["lead"])
    assert FreeTextAnswer.objects.filter(campaign=campaign, text=MARKERS["survey"]).exists()


def test_the_raw_database_holds_none_of_the_encrypted_content(world):
    _everything(world)
    raw = _raw_database()
    assert raw
    for name, marker in MARKERS.items():
        assert marker not in raw, f"the {name} is readable in the database"


def test_secret_key_opens_nothing_and_changing_it_loses_nothing(world, settings):
    campaign, _, drafter = _everything(world)
    settings.SECRET_KEY = "a-different-secret-key-" + secrets.token_hex(16)
    # Personal links are signed with SECRET_KEY (outside encryption), so the draft is read
    # with the ticket made before the change.
    assert CheckIn.objects.get(owner=world.users["staff"]).note == MARKERS["note"]
    (sealed_row,) = SealedResponse.objects.filter(campaign=campaign)
    assert sealing.unseal(sealed_row.ciphertext)["t"][0][1] == MARKERS["survey"]
    assert services.load_draft(drafter)["free_text"] == {6: MARKERS["draft"]}
    assert len(contributions.unseal(ContributionPool.objects.get(organisation=world.org))) == 1
    assert voice_sealed.peek(world.org.pk)["posts"][0]["body"] == MARKERS["voice"]


# --------------------------------------------------------------------------- legacy formats


def _legacy_key(info: bytes) -> bytes:
    return hmac.new(django_settings.SECRET_KEY.encode(), info, hashlib.sha256).digest()


def _legacy_blob(key: bytes, plain: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(key).encrypt(nonce, plain, aad)


def test_values_in_the_older_formats_are_read_and_rotation_rewrites_them(world, settings):
    campaign, people, drafter = _everything(world)
    # As written before the one module: a Fernet sealed response, the pool and the inbox
    # keyed from SECRET_KEY, a draft keyed from SECRET_KEY and the link.
    body = sealing.unseal(SealedResponse.objects.get().ciphertext)

    fernet = Fernet(settings.STAFFWELL_ENCRYPTION_KEYS[0].encode())
    SealedResponse.objects.update(ciphertext=fernet.encrypt(json.dumps(body).encode()).decode())
    pool = ContributionPool.objects.get(organisation=world.org)
    entries = contributions.unseal(pool)
    plain = json.dumps(entries).encode() + b" " * 100
    ContributionPool.objects.filter(pk=pool.pk).update(
        ciphertext=_legacy_blob(
            _legacy_key(b"staffwell.survey.contribution-pool"), plain, f"pool:{world.org.pk}:{pool.week}".encode()
        )
    )
    content = voice_sealed.peek(world.org.pk)
    Inbox.objects.filter(organisation=world.org).update(
        ciphertext=_legacy_blob(
            _legacy_key(b"staffwell.voice.inbox"), json.dumps(content).encode(), f"voice-inbox:{world.org.pk}".encode()
        )
    )
    draft_plain = json.dumps({"answers": {"1": 3}, "free_text": {"6": MARKERS["draft"]}, "mode": "one"}).encode()
    Draft.objects.filter(pk=drafter.draft_id).update(
        ciphertext=_legacy_blob(
            _legacy_key(b"staffwell.survey.draft:" + drafter.draft_holder.encode()),
            draft_plain,
            drafter.draft_id.encode(),
        )
    )
    _reads_back(world, campaign, people, drafter)  # the old formats still read
    report = _rotate()
    assert "1 legacy draft(s)" in report  # needs its respondent: left to expire
    settings.SECRET_KEY_FALLBACKS = []
    # After rotation SECRET_KEY opens nothing sealed: change it, and all but the legacy
    # draft still reads.
    settings.SECRET_KEY = "changed-" + secrets.token_hex(16)
    assert sealing.unseal(SealedResponse.objects.get().ciphertext)["t"][0][1] == MARKERS["survey"]
    assert SealedResponse.objects.get().ciphertext.startswith(crypto.PREFIX)
    assert len(contributions.unseal(ContributionPool.objects.get(organisation=world.org))) == 1
    assert voice_sealed.peek(world.org.pk)["posts"][0]["body"] == MARKERS["voice"]


def test_no_code_outside_the_one_module_encrypts_or_makes_cipher_keys():
    root = Path(django_settings.BASE_DIR) / "staffwell"
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "crypto.py" and path.parent.name == "core":
            continue
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        uses = (
            r"from cryptography\.(fernet|hazmat\.primitives\.(ciphers|kdf))|\b(AESGCM|ChaCha20Poly1305|Fernet|HKDF)\("
        )
        if re.search(uses, text) or re.search(r"SECRET_KEY\b.*\b(encrypt|cipher|seal)", text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == [], f"encryption outside staffwell.core.crypto: {offenders}"


@pytest.mark.parametrize("bad", ["not-a-key", "c2hvcnQ=", ""])
def test_a_malformed_key_is_refused_with_a_specific_message(settings, bad):
    from django.core.exceptions import ImproperlyConfigured

    settings.STAFFWELL_ENCRYPTION_KEYS = [crypto.new_key(), bad] if bad else []
    with pytest.raises(ImproperlyConfigured, match="STAFFWELL_ENCRYPTION_KEYS"):
        crypto.encrypt("x")


def test_every_column_that_holds_ciphertext_is_rotated_by_the_command():
    """A new sealed store must be listed in ``crypto.SEALED``, or rotation would leave it on
    the old key (and removing that key would lose it)."""
    from django.apps import apps
    from django.db import models

    listed = {(s.label, s.field) for s in crypto.stores()}
    found = set()
    for model in apps.get_models():
        if not model._meta.app_config.name.startswith("staffwell."):
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.BinaryField) or "cipher" in f.name or getattr(f, "encrypted", False):
                found.add((model._meta.label, f.attname))
    # The uploaded staff list is kept as it came, not encrypted: it holds what the
    # memberships it creates hold in plain columns anyway (names, emails, units).
    found.discard(("organisations.StaffImport", "content"))
    assert found, "no encrypted columns found"
    assert found <= listed, f"not rotated: {sorted(found - listed)}"
    labels = {label for label, _ in listed}
    assert {"surveys.SealedResponse", "surveys.Draft", "surveys.ContributionPool", "voice.Inbox"} <= labels


def test_a_keyed_fingerprint_needs_its_key_and_a_real_one():
    """``crypto.keyed_fingerprint`` (single sign-on's client secret fingerprint): the same
    value has another fingerprint under another key, and something that is not a key from
    ``new_key()`` is refused rather than used."""
    key = crypto.new_key()
    first = crypto.keyed_fingerprint("a secret", key=key)
    assert first == crypto.keyed_fingerprint("a secret", key=key)
    assert len(first) == crypto.FINGERPRINT_LENGTH
    assert first != crypto.keyed_fingerprint("a secret", key=crypto.new_key())
    assert first != crypto.keyed_fingerprint("another secret", key=key)
    for bad in ("", "not-a-key", "c2hvcnQ="):
        with pytest.raises(ValueError):
            crypto.keyed_fingerprint("a secret", key=bad)
