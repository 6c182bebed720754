"""Both sides agreeing to the same draft at the same moment, each request on its own
database connection and committed for real: both agreements are recorded, the thing is
agreed, and exactly one of the two people is told it is agreed by both sides (issue 13:
the campaign saved whole rows without a lock, so one agreement overwrote the other while
both people were told theirs was recorded)."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection  # noqa: F401 - named by the skipif condition
from django.urls import reverse

from staffwell.partnership import Side
from staffwell.surveys.models import Instrument
from tests.concurrency import at_once
from tests.surveys.helpers import make_campaign

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL"),
]


def _post_at_once(clients, url) -> list:
    """POST ``url`` from each client in its own thread, released together; the messages
    each person was shown."""

    def post(client):
        return [str(m) for m in get_messages(client.post(url).wsgi_request)]

    results = at_once([lambda c=c: post(c) for c in clients])
    assert not any(isinstance(r, Exception) for r in results), results
    return results


def _told(messages: list) -> list[str]:
    return sorted(m for ms in messages for m in ms)


def test_both_sides_agreeing_to_one_draft_campaign_at_once_are_both_recorded(world, client_for):
    campaign = make_campaign(world, launch=False)
    url = reverse("surveys:campaign_agree", kwargs={"org": world.org.slug, "campaign_id": campaign.pk})
    told = _post_at_once([client_for("lead"), client_for("rep")], url)
    campaign.refresh_from_db()
    assert campaign.is_agreed
    assert _told(told) == ["Agreed by both sides: the survey can start.", "Your agreement is recorded."]
    state = campaign.agreement
    assert state.for_side(Side.EMPLOYER).agreed_by == world.users["lead"]
    assert state.for_side(Side.STAFF).agreed_by == world.users["rep"]


def test_both_sides_agreeing_to_one_draft_question_set_at_once_are_both_recorded(world, client_for):
    lead = client_for("lead")
    lead.post(
        reverse("surveys:instrument_create", kwargs={"org": world.org.slug}), {"name": "Estates check"}, follow=True
    )
    instrument = Instrument.objects.get(organisation=world.org)
    kw = {"org": world.org.slug, "instrument_id": instrument.pk}
    lead.post(
        reverse("surveys:question_add", kwargs=kw),
        {"text": "I have the kit I need", "answer_type": "agreement"},
        follow=True,
    )
    told = _post_at_once([lead, client_for("rep")], reverse("surveys:instrument_agree", kwargs=kw))
    instrument.refresh_from_db()
    assert instrument.status == Instrument.Status.AGREED
    assert _told(told) == ["Agreed by both sides: the question set can be used.", "Your agreement is recorded."]
    state = instrument.agreement
    assert state.for_side(Side.EMPLOYER).agreed_by == world.users["lead"]
    assert state.for_side(Side.STAFF).agreed_by == world.users["rep"]
