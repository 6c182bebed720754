"""No log line the application writes carries a staff voice request or a private code."""

import logging

from django.urls import reverse

from tests.voice.helpers import anonymous_post


def test_request_log_lines_for_staff_voice_paths_are_dropped_and_others_kept(caplog):
    server = logging.getLogger("django.server")
    with caplog.at_level(logging.INFO):
        server.info('"%s" %s %s', "POST /o/trust/voice/new/ HTTP/1.1", "200", "5120")
        server.info('"%s" %s %s', "GET /o/trust/library/ HTTP/1.1", "200", "5120")
    assert "/voice/" not in caplog.text and "/library/" in caplog.text


def test_a_wrong_code_or_a_bad_request_logs_nothing_about_it(world, client_for, caplog):
    _post, code = anonymous_post(world.org)
    client = client_for("staff")
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("voice:follow", kwargs={"org": world.org.slug}), {"code": "WRONG-CODE"})
        client.post(reverse("voice:follow", kwargs={"org": world.org.slug}), {"code": code})
        client.post(reverse("voice:follow_reply", kwargs={"org": world.org.slug}), {"code": code, "body": ""})
    assert code not in caplog.text and "/voice/" not in caplog.text
