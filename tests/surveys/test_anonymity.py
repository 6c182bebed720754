"""Unlinkability by construction (docs/survey-anonymity.md), tested as an attacker would try.

The attacker has the whole database: every table, including the task queue, sessions and
the audit log. They know who one participant is, and try to find that person's answers.
"""

import json
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staffwell.surveys import services
from staffwell.surveys.models import Answer, FreeTextAnswer, Invitation, Participation, Response, SealedResponse
from tests.surveys.helpers import add_people, answer_as, make_campaign, pulse_answers

ANSWER_SIDE = {
    "surveys_response": {"id", "campaign_id", "unit_id", "staff_group", "submitted_on"},
    "surveys_answer": {"id", "response_id", "question_id", "value"},
    "surveys_freetextanswer": {"id", "campaign_id", "question_id", "unit_id", "text"},
    # While a campaign is open: sealed with the application's keys (staffwell.surveys.sealing).
    "surveys_sealedresponse": {"id", "campaign_id", "ciphertext"},
}


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def _dump_everything() -> dict[str, list[tuple]]:
    """Every row of every table, as the attacker sees it."""
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names from the schema)
            out[table] = [tuple(_plain(v) for v in row) for row in cursor.fetchall()]
    return out


def _plain(value):
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    return str(value) if value is not None else None


def _session_texts() -> list[str]:
    return [json.dumps(s.get_decoded(), default=str) for s in Session.objects.all()]


@pytest.fixture
def ward(world):
    people = add_people(world.org, world.team, 14)
    return people


def test_the_answer_tables_hold_only_answers_campaign_coarse_unit_band_and_day(db):
    for table, allowed in ANSWER_SIDE.items():
        assert _columns(table) == allowed, f"{table} has columns beyond the anonymity design"
    for model in (Response, Answer, FreeTextAnswer, SealedResponse):
        pk = model._meta.pk
        assert pk.get_internal_type() == "UUIDField", f"{model.__name__} needs a random key, not a sequence"
        for field in model._meta.concrete_fields:
            assert field.get_internal_type() != "DateTimeField", f"{model.__name__}.{field.name} is finer than a day"
            assert not getattr(field, "auto_now", False) and not getattr(field, "auto_now_add", False)


def test_the_people_tables_hold_no_time_finer_than_a_day_and_no_reference_to_a_response(db):
    for model in (Invitation, Participation):
        for field in model._meta.concrete_fields:
            assert field.get_internal_type() != "DateTimeField", f"{model.__name__}.{field.name} is finer than a day"
            related = getattr(field, "related_model", None)
            assert related not in (Response, Answer, FreeTextAnswer, SealedResponse)


def test_a_submission_writes_only_to_the_answer_tables_and_the_participation_set(world, ward):
    campaign = make_campaign(world)
    ticket = services.ticket_for_token(services.invitation_token(campaign.invitations.first().secret))
    answers, free = pulse_answers(campaign.instrument, text="Breaks get cancelled")
    with CaptureQueriesContext(connection) as queries:
        assert services.submit(
            ticket=ticket, questions=campaign.instrument.ordered_questions(), answers=answers, free_text=free
        )
    written = set()
    for q in queries.captured_queries:  # PostgreSQL writes them all in one statement (WITH ...)
        written |= set(re.findall(r'(?<!FOR )(?:INSERT INTO|UPDATE|DELETE FROM)\s+["`]?(\w+)', q["sql"].upper()))
    # Nothing readable: the answers are sealed, and readable rows are written only at close.
    assert written == {"SURVEYS_SEALEDRESPONSE", "SURVEYS_PARTICIPATION", "SURVEYS_DRAFT"}
    assert "Breaks get cancelled" not in json.dumps(_dump_everything())


def test_the_people_side_is_the_same_whatever_order_people_answered_in(world, ward):
    """If the order of answering left any trace on the people side, it could be matched
    against the order of the response rows. So: answer in two different orders, and the
    people side (every table except the answer tables) must come out identical."""
    campaign = make_campaign(world)
    people = ward[:6]

    def people_side_after(order):
        sid = transaction.savepoint()
        for i, m in enumerate(order):
            assert answer_as(m, campaign, value=1 + i % 5)
        dump = _dump_everything()
        transaction.savepoint_rollback(sid)
        return {t: sorted(rows, key=str) for t, rows in dump.items() if t not in ANSWER_SIDE}

    assert people_side_after(people) == people_side_after(list(reversed(people)))
    part = Participation.objects.get(
        campaign=campaign, bucket=services.bucket_for(campaign.stored_unit_id(world.team.pk))
    )
    assert part.member_ids == []  # rolled back


def test_an_attacker_with_the_whole_database_cannot_link_a_known_participant_to_their_answers(
    world, ward, client_for, settings, django_capture_on_commit_callbacks, monkeypatch
):
    """The staff persona answers through the web, signed in, with a distinctive free-text
    answer, among others; invitations and reminders go through the database task queue.
    The attacker knows everything about the staff persona and searches every table."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker runs inside the test's transaction: it must not close the connection.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = make_campaign(world)
    call_command("db_worker", batch=True, queue_name="*", no_startup_delay=True, verbosity=0)
    staff = world.memberships["staff"]
    others = list(ward[:9])
    for m in others[:4]:
        answer_as(m, campaign, value=2)
    # The known participant answers through the web while signed in.
    invitation = campaign.invitations.get(membership=staff)
    token = services.invitation_token(invitation.secret)
    client = client_for("staff")
    client.post(reverse("surveys:respond_start", kwargs={"token": token}), {"mode": "all"})
    posted = {f"q{n}": "5" for n in range(1, 6)} | {"q6": "Nobody covers my breaks on Ward 7", "action": "submit"}
    response = client.post(reverse("surveys:respond_all", kwargs={"token": token}), posted)
    assert response.status_code == 302
    for m in others[4:]:
        answer_as(m, campaign, value=3)
    from staffwell.surveys.tasks import send_reminders

    send_reminders.enqueue(campaign.pk)
    call_command("db_worker", batch=True, queue_name="*", no_startup_delay=True, verbosity=0)
    # While the campaign is open there is no readable response to order or search.
    assert not Response.objects.exists() and "Nobody covers" not in json.dumps(_dump_everything())
    services.close(campaign=campaign, actor=world.users["lead"])

    target = FreeTextAnswer.objects.get(text__contains="Nobody covers").pk  # the attacker spots the comment
    the_response = next(r for r in Response.objects.all() if set(r.answers.values_list("value", flat=True)) == {5})
    secrets_of_staff = {
        staff.email,
        staff.full_name,
        staff.person_id,
        token,
        invitation.token_hash,
        invitation.secret,
    }
    response_ids = {str(the_response.pk), the_response.pk.hex, str(target), target.hex}
    dump = _dump_everything()
    for table, rows in dump.items():
        for row in rows:
            text = " ".join(v for v in row if v)
            holds_response = any(rid in text for rid in response_ids)
            if holds_response:
                assert table in ANSWER_SIDE, f"{table} refers to the response"
                assert not any(s in text for s in secrets_of_staff), f"{table} joins the person to the response"
            if table in ANSWER_SIDE:
                assert not any(s in text for s in secrets_of_staff), f"{table} holds something about the person"
    for text in _session_texts():
        assert not any(rid in text for rid in response_ids)
        assert "Nobody covers" not in text
    # The task queue carried only campaign ids and counts.
    assert len(dump["django_tasks_database_dbtaskresult"]) >= 2  # invitations and reminders went through it
    for row in dump["django_tasks_database_dbtaskresult"]:
        assert not any(rid in " ".join(v for v in row if v) for rid in response_ids)

    # Order attack: pair the i-th response row with the i-th person in the participation
    # record. The record is a sorted set, so this pairs by person id, not by time.
    bucket = Participation.objects.get(
        campaign=campaign, bucket=(invitation.report_unit_id and str(invitation.report_unit_id)) or "org"
    )
    assert bucket.member_ids == sorted(bucket.member_ids)
    assert staff.pk in bucket.member_ids
    # The staff persona has the lowest id of the responders but answered fifth of ten.
    assert bucket.member_ids[0] == staff.pk
    with connection.cursor() as cursor:
        order_column = "ctid" if connection.vendor == "postgresql" else "rowid"
        cursor.execute(f"SELECT id FROM surveys_response ORDER BY {order_column}")  # noqa: S608
        physical = [str(r[0]).replace("-", "") for r in cursor.fetchall()]
    # The rows were released at close in a random order (the statistical test of that is
    # tests/surveys/test_storage_attack.py); here: they are all there, dated to the close.
    assert the_response.pk.hex in physical and len(physical) == 10
    assert set(Response.objects.values_list("submitted_on", flat=True)) == {campaign.closed_on}
    # Nothing about answering is in the audit log.
    from staffwell.core.models import AuditEvent

    assert not AuditEvent.objects.filter(action__contains="respon").exclude(action="survey.reminders.sent").exists()
