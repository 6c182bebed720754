"""Journeys as people make them: start at the home page and reach every step by clicking
links and buttons a person can see, on a phone (320 px) and on a laptop (1280 px), with
axe, CSP and the reflow check on every step (``here``)."""

import re

import pytest

from tests.surveys.helpers import add_people, make_campaign

WIDTHS = [320, 1280]


@pytest.fixture(params=WIDTHS, ids=["phone", "laptop"])
def width(request, page):
    page.set_viewport_size({"width": request.param, "height": 900})
    return request.param


def start(page, live_server, sign_in_as, user):
    sign_in_as(user)
    page.goto(live_server.url + "/")


def click(page, name, *, role="link"):
    """Click the first link (or button) of that exact name that a person can see."""
    target = page.get_by_role(role, name=name, exact=True).locator("visible=true").first
    target.click()
    page.wait_for_load_state()


def test_a_lead_opens_a_survey_from_the_list_and_its_question_set(
    world, page, live_server, sign_in_as, here, shot, width
):
    add_people(world.org, world.team, 6)
    make_campaign(world, units=[world.team], name="Spring pulse")
    start(page, live_server, sign_in_as, world.users["lead"])
    here()
    click(page, "Surveys")
    here()
    shot("lead-surveys")
    # The survey's name is a link, not the text of one
    assert "&lt;a" not in page.content() and "<a href" not in page.inner_text("main")
    click(page, "Spring pulse")
    page.wait_for_url(re.compile(r"/surveys/\d+/$"))
    here()
    click(page, re.compile(r"^Wellbeing pulse"))
    page.wait_for_url(re.compile(r"/(question-sets|instruments)/\d+/$"))
    here()
    page.go_back()
    page.go_back()
    click(page, "Question sets")
    here()
    assert "<a href" not in page.inner_text("main")
    click(page, re.compile(r"^Wellbeing pulse"))
    here()
