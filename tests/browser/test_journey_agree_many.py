"""Agreeing many disagreed ratings on one page (issue 15, problem 9), reached from the home
page by clicking, on a phone and a laptop, with axe and the reflow check on every step;
the other side then sees who set each agreed rating. Works without JavaScript too."""

from staffwell.assessments.models import AgreedRating
from tests.assessments.test_agree_many import disagreeing_cycle
from tests.browser.journeys import click, start


def _to_the_agree_page(page, live_server, sign_in_as, here, user, title):
    start(page, live_server, sign_in_as, user)
    here()
    click(page, "Assessments")
    here()
    click(page, title)
    here()
    click(page, "Compare and agree ratings")
    here()


def test_a_rep_agrees_several_disagreed_ratings_at_once_and_the_lead_sees_who_set_each(
    world, page, live_server, sign_in_as, here, width
):
    cycle = disagreeing_cycle(world)
    rep, lead = world.users["rep"], world.users["lead"]
    _to_the_agree_page(page, live_server, sign_in_as, here, rep, cycle.title)
    click(page, "Agree the disagreed ratings on one page")
    here()
    codes = [a.statement.code for a in AgreedRating.objects.filter(cycle=cycle).select_related("statement")]
    rows = page.locator(".sw-agree-many__item")
    assert rows.count() == len(codes)
    for i in range(3):
        row = rows.nth(i)
        row.get_by_label("Agreed rating for", exact=False).select_option("2")
        row.get_by_label("Why this rating for", exact=False).fill(f"Agreed at the joint workshop, item {i + 1}")
    click(page, "Save these agreed ratings", role="button")
    page.get_by_text("3 agreed ratings saved").wait_for()
    here()
    assert AgreedRating.objects.filter(cycle=cycle, updated_by=rep, level=2).count() == 3

    # The employer side sees who set each one, on the list and on the one-page view
    _to_the_agree_page(page, live_server, sign_in_as, here, lead, cycle.title)
    assert page.locator("main").get_by_text(f"Set by {rep.full_name}").count() == 3
    click(page, "Agree the disagreed ratings on one page")
    here()
    assert page.locator("main").get_by_text(f"Set by {rep.full_name}").count() == 3
