"""A line manager, from the home page, by clicking only: their teams' latest figures (with
the reason when one is not shown), the full report (whose Comments link never answers 404),
and what staff shared with them and what waits for their decision."""

import re

import pytest

from tests.browser.journeys import click, start
from tests.reporting.conftest import load_demo_trust, member


@pytest.fixture
def demo(db):
    return load_demo_trust()


def test_a_manager_sees_their_teams_figures_with_reasons_and_opens_the_report(
    demo, page, live_server, sign_in_as, here, shot, width
):
    manager = member(demo, "manager@northgate.example")
    start(page, live_server, sign_in_as, manager.user)
    here()
    click(page, "My teams")
    here()
    shot("manager-home")
    main = page.locator("main").inner_text()
    assert "Waiting for your decision" in main and "Shared with you" in main
    assert "Your teams' latest survey results" in main
    # A withheld figure says why, on its own row
    for line in main.splitlines():
        if line.strip().startswith("Not shown"):
            assert ":" in line, f"a withheld figure without its reason: {line!r}"
    click(page, re.compile(r": full results$"))
    page.wait_for_url(re.compile(r"/reports/\d+/\?group="))
    here()
    shot("manager-report")
    comments = page.get_by_role("link", name="Comments", exact=True)
    if comments.count():
        comments.click()
        page.wait_for_load_state()
        here()
        assert "Page not found" not in page.content()
    else:
        assert "Comments: shown here once both sides have reviewed them" in page.locator("main").inner_text()


def test_the_lead_reads_the_heatmap_at_a_glance(demo, page, live_server, sign_in_as, here, shot, width):
    lead = member(demo, "lead@northgate.example")
    start(page, live_server, sign_in_as, lead.user)
    click(page, "Survey results")
    here()
    click(page, "Stress risk survey 2026")
    here()
    shot("lead-heatmap")
    table = page.get_by_role("table", name="HSE scale scores: units by scales")
    table.screenshot(path=f"/tmp/shots/lead-heatmap-table-{width}.png")  # noqa: S108
    fit = page.evaluate(
        "() => { const w = document.querySelector('.sw-heatmap-wrap'); return [w.scrollWidth, w.clientWidth]; }"
    )
    if width >= 1280:
        assert fit[0] <= fit[1], f"the heatmap is {fit[0]}px wide in a {fit[1]}px column"
    else:
        # On a phone the unit names stay in view while the scales scroll
        first = table.locator("tbody th").first
        page.evaluate("() => document.querySelector('.sw-heatmap-wrap').scrollLeft = 400")
        assert first.bounding_box()["x"] >= 0
    # Colour is never the only cue: every shown cell names its band in words
    assert table.locator(".sw-band__label").count() > 7
    # And it is not a wall of one band: the demo trust's units differ, so the report tells a story
    bands = {t.strip() for t in table.locator(".sw-band__label").all_inner_texts()}
    assert len(bands) >= 3, bands


def test_a_manager_opens_what_a_team_member_shares_from_her_name(world, page, live_server, sign_in_as, here, width):
    from tests.passports.helpers import passport_for, share

    staff = world.users["staff"]
    passport = passport_for(staff)
    share(passport, world.users["manager"])
    start(page, live_server, sign_in_as, world.users["manager"])
    click(page, "My teams")
    here()
    # Her name in "Who is in your teams" is a link; it leads to what she shares
    page.locator("main").get_by_role("link", name=re.compile(r"^Staff Person\W+what they share with you$")).click()
    assert page.url.endswith(f"#shared-{staff.pk}")
    entry = page.locator(f"#shared-{staff.pk}")
    assert entry.is_visible()
    entry.get_by_role("link").first.click()
    page.wait_for_url(re.compile(rf"/shared/passports/{passport.pk}/$"))
    here()
