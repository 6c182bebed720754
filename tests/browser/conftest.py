"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser).

Every page visited through ``visit`` is checked with axe-core for WCAG 2.2 AA, for
Content Security Policy violations, and (with ``narrow=True``) for sideways scrolling on a
320px-wide phone.
"""

import importlib
import json
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# Content every installation ships with, written by data migrations. Browser tests run
# against a live server, so Django empties the database after each one; this puts the
# shipped content back before the next. Each entry: a check that the content is there, and
# the migration functions that write it (called with today's models).
SHIPPED = [
    (
        lambda: apps.get_model("surveys", "Instrument").objects.filter(organisation=None).exists(),
        [("staffwell.surveys.migrations.0002_instruments", "load")],
    ),
    (
        lambda: apps.get_model("assessments", "Framework").objects.filter(organisation=None).exists(),
        [("staffwell.assessments.migrations.0002_nhs_hwb_framework_2021", "load")],
    ),
    (
        lambda: apps.get_model("reporting", "BenchmarkTable").objects.filter(organisation=None).exists(),
        [("staffwell.reporting.migrations.0002_shipped_benchmark", "load")],
    ),
    (
        lambda: apps.get_model("library", "Resource").objects.exists(),
        [
            ("staffwell.library.migrations.0003_seed_content", "seed"),
            ("staffwell.library.migrations.0004_casestudy_search_text", "fill"),
            ("staffwell.library.migrations.0005_episode_duration_source", "read_existing"),
            ("staffwell.library.migrations.0006_more_resources_and_stems", "load"),
        ],
    ),
]


@pytest.fixture(autouse=True)
def shipped_content(request):
    """Before each browser test, make sure the shipped content is there."""
    if "live_server" not in request.fixturenames and "page" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    for present, steps in SHIPPED:
        if not present():
            for module, function in steps:
                getattr(importlib.import_module(module), function)(apps, None)
    cache.clear()
    yield
    cache.clear()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _patient_page(request):
    """Every page waits up to 10 s for a step, as the journeys at both widths already did: a page
    that posts and redirects (sharing, say) can take longer than the 5 s default on a busy
    two-core machine, and a timeout there says nothing about the product."""
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_timeout(10000)


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def check_axe(page) -> None:
    """Run axe-core in the page and fail on any WCAG 2.2 AA violation."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    violations = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert not violations, f"axe found accessibility problems on {page.url}:\n{json.dumps(violations, indent=2)}"


def check_narrow(page) -> None:
    """At 320px wide nothing should need sideways scrolling (WCAG 1.4.10 reflow)."""
    original = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    # Let the header's responsive menu react to the resize before measuring.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_timeout(100)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(original)
    assert overflow <= 320, f"{page.url} is {overflow}px wide at a 320px viewport"


@pytest.fixture
def visit(page, live_server, console_errors):
    """Open a path, then check accessibility, CSP and (optionally) reflow."""

    def go(path: str, *, narrow: bool = True, expect_status: int = 200):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == expect_status, f"{path}: {response and response.status}"
        check_axe(page)
        if narrow:
            check_narrow(page)
        csp = [e for e in console_errors if "Content Security Policy" in e]
        assert not csp, f"Content Security Policy violations on {path}: {csp}"
        return response

    return go


@pytest.fixture
def sign_in_as(page, live_server):
    """Give the browser a signed-in session for a user, without the sign-in form."""

    def sign_in(user):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
        )

    return sign_in


@pytest.fixture
def here(page, console_errors):
    """Check the page the browser is on now (reached by clicking): axe, CSP and reflow."""

    def check(*, narrow: bool = True):
        page.wait_for_load_state()
        check_axe(page)
        if narrow:
            check_narrow(page)
        csp = [e for e in console_errors if "Content Security Policy" in e]
        assert not csp, f"Content Security Policy violations on {page.url}: {csp}"

    return check


@pytest.fixture
def shot(page):
    """Save a screenshot of the current page to /tmp/shots/ (for a person to look at)."""

    def take(name: str):
        folder = Path("/tmp/shots")  # noqa: S108 - screenshots for a person to look at
        folder.mkdir(exist_ok=True)
        width = page.viewport_size["width"] if page.viewport_size else 0
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)

    return take


JOURNEY_WIDTHS = [320, 1280]


# Journey tests take `width`: each runs on a phone and on a laptop.
@pytest.fixture(params=JOURNEY_WIDTHS, ids=["phone", "laptop"])
def width(request, page):
    page.set_viewport_size({"width": request.param, "height": 900})
    page.set_default_timeout(10000)
    return request.param
