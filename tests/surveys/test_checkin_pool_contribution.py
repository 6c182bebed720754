"""A check-in pool's existence, and what a check-in's commit writes to the pools, never
depend on whether anyone contributed (docs/survey-anonymity.md, "Check-ins that
contribute"). Found by an attacker: on a deployment where the weekly release command had
not yet run, the first contributing check-in created its organisation's pool, in the same
commit as the check-in, so a database copy showed that someone there had contributed."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from staffwell.organisations.models import Organisation
from staffwell.surveys import contributions
from staffwell.surveys.models import ContributionPool
from staffwell.wellbeing.models import CheckIn
from tests.surveys.helpers import add_people

POOL_TABLE = ContributionPool._meta.db_table


def _pools() -> set[tuple]:
    """What a database copy shows of the pools: which exist, for whom, of what size."""
    return {
        (org_id, week, len(bytes(blob)))
        for org_id, week, blob in ContributionPool.objects.values_list("organisation_id", "week", "ciphertext")
    }


def _pool_writes(queries) -> list[str]:
    """The kind of each write to the pool table (INSERT, UPDATE, DELETE), in order."""
    return [
        q["sql"].split()[0].upper()
        for q in queries
        if POOL_TABLE in q["sql"] and q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]


def _check_in(client, *, contribute: bool):
    data = {"mood": "2", **({"contribute": "on"} if contribute else {})}
    with CaptureQueriesContext(connection) as queries:
        assert client.post(reverse("wellbeing:checkin_new"), data).status_code == 302
    return _pools(), _pool_writes(queries)


def test_a_contributing_check_in_leaves_the_same_pools_as_one_that_does_not_contribute(world, client_for):
    client = client_for("staff")
    assert not ContributionPool.objects.exists()  # the weekly command has never run
    contributing, contributing_writes = _check_in(client, contribute=True)
    week = contributions.week_of(timezone.localdate())
    assert contributions.unseal(ContributionPool.objects.get(organisation=world.org, week=week)) != {}

    ContributionPool.objects.all().delete()
    CheckIn.objects.all().delete()
    not_contributing, not_contributing_writes = _check_in(client, contribute=False)

    assert contributing == not_contributing
    assert contributing_writes == not_contributing_writes
    # Every organisation has the week's pool, not only the one contributed to.
    assert {org_id for org_id, _, _ in contributing} == set(Organisation.objects.values_list("pk", flat=True))


def test_a_pool_needed_for_a_week_is_made_for_every_organisation_at_once(world):
    # A contribution sent for a week with no pools yet (or one carried to the next week
    # at release) makes that week's pool for everyone, all empty but the one it went into.
    member = world.memberships["staff"]
    contributions.contribute(user=member.user, mood=4)
    week = contributions.week_of(timezone.localdate())
    sizes = {len(bytes(p.ciphertext)) for p in ContributionPool.objects.filter(week=week)}
    assert ContributionPool.objects.filter(week=week).count() == Organisation.objects.count() == 2
    assert len(sizes) == 1
    assert contributions.unseal(ContributionPool.objects.get(organisation=world.other_org, week=week)) == {}


def test_release_carrying_a_small_week_forward_makes_next_weeks_pools_for_everyone(world):
    last_week = contributions.week_of(timezone.localdate()) - dt.timedelta(days=7)
    for m in add_people(world.org, world.team, 3):
        contributions.contribute(user=m.user, mood=3, day=last_week - dt.timedelta(days=7))
    ContributionPool.objects.filter(week=last_week).delete()
    contributions.release(today=last_week)  # carries the three forward into last week
    assert set(ContributionPool.objects.filter(week=last_week).values_list("organisation_id", flat=True)) == set(
        Organisation.objects.values_list("pk", flat=True)
    )
