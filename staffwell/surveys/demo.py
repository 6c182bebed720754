"""Demo surveys for Northgate, answered through the real submission code path.

* "Staff stress survey, spring" (HSE Indicator Tool): closed, about two thirds of staff
  answered, with a different pattern in each area (some wards stretched on demands, some
  teams short of manager support) so reports have something to show.
* "Monthly wellbeing pulse" (open): about four in ten have answered so far; the demo nurse
  (nurse@northgate.example) is invited and has not answered, so she can try it.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from staffwell.accounts.models import User
from staffwell.organisations.models import Membership, Unit
from staffwell.surveys import agreements, services
from staffwell.surveys.forms import DEFAULT_INVITATION, DEFAULT_REMINDER
from staffwell.surveys.models import Campaign, Instrument, Invitation, Response

DEMO_NURSE = "nurse@northgate.example"
COMMENTS = [
    "Protected time for breaks, and cover so we can actually take them.",
    "Rotas published further ahead so I can plan childcare.",
    "Somewhere quiet to go after a difficult shift.",
    "More staff on nights, the acuity has gone up a lot.",
    "Being asked before changes are made, not told afterwards.",
    "Managers who have time to check in, not just when something has gone wrong.",
    "Car parking that does not add half an hour to every shift.",
    "Hot food available at night.",
]


def _people(org) -> tuple[User, User]:
    lead = User.objects.get(email="lead@northgate.example")
    rep = User.objects.get(email="rep@northgate.example")
    return lead, rep


def _campaign(org, *, name, instrument, opens_on, closes_on, lead, rep, ask_staff_group) -> Campaign:
    campaign = Campaign.objects.create(
        organisation=org,
        name=name,
        instrument=instrument,
        opens_on=opens_on,
        closes_on=closes_on,
        invitation_message=DEFAULT_INVITATION,
        reminder_message=DEFAULT_REMINDER,
        ask_staff_group=ask_staff_group,
        created_by=lead,
    )
    campaign.units.set(Unit.objects.for_org(org).filter(parent__isnull=True))
    for user in (lead, rep):
        agreements.agree_campaign(campaign=campaign, membership=Membership.objects.get(organisation=org, user=user))
    services.launch(campaign=campaign, actor=lead, email_invitations=False)
    campaign.refresh_from_db()
    Invitation.objects.filter(campaign=campaign).exclude(membership__email="").update(emailed_on=opens_on)
    Campaign.objects.filter(pk=campaign.pk).update(invitations_sent_on=opens_on)
    return campaign


def _answer(rng: random.Random, question, climate: dict, person: float) -> int:
    """A plausible answer: the area's climate for the question's scale, the person's
    outlook, and noise; "good" is 5, so reverse-scored items are flipped back."""
    base = 3.2 + climate.get(question.scale.key if question.scale else "", 0.0) + person + rng.gauss(0, 0.8)
    good = min(5, max(1, round(base)))
    return 6 - good if question.reverse_scored else good


def _respond(campaign: Campaign, *, rate: float, rng: random.Random, skip: set[int], climates: dict) -> list:
    questions = campaign.instrument.ordered_questions()
    invitations = list(campaign.invitations.select_related("membership").order_by("pk"))
    rng.shuffle(invitations)
    answered = []
    for inv in invitations:
        if inv.membership_id in skip or rng.random() > rate:
            continue
        ticket = services.ticket_for_token(services.invitation_token(inv.secret))
        climate = climates.setdefault(inv.report_unit_id, _climate(rng))
        person = rng.gauss(0, 0.5)
        answers, free = {}, {}
        for q in questions:
            if q.is_free_text:
                if rng.random() < 0.3:
                    free[q.number] = rng.choice(COMMENTS)
            else:
                answers[q.number] = _answer(rng, q, climate, person)
        if services.submit(ticket=ticket, questions=questions, answers=answers, free_text=free):
            answered.append(inv)
    return answered


def _climate(rng: random.Random) -> dict:
    keys = ["demands", "control", "manager-support", "peer-support", "relationships", "role", "change"]
    keys += ["workload", "support", "speaking-up", "feeling"]
    climate = {k: rng.gauss(0, 0.35) for k in keys}
    # Some areas are stretched: demands and workload much worse.
    if rng.random() < 0.35:
        climate["demands"] -= 0.9
        climate["workload"] -= 0.8
    if rng.random() < 0.25:
        climate["manager-support"] -= 0.7
        climate["support"] -= 0.5
    return climate


def load(*, org, other_org) -> None:
    today = timezone.localdate()
    rng = random.Random(5)  # noqa: S311 (demo data, not security)
    lead, rep = _people(org)
    nurse = Membership.objects.filter(organisation=org, email=DEMO_NURSE).first()
    skip = {nurse.pk} if nurse else set()
    hse = Instrument.objects.get(organisation=None, key="hse-indicator-tool", version=1)
    pulse = Instrument.objects.get(organisation=None, key="wellbeing-pulse", version=1)
    with transaction.atomic():
        spring = _campaign(
            org,
            name="Staff stress survey, spring",
            instrument=hse,
            opens_on=today - datetime.timedelta(days=60),
            closes_on=today,
            lead=lead,
            rep=rep,
            ask_staff_group=True,
        )
        climates: dict = {}
        _respond(spring, rate=0.66, rng=rng, skip=skip, climates=climates)
        services.close(campaign=spring, actor=lead)
        Campaign.objects.filter(pk=spring.pk).update(
            closes_on=today - datetime.timedelta(days=32), closed_on=today - datetime.timedelta(days=32)
        )
        spring.refresh_from_db()
        Response.objects.filter(campaign=spring).update(submitted_on=spring.closed_on)  # released at close

        monthly = _campaign(
            org,
            name="Monthly wellbeing pulse",
            instrument=pulse,
            opens_on=today - datetime.timedelta(days=6),
            closes_on=today + datetime.timedelta(days=15),
            lead=lead,
            rep=rep,
            ask_staff_group=False,
        )
        _respond(monthly, rate=0.42, rng=rng, skip=skip, climates=climates)
