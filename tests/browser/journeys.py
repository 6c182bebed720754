"""Helpers for journey tests: clicking as a person does, at a phone's and a laptop's width."""


def start(page, live_server, sign_in_as, user):
    """Sign in, then open the home page: the only address a journey types."""
    sign_in_as(user)
    page.goto(live_server.url + "/")


def click(page, name, *, role="link"):
    """Click the first link (or button) of that exact name that a person can see."""
    target = page.get_by_role(role, name=name, exact=True).locator("visible=true").first
    target.click()
    page.wait_for_load_state()


def fits(page, selector):
    """Every element matching selector lies inside the viewport's width."""
    widest = page.evaluate(
        "(s) => Math.max(0, ...[...document.querySelectorAll(s)].map(e => e.getBoundingClientRect().right))", selector
    )
    viewport = page.viewport_size["width"]
    assert widest <= viewport, f"{selector} reaches {widest}px in a {viewport}px viewport on {page.url}"
