"""Attack: link people to their answers from the raw database, not from its tables.

The attacker of docs/survey-anonymity.md holds a copy of the database at any moment,
including physical row order, system columns (SQLite rowid, PostgreSQL xmin and ctid),
free pages and the write-ahead log, and knows who was invited and reminded, and when.
They do not hold the application's keys. Everyone here answers in one stored cell (one
ward, no staff group), so the best they may do is chance within it.
"""

import os
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from staffwell.surveys import services
from staffwell.surveys.models import Invitation, Response
from tests.surveys.helpers import add_people, answer_as, make_campaign

ROOT = Path(settings.BASE_DIR)
PEOPLE = 40


def _kendall_tau(order: list[int]) -> float:
    """Rank correlation of a sequence with 0, 1, 2, ...: 1 is the same order, about 0 is
    no relation. A random order of 40 has a standard deviation of about 0.11."""
    n = len(order)
    concordant = sum(1 for i in range(n) for j in range(i + 1, n) if order[i] < order[j])
    pairs = n * (n - 1) / 2
    return (2 * concordant - pairs) / pairs


def _scenario(path: Path, *args) -> str:
    env = {**os.environ, "SQLITE_PATH": str(path), "STAFFWELL_ENV": "development"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.surveys.wal_scenario", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _raw(path: Path) -> bytes:
    """What a copy of the files holds: the database file, then its write-ahead log."""
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _markers(raw: bytes) -> list[int]:
    """The people whose answers the attacker can read, in the order they first appear."""
    seen: list[int] = []
    for m in re.finditer(rb"marker-(\d{3})", raw):
        i = int(m.group(1))
        if i not in seen:
            seen.append(i)
    return seen


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite files")
def test_the_sqlite_file_and_its_wal_read_while_held_open_do_not_pair_people_with_answers(tmp_path):
    db = tmp_path / "attack.sqlite3"
    _scenario(db, "setup", PEOPLE)
    # The attacker's idle shell: a read transaction that keeps the WAL from being reset.
    holder = sqlite3.connect(db)
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM surveys_invitation").fetchone()
    order = list(range(PEOPLE))
    random.Random(12).shuffle(order)
    first, second = order[:15], order[15:]
    _scenario(db, "answer", *first)
    _scenario(db, "remind")  # a reminder round goes to those who have not answered
    _scenario(db, "answer", *second)

    # While the campaign is open, nothing anyone answered can be read in the file or WAL.
    assert _markers(_raw(db)) == [], "answers readable beside the participation marks"
    assert b"marker-" not in _raw(db)

    # Nothing per person says who was reminded (the mail log says so; the database must
    # not add a way to sort respondents into the reminder rounds).
    columns = {r[1] for r in holder.execute("PRAGMA table_info(surveys_invitation)")}
    assert not columns & {"reminded_on", "reminders_sent"}

    holder.rollback()
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM surveys_invitation").fetchone()
    _scenario(db, "close")
    raw = _raw(db)
    readable = _markers(raw)
    assert sorted(readable) == sorted(order), "every answer is released at close"
    answered = {person: position for position, person in enumerate(order)}
    # The order answers appear in the file and WAL says nothing about the answering order...
    by_position = [answered[p] for p in readable]
    assert abs(_kendall_tau(by_position)) < 0.4
    # ...nor about the reminder round: people answering before it are not ahead.
    early = sum(1 for p in readable[: len(first)] if p in first)
    assert early < len(first) * 0.8
    # ...nor does the physical (rowid) order of the released responses.
    fresh = sqlite3.connect(db)
    rows = fresh.execute("SELECT rowid, submitted_on FROM surveys_response ORDER BY rowid").fetchall()
    texts = [int(t[7:]) for (t,) in fresh.execute("SELECT text FROM surveys_freetextanswer ORDER BY rowid")]
    assert len(rows) == PEOPLE and len({d for _, d in rows}) == 1, "all dated to the close"
    assert abs(_kendall_tau([answered[p] for p in texts])) < 0.4
    fresh.close()
    holder.close()


@pytest.mark.django_db(transaction=True)
def test_system_columns_and_physical_order_do_not_say_who_answered_first(world):
    """PostgreSQL xmin and ctid, SQLite rowid: each submission commits on its own."""
    people = add_people(world.org, world.team, PEOPLE)
    campaign = make_campaign(world, units=[world.team])
    order = list(range(PEOPLE))
    random.Random(7).shuffle(order)
    for i in order:
        assert answer_as(people[i], campaign, value=1 + i % 5)
    # While open, the attacker finds no readable response to order by xmin or rowid.
    assert not Response.objects.filter(campaign=campaign).exists()
    services.close(campaign=campaign, actor=world.users["lead"])
    physical = "ctid" if connection.vendor == "postgresql" else "rowid"
    stamp = "r.xmin::text" if connection.vendor == "postgresql" else "1"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {stamp}, a.value FROM surveys_response r JOIN surveys_answer a ON a.response_id = r.id "  # noqa: S608
            f"WHERE r.campaign_id = %s AND a.question_id = %s ORDER BY r.{physical}",
            [campaign.pk, campaign.instrument.ordered_questions()[0].pk],
        )
        rows = cursor.fetchall()
    assert len(rows) == PEOPLE
    assert len({xmin for xmin, _ in rows}) == 1, "released in one transaction"
    # The answers in physical order match the answering order no better than a shuffle
    # would (equal at about a fifth of the positions by chance).
    answered = [1 + i % 5 for i in order]
    matches = sum(1 for a, (_, b) in zip(answered, rows, strict=True) if a == b)
    assert matches < PEOPLE * 0.5


@pytest.mark.django_db
def test_no_record_per_invitation_says_who_was_reminded(world):
    fields = {f.name for f in Invitation._meta.get_fields()}
    assert not fields & {"reminded_on", "reminders_sent"}


@pytest.mark.django_db
def test_sqlite_overwrites_deleted_content():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
