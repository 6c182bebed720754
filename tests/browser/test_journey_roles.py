"""The staff-side rep, the content editor, the organisation admin and the platform admin,
each from the home page by clicking only (no typed addresses after sign-in), on a phone
(320 px) and a laptop (1280 px), with axe, CSP and the reflow check on every step and at
most one navigation item highlighted."""

import re

from staffwell.organisations.models import Unit
from staffwell.surveys.models import Campaign
from tests.assessments import helpers as assessment_helpers
from tests.browser.journeys import click, error_summary_has_focus, one_current, start
from tests.surveys.helpers import add_people, answer_as, close_now, make_campaign


def step(page, here):
    here()
    one_current(page)


def test_a_staff_side_rep_follows_a_survey_reads_results_and_the_assessment_and_checks_the_audit_log(
    world, page, live_server, sign_in_as, here, shot, width
):
    people = add_people(world.org, world.team, 12)
    closed = make_campaign(world, units=[world.team], name="Autumn pulse")
    for person in people:
        answer_as(person, closed)
    close_now(world, closed)
    make_campaign(world, units=[world.team], name="Spring pulse")  # launched today
    assessment_helpers.signed_cycle(world, title="Diagnostic 2026")

    start(page, live_server, sign_in_as, world.users["rep"])
    step(page, here)
    click(page, "Surveys")
    step(page, here)
    click(page, "Spring pulse")
    step(page, here)
    # Straight after launch the page says where the invitations are, not a bare "Not shown"
    emailed = page.locator(".nhsuk-summary-list__row", has_text="Invitations emailed")
    value = emailed.locator(".nhsuk-summary-list__value").inner_text().strip()
    assert value != "Not shown" and value, value
    assert Campaign.objects.get(name="Spring pulse").invitations_sent_on is not None

    click(page, "Home")
    click(page, "Survey results")
    step(page, here)
    click(page, "Autumn pulse")
    page.wait_for_url(re.compile(r"/reports/\d+/"))
    step(page, here)
    shot("rep-report")
    # A PDF says before the click that it takes a moment
    pdf = page.get_by_role("link", name=re.compile(r"\(PDF, may take a few seconds\)"))
    assert pdf.count() >= 1

    click(page, "Home")
    click(page, "Assessments")
    step(page, here)
    click(page, "Diagnostic 2026")
    step(page, here)
    assert page.get_by_role("link", name="Board report (PDF, may take a few seconds)").is_visible()
    click(page, "Results")
    step(page, here)  # the results tables scroll by keyboard at 320 px (axe scrollable-region-focusable)
    shot("rep-assessment-results")

    click(page, "Home")
    click(page, "Audit log")
    step(page, here)  # and so does the audit log
    assert page.get_by_role("region", name=re.compile("Audit events")).count() == 1

    # Who can sign people in is a partnership matter: the rep reads the single sign-on settings
    # (their long example addresses once widened the page at 320 px)
    click(page, "Home")
    click(page, "Single sign-on")
    step(page, here)
    assert page.get_by_role("heading", name="Agreement by both sides").is_visible()

    # The staff side appoints its own reps: a mistake first, then a colleague
    click(page, "Home")
    click(page, "Staff-side reps")
    step(page, here)
    page.get_by_label("Work email or person id of the new rep").fill(world.users["lead"].email)
    page.get_by_role("button", name="Appoint as a staff-side rep").click()
    error_summary_has_focus(page)
    step(page, here)
    assert "employer-side lead" in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Work email or person id of the new rep").fill(people[0].email)
    page.get_by_role("button", name="Appoint as a staff-side rep").click()
    step(page, here)
    assert page.locator("main li", has_text=people[0].full_name).count() == 1


def test_a_content_editor_adds_a_resource_fixing_each_mistake_from_the_error_summary(
    world, page, live_server, sign_in_as, here, shot, width
):
    start(page, live_server, sign_in_as, world.users["editor"])
    step(page, here)
    click(page, "Editorial")
    step(page, here)
    click(page, "Add a resource")
    step(page, here)
    page.get_by_label("Title", exact=True).fill("Sleep after night shifts")
    page.get_by_label("Slug").fill("Sleep After Nights!")
    page.get_by_label("Provider").fill("A sleep charity")
    page.get_by_label("Web address").fill("https://example.org/sleep")
    page.get_by_label("Kind").select_option("guide")
    page.get_by_label("Summary").fill("Ways to sleep in the day after a run of night shifts.")
    page.get_by_label("Offer", exact=True).fill("Free for NHS staff")
    ends = page.get_by_role("group", name="Offer ends")
    ends.get_by_label("Day").fill("31")
    ends.get_by_label("Year").fill("2027")
    click(page, "Save draft", role="button")
    step(page, here)
    shot("editor-errors")
    # The standard error summary takes focus and names each mistake in plain words
    error_summary_has_focus(page)
    summary = page.locator(".nhsuk-error-summary").inner_text()
    assert "valid “slug”" not in summary and "valid slug" not in summary.lower()
    assert "Use only lower-case letters, numbers and hyphens" in summary
    assert "The date must include a month" in summary
    # Its link goes to the box to fix, and what she typed is kept
    page.locator(".nhsuk-error-summary").get_by_role("link", name="The date must include a month").click()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'id_offer_ends-month'")
    assert ends.get_by_label("Day").input_value() == "31"
    ends.get_by_label("Month").fill("3")
    page.get_by_label("Slug").fill("sleep-after-night-shifts")
    click(page, "Save draft", role="button")
    step(page, here)
    assert "Draft resource" in page.locator(".staffwell-message").inner_text()
    # A draft nobody has reviewed does not claim a review date
    main = page.locator("main").inner_text()
    assert "Not reviewed yet" in main and "Last reviewed" not in main
    assert page.get_by_role("group", name="Offer ends").get_by_label("Month").input_value() == "3"


def test_an_organisation_admin_checks_people_and_confirms_new_units_in_a_staff_import(
    world, page, live_server, sign_in_as, here, shot, width, tmp_path
):
    start(page, live_server, sign_in_as, world.users["admin"])
    step(page, here)
    click(page, "People")
    step(page, here)
    # Roles read as a list, never with a trailing comma ("Line manager,")
    for cell in page.locator("main table tbody td").all_inner_texts():
        assert not cell.strip().endswith(","), cell
    click(page, "Home")
    click(page, "Staff import")
    step(page, here)

    lines = ["person_id,name,email,unit_path,staff_group,fte,manager_of"]
    for m in world.memberships.values():
        if m.organisation_id == world.org.pk:
            lines.append(f"{m.person_id},{m.full_name},,Medicine > Ward 7,Nursing and Midwifery Registered,1,")
    lines.append("900001,Nia Newstarter,,Medicne > Ward 9,Nursing and Midwifery Registered,1,")
    csv = tmp_path / "staff.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.get_by_label("Staff list (CSV file)").set_input_files(str(csv))
    click(page, "Upload and check", role="button")
    step(page, here)
    shot("admin-import-new-units")
    # A unit path the trust does not have is listed for her to check, and nothing changed
    error_summary_has_focus(page)
    summary = page.locator(".nhsuk-error-summary").inner_text()
    assert "'Medicne > Ward 9' is not a unit here yet" in summary and "Create the new units" in summary
    assert not Unit.objects.filter(name="Medicne").exists()

    click(page, "Upload a corrected file")
    step(page, here)
    page.get_by_label("Staff list (CSV file)").set_input_files(str(csv))
    page.get_by_label("Create the new units").check()
    click(page, "Upload and check", role="button")
    step(page, here)
    assert "Imported" in page.locator("main").inner_text()
    assert Unit.objects.filter(name="Medicne").exists()

    click(page, "Home")
    click(page, "Audit log")
    step(page, here)


def test_an_admin_who_is_also_the_employer_lead_saves_single_sign_on_and_is_told_why_she_cannot_agree_it(
    world, page, live_server, sign_in_as, here, shot, width
):
    """Four eyes: whoever saved the settings cannot agree them for either side; the page says
    so where the agree button would be, and the other employer-side lead can agree."""
    from staffwell.core.permissions import Role
    from staffwell.organisations.models import RoleAssignment

    RoleAssignment.objects.create(membership=world.memberships["admin"], role=Role.EMPLOYER_LEAD)
    start(page, live_server, sign_in_as, world.users["admin"])
    step(page, here)
    click(page, "Single sign-on")
    step(page, here)
    page.get_by_label("Issuer").fill("https://login.example.org/tenant/v2.0")
    page.get_by_label("Client id").fill("staffwell")
    page.get_by_label("Client secret").fill("a-client-secret")
    page.get_by_label("Allowed domains").fill("northgate-test.example")
    click(page, "Save single sign-on settings", role="button")
    step(page, here)
    shot("admin-lead-saved-sso")
    warning = page.locator(".nhsuk-warning-callout")
    assert "You saved these settings, so you cannot agree them for either side" in warning.inner_text()
    assert page.get_by_role("button", name=re.compile("Agree these settings")).count() == 0
    saver = page.locator(".nhsuk-summary-list__row", has_text="Settings last changed by").locator("dd")
    assert saver.inner_text().startswith("Admin Person on ")


def test_a_platform_admin_reads_the_organisations_on_a_phone(world, page, live_server, sign_in_as, here, width):
    start(page, live_server, sign_in_as, world.users["platform"])
    step(page, here)
    click(page, "Platform")
    step(page, here)  # the organisations table scrolls by keyboard (axe scrollable-region-focusable)
    assert world.org.name in page.locator("main").inner_text()


def test_a_platform_admin_appoints_the_first_staff_side_rep_of_an_organisation_with_none(
    world, page, live_server, sign_in_as, here, width
):
    from tests.factories import MembershipFactory

    chosen = MembershipFactory(organisation=world.other_org, full_name="Rita Okoye")
    start(page, live_server, sign_in_as, world.users["platform"])
    click(page, "Platform")
    step(page, here)
    page.get_by_role("link", name=f"Staff-side reps at {world.other_org.name}").click()
    step(page, here)
    page.get_by_label("Work email or person id of the new rep").fill(chosen.email)
    page.get_by_role("button", name="Appoint as the first staff-side rep").click()
    step(page, here)
    assert "Rita Okoye" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Appoint as the first staff-side rep").count() == 0
