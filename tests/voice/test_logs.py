"""No log line the application writes carries a staff voice request or a private code."""

import logging

from django.test import Client
from django.urls import reverse

from tests.voice.helpers import anonymous_post


def test_request_log_lines_for_staff_voice_paths_are_dropped_and_others_kept(caplog):
    server = logging.getLogger("django.server")
    with caplog.at_level(logging.INFO):
        server.info('"%s" %s %s', "POST /o/trust/voice/new/ HTTP/1.1", "200", "5120")
        server.info('"%s" %s %s', "GET /o/trust/library/ HTTP/1.1", "200", "5120")
    # The voice line is dropped; the other is written, its path rewritten like every page
    # under /o/<org>/ (staffwell.core.logs), so the filter does not silence everything.
    assert "/voice/" not in caplog.text and "POST" not in caplog.text
    assert len(caplog.records) == 1 and '"GET /o/trust/… HTTP/1.1" 200' in caplog.text


def test_a_wrong_code_or_a_bad_request_logs_nothing_about_it(world, client_for, caplog):
    _post, code = anonymous_post(world.org)
    client = client_for("staff")
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("voice:follow", kwargs={"org": world.org.slug}), {"code": "WRONG-CODE"})
        client.post(reverse("voice:follow", kwargs={"org": world.org.slug}), {"code": code})
        client.post(reverse("voice:follow_reply", kwargs={"org": world.org.slug}), {"code": code, "body": ""})
    assert code not in caplog.text and "/voice/" not in caplog.text


def _strict(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_failed_csrf_check_on_a_staff_voice_page_is_not_logged(world, caplog):
    """Attack: Django's CSRF warning ("Forbidden (CSRF token missing.): /path/") comes from
    its own logger, which the filter did not cover, and dated a staff voice post."""
    client = _strict(world.users["staff"])
    with caplog.at_level(logging.WARNING):
        response = client.post(reverse("voice:new", kwargs={"org": world.org.slug}), {"title": "Hot food at night"})
        assert response.status_code == 403
        assert "/voice/" not in caplog.text
        # The same failure elsewhere is still logged: the test sees what the filter would let through.
        other = client.post(reverse("support:new"), {"event_kind": "violence"})
    assert other.status_code == 403 and "CSRF" in caplog.text


def test_a_failed_csrf_check_on_a_survey_link_logs_no_token(world, caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING):
        client.post("/s/a-personal-link-token-12345/", {"q1": "5"})
    assert "CSRF" in caplog.text and "a-personal-link-token-12345" not in caplog.text and "/s/…" in caplog.text


def test_the_filter_also_cleans_what_the_configured_handlers_write_from_any_logger():
    """A path logged by some other logger still passes the filter on the way out."""
    from staffwell.core import logs

    handlers = [h for h in logging.getLogger().handlers if any(isinstance(f, logs.RedactPaths) for f in h.filters)]
    assert handlers, "the filter is on the configured handlers"
    record = logging.LogRecord("somewhere.else", logging.WARNING, __file__, 1, "Odd: %s", ("/o/t/voice/new/",), None)
    assert not all(f.filter(record) for f in handlers[0].filters)
