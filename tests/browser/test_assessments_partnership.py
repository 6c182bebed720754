"""Partnership steps around an assessment, in the browser, with axe on every page:
sharing the element profile with the integrated care system needs both sides, and the
integrated care board's lead then sees it in the system view; an employer lead removes a
participant after confirming what happens to their drafts."""

from staffwell.assessments import services
from staffwell.assessments.models import Side
from staffwell.core.permissions import Role
from tests.assessments import helpers
from tests.factories import MembershipFactory, OrganisationFactory, RoleAssignmentFactory


def test_sharing_is_agreed_by_both_sides_before_the_icb_lead_sees_the_profile(world, page, visit, sign_in_as):
    org = world.org.slug
    lead, rep = world.users["lead"], world.users["rep"]
    cycle = helpers.signed_cycle(world, title="Diagnostic 2026")
    icb = OrganisationFactory(kind="icb", ics=world.ics, slug="icb-test", name="Test Integrated Care Board")
    icb_lead = MembershipFactory(organisation=icb)
    RoleAssignmentFactory(membership=icb_lead, role=Role.EMPLOYER_LEAD)

    # Given the staff-side rep proposes sharing
    sign_in_as(rep)
    visit(f"/o/{org}/assessments/sharing/")
    page.get_by_role("button", name="Propose sharing for the staff side").click()
    page.get_by_text("Nothing is shared until the employer side agrees").first.wait_for()
    visit(f"/o/{org}/assessments/sharing/")
    assert page.get_by_role("button", name="Withdraw our proposal").is_visible()

    # Then the integrated care board's lead sees nothing from the trust yet
    sign_in_as(icb_lead.user)
    visit(f"/o/{icb.slug}/assessments/system/")
    assert "No organisation in the system shares" in page.content()
    assert world.org.name not in page.content()

    # When the employer lead agrees
    sign_in_as(lead)
    visit(f"/o/{org}/assessments/")
    page.get_by_role("link", name="See the proposal").click()
    page.get_by_role("button", name="Agree to share for the employer side").click()
    page.get_by_text("Both sides have agreed").wait_for()
    visit(f"/o/{org}/assessments/sharing/")
    assert f"{rep.full_name} (staff side)" in page.content() and f"{lead.full_name} (employer side)" in page.content()

    # Then the system view shows the trust's signed-off profile, chart and table
    sign_in_as(icb_lead.user)
    visit(f"/o/{icb.slug}/assessments/")
    page.get_by_role("link", name="Compare the element profiles").click()
    visit(f"/o/{icb.slug}/assessments/system/")
    table = page.locator("table").inner_text()
    assert world.org.name in table and cycle.title in table
    assert page.locator("svg.staffwell-chart").count() == 1


def test_an_employer_lead_removes_a_rep_after_seeing_what_happens_to_their_drafts(world, page, visit, sign_in_as):
    org = world.org.slug
    cycle = helpers.open_cycle(world)
    rep2 = helpers.second_rep(world, name="Sam Second-Rep")
    services.invite(cycle=cycle, membership=rep2, side=Side.STAFF, actor=world.users["lead"])
    draft = cycle.ratings.filter(side=Side.STAFF).select_related("statement").first()
    services.save_rating(rating=draft, level=2, note="", expected_version=draft.version, actor=rep2.user)
    base = f"/o/{org}/assessments/{cycle.pk}/"

    # Given the employer lead looks at who is taking part
    sign_in_as(world.users["lead"])
    visit(f"{base}participants/")
    # The only person on the employer side cannot be removed; the two reps can.
    assert page.get_by_role("link", name=f"Remove {world.users['lead'].full_name}").count() == 0

    # When they choose to remove the second rep, they are told what happens to the draft
    page.get_by_role("link", name="Remove Sam Second-Rep").click()
    participant = cycle.participants.get(membership=rep2)
    visit(f"{base}participants/{participant.pk}/remove/")
    assert "1 draft rating they saved last will be cleared" in page.content()
    assert draft.statement.code in page.content()
    page.get_by_role("button", name="Remove Sam Second-Rep").click()

    # Then the rep is listed as no longer taking part, and the draft is cleared
    page.get_by_text("Sam Second-Rep no longer takes part").wait_for()
    visit(f"{base}participants/")
    assert "No longer taking part" in page.content()
    draft.refresh_from_db()
    assert draft.level is None
