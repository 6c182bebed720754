import pytest

from staffwell.core.permissions import Role
from staffwell.organisations import imports
from staffwell.organisations.models import Membership, Organisation, RoleAssignment


@pytest.fixture
def demo(db):
    return load_demo_trust()


def load_demo_trust():
    """The demo trust (about 400 people, loaded through the real staff import) with the
    reporting demo's surveys: two HSE surveys and three pulses."""
    from staffwell.demo import data
    from staffwell.reporting import demo as reporting_demo

    org = Organisation.objects.create(name="Northgate (test)", slug="northgate", ods_code="RZZ01")
    other = Organisation.objects.create(name="Southmoor (test)", slug="southmoor", ods_code="RZY01")
    imports.apply(org, imports.parse(data._to_csv(data.northgate_rows())))
    imports.apply(
        other,
        imports.parse(
            data._to_csv(
                [
                    data._csv_row(
                        f"3000{i:04d}",
                        f"Person {i}",
                        "",
                        "Community Nursing > District Nursing",
                        "Nursing and Midwifery Registered",
                        "1",
                    )
                    for i in range(30)
                ]
            )
        ),
    )
    for person in data.DEMO_USERS:
        membership = Membership.objects.get(organisation=org, email=person.email)
        for role in person.roles:
            RoleAssignment.objects.create(membership=membership, role=role)
    reporting_demo.load(org=org, other_org=other)
    return org


def member(org, email):
    return Membership.objects.select_related("user").get(organisation=org, email=email)


def managers(org):
    return Membership.objects.filter(organisation=org, role_assignments__role=Role.LINE_MANAGER).distinct()


@pytest.fixture
def closed(world):
    """A closed pulse over the test organisation, with enough respondents (30 more staff in
    Ward 7) that its comments can be shown, and so reviewed."""
    import datetime

    from django.utils import timezone

    from staffwell.reporting import synthetic
    from tests.surveys.helpers import add_people

    add_people(world.org, world.team, 30)
    return synthetic.closed_campaign(
        org=world.org,
        instrument=synthetic.instrument("wellbeing-pulse"),
        name="Review pulse",
        closes_on=timezone.localdate() - datetime.timedelta(days=2),
        rate=1.0,
        seed=5,
    )
