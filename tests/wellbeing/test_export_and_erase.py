"""Given everything a staff member keeps, when they export it they get all of it, and when
they erase it nothing of it is left in any table."""

import json
import re

from django.db import connection
from django.urls import reverse

from staffwell.core.models import AuditEvent
from staffwell.records import services as records
from staffwell.records.access import shared_or_404
from staffwell.records.models import Grant
from staffwell.wellbeing import services
from staffwell.wellbeing.models import CheckIn, Conversation, ConversationAction, Plan, PlanVersion


def _everything(world, manager_candidate, staff_plan, staff_conversation):
    services.record_checkin(
        owner=world.users["staff"], mood=2, factors={"sleep": "worse"}, help_now=False, note="tired"
    )
    records.grant(
        owner=world.users["staff"], candidate=manager_candidate, obj=staff_plan, kind_key="plan", section="keeps_well"
    )
    shared_or_404("plan", viewer=world.users["manager"], pk=staff_plan.pk)


def test_the_export_has_the_check_ins_plan_conversations_sharing_and_access_log(
    world, client_for, manager_candidate, staff_plan, staff_conversation
):
    _everything(world, manager_candidate, staff_plan, staff_conversation)
    data = json.loads(client_for("staff").get(reverse("records:export_json")).content)
    mine = data["sections"]["wellbeing"]["data"]
    assert mine["check_ins"][0]["note"] == "tired" and mine["check_ins"][0]["mood"] == "Low"
    assert mine["wellbeing_plan"]["What keeps me well"] == "Swimming on Tuesdays"
    assert mine["conversations"][0]["my_notes"] == "Private thought about my rota"
    assert {a["action"] for a in mine["conversations"][0]["actions"]} == {
        "Try the sleep guide",
        "Space out my night shifts",
    }
    shared = sorted(s["what"] for s in data["sharing"])
    assert shared[1] == "Wellbeing plan: What keeps me well"
    assert re.fullmatch(
        r"Wellbeing conversation with Manager Person (on|, booked for) .+: What they will do", shared[0]
    )
    assert data["access_log"][0]["who"] == "Manager Person"


def test_the_pdf_export_contains_the_plan(world, client_for, staff_plan):
    response = client_for("staff").get(reverse("records:export_pdf"))
    assert response.content.startswith(b"%PDF") and len(response.content) > 2000


def test_erasing_leaves_no_content_in_any_table_and_only_a_contentless_audit_event(
    world, client_for, manager_candidate, staff_plan, staff_conversation
):
    _everything(world, manager_candidate, staff_plan, staff_conversation)
    other = services.record_checkin(
        owner=world.users["manager"], mood=4, factors={}, help_now=False, note="manager's own"
    )
    client_for("staff").post(reverse("records:erase"), {"confirm": "ERASE"})
    staff = world.users["staff"]
    for model in (CheckIn, Plan, Conversation):
        assert not model.objects.filter(owner=staff).exists()
    assert not PlanVersion.objects.exists() and not ConversationAction.objects.exists()
    assert not Grant.objects.filter(owner=staff).exists()
    assert [e.action for e in AuditEvent.objects.filter(owner=staff)] == ["records.erasure.completed"]
    # Another person's records are untouched.
    assert CheckIn.objects.get().pk == other.pk
    # Nothing readable or encrypted of theirs is left in any table of the database.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            dump = " ".join(str(v) for row in cursor.fetchall() for v in row)
            for text in ("Swimming on Tuesdays", "Private thought", "What keeps me well", "tired"):
                assert text not in dump, (table, text)
