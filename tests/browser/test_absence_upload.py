"""Given an organisation admin with JavaScript switched off, when they upload an ESR absence
extract with a mistake, then every bad row is listed and nothing is kept; when they upload
the corrected file, then it is imported; and the lead marks a known change and proposes a
trigger definition; all without JavaScript (the axe checks are in test_absence.py)."""

import datetime

import pytest

from staffwell.absence import synthetic
from staffwell.absence.models import Population


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False}


def test_without_javascript_an_admin_uploads_an_absence_extract(world, page, live_server, sign_in_as, tmp_path):
    month = datetime.date(2025, 3, 1)
    rows = synthetic.rows([("Medicine > Ward 7", 12)], [month], seed=9)[month]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        synthetic.to_csv([*rows, ["2025-03", "X1", "", "", "Medicine > Ward 7", "", "Wizards", "", "", "", "31", "0"]])
    )
    good = tmp_path / "good.csv"
    good.write_bytes(synthetic.to_csv(rows))

    sign_in_as(world.users["admin"])
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Import sickness absence").first.click()
    page.get_by_label("ESR sickness absence extract (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("Row 14: staff group 'Wizards' is not an ESR staff group.").wait_for()
    assert not Population.objects.exists()
    page.get_by_label("ESR sickness absence extract (CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("Imported 12 rows for March 2025").wait_for()
    assert Population.objects.filter(organisation=world.org).exists()


def test_without_javascript_the_lead_marks_a_known_change_and_proposes_a_trigger_definition(
    world, page, live_server, sign_in_as
):
    from staffwell.absence import esr
    from staffwell.absence.models import SeriesChange, TriggerDefinition

    months = synthetic.months_back(18, today=datetime.date(2026, 7, 1))
    for month, rows in synthetic.rows([("Medicine > Ward 7", 40), ("Medicine > Ward 8", 40)], months, seed=3).items():
        esr.import_extract(world.org, synthetic.to_csv(rows), filename=f"{month}.csv")
    sign_in_as(world.users["lead"])
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sickness absence", exact=True).first.click()
    page.get_by_role("link", name="Known changes on this chart", exact=False).first.click()
    assert page.get_by_label("Which chart").input_value() == "org"  # the chart the link was under
    page.get_by_label("The first month after the change").fill("2026-01")
    page.get_by_label("What changed").fill("New e-rostering system")
    page.get_by_role("button", name="Mark the change").click()
    page.get_by_text("Marked. The chart for").wait_for()
    assert SeriesChange.objects.filter(organisation=world.org, reason="New e-rostering system").exists()
    page.get_by_role("link", name="Sickness absence", exact=True).first.click()
    page.get_by_text("New baseline from Jan 2026: New e-rostering system", exact=False).wait_for()
    page.get_by_role("link", name="Absence policy triggers (counts only)").click()
    page.get_by_label("Spells of sickness absence").fill("three")
    page.get_by_label("In how many months").fill("6")
    page.get_by_role("button", name="Propose this definition").click()
    page.get_by_text("Enter the number of spells as a whole number, like 3").first.wait_for()
    page.get_by_label("Spells of sickness absence").fill("3")
    page.get_by_role("button", name="Propose this definition").click()
    page.get_by_text("Waiting for the staff side").wait_for()
    assert TriggerDefinition.objects.filter(organisation=world.org, spells=3, window_months=6).exists()
