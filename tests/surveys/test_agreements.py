"""Question sets and campaigns are agreed through the one partnership mechanism: once per
side, refused on a repeat with a clear message, one audit name per kind, cleared by a
change (issue 13)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from staffwell.core.models import AuditEvent
from staffwell.partnership import services as partnership
from staffwell.partnership.models import Agreement
from staffwell.surveys import agreements
from staffwell.surveys.errors import SurveyError
from tests.surveys.helpers import agree_both, make_campaign


def _told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_side_agreeing_to_a_campaign_twice_is_told_so_and_nothing_more_is_recorded(world, client_for):
    campaign = make_campaign(world, launch=False)
    url = reverse("surveys:campaign_agree", kwargs={"org": world.org.slug, "campaign_id": campaign.pk})
    lead = client_for("lead")
    assert _told(lead.post(url, follow=True)) == ["Your agreement is recorded."]
    assert _told(lead.post(url, follow=True)) == ["The employer side has already agreed to this."]
    assert Agreement.objects.filter(kind="surveys.campaign").count() == 1
    assert AuditEvent.objects.filter(action="partnership.surveys.campaign.agreed").count() == 1
    page = lead.get(reverse("surveys:campaign", kwargs={"org": world.org.slug, "campaign_id": campaign.pk}))
    html = page.content.decode()
    assert "Waiting for the staff side" in html
    assert "Agree this survey for the employer side" not in html
    assert "Agree this survey for the staff side" in client_for("rep").get(page.wsgi_request.path).content.decode()


def test_someone_on_neither_side_cannot_agree_a_campaign(world):
    campaign = make_campaign(world, launch=False)
    with pytest.raises(partnership.NotPartner):
        agreements.agree_campaign(campaign=campaign, membership=world.memberships["manager"])
    assert not campaign.agreement.agreements


def test_changing_a_campaign_ends_the_agreements_and_both_sides_agree_again(world):
    campaign = make_campaign(world, launch=False)
    agree_both(world, campaign)
    agreements.campaign_changed(campaign=campaign, actor=world.users["lead"])
    assert not campaign.is_agreed
    assert {a.ended for a in partnership.history(obj=campaign, kind="surveys.campaign")} == {"cleared"}
    agree_both(world, campaign)
    assert campaign.is_agreed


def test_a_launched_campaign_cannot_be_agreed_again(world):
    campaign = make_campaign(world)
    with pytest.raises(SurveyError, match="Only a draft campaign"):
        agreements.agree_campaign(campaign=campaign, membership=world.memberships["lead"])


def test_a_question_set_agreed_by_both_sides_replaces_its_earlier_version(world, client_for):
    lead, rep = client_for("lead"), client_for("rep")
    lead.post(
        reverse("surveys:instrument_create", kwargs={"org": world.org.slug}), {"name": "Estates check"}, follow=True
    )
    from staffwell.surveys.models import Instrument

    v1 = Instrument.objects.get(organisation=world.org)
    kw = {"org": world.org.slug, "instrument_id": v1.pk}
    lead.post(
        reverse("surveys:question_add", kwargs=kw),
        {"text": "I have the kit I need", "answer_type": "agreement"},
        follow=True,
    )
    assert _told(lead.post(reverse("surveys:instrument_agree", kwargs=kw), follow=True)) == [
        "Your agreement is recorded."
    ]
    assert _told(lead.post(reverse("surveys:instrument_agree", kwargs=kw), follow=True)) == [
        "The employer side has already agreed to this."
    ]
    # A change clears the lead's agreement: the rep's alone does not make it agreed.
    lead.post(
        reverse("surveys:question_add", kwargs=kw),
        {"text": "I can take my breaks", "answer_type": "agreement"},
        follow=True,
    )
    rep.post(reverse("surveys:instrument_agree", kwargs=kw), follow=True)
    v1.refresh_from_db()
    assert v1.status == Instrument.Status.DRAFT
    lead.post(reverse("surveys:instrument_agree", kwargs=kw), follow=True)
    v1.refresh_from_db()
    assert v1.status == Instrument.Status.AGREED
    lead.post(reverse("surveys:instrument_new_version", kwargs=kw), follow=True)
    v2 = Instrument.objects.get(organisation=world.org, version=2)
    for persona in ("lead", "rep"):
        agreements.agree_question_set(instrument=v2, membership=world.memberships[persona])
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (Instrument.Status.RETIRED, Instrument.Status.AGREED)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"partnership.surveys.question_set.agreed", "partnership.surveys.question_set.cleared"} <= actions
    assert not any(a.startswith("instrument.agreed") for a in actions)
