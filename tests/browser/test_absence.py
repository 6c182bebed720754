"""Given the demo trust's three years of sickness absence, when the employer-side lead follows
links from the home page, then they reach every absence page (overview, a unit's Making Data
Count chart, a staff group, a reason, stress, musculoskeletal, the national comparison, known
changes, triggers, the action with its measure and the measure's form), mark a known change
on the Emergency Department's chart and propose a trigger definition; when the staff-side rep
follows links, then they see the change and agree the definition; and the admin reaches the
upload. At 320 px and at desktop width, every page passes axe, reflows and has no CSP
violations."""

import pytest
from django.core.management import call_command

from staffwell.absence import synthetic
from staffwell.accounts.models import User


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo")


def _overview(page, here):
    page.get_by_role("link", name="Sickness absence", exact=True).first.click()
    here()
    page.get_by_role("heading", name="Sickness absence", level=1).wait_for()


def _back(page, here):
    page.get_by_role("link", name="Sickness absence", exact=True).first.click()  # the back link
    here()


def _lead_journey(page, here, live_server, change_month: str):
    page.goto(live_server.url + "/")
    here()
    _overview(page, here)
    assert page.get_by_role("table", name="Absence rate by unit, last 12 months").count() == 1
    page.get_by_role("link", name="Emergency and Urgent Care").click()
    here()
    page.get_by_role("link", name="Emergency Department").click()
    here()
    page.get_by_role("heading", name="Sickness absence: Emergency Department").wait_for()
    assert page.locator("svg.staffwell-spc__svg").count() == 1
    assert page.get_by_role("table", name="the figures", exact=False).count() == 1
    _back(page, here)
    staff_groups = page.get_by_role("table", name="Absence rate by staff group, last 12 months")
    # Every staff group is shown, with the share of the group its figure covers.
    assert staff_groups.get_by_role("columnheader", name="Share of the group in the figure").count() == 1
    assert staff_groups.get_by_text("Not shown").count() == 0
    staff_groups.get_by_role("link", name="Nursing and Midwifery Registered").click()
    here()
    page.get_by_role("heading", name="Sickness absence: Nursing and Midwifery Registered").wait_for()
    page.get_by_text("This figure is for", exact=False).wait_for()
    assert page.locator("svg.staffwell-spc__svg").count() == 1
    _back(page, here)
    reasons = page.get_by_role("table", name="Share of days lost by reason, last 12 months")
    reasons.get_by_role("link", name="S13", exact=False).click()
    here()
    _back(page, here)
    for name, heading in (
        ("Stress and mental health (S10)", "What staff said in the stress risk survey"),
        ("Musculoskeletal (S11 and S12)", "Musculoskeletal absence (S11 and S12)"),
        ("National comparison", "National comparison"),
    ):
        page.get_by_role("link", name=name).first.click()
        here()
        page.get_by_role("heading", name=heading).wait_for()
        _back(page, here)

    page.get_by_role("link", name="Known changes on the charts").click()
    here()
    page.get_by_label("Which chart").select_option(label="Emergency Department")
    page.get_by_label("The first month after the change").fill(change_month)
    page.get_by_label("What changed").fill("Two extra nurses on every night shift")
    page.get_by_role("button", name="Mark the change").click()
    here()
    page.get_by_text("Marked. The chart for Emergency Department starts a new mean").wait_for()
    _back(page, here)
    page.get_by_role("link", name="Emergency and Urgent Care").click()
    page.get_by_role("link", name="Emergency Department").click()
    here()
    assert page.get_by_text("Two extra nurses on every night shift", exact=False).count() >= 2  # summary, table
    _back(page, here)

    page.get_by_role("link", name="Absence policy triggers (counts only)").click()
    here()
    page.get_by_label("Spells of sickness absence").fill("3")
    page.get_by_label("In how many months").fill("6")
    page.get_by_role("button", name="Propose this definition").click()
    here()
    page.get_by_text("Waiting for the staff side").wait_for()

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Assessments", exact=True).first.click()
    here()
    page.locator("tbody tr").last.get_by_role("link").first.click()
    here()
    page.get_by_role("link", name="Action plan").click()
    here()
    page.get_by_role("link", name="Open a staff rest room", exact=False).click()
    here()
    page.get_by_role("heading", name="How the measure is changing").wait_for()
    assert page.get_by_text("Action started").count() >= 1
    assert page.get_by_text("Special cause of improvement", exact=False).count() >= 1
    page.get_by_role("link", name="Change the absence measure").click()
    here()
    page.get_by_role("heading", name="Which absence will show this action worked?").wait_for()


def _rep_journey(page, here, live_server):
    page.goto(live_server.url + "/")
    _overview(page, here)
    page.get_by_role("link", name="Known changes on the charts").click()
    here()
    assert page.get_by_text("Two extra nurses on every night shift").count() >= 1
    _back(page, here)
    page.get_by_role("link", name="Absence policy triggers (counts only)").click()
    page.get_by_role("button", name="Agree this definition for the staff side").click()
    here()
    page.get_by_text("Both sides have agreed. Extracts imported from now on").wait_for()


# One test per width (the ``width`` fixture), so the two can run side by side.
def test_lead_rep_and_admin_click_from_home_through_every_absence_page(
    demo, page, here, live_server, sign_in_as, width
):
    months = synthetic.months_back(36)
    sign_in_as(User.objects.get(email="lead@northgate.example"))
    _lead_journey(page, here, live_server, months[28].strftime("%Y-%m"))
    sign_in_as(User.objects.get(email="rep@northgate.example"))
    _rep_journey(page, here, live_server)
    sign_in_as(User.objects.get(email="admin@northgate.example"))
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Import sickness absence").first.click()
    here()
    page.get_by_role("heading", name="Import sickness absence").wait_for()
