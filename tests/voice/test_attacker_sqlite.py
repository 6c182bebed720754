"""The attacker with the raw SQLite files: the database and its -wal file, read while
another connection holds the WAL open so that nothing is checkpointed away.

A real staffwell (its own SQLite file, its own process) serves twelve people signed in one
after another. Each uses the staff voice pages the same way; one of them posts an
anonymous idea, the others say "me too" to a named post. The attacker knows who signed in
and when (sessions, last sign-in), reads every WAL frame in commit order, and tries to tie
the anonymous post (or a "me too") to the person signed in when it was written.
"""

import json
import os
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AUTHOR = 5
TITLE = b"Hot food for the night porters"


def _run(db: Path, *args) -> str:
    env = {
        **os.environ,
        "STAFFWELL_ENV": "development",
        "SQLITE_PATH": str(db),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DATABASE_URL": "",
    }
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def commits(wal: bytes) -> list[list[tuple[int, bytes]]]:
    """The WAL's frames grouped into commits: [(page number, page bytes), ...] each."""
    page_size = struct.unpack(">I", wal[8:12])[0]
    out, current, offset = [], [], 32
    while offset + 24 + page_size <= len(wal):
        page_no, db_size = struct.unpack(">II", wal[offset : offset + 8])
        current.append((page_no, wal[offset + 24 : offset + 24 + page_size]))
        offset += 24 + page_size
        if db_size:
            out.append(current)
            current = []
    return out


@pytest.fixture(scope="module")
def captured(tmp_path_factory):
    """Run the real application; copy the database and -wal while a reader holds them."""
    folder = tmp_path_factory.mktemp("voice-attack")
    db = folder / "staffwell.sqlite3"
    _run(db, "manage.py", "migrate", "-v0")
    _run(db, "-m", "tests.voice.attack_driver", "setup")
    reader = sqlite3.connect(db)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM voice_post").fetchone()  # holds a read snapshot: no checkpoint
    people = json.loads(_run(db, "-m", "tests.voice.attack_driver", "act", str(AUTHOR)).strip().splitlines()[-1])
    wal = (folder / "staffwell.sqlite3-wal").read_bytes()
    main = db.read_bytes()
    reader.rollback()
    reader.close()
    inspect = sqlite3.connect(db)
    inbox_id = inspect.execute("SELECT id FROM voice_inbox").fetchone()[0]
    rows = {
        "post": inspect.execute("SELECT * FROM voice_post WHERE title = ?", (TITLE.decode(),)).fetchone(),
        "post_columns": [c[1] for c in inspect.execute("PRAGMA table_info(voice_post)")],
    }
    inspect.close()
    return {"people": people, "wal": wal, "main": main, "inbox_id": inbox_id, "rows": rows}


def _attribute(captured):
    """The attacker's attribution: each commit belongs to whoever signed in last before it."""
    people = captured["people"]
    by_person: dict[int, list] = {p["user_id"]: [] for p in people}
    current = None
    inbox = captured["inbox_id"].encode()
    release = None
    for index, commit in enumerate(commits(captured["wal"])):
        blob = b"".join(page for _, page in commit)
        for p in people:
            if p["session_key"].encode() in blob:
                current = p["user_id"]
        if b"release_voice" in blob:  # the scheduled release (queued by cron), not a person
            current = None
        if TITLE in blob and release is None:
            release = index
        if current is not None and inbox in blob:
            by_person[current].append(len(commit))
    return by_person, release


def test_the_wal_was_captured_with_every_commit_in_it(captured):
    all_commits = commits(captured["wal"])
    assert len(all_commits) > 12 * 3
    blob = captured["wal"]
    assert all(p["session_key"].encode() in blob for p in captured["people"])


def test_the_anonymous_post_appears_only_in_the_release_beside_nothing_about_anyone(captured):
    all_commits = commits(captured["wal"])
    holding = [i for i, c in enumerate(all_commits) if TITLE in b"".join(page for _, page in c)]
    assert holding, "the release wrote the post"
    people = captured["people"]
    for i in holding:
        blob = b"".join(page for _, page in all_commits[i])
        for p in people:
            assert p["session_key"].encode() not in blob
            assert p["email"].encode() not in blob
    # Before the release the post exists only sealed: no readable copy in any earlier commit.
    first_release = holding[0]
    assert all(TITLE not in b"".join(pg for _, pg in c) for c in all_commits[:first_release])


def test_every_person_signed_in_left_the_same_trace_so_the_author_is_no_better_than_chance(captured):
    by_person, _ = _attribute(captured)
    traces = {tuple(t) for t in by_person.values()}
    # Everyone wrote the sealed inbox the same number of times, with commits of the same
    # shape: the post, the "me too"s and mere page views are indistinguishable.
    assert len(traces) == 1, by_person
    assert all(len(t) == 3 for t in by_person.values())


def test_the_released_post_holds_no_person_and_no_time_finer_than_a_day(captured):
    row = dict(zip(captured["rows"]["post_columns"], captured["rows"]["post"], strict=True))
    assert row["author_id"] is None and row["author_name"] == "" and row["anonymous"] == 1
    assert len(row["raised_on"]) == 10  # YYYY-MM-DD
    for p in captured["people"]:
        assert str(p["user_id"]) != row["author_id"]
    assert not any(isinstance(v, str) and ":" in v and "T" in v for v in row.values())
