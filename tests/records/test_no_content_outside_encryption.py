"""Given every kind of staff-owned record, written with a marker in every field the owner
types, shared, read and withdrawn, when an attacker reads every table of the raw database
(and every email sent), then the marker is nowhere in clear text.

Found by an attack (session 5): a conversation partner's name, promised encrypted, was copied
into the grant's label ("Wellbeing conversation with Dr Jekyll ... on 20 November 2026") and
from there into the audit log's "what", where it stayed after the grant was withdrawn."""

import base64
import datetime as dt
import json

from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from staffwell.core.models import AuditEvent
from staffwell.passports import services as passports
from staffwell.passports.models import PassportKind, Status
from staffwell.records import registry
from staffwell.records import services as records
from staffwell.records.models import Grant
from staffwell.support import services as support
from staffwell.wellbeing import services as wellbeing
from staffwell.wellbeing.models import Conversation

MARK = "SECRETNAME"


def _text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def _decoded_session(value: str) -> str:
    """Django's session data is signed, not encrypted: an attacker decodes it."""
    try:
        payload = value.split(":", 1)[0]
        compressed = payload.startswith(".")
        raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
        if compressed:
            import zlib

            raw = zlib.decompress(raw)
        return raw.decode("utf-8", "replace")
    except Exception:
        return ""


def _raw_database() -> dict[str, str]:
    """Every row of every table, as the database holds it (table -> text)."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts = []
            for row in cursor.fetchall():
                for value in row:
                    text = _text(value)
                    parts.append(text)
                    if table == "django_session":
                        parts.append(_decoded_session(text))
            found[table] = "\n".join(parts)
    return found


def _leaks(marker: str) -> list[str]:
    where = [table for table, text in _raw_database().items() if marker.lower() in text.lower()]
    for message in mail.outbox:
        if marker.lower() in f"{message.subject}\n{message.body}".lower():
            where.append(f"email {message.subject!r}")
    return where


def _every_kind_written_and_shared(world, client_for) -> dict:
    staff, manager = world.users["staff"], world.users["manager"]
    staff_client = client_for("staff")
    held_on = timezone.localdate() - dt.timedelta(days=3)

    # A conversation with someone not on staffwell, through the pages, as the attacker did.
    response = staff_client.post(
        reverse("wellbeing:conversation_new"),
        {
            "who": "someone_else",
            "name": f"Dr Jekyll {MARK} psychiatrist",
            "status": "held",
            "date": held_on.strftime("%d/%m/%Y"),
            "place": f"Clinic {MARK}",
            "summary": f"Summary {MARK}",
            "notes": f"Notes {MARK}",
            "mine_0_text": f"Mine {MARK}",
            "theirs_0_text": f"Theirs {MARK}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    conversation = Conversation.objects.get(owner=staff)
    booked = wellbeing.save_conversation(
        owner=staff,
        conversation=None,
        with_kind=Conversation.With.SOMEONE_ELSE,
        with_user=None,
        with_name=f"Mr Hyde {MARK}",
        status=Conversation.Status.BOOKED,
        booked_for=timezone.now() + dt.timedelta(days=5),
        held_on=None,
        details={"place": f"Place {MARK}", "summary": f"Booked {MARK}"},
        actions=[],
        share_their_actions=False,
    )
    plan = wellbeing.save_plan(
        owner=staff,
        answers={
            "keeps_well": f"Keeps {MARK}",
            "gets_in_way": f"Way {MARK}",
            "early_signs": f"Signs {MARK}",
            "what_helps": f"Helps {MARK}",
            "from_manager": f"From {MARK}",
            "i_will": f"Will {MARK}",
            "topics": ["sleep"],
            "right_now": "ok",
        },
        review_on=None,
    )
    checkin = wellbeing.record_checkin(
        owner=staff, mood=2, factors={"sleep": "worse"}, help_now=False, note=f"Check-in {MARK}"
    )
    passport = passports.create_passport(
        owner=staff,
        kind=PassportKind.ADJUSTMENTS,
        content={"what_is_hard": f"Hard {MARK}", "what_helps": f"Helps {MARK}", "if_unwell": f"Unwell {MARK}"},
    )
    adjustment = passports.request_adjustment(passport=passport, text=f"Request {MARK}", actor=staff)
    carer = passports.create_passport(
        owner=staff,
        kind=PassportKind.CARER,
        content=dict.fromkeys(("caring_situation", "flexibility_needed", "emergency_arrangements"), f"Carer {MARK}"),
    )
    request = support.ask(
        owner=staff,
        membership=world.memberships["staff"],
        about="myself",
        event_kind="stressful",
        details={"what_happened": f"Happened {MARK}", "what_would_help": f"Help {MARK}", "contact": f"Call {MARK}"},
        incident_reference=f"INC-{MARK}",
        to_programme=False,
        programme_sections=[],
    )

    manager_key = next(
        c.key for c in records.share_candidates(staff) if c.relationship == "line_manager" and c.user == manager
    )
    share = lambda kind, obj, section="all": staff_client.post(  # noqa: E731
        reverse("records:share", kwargs={"kind": kind, "record_id": obj.pk}),
        {"section": section, "person": manager_key},
    )
    for kind, obj in [
        ("conversation", conversation),
        ("conversation", booked),
        ("plan", plan),
        ("checkin", checkin),
        ("passport", passport),
        ("passport", carer),
        ("support", request),
    ]:
        assert share(kind, obj).status_code == 302, (kind, share(kind, obj).content.decode()[:2000])
        for section, _heading in registry.kind(kind).sections(obj)[:1]:
            assert share(kind, obj, section).status_code == 302
    # The manager reads what was shared and decides the request, with reasons.
    manager_client = client_for("manager")
    for name, kwargs in [
        ("wellbeing:shared_conversation", {"conversation_id": conversation.pk}),
        ("wellbeing:shared_plan", {"plan_id": plan.pk}),
        ("wellbeing:shared_checkin", {"checkin_id": checkin.pk}),
        ("passports:shared_detail", {"passport_id": passport.pk}),
    ]:
        assert manager_client.get(reverse(name, kwargs=kwargs)).status_code == 200
    passports.move(
        adjustment=adjustment,
        to=Status.AGREED_WITH_CHANGES,
        actor=manager,
        agreed_text=f"Agreed {MARK}",
        reason=f"Reason {MARK}",
    )
    # ... and the owner stops sharing the conversation.
    for g in Grant.objects.live().filter(kind="conversation"):
        assert staff_client.post(reverse("records:withdraw", kwargs={"grant_id": g.pk})).status_code == 302
    return {"conversation": conversation, "booked": booked}


def test_no_record_content_is_in_clear_anywhere_in_the_database_or_the_emails(world, client_for):
    made = _every_kind_written_and_shared(world, client_for)
    assert Grant.objects.count() >= 13
    assert AuditEvent.objects.filter(action="records.grant.created").count() >= 13
    assert _leaks(MARK) == []
    # the records still read back, for their owner
    made["conversation"].refresh_from_db()
    assert made["conversation"].with_name == f"Dr Jekyll {MARK} psychiatrist"


def test_grant_labels_and_the_audit_name_the_kind_and_date_only(world, client_for):
    made = _every_kind_written_and_shared(world, client_for)
    held = made["conversation"].held_on
    labels = set(
        Grant.objects.filter(kind="conversation", record_id=made["conversation"].pk).values_list("label", flat=True)
    )
    day = f"{held.day} {held:%B %Y}"
    assert labels == {f"Wellbeing conversation on {day}", f"Wellbeing conversation on {day}: What we talked about"}
    whats = {e.data["what"] for e in AuditEvent.objects.filter(action__startswith="records.grant.")}
    assert not any(MARK in w for w in whats)
    assert f"Wellbeing conversation on {day}" in whats


def test_the_owner_still_sees_who_the_conversation_was_with_on_their_own_sharing_page(world, client_for):
    made = _every_kind_written_and_shared(world, client_for)
    page = client_for("staff").get(
        reverse("records:share", kwargs={"kind": "conversation", "record_id": made["booked"].pk})
    )
    assert f"Mr Hyde {MARK}" in page.content.decode()  # decrypted at display time, for the owner
    exported = json.dumps(records.export_all(world.users["staff"]))
    assert f"Wellbeing conversation with Mr Hyde {MARK}, booked for" in exported  # the owner's own export
