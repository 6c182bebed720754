"""Check-ins that contribute to the team's anonymous pulse: each property of the route in
docs/survey-anonymity.md ("Check-ins that contribute"), and a linkage attack with the
whole database by someone who knows who checked in when."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from staffwell.core.models import AuditEvent
from staffwell.surveys import contributions
from staffwell.surveys.models import Answer, Campaign, ContributionPool, Response
from staffwell.wellbeing import services as wellbeing
from staffwell.wellbeing.models import CheckIn
from tests.surveys.helpers import add_people

TODAY = timezone.localdate()
THIS_WEEK = contributions.week_of(TODAY)
LAST_WEEK = THIS_WEEK - dt.timedelta(days=7)
NEXT_WEEK = THIS_WEEK + dt.timedelta(days=7)


def _dated(week, today):
    """The day a week's released contributions are dated to: the week, or, once the week's
    month has ended (its figures may have been shown), the first day of the next month."""
    end = (week.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return week if today < end else end


def _pool(org, week):
    return ContributionPool.objects.get(organisation=org, week=week)


def _check_in(membership, mood: int, *, contribute: bool, day=LAST_WEEK, hour=9):
    """A check-in as the view makes it, at a known time, contributing or not."""
    checkin = wellbeing.record_checkin(owner=membership.user, mood=mood, factors={}, help_now=False, note="")
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    CheckIn.objects.filter(pk=checkin.pk).update(created_at=at)
    if contribute:
        contributions.contribute(user=membership.user, mood=mood, day=day)
    return checkin


def _physical(model, columns: str) -> list[tuple]:
    """Rows in the order they sit in the table (SQLite rowid, PostgreSQL ctid)."""
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {model._meta.db_table} ORDER BY {order}")  # noqa: S608
        return cursor.fetchall()


# --------------------------------------------------------------------------- the choice


def test_the_check_in_form_offers_the_pulse_explained_and_off_by_default(world, client_for):
    page = client_for("staff").get(reverse("wellbeing:checkin_new")).content.decode()
    assert "Add my mood, without my name, to my team" in page
    box = page.split('name="contribute"')[1].split(">")[0]
    assert "checked" not in box
    assert "cannot be traced back to you" in page
    assert "Figures for fewer than 10 people are never shown" in page


def test_someone_with_no_organisation_is_not_offered_the_pulse(db):
    from django.test import Client

    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory())
    assert 'name="contribute"' not in client.get(reverse("wellbeing:checkin_new")).content.decode()


def test_a_check_in_without_the_choice_adds_nothing_to_the_pool(world, client_for):
    client_for("staff").post(reverse("wellbeing:checkin_new"), {"mood": "4"})
    assert not ContributionPool.objects.exists() or contributions.unseal(_pool(world.org, THIS_WEEK)) == {}


def test_a_check_in_with_the_choice_adds_only_unit_and_mood_to_the_sealed_pool(world, client_for):
    response = client_for("staff").post(
        reverse("wellbeing:checkin_new"), {"mood": "2", "note": "Rough night on 7", "contribute": "on"}, follow=True
    )
    assert "added, without your name, to your team" in response.content.decode()
    entries = contributions.unseal(_pool(world.org, THIS_WEEK))
    assert list(entries.values()) == [{"unit": world.team.pk, "mood": 2}]
    checkin = CheckIn.objects.get(owner=world.users["staff"])
    assert checkin.answers == {"mood": 2, "factors": {}, "help_now": False}  # nothing about contributing


def test_a_second_check_in_in_the_week_replaces_the_first_so_each_person_counts_once(world):
    member = add_people(world.org, world.team, 1)[0]
    _check_in(member, 2, contribute=True, day=THIS_WEEK)
    _check_in(member, 4, contribute=True, day=THIS_WEEK)
    assert list(contributions.unseal(_pool(world.org, THIS_WEEK)).values()) == [{"unit": world.team.pk, "mood": 4}]


# --------------------------------------------------------------------------- the pool


def test_the_pool_holds_no_owner_no_check_in_and_no_time_finer_than_the_week():
    fields = {f.column for f in ContributionPool._meta.concrete_fields}
    assert fields == {"id", "organisation_id", "week", "ciphertext"}
    assert ContributionPool._meta.pk.get_internal_type() == "UUIDField"


def test_the_pool_is_sealed_and_its_size_does_not_say_how_many_contributed(world):
    contributions.ensure_pools(THIS_WEEK)
    empty = len(bytes(_pool(world.org, THIS_WEEK).ciphertext))
    people = add_people(world.org, world.team, 12)
    for m in people:
        _check_in(m, 5, contribute=True, day=THIS_WEEK)
    blob = bytes(_pool(world.org, THIS_WEEK).ciphertext)
    assert len(blob) == empty
    assert b'"mood"' not in blob and b'"unit"' not in blob
    assert len(contributions.unseal(_pool(world.org, THIS_WEEK))) == 12


def test_every_organisation_has_a_pool_each_week_whether_or_not_anyone_contributed(world):
    contributions.ensure_pools(THIS_WEEK)
    assert ContributionPool.objects.filter(week=THIS_WEEK).count() == 2
    assert contributions.unseal(_pool(world.other_org, THIS_WEEK)) == {}


# --------------------------------------------------------------------------- release


def test_a_week_with_too_few_contributors_waits_and_is_released_with_the_next(world):
    ward7 = add_people(world.org, world.team, 6)
    for m in ward7:
        _check_in(m, 3, contribute=True, day=LAST_WEEK)
    # Two pools: every organisation has the week's pool (the other one's is empty).
    assert contributions.release(today=TODAY) == {"released": 0, "waiting": 6, "pools": 2}
    assert not Response.objects.exists()
    assert len(contributions.unseal(_pool(world.org, THIS_WEEK))) == 6
    # One of them checks in again this week: still one person. Five more people join.
    _check_in(ward7[0], 5, contribute=True, day=THIS_WEEK)
    for m in add_people(world.org, world.team, 4):
        _check_in(m, 4, contribute=True, day=THIS_WEEK)
    assert contributions.release(today=NEXT_WEEK) == {"released": 10, "waiting": 0, "pools": 2}
    assert sorted(Answer.objects.values_list("value", flat=True)) == [3] * 5 + [4] * 4 + [5]
    assert set(Response.objects.values_list("submitted_on", flat=True)) == {_dated(THIS_WEEK, NEXT_WEEK)}
    assert not ContributionPool.objects.filter(week=THIS_WEEK).exists()


def test_released_contributions_are_ordinary_pulse_responses_coarsened_to_units_of_at_least_k(world):
    for m in add_people(world.org, world.team, 11):
        _check_in(m, 4, contribute=True)
    for m in add_people(world.org, world.other_team, 3):
        _check_in(m, 2, contribute=True)
    contributions.release(today=TODAY)
    campaign = Campaign.objects.get(from_checkins=True)
    assert campaign.instrument.key == "wellbeing-pulse" and campaign.instrument.organisation is None
    assert campaign.opens_on == _dated(LAST_WEEK, TODAY).replace(day=1) and campaign.status == Campaign.Status.LAUNCHED
    by_unit = {}
    for unit_id, value in Response.objects.values_list("unit_id", "answers__value"):
        by_unit.setdefault(unit_id, []).append(value)
    # Ward 7 has 11 contributors and keeps its name; Ward 8's 3 are too few and merge
    # up: the three left over at Medicine are too few, so Medicine is stored whole.
    assert world.other_team.pk not in by_unit
    assert all(len(values) >= 10 or unit is None for unit, values in by_unit.items())
    assert sum(len(v) for v in by_unit.values()) == 14
    feeling = campaign.instrument.questions.get(response_set__key="feeling")
    assert set(Answer.objects.values_list("question", flat=True)) == {feeling.pk}
    event = AuditEvent.objects.get(action="survey.checkin_pulse.released")
    assert event.data == {"week": LAST_WEEK.isoformat(), "contributions": 14}


def test_the_check_in_pulse_has_no_kiosk_codes(world):
    from staffwell.surveys import services

    for m in add_people(world.org, world.team, 10):
        _check_in(m, 4, contribute=True)
    contributions.release(today=TODAY)
    with pytest.raises(services.SurveyError):
        services.create_kiosk_batch(
            campaign=Campaign.objects.get(from_checkins=True), unit=world.team, size=1, actor=None
        )


def test_the_release_command_creates_this_weeks_pools_and_releases_last_weeks(world):
    from io import StringIO

    from django.core.management import call_command

    for m in add_people(world.org, world.team, 10):
        _check_in(m, 4, contribute=True)
    out = StringIO()
    call_command("release_checkin_contributions", stdout=out)
    assert "10 contributions released" in out.getvalue()
    assert ContributionPool.objects.filter(week=THIS_WEEK).count() == 2
    assert Response.objects.count() == 10


# --------------------------------------------------------------------------- the linkage attack


def test_an_attacker_with_the_whole_database_who_knows_who_checked_in_when_cannot_find_a_contribution(
    world, client_for
):
    """Alice, the only person in Ward 8 to contribute, checks in through the web, signed in,
    with the lowest mood. The attacker has every table (sessions decoded, audit log, task
    queue) and knows from the check-ins table exactly who checked in when."""
    alice_user = world.users["rep"]  # in Ward 8
    client = client_for("rep")
    assert client.post(reverse("wellbeing:checkin_new"), {"mood": "1", "contribute": "on"}).status_code == 302
    CheckIn.objects.filter(owner=alice_user).update(
        created_at=timezone.make_aware(dt.datetime.combine(LAST_WEEK + dt.timedelta(days=2), dt.time(3, 14)))
    )
    # Move Alice's web contribution into last week's pool, as if sent then.
    this_pool = _pool(world.org, THIS_WEEK)
    entries = contributions.unseal(this_pool)
    this_pool.delete()
    last = contributions._locked_pool(world.org.pk, LAST_WEEK)
    last.ciphertext = contributions.seal(org_id=world.org.pk, week=LAST_WEEK, entries=entries)
    last.save()
    # Everyone else in Ward 7 checks in too, some contributing, in an order unrelated to mood.
    others = add_people(world.org, world.team, 14)
    moods = [5, 2, 4, 3, 5, 4, 2, 3, 4, 5, 3, 4, 2, 5]
    for hour, (m, mood) in enumerate(zip(others, moods, strict=True)):
        _check_in(m, mood, contribute=hour % 4 != 3, day=LAST_WEEK + dt.timedelta(days=hour % 5), hour=hour + 6)
    contributed = 1 + sum(1 for h in range(14) if h % 4 != 3)
    assert contributions.release(today=TODAY)["released"] == contributed

    # 1. Identifiers: no table holds a response id next to anything about a person.
    ids = {str(r).replace("-", "") for r in Response.objects.values_list("id", flat=True)}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in {Response._meta.db_table, Answer._meta.db_table}:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(v).replace("-", "") for v in row)
                assert not any(i in text for i in ids), f"{table} mentions a released response"
    # 2. The answer side holds nothing about a person, and no time finer than the week.
    assert {f.column for f in Response._meta.concrete_fields} == {
        "id",
        "campaign_id",
        "unit_id",
        "staff_group",
        "submitted_on",
    }
    assert set(Response.objects.values_list("submitted_on", flat=True)) == {_dated(LAST_WEEK, TODAY)}
    assert not ContributionPool.objects.filter(week=LAST_WEEK).exists()
    # 3. Attributes: Alice's unit is not singled out; she is stored with at least k others.
    assert not Response.objects.filter(unit=world.other_team).exists()
    for unit_id in set(Response.objects.values_list("unit_id", flat=True)):
        assert Response.objects.filter(unit_id=unit_id).count() >= 10
    # 4. Order: the rows sit in an order fixed by their content alone, so pairing the
    #    check-ins' times with the physical order of the rows finds nothing.
    rows = _physical(Response, "unit_id")
    values = [v for (v,) in _physical(Answer, "value")]
    pairs = sorted((u or 0, v) for (u,), v in zip(rows, values, strict=True))
    assert list(zip([u or 0 for (u,) in rows], values, strict=True)) == pairs
    # 5. Sessions, messages, the audit log and the task queue say nothing about contributing.
    for session in Session.objects.all():
        assert "pulse" not in str(session.get_decoded())
    assert not AuditEvent.objects.filter(owner_id=alice_user.pk).exclude(action__startswith="records.").exists()
    for table in connection.introspection.table_names():
        if "task" in table:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                assert cursor.fetchone()[0] == 0
    # 6. Nothing on Alice's check-in says that it contributed.
    assert CheckIn.objects.get(owner=alice_user).answers == {"mood": 1, "factors": {}, "help_now": False}


def test_the_answer_side_is_the_same_whatever_order_people_checked_in(world):
    """Two weeks with the same contributions made in opposite orders leave identical
    answer-side rows in identical physical order (bar their random ids)."""
    people = add_people(world.org, world.team, 12)
    moods = [1, 5, 2, 4, 3, 3, 4, 2, 5, 1, 4, 3]
    week_a, week_b = LAST_WEEK - dt.timedelta(days=7), LAST_WEEK
    for m, mood in zip(people, moods, strict=True):
        _check_in(m, mood, contribute=True, day=week_a)
    for m, mood in reversed(list(zip(people, moods, strict=True))):
        _check_in(m, mood, contribute=True, day=week_b)
    contributions.release(today=TODAY)
    rows = _physical(Response, "submitted_on, unit_id")
    values = [v for (v,) in _physical(Answer, "value")]
    # Each week is released on its own, one after the other (both may be dated to the
    # same day when their month has ended, so tell them apart by position).
    seq = [(unit, value) for (_, unit), value in zip(rows, values, strict=True)]
    assert len(seq) == 24
    assert seq[:12] == seq[12:]


def test_the_check_in_pulse_page_explains_itself_and_offers_no_codes_or_reminders(world, client_for):
    for m in add_people(world.org, world.team, 10):
        _check_in(m, 4, contribute=True)
    contributions.release(today=TODAY)
    campaign = Campaign.objects.get(from_checkins=True)
    page = client_for("lead").get(
        reverse("surveys:campaign", kwargs={"org": world.org.slug, "campaign_id": campaign.pk})
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "made of check-ins that staff chose to add" in html
    assert "Make codes for a unit" not in html and "Send a reminder now" not in html


def test_contributions_released_after_a_month_is_shown_count_towards_the_next_month(world):
    """Attack: read the month's figures when it ends, read them again after the last
    week's release, and difference. A figure once shown must never change."""
    november_last_week = dt.date(2026, 11, 23)
    people = add_people(world.org, world.team, 12)
    for m in people:
        _check_in(m, 2, contribute=True, day=dt.date(2026, 11, 16))
    assert contributions.release(today=dt.date(2026, 11, 23))["released"] == 12
    november = Campaign.objects.get(from_checkins=True, opens_on=dt.date(2026, 11, 1))
    shown = sorted(Answer.objects.filter(response__campaign=november).values_list("value", flat=True))
    for m in people:
        _check_in(m, 5, contribute=True, day=november_last_week)
    # Released on 1 December: November has ended and its figures are shown.
    assert contributions.release(today=dt.date(2026, 12, 1))["released"] == 12
    again = sorted(Answer.objects.filter(response__campaign=november).values_list("value", flat=True))
    assert again == shown, "November's figures changed after they were shown"
    december = Campaign.objects.get(from_checkins=True, opens_on=dt.date(2026, 12, 1))
    assert Response.objects.filter(campaign=december).count() == 12
    assert set(Response.objects.filter(campaign=december).values_list("submitted_on", flat=True)) == {
        dt.date(2026, 12, 1)
    }
