"""Given the demo trust's three years of sickness absence, when the staff-side rep follows
links from the home page, then they reach the absence overview, a unit's Making Data Count
chart and the action whose measure shows the change, at desktop width and at 320 px, and
every page passes axe without CSP violations."""

import pytest
from django.core.management import call_command

from staffwell.accounts.models import User


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo")


def _journey(page, visit, live_server, *, narrow: bool):
    def here():
        visit(page.url.removeprefix(live_server.url), narrow=narrow)

    visit("/", narrow=narrow)
    page.get_by_role("link", name="Sickness absence", exact=True).first.click()
    here()
    page.get_by_role("heading", name="Sickness absence", level=1).wait_for()
    assert page.get_by_role("table", name="Absence rate by unit, last 12 months").count() == 1

    page.get_by_role("link", name="Emergency and Urgent Care").click()
    here()
    page.get_by_role("link", name="Emergency Department").click()
    here()
    page.get_by_role("heading", name="Sickness absence: Emergency Department").wait_for()
    assert page.locator("svg.staffwell-spc__svg").count() == 1
    assert page.get_by_role("table", name="the figures", exact=False).count() == 1

    page.get_by_role("link", name="Sickness absence", exact=True).click()  # the back link
    here()
    page.get_by_role("link", name="Stress and mental health (S10)").first.click()
    here()
    page.get_by_role("heading", name="What staff said in the stress risk survey").wait_for()
    visit("/", narrow=narrow)
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


def test_the_rep_clicks_from_home_to_the_absence_chart_and_the_action_with_its_measure(
    demo, page, visit, live_server, sign_in_as
):
    sign_in_as(User.objects.get(email="rep@northgate.example"))
    _journey(page, visit, live_server, narrow=True)
    page.set_viewport_size({"width": 320, "height": 800})
    _journey(page, visit, live_server, narrow=False)
