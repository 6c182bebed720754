"""Journeys as people make them: start at the home page and reach every step by clicking
links and buttons a person can see, on a phone (320 px) and on a laptop (1280 px), with
axe, CSP and the reflow check on every step (``here``)."""

import re

from tests.browser.journeys import click, start
from tests.surveys.helpers import add_people, make_campaign


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
