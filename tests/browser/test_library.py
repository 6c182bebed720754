"""Given the library as it is at first start, when people use it in a browser, then it works,
passes axe and fits a phone."""

import datetime as dt

import pytest
from django.utils import timezone

from staffwell.library.duration import read_duration
from staffwell.library.models import BUNDLED_AUDIO_DIR, Episode, LinkCheck, Resource, UrgentContact
from tests.factories import MembershipFactory, RoleAssignmentFactory, UserFactory


@pytest.fixture
def seeded(shipped_content):
    """The library as it is at first start (see ``shipped_content`` in conftest.py)."""


PUBLIC_PAGES = [
    "/library/",
    "/library/?q=carer&topic=carers",
    "/library/?q=zzzz",
    "/library/headspace/",
    "/case-studies/",
    "/case-studies/?q=partnership&element=4",
    "/case-studies/?q=zzzz",
    "/case-studies/mersey-care-just-and-learning-culture/",
    "/podcasts/",
    "/podcasts/hswpg-partnership-working/",
    "/urgent-support/",
]


def test_every_public_library_page_passes_axe_and_fits_a_phone(seeded, visit):
    for path in PUBLIC_PAGES:
        visit(path)


def test_a_nurse_on_a_phone_searches_for_carer_support_and_opens_it(seeded, page, visit):
    page.set_viewport_size({"width": 320, "height": 700})
    visit("/library/")
    page.get_by_label("Search the library").fill("carer")
    page.get_by_role("button", name="Search").click()
    assert "2 results for ‘carer’" in page.locator("#results").inner_text()  # the passport and carers' support
    page.get_by_role("link", name="Working Carer's Passport").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Working Carer's Passport"


def test_a_union_rep_searches_case_studies_within_a_framework_element(seeded, page, visit):
    page.set_viewport_size({"width": 320, "height": 700})
    visit("/case-studies/")
    page.get_by_label("Search case studies").fill("adjustments")
    page.get_by_label("Health and Wellbeing Framework element").select_option("3")
    page.get_by_role("button", name="Search").click()
    assert "1 result for ‘adjustments’, element 3. Fulfilment at work" in page.locator("#results").inner_text()
    page.get_by_role("link", name="Reasonable adjustment passport").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Reasonable adjustment passport"


def test_the_urgent_support_panel_opens_with_the_keyboard(seeded, page, visit):
    visit("/library/")
    summary = page.locator("summary", has_text="Need help now?")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("link", name="116 123").is_visible()


def test_the_headspace_offer_shows_as_ended(seeded, page, visit):
    visit("/library/headspace/")
    assert page.locator(".nhsuk-tag", has_text="Offer ended").is_visible()


def test_the_podcast_plays_in_the_browser_and_the_player_can_seek(seeded, page, visit):
    visit("/podcasts/hswpg-partnership-working/")
    audio = page.locator("audio")
    page.wait_for_function("() => document.querySelector('audio').readyState >= 1", timeout=10000)
    duration = audio.evaluate("a => a.duration")
    # The browser's own decoder agrees with the duration we read from the file.
    with open(BUNDLED_AUDIO_DIR / "hswpg-placeholder.mp3", "rb") as fh:
        assert duration == pytest.approx(read_duration(fh, "mp3"), abs=0.3)
    audio.evaluate("a => { a.currentTime = 20; }")
    page.wait_for_function("() => document.querySelector('audio').currentTime >= 19", timeout=10000)
    assert page.get_by_role("heading", name="Transcript").is_visible()


def test_one_editor_drafts_a_resource_and_another_reviews_and_publishes_it(seeded, world, page, visit, sign_in_as):
    reviewer = UserFactory(email="reviewer@southmoor-test.example", full_name="Rita Reviewer")
    RoleAssignmentFactory(
        membership=MembershipFactory(organisation=world.other_org, user=reviewer, unit=world.other_org_team),
        role="content_editor",
    )
    sign_in_as(world.user("editor"))
    visit("/editorial/")
    for path in ["/editorial/links/", "/editorial/urgent-support/", "/editorial/topics-and-audiences/"]:
        visit(path)
    visit("/editorial/resources/new/")
    page.get_by_role("button", name="Save draft").click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    from tests.browser.conftest import check_axe

    check_axe(page)
    page.get_by_label("Title").fill("Sleep after night shifts")
    page.get_by_label("Slug").fill("sleep-after-night-shifts")
    page.get_by_label("Provider").fill("A sleep charity")
    page.get_by_label("Web address").fill("https://example.org/sleep")
    page.get_by_label("Kind").select_option("guide")
    page.get_by_label("Summary").fill("Ways to sleep in the day after a run of **night shifts**.")
    page.get_by_label("Sleep and mindfulness").check()
    page.get_by_role("button", name="Save draft").click()
    assert "Draft resource" in page.locator(".staffwell-message").inner_text()
    check_axe(page)
    page.get_by_role("button", name="Send for review").click()
    assert "Waiting for another editor" in page.content()

    sign_in_as(reviewer)
    visit("/editorial/")
    page.get_by_role("link", name="Sleep after night shifts").first.click()
    page.get_by_role("button", name="Approve and publish").click()
    assert "Published." in page.locator(".staffwell-message").inner_text()

    page.context.clear_cookies()
    visit("/library/?q=night+shifts")
    assert page.get_by_role("link", name="Sleep after night shifts").is_visible()
    sign_in_as(world.user("editor"))
    contact = UrgentContact.objects.first()
    # The dashboard with everything in it: a stale item, an ending offer, a broken and a moved link.
    today = timezone.localdate()
    Resource.objects.filter(slug="head-first").update(last_reviewed=today - dt.timedelta(days=400))
    Resource.objects.filter(slug="liberate").update(offer="Free for NHS staff", offer_ends=today + dt.timedelta(days=5))
    LinkCheck.objects.create(
        url=Resource.objects.get(slug="liberate").url, state="broken", status_code=404, checked_at=timezone.now()
    )
    LinkCheck.objects.create(
        url=Resource.objects.get(slug="head-first").url,
        state="moved",
        final_url="https://example.org/a-very-long-new-address-for-head-first-that-must-wrap-on-a-phone",
        checked_at=timezone.now(),
    )
    for path in [
        "/editorial/",
        "/editorial/links/",
        f"/editorial/urgent-support/{contact.pk}/",
        "/editorial/podcasts/new/",
        "/editorial/case-studies/new/",
        f"/editorial/podcasts/{Episode.objects.get().pk}/",  # duration read from the file
    ]:
        visit(path)
