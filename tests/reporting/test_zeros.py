"""Attack: tell from a report's list of groups that nobody in a group answered.

The list of groups a report shows is fixed by the campaign's structure (the stored units
and bands fixed at launch), never by who answered: a group where nobody answered shows
"Not shown", like any small group."""

from django.urls import reverse

from staffwell.surveys import services
from tests.surveys.helpers import add_people, answer_as, make_campaign


def _report(world, client_for, campaign) -> dict:
    url = reverse("reporting:report", kwargs={"org": world.org.slug, "campaign_id": campaign.pk})
    return client_for("lead").get(url, {"format": "json"}).json()


def _run(world, *, ward8_answers: int, ward7, ward8):
    campaign = make_campaign(world, name=f"Pulse {ward8_answers}", units=[world.team, world.other_team])
    for m in ward7:
        assert answer_as(m, campaign)
    for m in ward8[:ward8_answers]:
        assert answer_as(m, campaign)
    services.close(campaign=campaign, actor=world.users["lead"])
    return campaign


def test_a_group_where_nobody_answered_is_listed_like_any_small_group(world, client_for):
    ward7 = add_people(world.org, world.team, 12)
    ward8 = add_people(world.org, world.other_team, 12)
    nobody = _run(world, ward8_answers=0, ward7=ward7, ward8=ward8)
    some = _run(world, ward8_answers=2, ward7=ward7, ward8=ward8)
    listed_nobody = [g["group"] for g in _report(world, client_for, nobody)["groups"]]
    listed_some = [g["group"] for g in _report(world, client_for, some)["groups"]]
    assert f"unit:{world.other_team.pk}" in listed_some
    assert listed_nobody == listed_some, "the list of groups says that nobody in Ward 8 answered"
