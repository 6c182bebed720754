"""Submissions that arrive at the same moment, each on its own database connection and
committed for real: the same link from several threads at once (a double tap, a retry
racing the original) is stored once, and different people in one unit are all stored
(no lost update of the unit's participation set)."""

import pytest
from django.db import connection  # noqa: F401 - named by the skipif conditions

from staffwell.surveys import services
from staffwell.surveys.models import Answer, Participation, Response, SealedResponse
from tests.concurrency import at_once
from tests.surveys.helpers import add_people, close_now, make_campaign, pulse_answers, ticket_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite takes one writer at a time by design (IMMEDIATE transactions on a file), but the
    # test database is a shared in-memory one, whose table locks fail at once instead of
    # waiting; the concurrent case is PostgreSQL's, the production database.
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL"),
]
THREADS = 6


def _marked(campaign) -> list[int]:
    """Everyone marked as having taken part, across the campaign's participation sets."""
    return sorted(m for part in Participation.objects.filter(campaign=campaign) for m in part.member_ids)


def _submitter(campaign, ticket_for):
    answers, free = pulse_answers(campaign.instrument, text="Too few staff at night")
    questions = campaign.instrument.ordered_questions()

    def call():
        return services.submit(ticket=ticket_for(), questions=questions, answers=answers, free_text=free)

    return call


def test_the_same_link_submitted_from_several_threads_at_once_is_stored_once(world):
    people = add_people(world.org, world.team, 12)
    campaign = make_campaign(world)
    call = _submitter(campaign, lambda: ticket_of(people[0], campaign))
    results = at_once([call] * THREADS)
    assert sorted(results, key=str) == [False] * (THREADS - 1) + [True]
    assert SealedResponse.objects.count() == 1
    assert _marked(campaign) == [people[0].pk]
    close_now(world, campaign)
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 5


def test_different_people_in_one_unit_submitting_at_once_are_all_stored(world):
    people = add_people(world.org, world.team, 12)
    campaign = make_campaign(world)
    calls = [_submitter(campaign, lambda p=p: ticket_of(p, campaign)) for p in people[:THREADS]]
    assert at_once(calls) == [True] * THREADS
    assert SealedResponse.objects.count() == THREADS
    assert _marked(campaign) == sorted(p.pk for p in people[:THREADS])
    close_now(world, campaign)
    assert Response.objects.count() == THREADS


def test_one_kiosk_code_typed_on_several_devices_at_once_is_stored_once(world):
    add_people(world.org, world.team, 12)
    campaign = make_campaign(world)
    code = services.create_kiosk_batch(campaign=campaign, unit=world.team, size=1, actor=world.users["lead"])[0]
    results = at_once([_submitter(campaign, lambda: services.ticket_for_code(code))] * THREADS)
    assert sorted(results, key=str) == [False] * (THREADS - 1) + [True]
    assert SealedResponse.objects.count() == 1
    close_now(world, campaign)
    assert Response.objects.count() == 1
