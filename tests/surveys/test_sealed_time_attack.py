"""Attack: read when each sealed row was written, from a copy of the database, without keys.

A Fernet token begins with a version byte and the second it was made, in the clear: with
sealed survey responses in Fernet, anyone with a copy of the database (or of its file and
write-ahead log) reads the time of every submission, and sets it beside the sign-in
records and the reminder rounds. Sealed, pooled and anonymous data must carry no time.

The attacker here knows nothing about the format: they decode every base64 run they find
and look for any 8-byte big-endian number near the moment of the test in its first bytes
(a random nonce matches with a chance of about one in 10**13).
"""

import base64
import binascii
import os
import re
import time

import pytest
from django.db import connection

from staffwell.core import crypto
from staffwell.surveys import contributions, services
from staffwell.voice import sealed as voice_sealed
from staffwell.voice import services as voice
from staffwell.voice.models import Post
from tests.surveys.helpers import add_people, answer_as, make_campaign, ticket_of
from tests.surveys.test_storage_attack import _raw, _scenario

WINDOW = 6 * 3600  # seconds either side of now that count as "the time it was written"
RUN = re.compile(rb"[A-Za-z0-9_+/-]{24,}={0,2}")


def _times_in(data: bytes, now: float) -> list[int]:
    """Every 8-byte big-endian number within WINDOW of ``now`` in the first 40 bytes."""
    head = data[:40]
    found = []
    for i in range(len(head) - 7):
        value = int.from_bytes(head[i : i + 8], "big")
        if abs(value - now) < WINDOW:
            found.append(value)
    return found


def _decoded(value: bytes) -> list[bytes]:
    """The value as it is, and every base64 run in it decoded."""
    out = [value]
    for m in RUN.finditer(value):
        run = m.group(0)
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            try:
                out.append(decode(run + b"=" * (-len(run) % 4)))
            except (binascii.Error, ValueError):
                continue
    return out


def readable_times(value, now: float) -> list[int]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.encode()
    return [t for piece in _decoded(bytes(value)) for t in _times_in(piece, now)]


def _column(table: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ciphertext FROM {table}")  # noqa: S608
        return [r[0] for r in cursor.fetchall()]


def test_no_sealed_row_tells_when_it_was_written(world):
    now = time.time()
    people = add_people(world.org, world.team, 12)
    campaign = make_campaign(world, units=[world.team])
    for m in people[:3]:
        assert answer_as(m, campaign, text="It is fine")
    services.save_draft(ticket_of(people[5], campaign), {"answers": {1: 3}, "free_text": {}, "mode": "one"})
    contributions.contribute(user=people[6].user, mood=4)
    voice.post_anonymous(
        org=world.org,
        form_token=voice_sealed.new_form_token(),
        unit=None,
        kind=Post.Kind.IDEA,
        title="Water",
        body="A fountain",
        hold=False,
    )
    checked = 0
    for table in ("surveys_sealedresponse", "surveys_draft", "surveys_contributionpool", "voice_inbox"):
        values = _column(table)
        assert values, f"nothing sealed in {table}"
        for value in values:
            checked += 1
            assert readable_times(value, now) == [], f"a row of {table} says when it was written"
    assert checked >= 6
    # The attacker's method works: it reads the time out of a Fernet token.
    from cryptography.fernet import Fernet

    assert readable_times(Fernet(Fernet.generate_key()).encrypt(b"x"), now)
    assert crypto.decrypt(crypto.encrypt("still readable with the key")) == "still readable with the key"


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite files")
def test_the_sqlite_file_and_its_wal_hold_no_submission_time(tmp_path):
    now = time.time()
    db = tmp_path / "time.sqlite3"
    _scenario(db, "setup", 12)
    _scenario(db, "answer", 3, 0, 7)
    raw = _raw(db)
    assert b"marker-" not in raw
    found = [t for m in RUN.finditer(raw) for t in readable_times(m.group(0), now)]
    assert found == [], "the file or its write-ahead log says when responses were submitted"
