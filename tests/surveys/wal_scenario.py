"""A survey run against a real SQLite file, step by step, for the raw-file attack test
(tests/surveys/test_storage_attack.py). Run as a separate process so the database is a
file with its write-ahead log, as in production:

    SQLITE_PATH=... python -m tests.surveys.wal_scenario setup 40
    SQLITE_PATH=... python -m tests.surveys.wal_scenario answer 0 1 2 ...   (in this order)
    SQLITE_PATH=... python -m tests.surveys.wal_scenario remind
    SQLITE_PATH=... python -m tests.surveys.wal_scenario close

``setup`` prints, one a line, the membership id of each invited person (the attacker
knows who was invited). ``answer`` makes person i (by position in that list) answer with
the free text ``marker-i`` and a value from i, so the test can recognise each answer.
"""

import os
import sys


def _campaign():
    from staffwell.surveys.models import Campaign

    return Campaign.objects.get(name="WAL attack")


def setup(n: int) -> None:
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from staffwell.core.permissions import Role
    from staffwell.surveys import agreements, services
    from staffwell.surveys.models import Campaign
    from tests.factories import (
        MembershipFactory,
        OrganisationFactory,
        RoleAssignmentFactory,
        UnitFactory,
        UserFactory,
    )
    from tests.surveys.helpers import shipped

    call_command("migrate", verbosity=0)
    org = OrganisationFactory(slug="wal-attack")
    unit = UnitFactory(organisation=org, name="Ward 1")
    people = [MembershipFactory(organisation=org, unit=unit) for _ in range(n)]
    lead, rep = UserFactory(), UserFactory()
    office = UnitFactory(organisation=org, name="Partnership office")  # not asked: outside the campaign's unit
    partners = [MembershipFactory(organisation=org, unit=office, user=user) for user in (lead, rep)]
    for membership, role in zip(partners, (Role.EMPLOYER_LEAD, Role.STAFF_SIDE_REP), strict=True):
        RoleAssignmentFactory(membership=membership, role=role)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        organisation=org,
        name="WAL attack",
        instrument=shipped(),
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        invitation_message="Please answer.",
        reminder_message="Please answer.",
    )
    campaign.units.set([unit])
    for membership in partners:
        agreements.agree_campaign(campaign=campaign, membership=membership)
    services.launch(campaign=campaign, actor=lead, email_invitations=False)
    campaign.invitations.update(emailed_on=today)
    for m in people:
        print(m.pk)


def answer(positions: list[int]) -> None:
    from staffwell.surveys import services

    campaign = _campaign()
    invitations = list(campaign.invitations.order_by("membership_id"))
    questions = campaign.instrument.ordered_questions()
    for i in positions:
        ticket = services.ticket_for_token(services.invitation_token(invitations[i].secret))
        answers = {q.number: 1 + i % 5 for q in questions if not q.is_free_text}
        free = {q.number: f"marker-{i:03d}" for q in questions if q.is_free_text}
        assert services.submit(ticket=ticket, questions=questions, answers=answers, free_text=free)


def link(i: int) -> None:
    """The personal link of person i, and a kiosk code for their ward (what the test, as
    a respondent, opens through the running server)."""
    from staffwell.surveys import services

    campaign = _campaign()
    invitation = list(campaign.invitations.order_by("membership_id"))[i]
    print(services.invitation_token(invitation.secret))
    unit = campaign.units.get()
    print(services.create_kiosk_batch(campaign=campaign, unit=unit, size=1, actor=None)[0])


def remind() -> None:
    from staffwell.surveys.tasks import send_reminders

    send_reminders.call(_campaign().pk)


def close() -> None:
    from staffwell.surveys import services

    services.close(campaign=_campaign(), actor=None)


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffwell.settings")
    import django

    django.setup()
    step, args = argv[0], [int(a) for a in argv[1:]]
    if step == "setup":
        setup(args[0])
    elif step == "answer":
        answer(args)
    elif step == "link":
        link(args[0])
    elif step == "remind":
        remind()
    elif step == "close":
        close()


if __name__ == "__main__":
    main(sys.argv[1:])
