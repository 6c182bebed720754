"""Given a phone with JavaScript switched off, a porter still posts an anonymous idea and
follows it with their private code, by clicking only, from the home page."""

import pytest

from staffwell.voice import services
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False, "viewport": {"width": 320, "height": 800}}


def test_without_javascript_a_porter_posts_anonymously_and_follows_it_with_the_code(
    world, page, live_server, sign_in_as
):
    porter = MembershipFactory(organisation=world.org, unit=world.team, user=UserFactory(full_name="Pat Porter"))
    sign_in_as(porter.user)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Staff voice").first.click()
    page.get_by_role("link", name="Post an idea, question or challenge").click()
    page.get_by_label("An idea").check()
    page.get_by_label("In a few words").fill("Hot food for night porters")
    page.get_by_label("Tell us more").fill("The canteen shuts at 8pm, so nights have nothing hot.")
    page.get_by_label("Anonymously").check()
    page.get_by_role("button", name="Post it").click()
    code = page.locator("#private-code").inner_text().strip()
    assert code and code not in page.url
    services.release()

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Staff voice").first.click()
    page.get_by_role("link", name="Follow a post you made anonymously").click()
    page.get_by_label("Your private code").fill(code)
    page.get_by_role("button", name="Open my post").click()
    assert "Hot food for night porters" in page.content() and code not in page.url
