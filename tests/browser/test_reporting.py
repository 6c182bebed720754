"""Given the demo trust's closed surveys, when the employer lead, the staff-side rep, a line
manager and a nurse read the results, then each sees what they should, the comments are
reviewed by both sides before a manager sees them, and every page passes axe."""

import pytest

from staffwell.surveys.models import Campaign
from tests.reporting.conftest import load_demo_trust, member


@pytest.fixture
def demo(db):
    return load_demo_trust()


def test_the_partnership_reads_the_hse_heatmap_and_releases_comments_to_managers(demo, page, visit, sign_in_as):
    org = demo.slug
    hse = Campaign.objects.get(organisation=demo, name="Stress risk survey 2026")
    pulse = Campaign.objects.get(organisation=demo, name="Wellbeing pulse 3")
    lead, rep = member(demo, "lead@northgate.example"), member(demo, "rep@northgate.example")

    # Given the employer lead opens the HSE results
    sign_in_as(lead.user)
    visit(f"/o/{org}/reports/")
    visit(f"/o/{org}/reports/{hse.pk}/")
    heatmap = page.get_by_role("table", name="HSE scale scores: units by scales")
    # Then the heatmap reads in words as well as colour, and small units say "Not shown"
    assert heatmap.get_by_text("Not shown").count() > 0
    assert heatmap.locator(".sw-band__label").count() > 7
    # When the lead focuses on one directorate, the distribution follows
    page.get_by_label("Show answers for").select_option(label="Medicine")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Answers to each statement: Medicine").wait_for()
    visit(f"/o/{org}/reports/{pulse.pk}/")
    visit(f"/o/{org}/reports/thresholds/")
    visit(f"/o/{org}/reports/benchmarks/")

    # When the lead removes a name from a comment and agrees the comments are ready
    visit(f"/o/{org}/reports/{pulse.pk}/comments/")
    page.get_by_label("Comment 1:", exact=False).fill("Our manager [name removed] listens.")
    page.get_by_role("button", name="Save and stay at comment 1", exact=True).click()
    page.get_by_text("Both sides need to agree").wait_for()
    page.get_by_role("button", name="Agree these comments are ready to release").click()

    # And the staff-side rep agrees too
    sign_in_as(rep.user)
    visit(f"/o/{org}/reports/{pulse.pk}/comments/")
    page.get_by_role("button", name="Agree these comments are ready to release").click()
    page.get_by_text("Comments released to managers").wait_for()

    # Then the reviewed wording is what is shown, without dates
    assert page.get_by_text("Our manager [name removed] listens.").count() == 1

    # And a line manager reads the comments of their own units only
    manager = member(demo, "manager@northgate.example")
    sign_in_as(manager.user)
    visit(f"/o/{org}/reports/{hse.pk}/")
    visit(f"/o/{org}/reports/{pulse.pk}/comments/")
    if page.get_by_label("Show comments for").count():
        options = page.get_by_label("Show comments for").locator("option").all_inner_texts()
        assert not any(o.startswith("Whole organisation") for o in options)
    else:
        page.get_by_text("There are no comments to show for your units").wait_for()

    # And a nurse sees only the organisation's results
    nurse = member(demo, "nurse@northgate.example")
    sign_in_as(nurse.user)
    visit(f"/o/{org}/reports/{hse.pk}/")
    rows = page.get_by_role("table", name="HSE scale scores: units by scales").locator("tbody tr")
    assert rows.count() == 1
