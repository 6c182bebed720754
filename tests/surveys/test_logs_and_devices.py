"""Attack: find personal links and kiosk codes where they are left behind: the logs that
`make run` writes, page addresses (a shared ward computer's history), and the browser a
kiosk respondent used."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.test import Client
from django.urls import reverse

from staffwell.surveys import services
from staffwell.surveys.models import Draft, SealedResponse
from tests.surveys.helpers import add_people, make_campaign
from tests.surveys.test_storage_attack import ROOT, _scenario

ALL_FIVES = {f"q{n}": "5" for n in range(1, 6)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs on its own SQLite file")
def test_the_development_server_log_holds_no_personal_link_or_kiosk_code(tmp_path):
    db = tmp_path / "run.sqlite3"
    _scenario(db, "setup", 12)
    token, code = _scenario(db, "link", 0).split()[-2:]
    port = _free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "SQLITE_PATH": str(db), "STAFFWELL_ENV": "development", "DEBUG": "true"}
    env.pop("DATABASE_URL", None)
    with log.open("w") as out:
        server = subprocess.Popen(  # what `make run` starts
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        assert browser.open(f"{base}/s/{token}/").status == 200
        with pytest.raises(urllib.error.HTTPError):
            browser.open(f"{base}/s/{token[:-1]}x/")  # a mistyped link: a 404, logged with its path
        form = browser.open(f"{base}/kiosk/").read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "code": code}).encode()
        with pytest.raises(urllib.error.HTTPError) as moved:
            browser.open(urllib.request.Request(f"{base}/kiosk/", data=body, headers={"Referer": f"{base}/kiosk/"}))  # noqa: S310
        where = moved.value.headers["Location"]
        assert moved.value.code == 302 and "/kiosk/" in where
        plain = services.normalise_code(code)
        assert plain not in where and code not in where, "the code is in the address the browser keeps"
        assert browser.open(urllib.parse.urljoin(base, where)).status == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    written = log.read_text()
    assert "/kiosk/" in written and "/s/" in written, "the access log was written"
    assert token not in written and token[:-1] not in written
    assert plain not in written and code not in written


def _start_kiosk(client: Client, code: str) -> str:
    moved = client.post(reverse("surveys:kiosk"), {"code": code})
    assert moved.status_code == 302
    return moved["Location"]


def test_a_kiosk_respondents_saved_answers_open_only_in_their_browser_and_nothing_stays(world):
    add_people(world.org, world.team, 12)
    campaign = make_campaign(world)
    code = services.create_kiosk_batch(campaign=campaign, unit=world.team, size=1, actor=world.users["lead"])[0]
    plain = services.normalise_code(code)
    porter = Client()
    start = _start_kiosk(porter, code)
    assert plain not in start and code not in start
    porter.post(start, {"mode": "one"})
    question_1 = start + "q/1/"
    saved = porter.post(question_1, {"q1": "2", "action": "save"})
    assert saved.status_code == 302 and plain not in saved["Location"]
    assert 'value="2" checked' in porter.get(question_1).content.decode()

    # Someone else at the same kiosk computer, in another browser session, with the
    # same code (seen on the slip) or the address from the history:
    other = Client()
    assert other.get(question_1).status_code == 404
    their_start = _start_kiosk(other, code)
    page = other.get(their_start).content.decode()
    assert "Continue to your answers" not in page
    assert 'value="2" checked' not in other.get(their_start + "q/1/").content.decode()

    # The porter finishes: afterwards nothing of theirs opens from that browser.
    done = porter.post(start + "all/", {**ALL_FIVES, "action": "submit"})
    assert done.status_code == 302
    assert "received" in porter.get(done["Location"]).content.decode()
    for address in (start, question_1, start + "check/", done["Location"]):
        assert porter.get(address).status_code == 404
    assert SealedResponse.objects.count() == 1
    assert not Draft.objects.exists(), "the saved answers are deleted on submission"
