"""Given a phone with JavaScript switched off, a nurse still asks for support and a peer
supporter still accepts it, by clicking only, from the home page."""

import pytest

from staffwell.support.models import SupportRequest
from tests.support import helpers


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False, "viewport": {"width": 320, "height": 800}}


def test_without_javascript_a_nurse_asks_for_support_and_a_peer_supporter_accepts(world, page, live_server, sign_in_as):
    helpers.make_peer(world.memberships["editor"])
    sign_in_as(world.users["staff"])
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Something happened at work and I'm affected").click()
    page.get_by_label("Another stressful patient event", exact=True).check()
    page.get_by_label("How and when to get in touch (optional)").fill("Text me on 07700 900456")
    page.get_by_role("button", name="Ask for support").click()
    assert "Waiting for a peer supporter" in page.content()

    sign_in_as(world.users["editor"])
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Support after something happened at work").first.click()
    page.get_by_role("link", name="Peer support: requests waiting").click()
    page.get_by_role("link", name="Another stressful patient event, asked").click()
    page.get_by_role("button", name="Accept this request").click()
    assert SupportRequest.objects.get().accepted_by == world.users["editor"]
    assert "07700 900456" in page.content()
