"""Records migration 0002 rewrites grant labels and the audit log's copies of them that named a
conversation's other person, to the kind, the date and the section heading."""

import importlib

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from staffwell.core import audit
from staffwell.core.models import AuditEvent
from staffwell.records.models import Grant
from staffwell.wellbeing.models import Conversation

migration = importlib.import_module("staffwell.records.migrations.0002_grant_labels_without_content")

OLD = "Wellbeing conversation with Dr Jekyll SECRETNAME psychiatrist on 20 November 2026"


def test_the_generic_form_keeps_kind_date_and_heading_only():
    g = migration.generic
    assert g(OLD) == "Wellbeing conversation on 20 November 2026"
    assert g(OLD + ": What we talked about") == "Wellbeing conversation on 20 November 2026: What we talked about"
    assert (
        g(OLD + ": What they will do", "their_actions")
        == "Wellbeing conversation on 20 November 2026: What they will do"
    )
    booked = "Wellbeing conversation with Sam: on call, booked for 3 January 2027: My own notes"
    assert g(booked) == "Wellbeing conversation, booked for 3 January 2027: My own notes"
    assert g("Wellbeing conversation with Mr Hyde") == "Wellbeing conversation"
    assert g(("Wellbeing conversation with " + "x" * 300)[:200], "notes") == "Wellbeing conversation: My own notes"
    for unchanged in ("Check-in on 3 May 2026", "Wellbeing plan: What keeps me well", "Passport", None, 3):
        assert g(unchanged) == unchanged


def test_existing_grants_and_audit_events_are_scrubbed(world):
    staff, manager = world.users["staff"], world.users["manager"]
    c = Conversation.objects.create(
        owner=staff, organisation=world.org, with_kind="someone_else", with_name="Dr Jekyll", status="held"
    )
    grant = Grant.objects.create(
        owner=staff,
        grantee=manager,
        organisation=world.org,
        kind="conversation",
        record_type=ContentType.objects.get_for_model(Conversation),
        record_id=c.pk,
        section="summary",
        label=OLD + ": What we talked about",
        relationship="line_manager",
    )
    grant.withdraw()
    for action in ("records.grant.created", "records.grant.withdrawn"):
        audit.record(action, actor=staff, owner=staff, obj=grant, data={"kind": "conversation", "what": grant.label})
    audit.record(
        "records.conversation.viewed",
        actor=manager,
        owner=staff,
        obj=c,
        data={"what": "wellbeing conversation", "sections": [grant.label], "relationship": "your line manager"},
    )
    other = audit.record("passport.created", actor=staff, owner=staff, data={"what": OLD})  # not records': kept

    migration.scrub(apps, None)

    grant.refresh_from_db()
    assert grant.label == "Wellbeing conversation on 20 November 2026: What we talked about"
    events = AuditEvent.objects.filter(action__startswith="records.")
    assert {e.data.get("what") for e in events if "grant" in e.action} == {grant.label}
    viewed = events.get(action="records.conversation.viewed")
    assert viewed.data == {
        "what": "wellbeing conversation",
        "sections": [grant.label],
        "relationship": "your line manager",
    }
    assert "SECRETNAME" not in str(list(AuditEvent.objects.exclude(pk=other.pk).values_list("data", flat=True)))
