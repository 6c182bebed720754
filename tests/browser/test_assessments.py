"""Given an employer lead and a staff-side rep, when they run an assessment cycle end to end
in the browser, then each rates independently, they agree, both sign, plan actions and get
the board report; every page visited passes axe."""

import datetime as dt

from staffwell.assessments.models import Cycle
from tests.assessments import helpers
from tests.browser.journeys import fill_date


def test_an_employer_lead_and_a_staff_side_rep_run_a_cycle_end_to_end(world, page, visit, sign_in_as, live_server):
    org = world.org.slug
    lead, rep = world.users["lead"], world.users["rep"]

    # Given the employer lead opens a cycle on the Environment element with the rep
    sign_in_as(lead)
    visit(f"/o/{org}/assessments/")
    visit(f"/o/{org}/assessments/frameworks/")
    visit(f"/o/{org}/assessments/frameworks/{helpers.framework().pk}/")
    visit(f"/o/{org}/assessments/sharing/")
    visit(f"/o/{org}/assessments/new/")
    page.get_by_label("Name of this assessment").fill("Diagnostic 2026")
    for box in page.locator("input[name=elements]").all():
        box.uncheck()
    page.get_by_label("5. Environment").check()
    page.get_by_label(rep.full_name).check()
    page.get_by_role("button", name="Open the assessment").click()
    cycle = Cycle.objects.get(title="Diagnostic 2026")
    base = f"/o/{org}/assessments/{cycle.pk}/"
    element = cycle.elements.get()

    # When the lead rates every statement "Established" and submits
    visit(base)
    visit(f"{base}participants/")
    visit(f"{base}rate/{element.pk}/")
    for group in page.locator("fieldset").all():
        group.get_by_label("3. Established").check()
    page.get_by_role("button", name="Save and come back later").click()
    visit(f"{base}submit/")
    page.get_by_role("button", name="Submit our ratings").click()
    page.get_by_text("ratings are submitted").or_(page.get_by_text("Both sides have submitted")).first.wait_for()
    visit(f"{base}compare/")
    assert "Still to submit: staff side" in page.content()

    # And the rep rates independently, one statement lower, and submits
    sign_in_as(rep)
    visit(f"{base}rate/{element.pk}/")
    assert "3. Established" in page.content() and page.locator("input:checked").count() == 0
    groups = page.locator("fieldset").all()
    groups[0].get_by_label("1. Not started").check()
    for group in groups[1:]:
        group.get_by_label("3. Established").check()
    page.get_by_role("button", name="Save and continue").click()
    visit(f"{base}submit/")
    page.get_by_role("button", name="Submit our ratings").click()
    page.get_by_text("ratings are submitted").or_(page.get_by_text("Both sides have submitted")).first.wait_for()

    # Then the comparison shows the disagreement first, and they agree it
    visit(f"{base}compare/")
    assert "Differ by 2" in page.locator("tbody tr").first.inner_text()
    page.locator("tbody tr").first.get_by_role("link").click()
    from tests.browser.conftest import check_axe

    check_axe(page)
    page.get_by_label("2. Developing").check()
    page.get_by_label("Why this rating").fill("Rest rooms exist on days but are locked at night.")
    page.get_by_role("button", name="Save agreed rating").click()

    # And both sides sign off
    visit(f"{base}sign-off/")
    page.get_by_label("Your role, as it should appear on the sign-off").fill("Staff-side chair")
    page.get_by_label("I confirm my side agrees these ratings").check()
    page.get_by_role("button", name="Sign for the staff side").click()
    sign_in_as(lead)
    visit(f"{base}sign-off/")
    page.get_by_label("Your role, as it should appear on the sign-off").fill("Director of People")
    page.get_by_label("I confirm my side agrees these ratings").check()
    page.get_by_role("button", name="Sign for the employer side").click()
    page.get_by_text("The assessment is now locked").wait_for()
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.SIGNED_OFF

    # And they plan an action and both agree the plan
    visit(f"{base}results/")
    assert page.locator("svg[role=img]").count() >= 1 and page.locator("table").count() >= 1
    visit(f"{base}actions/new/")
    page.get_by_label("Action", exact=True).fill("Keep rest rooms open at night")
    page.get_by_label("How will we know it worked?").fill("Night staff survey: rest room access")
    page.get_by_label("Owner on the employer side").select_option(label=lead.full_name)
    page.get_by_label("Owner on the staff side").select_option(label=rep.full_name)
    fill_date(page, "Due date", dt.date(2027, 3, 31))
    page.get_by_role("button", name="Add the action").click()
    visit(f"{base}actions/")
    page.get_by_role("button", name="Agree this plan for the employer side").click()
    visit(f"{base}actions/{cycle.actions.get().pk}/")
    visit(f"{base}amend/")
    sign_in_as(rep)
    visit(f"{base}actions/")
    page.get_by_role("button", name="Agree this plan for the staff side").click()
    page.locator(".nhsuk-tag", has_text="Agreed by both sides").wait_for()

    # And the board report downloads as a PDF
    visit(base)
    with page.expect_download() as download:
        page.get_by_role("link", name="Board report (PDF, may take a few seconds)").click()
    assert download.value.suggested_filename.endswith(".pdf")
