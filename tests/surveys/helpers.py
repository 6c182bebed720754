"""Building campaigns for tests, through the real services."""

import datetime

from django.utils import timezone

from staffwell.organisations.models import Membership
from staffwell.surveys import agreements, services
from staffwell.surveys.models import Campaign, Instrument
from tests.factories import MembershipFactory, UserFactory


def shipped(key: str = "wellbeing-pulse") -> Instrument:
    """A shipped instrument (loaded by the data migration; loading again is a no-op)."""
    from staffwell.surveys.instruments import load_shipped
    from staffwell.surveys.models import Question, ResponseSet, Scale

    load_shipped(Instrument=Instrument, Scale=Scale, ResponseSet=ResponseSet, Question=Question)
    return Instrument.objects.get(organisation=None, key=key, version=1)


def add_people(org, unit, n: int, *, staff_group: str = "nursing_midwifery", email: bool = True) -> list[Membership]:
    if email:
        return [MembershipFactory(organisation=org, unit=unit, staff_group=staff_group) for _ in range(n)]
    return [MembershipFactory(organisation=org, unit=unit, user=None, staff_group=staff_group) for _ in range(n)]


def make_campaign(world, *, instrument=None, units=None, launch=True, ask_staff_group=False, **fields) -> Campaign:
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        organisation=world.org,
        name=fields.pop("name", "Spring pulse"),
        instrument=instrument or shipped(),
        opens_on=fields.pop("opens_on", today),
        closes_on=fields.pop("closes_on", today + datetime.timedelta(days=14)),
        invitation_message="Please tell us how work is for you.",
        reminder_message="There is still time to tell us how work is for you.",
        ask_staff_group=ask_staff_group,
        created_by=world.users["lead"],
        **fields,
    )
    campaign.units.set(units or [world.directorate])
    if launch:
        agree_both(world, campaign)
        services.launch(campaign=campaign, actor=world.users["lead"])
        campaign.refresh_from_db()
    return campaign


def agree_both(world, campaign) -> None:
    """Both sides agree the draft campaign, as the lead and the rep would."""
    for persona in ("lead", "rep"):
        agreements.agree_campaign(campaign=campaign, membership=world.memberships[persona])


def pulse_answers(instrument, value: int = 4, text: str = "") -> tuple[dict, dict]:
    answers, free = {}, {}
    for q in instrument.ordered_questions():
        if q.is_free_text:
            if text:
                free[q.number] = text
        else:
            answers[q.number] = value
    return answers, free


def ticket_of(membership, campaign):
    invitation = campaign.invitations.get(membership=membership)
    return services.ticket_for_token(services.invitation_token(invitation.secret))


def answer_as(membership, campaign, value: int = 4, text: str = "") -> bool:
    ticket = ticket_of(membership, campaign)
    answers, free = pulse_answers(campaign.instrument, value, text)
    return services.submit(
        ticket=ticket, questions=campaign.instrument.ordered_questions(), answers=answers, free_text=free
    )


def close_now(world, campaign) -> None:
    """Close the campaign, releasing its sealed responses as readable rows (the only way
    readable responses come to exist: staffwell.surveys.sealing)."""
    services.close(campaign=campaign, actor=world.users["lead"])


def new_user():
    return UserFactory()
