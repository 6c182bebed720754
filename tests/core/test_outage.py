"""A real database outage: the server keeps answering, with an NHS.UK-style 503 page and a
health check that says so, and recovers by itself when the database is back.

The server is a real `manage.py runserver` on a free loopback port. No restart in between.

- SQLite: the server has its own database file. The outage: the file is moved away and a
  directory put in its place, so SQLite cannot open it; then it is put back.
- PostgreSQL (when the tests run with a postgres DATABASE_URL): the server uses the test
  database through a small TCP relay on loopback. The outage: the relay cuts every open
  connection and stops listening, so the server's pooled connection breaks and new ones are
  refused, as when the database host goes away; then it listens again.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

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


class Relay:
    """A TCP relay on loopback to the PostgreSQL server, that can be cut and restored."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = _free_port()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener: socket.socket | None = None
        self.up()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        listener, self.listener = self.listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the thread waiting in accept()
            listener.close()
        with self.lock:
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed: the outage
            try:
                server = socket.create_connection(self.upstream, timeout=10)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


def _start(env: dict) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if _get(url + "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("The server did not start.")
    return process, url


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def outage(request, tmp_path):
    """(server url, cut the database, restore it) for each database the tests can reach."""
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env = {**base, "STAFFWELL_ENV": "development", "DEBUG": "false"}
    if request.param == "sqlite":
        database = tmp_path / "staffwell.sqlite3"
        env["SQLITE_PATH"] = str(database)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
        moved = database.with_suffix(".away")

        def cut():
            shutil.move(database, moved)
            for extra in ("-wal", "-shm"):
                side = Path(str(database) + extra)
                if side.exists():
                    shutil.move(side, Path(str(moved) + extra))
            database.mkdir()  # SQLite cannot open a directory: a real outage

        def restore():
            database.rmdir()
            shutil.move(moved, database)
            for extra in ("-wal", "-shm"):
                side = Path(str(moved) + extra)
                if side.exists():
                    shutil.move(side, Path(str(database) + extra))

        process, url = _start(env)
    else:
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.skip("PostgreSQL: run the tests with a postgres DATABASE_URL")
        from django.db import connection  # the test database (the test is marked django_db)

        target = urlsplit(os.environ["DATABASE_URL"])
        relay = Relay((target.hostname or "127.0.0.1", target.port or 5432))
        netloc = (target.netloc.rsplit("@", 1)[0] + "@" if "@" in target.netloc else "") + f"127.0.0.1:{relay.port}"
        env["DATABASE_URL"] = urlunsplit(
            (target.scheme, netloc, "/" + connection.settings_dict["NAME"], target.query, "")
        )
        cut, restore = relay.down, relay.up
        process, url = _start(env)
    try:
        yield url, cut, restore
    finally:
        process.kill()
        process.wait(timeout=10)
        if request.param != "sqlite":
            relay.down()


@pytest.mark.django_db(transaction=True)  # PostgreSQL: the server uses the migrated test database
def test_while_the_database_is_down_people_get_a_503_page_and_it_recovers_without_a_restart(outage):
    url, cut, restore = outage
    assert _get(url + "/healthz")[0] == 200
    assert _get(url + "/")[0] == 302  # to sign in

    cut()
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
        restore()

    assert _get(url + "/healthz")[0] == 200
    assert _get(url + "/sign-in/")[0] == 200
    assert _get(url + "/")[0] == 302
