"""Demo content: a signed-off cycle from last year and an open one this year for Northgate,
an integrated care board with its own employer lead, and Northgate sharing its profile."""

import datetime

from django.utils import timezone

from staffwell.accounts.models import User
from staffwell.assessments import services
from staffwell.assessments.models import Action, Cycle, Framework, Side
from staffwell.core.permissions import Role
from staffwell.organisations.models import Membership, Organisation, RoleAssignment

ICB_LEAD_EMAIL = "icb-lead@northmoor-icb.example"
DEMO_PASSWORD = "wellbeing-demo"  # noqa: S105 - the published demo password; demo mode only


def _member(org, email):
    return Membership.objects.select_related("user").get(organisation=org, email=email)


def load(*, org, other_org) -> None:
    framework = Framework.objects.get(organisation__isnull=True, slug="nhs-hwb-2021")
    lead = _member(org, "lead@northgate.example")
    rep = _member(org, "rep@northgate.example")
    elements = list(framework.elements.order_by("order"))

    past = services.open_cycle(
        org=org,
        framework=framework,
        title="Health and wellbeing diagnostic 2025",
        elements=elements,
        participants=[(rep, Side.STAFF)],
        actor=lead.user,
        opener=lead,
    )
    Cycle.objects.filter(pk=past.pk).update(created_at=timezone.now() - datetime.timedelta(days=380))
    past.refresh_from_db()
    for rating in past.ratings.select_related("statement__sub_element__element"):
        element_no = int(rating.statement.sub_element.element.code)
        level = 1 + (element_no + rating.statement.order) % 3
        if rating.side == Side.STAFF and rating.statement.order == 1:
            level = max(1, level - 1)
        services.save_rating(
            rating=rating,
            level=level,
            note="",
            expected_version=rating.version,
            actor=lead.user if rating.side == Side.EMPLOYER else rep.user,
        )
    services.submit_side(cycle=past, side=Side.EMPLOYER, actor=lead.user)
    services.submit_side(cycle=past, side=Side.STAFF, actor=rep.user)
    past.refresh_from_db()
    for agreed in past.agreed.filter(level__isnull=True).select_related("statement"):
        services.save_agreed(
            agreed=agreed,
            level=max(1, 1 + (int(agreed.statement.code.split(".")[0]) + agreed.statement.order) % 3 - 1),
            rationale="Agreed in the joint workshop after looking at the staff survey and absence data.",
            expected_version=agreed.version,
            actor=lead.user,
        )
    services.sign(
        cycle=past,
        side=Side.EMPLOYER,
        actor=lead.user,
        signatory_name=lead.full_name,
        signatory_role="Director of People",
    )
    services.sign(
        cycle=past, side=Side.STAFF, actor=rep.user, signatory_name=rep.full_name, signatory_role="Staff-side chair"
    )
    rest = framework.elements.get(code="5")
    for title, due, status in (
        ("Open a staff rest room on every inpatient ward, usable at night", datetime.date(2026, 3, 31), "in_progress"),
        ("Train every ward manager to hold wellbeing conversations", datetime.date(2025, 12, 31), "not_started"),
    ):
        action = services.save_action(
            action=Action(cycle=past),
            data={
                "title": title,
                "description": "",
                "measure": "Staff survey questions on rest and support improve by the next assessment.",
                "element": rest if "rest" in title else None,
                "statement": None,
                "employer_owner": lead,
                "staff_owner": rep,
                "due_date": due,
            },
            expected_version=None,
            actor=lead.user,
        )
        services.add_progress(
            action=action, text="Work has started with the estates team.", status=status, actor=lead.user
        )
    past.refresh_from_db()
    services.agree_plan(cycle=past, side=Side.EMPLOYER, actor=lead.user)
    services.agree_plan(cycle=past, side=Side.STAFF, actor=rep.user)

    services.open_cycle(
        org=org,
        framework=framework,
        title="Health and wellbeing diagnostic 2026",
        elements=elements,
        participants=[(rep, Side.STAFF)],
        actor=lead.user,
        opener=lead,
    )
    # Sharing publishes, so both sides agree to it: the lead proposes, the rep agrees.
    services.propose_sharing(org=org, side=Side.EMPLOYER, actor=lead.user)
    services.agree_sharing(org=org, side=Side.STAFF, actor=rep.user)

    icb = Organisation.objects.create(
        name="Northmoor Integrated Care Board (demo)",
        slug="northmoor-icb",
        ods_code="QZZ01",
        kind=Organisation.Kind.INTEGRATED_CARE_BOARD,
        ics=org.ics,
    )
    user = User.objects.create_user(ICB_LEAD_EMAIL, None, full_name="Imani Okafor")
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    membership = Membership.objects.create(
        organisation=icb, user=user, person_id="40000001", full_name=user.full_name, email=ICB_LEAD_EMAIL
    )
    RoleAssignment.objects.create(membership=membership, role=Role.EMPLOYER_LEAD)
