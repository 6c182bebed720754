"""Attacks on what is left behind: the organisation's audit log must not say who was walked
through the just culture guide, and a request for support, once its owner deletes it, must
leave nothing that says they asked or who helped: not in the database, not in the logs the
application writes."""

import logging

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client
from django.urls import reverse

from staffwell.core.models import AuditEvent
from staffwell.records import services as records
from staffwell.records.models import Grant
from staffwell.support.models import FollowUp, SupportRequest
from tests.support import helpers


def _url(name, world, w):
    return reverse(f"support:{name}", kwargs={"org": world.org.slug, "walkthrough_id": w.pk})


# The organisation's audit log and the walk-through's own history --------------------------


def test_walk_through_events_are_not_in_the_organisations_audit_log(world, client_for):
    w = helpers.reached_walkthrough(world)
    for persona in ("manager", "lead", "rep", "staff"):
        client_for(persona).get(_url("walkthrough", world, w))
    assert not AuditEvent.objects.for_org(world.org).filter(action__startswith="support.walkthrough").exists()
    log = client_for("admin").get(reverse("organisations:audit", kwargs={"org": world.org.slug})).content.decode()
    assert "walkthrough" not in log and "walk-through" not in log and "Staff Person" not in log


def test_the_walk_throughs_own_people_see_who_read_and_changed_it(world, client_for):
    w = helpers.reached_walkthrough(world)
    client_for("rep").get(_url("walkthrough", world, w))
    page = client_for("staff").get(_url("walkthrough", world, w)).content.decode()
    history = page[page.index("Who has read or changed this record") :]
    assert "Manager Person" in history and "Started the walk-through" in history and "Answered a question" in history
    assert "Rep Person" in history and "Read the record" in history
    assert client_for("admin").get(_url("walkthrough", world, w)).status_code == 404


def test_events_recorded_before_the_fix_leave_the_organisations_log(world):
    from importlib import import_module

    from staffwell.core import audit

    w = helpers.walkthrough(world)
    audit.record("support.walkthrough.viewed", actor=world.users["staff"], organisation=world.org, obj=w)
    migration = import_module("staffwell.support.migrations.0002_walkthrough_events_leave_the_organisation_log")
    migration.forwards(apps, None)
    assert not AuditEvent.objects.for_org(world.org).filter(action__startswith="support.walkthrough").exists()
    assert AuditEvent.objects.filter(action="support.walkthrough.viewed", object_id=str(w.pk)).exists()


def test_no_audit_event_joins_a_walk_through_to_the_persons_request_for_support(world, client_for):
    req = helpers.ask(world)
    w = helpers.reached_walkthrough(world)
    client_for("staff").get(_url("walkthrough", world, w))
    client_for("staff").get(reverse("support:detail", kwargs={"request_id": req.pk}))
    about_w = AuditEvent.objects.filter(object_type="support.walkthrough", object_id=str(w.pk))
    about_req = AuditEvent.objects.filter(object_type="support.supportrequest", object_id=str(req.pk))
    assert about_w.exists() and about_req.exists()
    assert not about_w.filter(owner__isnull=False).exists()  # never in anyone's personal access log
    for e in about_w:
        assert "supportrequest" not in str(e.data) and "Support request" not in str(e.data)
    for e in about_req:
        assert "walkthrough" not in str(e.data).lower() and e.organisation_id == world.org.pk


# Deleting a request -----------------------------------------------------------------------


def _the_whole_story(world, client_for):
    """Asked, read and accepted by a peer supporter, shared with and read by the manager,
    a follow-up done; then deleted by its owner."""
    peer = world.memberships["editor"]
    helpers.make_peer(peer)
    req = helpers.ask(world)
    org = world.org.slug
    client_for("editor").get(reverse("support:peer_request", kwargs={"org": org, "request_id": req.pk}))
    client_for("editor").post(reverse("support:accept", kwargs={"org": org, "request_id": req.pk}))
    followup = req.followups.first()
    client_for("editor").post(
        reverse("support:followup_done", kwargs={"org": org, "request_id": req.pk, "followup_id": followup.pk})
    )
    manager = next(c for c in records.share_candidates(world.users["staff"]) if c.relationship == "line_manager")
    records.grant(owner=world.users["staff"], candidate=manager, obj=req, kind_key="support")
    client_for("manager").get(reverse("support:shared", kwargs={"request_id": req.pk}))
    req.refresh_from_db()
    assert req.accepted_by == world.users["editor"]
    client_for("staff").post(reverse("support:delete", kwargs={"request_id": req.pk}))
    return req


def test_a_deleted_request_leaves_no_row_that_says_who_asked_or_who_helped(world, client_for):
    req = _the_whole_story(world, client_for)
    asker, helpers_ = world.users["staff"], (world.users["editor"], world.users["manager"])
    assert not SupportRequest.objects.exists() and not FollowUp.objects.exists()
    assert not Grant.objects.filter(owner=asker).exists()
    assert not AuditEvent.objects.filter(owner=asker).exists()
    assert not AuditEvent.objects.filter(object_type="support.supportrequest").exists()
    assert not AuditEvent.objects.filter(actor__in=helpers_, action__startswith="records.").exists()
    # Every row left in the database that points at the asker is their own account.
    theirs = {"organisations.Membership.user"}
    pointing = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            points = isinstance(field, models.ForeignKey) and field.related_model is type(asker)
            if points and model._default_manager.filter(**{field.name: asker}).exists():
                pointing.append(f"{model._meta.label}.{field.name}")
    assert set(pointing) <= theirs, pointing
    # And no text anywhere names the request.
    label = f"Support request {req.pk}"
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not getattr(f, "encrypted", False)
        ]
        for name in text_fields:
            assert not model._default_manager.filter(**{name: label}).exists(), f"{model._meta.label}.{name}"
    for event in AuditEvent.objects.all():
        assert asker.full_name not in str(event.data) and asker.email not in event.actor_label + str(event.data)
    assert Session.objects.exists()  # the sessions are the sign-ins, not the request


def test_the_logs_the_application_writes_keep_no_support_path(world, client_for, caplog):
    with caplog.at_level(logging.DEBUG):
        req = _the_whole_story(world, client_for)
        client_for("staff").post(reverse("support:new"), {})  # a 400, logged with its path
        client_for("staff").get(reverse("support:detail", kwargs={"request_id": req.pk}))  # a 404 now
        client_for("manager").get(reverse("support:shared", kwargs={"request_id": req.pk}))
        # What the development server writes for each request (``make run``)
        for line in (
            f"POST /o/{world.org.slug}/support/peer/{req.pk}/accept/ HTTP/1.1",
            "GET /my/support/new/ HTTP/1.1",
        ):
            logging.getLogger("django.server").info('"%s" %s %s', line, "302", "0")
    assert "Bad Request" in caplog.text and "Not Found" in caplog.text  # the lines are written
    assert "/support/" not in caplog.text and f"/{req.pk}/" not in caplog.text
    assert f"/o/{world.org.slug}/…" in caplog.text and "/my/…" in caplog.text
    for record in caplog.records:
        request = getattr(record, "request", None)
        assert "/support/" not in str(getattr(request, "path", "")), record.getMessage()


def test_a_failed_csrf_check_on_a_support_page_logs_no_support_path(world, caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["staff"])
    with caplog.at_level(logging.WARNING):
        response = client.post(reverse("support:new"), {"event_kind": "violence"})
    assert response.status_code == 403
    assert "CSRF" in caplog.text and "/support/" not in caplog.text
