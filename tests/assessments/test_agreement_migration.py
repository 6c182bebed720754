"""Migrations assessments.0005/0006 move the assessment's old agreement columns and rows into
partnership agreements, with who and when, and then drop them (ADR 0021)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from staffwell.assessments import kinds
from staffwell.assessments.models import Cycle, SharingSetting, Side
from staffwell.core.models import AuditEvent
from staffwell.partnership.models import Agreement

BEFORE = [("assessments", "0004_hswg_workplace_standards")]


@pytest.mark.django_db(transaction=True)
def test_old_submissions_signatures_plan_agreements_and_sharing_become_partnership_agreements(world):
    executor = MigrationExecutor(connection)
    head = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    lead, rep = world.users["lead"], world.users["rep"]
    when = timezone.now() - timezone.timedelta(days=30)

    framework = old.get_model("assessments", "Framework").objects.create(slug="old", name="Old framework")
    cycle = old.get_model("assessments", "Cycle").objects.create(
        organisation_id=world.org.pk,
        framework=framework,
        title="Diagnostic 2025",
        status="signed_off",
        employer_submitted_at=when,
        staff_submitted_at=when,
        signed_off_at=when,
        plan_revision=2,
        opened_by_id=lead.pk,
    )
    Participant = old.get_model("assessments", "Participant")
    Participant.objects.create(cycle=cycle, membership_id=world.memberships["lead"].pk, side="employer")
    Participant.objects.create(cycle=cycle, membership_id=world.memberships["rep"].pk, side="staff")
    # The audit log says who submitted for the staff side; nothing says it for the employer side.
    AuditEvent.objects.create(
        organisation_id=world.org.pk,
        actor_id=rep.pk,
        action="assessment.ratings.submitted",
        object_type="assessments.cycle",
        object_id=str(cycle.pk),
        data={"side": "staff"},
    )
    SignOff = old.get_model("assessments", "SignOff")
    SignOff.objects.create(cycle=cycle, side="employer", signed_by_id=lead.pk, signatory_name="L", signatory_role="CEO")
    SignOff.objects.create(cycle=cycle, side="staff", signed_by_id=rep.pk, signatory_name="R", signatory_role="Chair")
    old.get_model("assessments", "PlanAgreement").objects.create(
        cycle=cycle, revision=2, side="staff", agreed_by_id=rep.pk
    )
    old.get_model("assessments", "SharingSetting").objects.create(
        organisation_id=world.org.pk,
        share_with_ics=True,
        proposed_by_id=rep.pk,
        proposed_by_name=rep.full_name,
        proposed_side="staff",
        proposed_at=when,
        agreed_by_id=lead.pk,
        agreed_by_name=lead.full_name,
        agreed_side="employer",
        agreed_at=when + timezone.timedelta(hours=1),
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(head)

    cycle = Cycle.objects.get(pk=cycle.pk)
    assert cycle.both_submitted
    assert cycle.submissions.staff.agreed_by == rep  # from the audit log
    assert cycle.submissions.employer.agreed_by == lead  # the person who took part on that side
    assert cycle.submitted_at(Side.EMPLOYER) == when
    signed = cycle.signoffs()
    assert signed.complete and signed.staff.terms == {"name": "R", "role": "Chair"}
    plan = cycle.plan_agreement()
    assert plan.version == "2" and plan.staff.agreed_by == rep and plan.employer is None
    setting = SharingSetting.objects.get(organisation=world.org)
    assert setting.share_with_ics
    assert (setting.proposal.side, setting.acceptance.side) == (Side.STAFF, Side.EMPLOYER)
    assert Agreement.objects.filter(kind__in=[kinds.RATINGS, kinds.SIGNOFF, kinds.PLAN, kinds.SHARING]).count() == 7
