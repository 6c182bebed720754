"""Given JavaScript switched off, a rep still agrees disagreed ratings on one page, by
clicking only from the home page; a missing reason is refused and the choice is kept."""

import pytest

from staffwell.assessments.models import AgreedRating
from tests.assessments.test_agree_many import disagreeing_cycle
from tests.browser.journeys import click


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False, "viewport": {"width": 320, "height": 800}}


def test_without_javascript_a_rep_agrees_ratings_on_one_page(world, page, live_server, sign_in_as):
    cycle = disagreeing_cycle(world)
    rep = world.users["rep"]
    sign_in_as(rep)
    page.goto(live_server.url + "/")
    for name in ("Assessments", cycle.title, "Compare and agree ratings", "Agree the disagreed ratings on one page"):
        click(page, name)
    first = page.locator(".sw-agree-many__item").first
    first.get_by_label("Agreed rating for", exact=False).select_option("3")
    click(page, "Save these agreed ratings", role="button")
    page.get_by_text("Explain why both sides agreed this rating").first.wait_for()
    first = page.locator(".sw-agree-many__item").first
    assert first.get_by_label("Agreed rating for", exact=False).input_value() == "3"
    first.get_by_label("Why this rating for", exact=False).fill("Agreed without scripts")
    click(page, "Save these agreed ratings", role="button")
    page.get_by_text("1 agreed rating saved").wait_for()
    assert AgreedRating.objects.filter(cycle=cycle, updated_by=rep, level=3).count() == 1
