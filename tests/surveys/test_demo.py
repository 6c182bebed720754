from collections import Counter

from django.urls import reverse

from staffwell.demo import data
from staffwell.organisations.models import Membership, Organisation
from staffwell.surveys import demo, services
from staffwell.surveys.models import Campaign, Response


def test_the_demo_has_a_closed_hse_survey_with_hundreds_of_answers_and_an_open_pulse_for_the_nurse(
    db, monkeypatch, client
):
    monkeypatch.setattr(data, "load_app_demos", lambda **kw: None)  # only the base demo, then ours
    data.load()
    org = Organisation.objects.get(slug=data.ORG_SLUG)
    demo.load(org=org, other_org=Organisation.objects.get(slug=data.OTHER_ORG_SLUG))

    spring = Campaign.objects.get(organisation=org, name="Staff stress survey, spring")
    assert spring.phase == "Closed" and spring.instrument.key == "hse-indicator-tool"
    responses = Response.objects.filter(campaign=spring)
    assert responses.count() >= 200
    by_unit = Counter(responses.values_list("unit_id", flat=True))
    assert len(by_unit) >= 3
    assert services.responders_count(spring) == responses.count()

    pulse = Campaign.objects.get(organisation=org, name="Monthly wellbeing pulse")
    assert pulse.is_open
    nurse = Membership.objects.get(organisation=org, email="nurse@northgate.example")
    invitation = pulse.invitations.get(membership=nurse)
    ticket = services.ticket_for_token(services.invitation_token(invitation.secret))
    assert not ticket.is_used()
    client.force_login(nurse.user)
    assert "Monthly wellbeing pulse" in client.get(reverse("surveys:mine")).content.decode()
