"""Given a closed survey with many comments, when the employer lead goes from the home page
to its comments, rewords one, marks others read and saves once, then they are back at the
comment they were on, each comment says who read or reworded it, and the page passes axe
on a phone and a laptop."""

import datetime
import re

from django.utils import timezone

from tests.browser.journeys import click, start
from tests.surveys.helpers import add_people


def test_a_lead_reviews_many_comments_in_one_save_and_keeps_their_place(
    world, page, live_server, sign_in_as, here, width
):
    from staffwell.reporting import synthetic

    add_people(world.org, world.team, 30)
    synthetic.closed_campaign(
        org=world.org,
        instrument=synthetic.instrument("wellbeing-pulse"),
        name="Review pulse",
        closes_on=timezone.localdate() - datetime.timedelta(days=2),
        rate=1.0,
        seed=5,
    )
    start(page, live_server, sign_in_as, world.users["lead"])
    here()
    click(page, "Survey results")
    here()
    click(page, "Review pulse")
    here()
    click(page, "Comments")
    page.get_by_role("heading", name="Review comments before release").wait_for()
    here()

    # When the lead rewords comment 1, ticks comments 2 and 3 as read, and saves at comment 3
    page.get_by_label("Comment 1:", exact=False).fill("Our manager [name removed] listens.")
    page.get_by_label("I have read comment 2", exact=True).check()
    page.get_by_label("I have read comment 3", exact=True).check()
    page.get_by_role("button", name="Save and stay at comment 3", exact=True).click()
    page.wait_for_load_state()

    # Then they are back at comment 3, and all three changes are saved in one go
    assert re.search(r"#comment-3$", page.url)
    page.get_by_text("Saved: 1 comment reworded, 2 comments marked as read.").wait_for()
    name = world.users["lead"].full_name
    assert page.get_by_text(f"Reworded by {name}").count() == 1
    assert page.get_by_text(f"Read by {name}").count() == 2
    assert page.get_by_label("Comment 1:", exact=False).input_value() == "Our manager [name removed] listens."
    here()
