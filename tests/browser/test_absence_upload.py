"""Given an organisation admin with JavaScript switched off, when they upload an ESR absence
extract with a mistake, then every bad row is listed and nothing is kept; when they upload
the corrected file, then it is imported, all without JavaScript (the axe checks are in test_absence.py)."""

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
