"""Seed a throwaway database for the survey benchmark (run by bench_surveys in its own process,
with the server's environment so the invitation links match the server's secret key).

    python -m bench.seed_surveys PEOPLE UNITS TOKENS_FILE
"""

import sys


def main(people: int, units: int, tokens_file: str) -> None:
    import django

    django.setup()
    import datetime

    from django.utils import timezone

    from staffwell.accounts.models import User
    from staffwell.core.permissions import Role
    from staffwell.organisations.models import Membership, Organisation, RoleAssignment, Unit
    from staffwell.surveys import agreements, services
    from staffwell.surveys.models import Campaign, Instrument

    org = Organisation.objects.create(name="Benchmark NHS Trust", slug="bench", ods_code="RBENCH")
    top = Unit.objects.create(organisation=org, name="Whole trust")
    wards = [Unit.objects.create(organisation=org, parent=top, name=f"Ward {i + 1}") for i in range(units)]
    Membership.objects.bulk_create(
        [
            Membership(
                organisation=org,
                person_id=f"B{i:07d}",
                full_name=f"Bench Person {i}",
                email=f"person{i}@bench.invalid",
                unit=wards[i % units],
                staff_group="nursing_midwifery",
            )
            for i in range(people)
        ],
        batch_size=2000,
    )
    lead = User.objects.create_user(email="lead@bench.invalid", password=None, full_name="Bench Lead")
    rep = User.objects.create_user(email="rep@bench.invalid", password=None, full_name="Bench Rep")
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        organisation=org,
        name="Benchmark pulse",
        instrument=Instrument.objects.get(organisation=None, key="wellbeing-pulse", version=1),
        opens_on=today,
        closes_on=today + datetime.timedelta(days=7),
        invitation_message="Benchmark",
        reminder_message="Benchmark",
        remind_every_days=0,
    )
    campaign.units.set([top])
    # Both sides agree through the partnership mechanism, as in production. The two partners
    # work in an office outside the surveyed units, so the invited population is unchanged.
    office = Unit.objects.create(organisation=org, name="Partnership office")
    for user, role in ((lead, Role.EMPLOYER_LEAD), (rep, Role.STAFF_SIDE_REP)):
        partner = Membership.objects.create(
            organisation=org,
            person_id=f"P-{role}"[:30],
            full_name=user.full_name,
            email=user.email,
            unit=office,
            user=user,
        )
        RoleAssignment.objects.create(membership=partner, role=role)
        agreements.agree_campaign(campaign=campaign, membership=partner)
    # Launch without emailing: the send task is queued on commit and never run here.
    services.launch(campaign=campaign, actor=lead)
    with open(tokens_file, "w") as f:
        for secret in campaign.invitations.order_by("?").values_list("secret", flat=True):
            f.write(services.invitation_token(secret) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
