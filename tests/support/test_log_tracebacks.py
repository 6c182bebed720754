"""A refused support page must not leave its name in the log through a traceback (found by
an attack, session 5): the path was rewritten to ``/o/<org>/…``, but a 403 is logged with
the exception, and its traceback named ``staffwell/support/views/peer.py`` and
``peer_request``. A 4xx is the caller's mistake: its line is kept, its traceback is not."""

import logging

from django.urls import reverse

from tests.support.test_audit_and_erasure import _the_whole_story


def test_a_refused_support_page_logs_its_line_without_a_traceback(world, client_for, caplog):
    req = _the_whole_story(world, client_for)
    with caplog.at_level(logging.DEBUG):
        response = client_for("staff").get(
            reverse("support:peer_request", kwargs={"org": world.org.slug, "request_id": req.pk})
        )
    assert response.status_code in (403, 404)
    assert caplog.records, "the refusal is logged"
    assert "support" not in caplog.text and "peer" not in caplog.text, caplog.text
    assert all(record.exc_info is None for record in caplog.records)
