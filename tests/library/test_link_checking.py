"""The link checker, against a real HTTP server on 127.0.0.1 started by the test."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse

from staffwell.library import linkcheck
from staffwell.library.models import CaseStudy, Episode, LinkCheck, Resource


class Handler(BaseHTTPRequestHandler):
    in_flight = 0
    most_at_once = 0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def _answer(self, with_body: bool):
        cls = type(self)
        with cls.lock:
            cls.in_flight += 1
            cls.most_at_once = max(cls.most_at_once, cls.in_flight)
        try:
            path = self.path.split("?")[0]
            if path.startswith("/slow"):
                time.sleep(0.6)
            if path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/new-home")
                self.end_headers()
            elif path == "/temporary":
                self.send_response(302)
                self.send_header("Location", "/ok")
                self.end_headers()
            elif path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
                self.end_headers()
            elif path == "/gone":
                self.send_response(404)
                self.end_headers()
            elif path == "/get-only" and not with_body:
                self.send_response(405)
                self.end_headers()
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                if with_body:
                    self.wfile.write(b"<p>hello</p>")
        finally:
            with cls.lock:
                cls.in_flight -= 1

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)


@pytest.fixture
def server():
    Handler.in_flight = Handler.most_at_once = 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_working_moved_and_broken_links_are_told_apart(server):
    results = {
        r.url.removeprefix(server): r
        for r in linkcheck.check_urls(
            [f"{server}/ok", f"{server}/moved", f"{server}/temporary", f"{server}/gone", f"{server}/get-only"],
            timeout=5,
        )
    }
    assert results["/ok"].state == "ok" and results["/ok"].status_code == 200
    assert results["/moved"].state == "moved" and results["/moved"].final_url == f"{server}/new-home"
    assert results["/temporary"].state == "ok" and results["/temporary"].final_url == f"{server}/ok"
    assert results["/gone"].state == "broken" and results["/gone"].status_code == 404
    assert results["/get-only"].state == "ok"  # HEAD refused, GET works


def test_a_slow_server_times_out_and_a_redirect_loop_is_broken(server):
    slow, loop = linkcheck.check_urls([f"{server}/slow", f"{server}/loop"], timeout=0.2)
    assert slow.state == "broken" and "No answer within 0.2 seconds" in slow.error
    assert loop.state == "broken"


def test_nothing_listening_and_non_web_addresses_are_broken():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    closed, ftp = linkcheck.check_urls([f"http://127.0.0.1:{port}/", "ftp://127.0.0.1/file"], timeout=2)
    assert closed.state == "broken" and "Could not connect" in closed.error
    assert ftp.state == "broken" and "Not a web address" in ftp.error


def test_concurrency_is_bounded(server):
    urls = [f"{server}/slow-{i}" for i in range(6)]
    started = time.monotonic()
    results = linkcheck.check_urls(urls, concurrency=2, timeout=5)
    assert all(r.state == "ok" for r in results)
    assert Handler.most_at_once <= 2
    assert time.monotonic() - started >= 3 * 0.55  # six slow answers, two at a time


def test_the_command_checks_every_library_link_and_editors_see_the_broken_and_moved(server, world, client_for, capsys):
    # Point every seeded link at the local server (the tests never leave this machine).
    Resource.objects.update(url=f"{server}/ok")
    CaseStudy.objects.update(url=f"{server}/ok")
    Episode.objects.update(source_url=f"{server}/ok")
    Resource.objects.filter(slug="liberate").update(url=f"{server}/gone")
    Resource.objects.filter(slug="head-first").update(url=f"{server}/moved")
    call_command("check_links", "--timeout", "5", "--concurrency", "4")
    out = capsys.readouterr().out
    assert "Checked 3 links: 1 working, 1 moved, 1 broken." in out
    assert LinkCheck.objects.get(url=f"{server}/gone").status_code == 404
    assert LinkCheck.objects.get(url=f"{server}/moved").final_url == f"{server}/new-home"
    assert LinkCheck.objects.get(url=f"{server}/ok").checked_at is not None

    page = client_for("editor").get(reverse("library:editorial_links")).content.decode()
    assert "Liberate" in page and "Head First" in page and "The server answered 404" in page
    assert f'Now at <span class="staffwell-break-anywhere">{server}/new-home</span>' in page
    assert "Broken or moved (2)" in page
    dashboard = client_for("editor").get(reverse("library:editorial")).content.decode()
    assert "2 broken or moved" in dashboard


def test_the_scheduled_task_runs_the_same_check(server, db):
    from staffwell.library.tasks import check_library_links

    Resource.objects.update(url=f"{server}/ok")
    CaseStudy.objects.update(url="")
    Episode.objects.update(source_url="")
    result = check_library_links.enqueue()
    assert result.return_value == {"ok": 1, "moved": 0, "broken": 0}
