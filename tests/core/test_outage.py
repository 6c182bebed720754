"""A real database outage: the server keeps answering, with an NHS.UK-style 503 page and a
health check that says so, and recovers by itself when the database is back.

The server is a real `manage.py runserver` on a free loopback port with its own SQLite file.
The outage is real too: the database file is moved away and a directory put in its place, so
SQLite cannot open it; then it is put back. No restart in between.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, cookie: str = "") -> tuple[int, str, dict]:
    headers = {"Accept": "text/html", **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http on loopback only
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outage")
    database = folder / "staffwell.sqlite3"
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env = {**base, "STAFFWELL_ENV": "development", "DEBUG": "false", "SQLITE_PATH": str(database)}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if _get(url + "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("The server did not start.")
    yield url, database
    process.kill()
    process.wait(timeout=10)


def test_while_the_database_is_down_people_get_a_503_page_and_it_recovers_without_a_restart(server):
    url, database = server
    assert _get(url + "/healthz")[0] == 200
    assert _get(url + "/")[0] == 302  # to sign in

    moved = database.with_suffix(".away")
    shutil.move(database, moved)
    for extra in ("-wal", "-shm"):
        side = Path(str(database) + extra)
        if side.exists():
            shutil.move(side, Path(str(moved) + extra))
    database.mkdir()  # SQLite cannot open a directory: a real outage
    try:
        # A signed-in person's every page reads their session from the database.
        for path in ("/", "/my/passports/", "/passports/verify/"):
            status, body, headers = _get(url + path, cookie="sessionid=someones-session")
            assert status == 503, (path, status, body[:500])
            assert "Sorry, the service is unavailable" in body and "nhsuk-header" in body
            assert headers.get("Retry-After") == "30"
        status, body, _ = _get(url + "/healthz")
        assert status == 503 and '"database": "unreachable"' in body
    finally:
        database.rmdir()
        shutil.move(moved, database)
        for extra in ("-wal", "-shm"):
            side = Path(str(moved) + extra)
            if side.exists():
                shutil.move(side, Path(str(database) + extra))

    assert _get(url + "/healthz")[0] == 200
    assert _get(url + "/sign-in/")[0] == 200
    assert _get(url + "/")[0] == 302
