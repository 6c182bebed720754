"""The survey pages, through the web: answering, idempotency, campaigns and question sets."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from staffwell.core.models import AuditEvent
from staffwell.surveys import services
from staffwell.surveys.models import Campaign, FreeTextAnswer, Instrument, Response, SealedResponse
from tests.surveys.helpers import add_people, agree_both, close_now, make_campaign, shipped


@pytest.fixture
def campaign(world):
    add_people(world.org, world.team, 12)
    return make_campaign(world, units=[world.team])


def _link(campaign, membership, step="start", **extra):
    invitation = campaign.invitations.get(membership=membership)
    return reverse(f"surveys:respond_{step}", kwargs={"token": services.invitation_token(invitation.secret), **extra})


ALL_FIVES = {f"q{n}": "5" for n in range(1, 6)}


def test_the_start_page_says_what_is_stored_and_who_can_see_it(world, campaign):
    page = Client().get(_link(campaign, world.memberships["staff"])).content.decode()
    assert "What we store and who can see it" in page
    assert "We do not store your name" in page
    assert "Nobody can see your individual answers" in page


def test_an_unknown_link_is_not_found(db):
    assert Client().get(reverse("surveys:respond_start", kwargs={"token": "not-a-real-token"})).status_code == 404


def test_answering_on_one_page_then_submitting_twice_stores_one_response(world, campaign):
    c = Client()
    staff = world.memberships["staff"]
    first = c.post(_link(campaign, staff, "all"), {**ALL_FIVES, "q6": "More staff at night", "action": "submit"})
    assert first.status_code == 302 and first["Location"] == _link(campaign, staff, "done")
    again = c.post(_link(campaign, staff, "all"), {**ALL_FIVES, "action": "submit"})  # a retry or double click
    assert again.status_code == 302 and again["Location"] == _link(campaign, staff, "done")
    assert SealedResponse.objects.count() == 1
    # The back button after submitting lands on "done", not on a form to answer again.
    back = c.get(_link(campaign, staff, "check"))
    assert back.status_code == 302 and back["Location"] == _link(campaign, staff, "done")
    assert "your answers have been received" in c.get(_link(campaign, staff, "done")).content.decode()
    close_now(world, campaign)
    assert Response.objects.count() == 1 and FreeTextAnswer.objects.count() == 1


def test_missing_answers_are_named_and_what_was_chosen_is_kept(world, campaign):
    c = Client()
    staff = world.memberships["staff"]
    response = c.post(_link(campaign, staff, "all"), {"q1": "2", "q6": "Rotas", "action": "submit"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose an answer for question 2" in page
    assert 'value="2" checked' in page and "Rotas" in page
    assert not Response.objects.exists() and not SealedResponse.objects.exists()


def test_an_interrupted_nurse_comes_back_to_her_saved_answers_one_question_at_a_time(world, campaign):
    staff = world.memberships["staff"]
    c = Client()
    c.post(_link(campaign, staff), {"mode": "one"})
    assert c.post(_link(campaign, staff, "question", number=1), {"q1": "4"})["Location"] == _link(
        campaign, staff, "question", number=2
    )
    saved = c.post(_link(campaign, staff, "question", number=2), {"q2": "3", "action": "save"})
    assert saved["Location"] == _link(campaign, staff, "saved")
    # Later, on another device (no cookies): the link brings the answers back.
    later = Client()
    assert "Continue to your answers" in later.get(_link(campaign, staff)).content.decode()
    assert 'value="3" checked' in later.get(_link(campaign, staff, "question", number=2)).content.decode()
    for n in range(3, 6):
        later.post(_link(campaign, staff, "question", number=n), {f"q{n}": "4"})
    last = later.post(_link(campaign, staff, "question", number=6), {"q6": ""})
    assert last["Location"] == _link(campaign, staff, "check")
    assert later.post(_link(campaign, staff, "check"))["Location"] == _link(campaign, staff, "done")
    close_now(world, campaign)
    response = Response.objects.get()
    assert sorted(response.answers.values_list("value", flat=True)) == [3, 4, 4, 4, 4]


def test_a_question_that_is_not_answered_is_asked_again_with_a_message(world, campaign):
    staff = world.memberships["staff"]
    response = Client().post(_link(campaign, staff, "question", number=1), {})
    assert response.status_code == 400
    assert "Choose an answer for question 1" in response.content.decode()


def test_a_kiosk_code_is_entered_used_once_and_then_only_shows_done(world, campaign):
    codes = services.create_kiosk_batch(campaign=campaign, unit=world.team, size=2, actor=world.users["lead"])
    c = Client()
    wrong = c.post(reverse("surveys:kiosk"), {"code": "ABCD"})
    assert wrong.status_code == 400 and "12 letters and numbers" in wrong.content.decode()
    unknown = c.post(reverse("surveys:kiosk"), {"code": "ABCD-EFGH-JKLM"})
    assert "not recognised" in unknown.content.decode()
    start = c.post(reverse("surveys:kiosk"), {"code": codes[0].lower()})
    code = codes[0].replace("-", "")
    # The address holds a handle for this browser's session, never the code.
    assert start["Location"].startswith("/kiosk/") and code not in start["Location"]
    done = c.post(start["Location"] + "all/", {**ALL_FIVES, "action": "submit"})
    assert done["Location"] == start["Location"] + "done/"
    assert "received" in c.get(done["Location"]).content.decode()
    # Typed again, the used code only shows "done".
    again = c.post(reverse("surveys:kiosk"), {"code": codes[0]})
    assert again["Location"].endswith("/done/") and code not in again["Location"]
    assert SealedResponse.objects.count() == 1


def test_a_closed_survey_says_so_and_stores_nothing(world, campaign):
    services.close(campaign=campaign, actor=world.users["lead"])
    staff = world.memberships["staff"]
    response = Client().post(_link(campaign, staff, "all"), {**ALL_FIVES, "action": "submit"})
    assert "This survey is not open" in response.content.decode()
    assert not Response.objects.exists() and not SealedResponse.objects.exists()


def test_the_campaign_page_shows_the_response_rate_only_when_enough_people_answered(world, campaign, client_for):
    url = reverse("surveys:campaign", kwargs={"org": world.org.slug, "campaign_id": campaign.pk})
    page = client_for("rep").get(url).content.decode()
    assert "Response rate" in page and "Not shown" in page
    from tests.surveys.helpers import answer_as

    members = [i.membership for i in campaign.invitations.all()][:10]
    for m in members:
        answer_as(m, campaign)
    # 10 of 14 answered: 4 did not, fewer than the minimum group, so the rate is still withheld.
    assert "71.4%" not in client_for("lead").get(url).content.decode()


def test_a_campaign_is_created_agreed_by_both_sides_and_launched(world, client_for):
    add_people(world.org, world.team, 12)
    lead, rep = client_for("lead"), client_for("rep")
    today = timezone.localdate()
    bad = lead.post(
        reverse("surveys:campaign_create", kwargs={"org": world.org.slug}),
        {"name": "Autumn", "instrument": str(shipped().pk), "units": [str(world.team.pk)], "opens_on": "2026-13-01"},
    )
    assert bad.status_code == 400
    assert "Enter a real date" in bad.content.decode()
    assert 'value="Autumn"' in bad.content.decode()
    data = {
        "name": "Autumn pulse",
        "instrument": str(shipped("hse-indicator-tool").pk),
        "units": [str(world.team.pk)],
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=21)).isoformat(),
        "invitation_message": "Please take part.",
        "reminder_message": "Still time.",
        "remind_every_days": "7",
    }
    created = lead.post(reverse("surveys:campaign_create", kwargs={"org": world.org.slug}), data)
    campaign = Campaign.objects.get(name="Autumn pulse")
    assert created["Location"] == reverse(
        "surveys:campaign", kwargs={"org": world.org.slug, "campaign_id": campaign.pk}
    )
    kw = {"org": world.org.slug, "campaign_id": campaign.pk}
    lead.post(reverse("surveys:campaign_launch", kwargs=kw))
    campaign.refresh_from_db()
    assert campaign.status == "draft"  # not agreed yet
    lead.post(reverse("surveys:campaign_agree", kwargs=kw))
    rep.post(reverse("surveys:campaign_agree", kwargs=kw))
    campaign.refresh_from_db()
    assert campaign.agreement.employer.agreed_by == world.users["lead"]
    assert campaign.agreement.staff.agreed_by == world.users["rep"]
    lead.post(reverse("surveys:campaign_launch", kwargs=kw))
    campaign.refresh_from_db()
    assert campaign.status == "launched" and campaign.invitations.count() == 14
    actions = set(AuditEvent.objects.filter(organisation=world.org).values_list("action", flat=True))
    assert {
        "survey.campaign.created",
        "partnership.surveys.campaign.agreed",
        "survey.campaign.launched",
    } <= actions
    # The HSE items and their licence appear together on the question set page.
    page = rep.get(
        reverse("surveys:instrument", kwargs={"org": world.org.slug, "instrument_id": campaign.instrument_id})
    )
    assert "I have unrealistic time pressures" in page.content.decode()
    assert "Open Government Licence v3.0" in page.content.decode()


def test_changing_a_draft_campaign_clears_both_sides_agreement(world, client_for):
    campaign = make_campaign(world, launch=False)
    agree_both(world, campaign)
    assert campaign.is_agreed
    kw = {"org": world.org.slug, "campaign_id": campaign.pk}
    form = client_for("lead").get(reverse("surveys:campaign_edit", kwargs=kw))
    assert form.status_code == 200
    data = {
        "name": "Renamed",
        "instrument": str(campaign.instrument_id),
        "units": [str(world.directorate.pk)],
        "opens_on": campaign.opens_on.isoformat(),
        "closes_on": campaign.closes_on.isoformat(),
        "invitation_message": "x",
        "reminder_message": "y",
        "remind_every_days": "0",
    }
    client_for("lead").post(reverse("surveys:campaign_edit", kwargs=kw), data)
    campaign.refresh_from_db()
    assert campaign.name == "Renamed" and not campaign.is_agreed


def test_an_organisations_own_question_set_needs_both_sides_and_changes_make_a_new_version(world, client_for):
    lead, rep = client_for("lead"), client_for("rep")
    lead.post(reverse("surveys:instrument_create", kwargs={"org": world.org.slug}), {"name": "Estates check"})
    instrument = Instrument.objects.get(organisation=world.org)
    kw = {"org": world.org.slug, "instrument_id": instrument.pk}
    lead.post(reverse("surveys:question_add", kwargs=kw), {"text": "I have the kit I need", "answer_type": "agreement"})
    lead.post(reverse("surveys:instrument_agree", kwargs=kw))
    rep.post(reverse("surveys:instrument_agree", kwargs=kw))
    instrument.refresh_from_db()
    assert instrument.status == "agreed" and instrument.agreement.staff.agreed_by == world.users["rep"]
    lead.post(reverse("surveys:instrument_new_version", kwargs=kw))
    v2 = Instrument.objects.get(organisation=world.org, version=2)
    assert v2.status == "draft" and v2.questions.count() == 1 and not v2.is_agreed
    assert AuditEvent.objects.filter(action="instrument.version.created").exists()
    # The agreed version cannot be changed in place.
    refused = lead.post(reverse("surveys:question_add", kwargs=kw), {"text": "Sneaky", "answer_type": "agreement"})
    assert refused.status_code == 404


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("surveys:campaign", lambda w, c, i: {"campaign_id": c.pk}),
        ("surveys:campaign_edit", lambda w, c, i: {"campaign_id": c.pk}),
        ("surveys:kiosk_codes", lambda w, c, i: {"campaign_id": c.pk}),
        ("surveys:instrument", lambda w, c, i: {"instrument_id": i.pk}),
        ("surveys:question_add", lambda w, c, i: {"instrument_id": i.pk}),
    ],
)
def test_another_organisations_survey_or_question_set_is_not_found(world, client_for, name, kwargs):
    """The outsider's own lead asks for the test organisation's campaign by id: 404."""
    from tests.factories import MembershipFactory, RoleAssignmentFactory

    campaign = make_campaign(world, launch=False)
    instrument = Instrument.objects.create(organisation=world.org, key="ours", name="Ours")
    their_lead = MembershipFactory(organisation=world.other_org, unit=world.other_org_team)
    RoleAssignmentFactory(membership=their_lead, role="employer_lead")
    c = Client()
    c.force_login(their_lead.user)
    url = reverse(name, kwargs={"org": world.other_org.slug, **kwargs(world, campaign, instrument)})
    assert c.get(url).status_code == 404


def test_my_surveys_lists_an_open_invitation_until_it_is_answered(world, campaign, client_for):
    page = client_for("staff").get(reverse("surveys:mine")).content.decode()
    assert campaign.name in page
    from tests.surveys.helpers import answer_as

    answer_as(world.memberships["staff"], campaign)
    assert campaign.name not in client_for("staff").get(reverse("surveys:mine")).content.decode()


def _emailed_row(client, campaign) -> str:
    html = client.get(
        reverse("surveys:campaign", kwargs={"org": campaign.organisation.slug, "campaign_id": campaign.pk})
    ).content.decode()
    row = html[html.index("Invitations emailed") :]
    row = row[row.index("summary-list__value") :]
    return " ".join(row[row.index(">") + 1 : row.index("</dd>")].split())


def test_the_campaign_page_says_where_the_invitations_are_instead_of_not_shown(world, client_for):
    add_people(world.org, world.team, 3)
    lead = client_for("lead")
    # Launched today: the background job has not sent them yet
    campaign = make_campaign(world, units=[world.team])
    assert campaign.invitations_sent_on is None
    assert _emailed_row(lead, campaign) == "Being sent now. Refresh this page in a minute to see how many."
    # Sent, to fewer people than can be shown
    Campaign.objects.filter(pk=campaign.pk).update(invitations_sent_on=timezone.localdate())
    row = _emailed_row(lead, campaign)
    assert row.startswith("Sent on ") and "How many is not shown while it is fewer than" in row
    # Launched, opening next week
    later = make_campaign(
        world, units=[world.team], name="Later", opens_on=timezone.localdate() + datetime.timedelta(7)
    )
    assert _emailed_row(lead, later).startswith("Not sent yet: they are emailed on the opening day")
