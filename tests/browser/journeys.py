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


def fill_date(page, legend, day):
    """Type a date into the NHS.UK date input whose fieldset is named legend."""
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def one_current(page):
    """At most one header navigation item is highlighted as the current page."""
    current = page.evaluate(
        "() => [...new Set([...document.querySelectorAll('header [aria-current]')].map(a => a.getAttribute('href')))]"
    )
    assert len(current) <= 1, f"{len(current)} navigation items are highlighted on {page.url}: {current}"


def error_summary_has_focus(page):
    """The NHS.UK error summary is shown and has taken focus, so a screen reader reads it."""
    page.locator(".nhsuk-error-summary").first.wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('.nhsuk-error-summary')")
