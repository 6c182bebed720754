"""A nurse on a phone (and on a laptop) finds help, checks in and keeps her wellbeing
records, reaching every step from the home page by clicking."""

from staffwell.wellbeing.models import SupportContacts
from tests.browser.journeys import click, fill_date, fits, start

LONG_EMAIL = "occupational.health.and.wellbeing.service@northgate-teaching-hospitals.nhs.example"


def test_a_nurse_who_needs_help_now_sees_every_contact_wrapped_inside_the_screen(
    world, page, live_server, sign_in_as, here, shot, width
):
    SupportContacts.objects.create(
        organisation=world.org, oh_name="Northgate OH", oh_phone="0161 496 0000", oh_email=LONG_EMAIL
    )
    start(page, live_server, sign_in_as, world.users["staff"])
    here()
    click(page, "My wellbeing")
    here()
    click(page, "I need help now")
    here()
    fits(page, "#get-help-now, #get-help-now a")
    shot("staff-get-help")
    assert LONG_EMAIL in page.locator("#get-help-now").inner_text()

    # And the same after a check-in where she says she needs help now
    click(page, "My wellbeing")
    click(page, "Check in: how am I doing?")
    here()
    page.get_by_label("Struggling: I am finding it very hard to cope right now.", exact=True).check()
    page.get_by_label("I need help now", exact=True).check()
    click(page, "Save check-in", role="button")
    here()
    fits(page, "#get-help-now, #get-help-now a")
    shot("staff-checkin-help")
    assert LONG_EMAIL in page.locator("#get-help-now").inner_text()


def record_conversation(page, here, *, day, theirs, share):
    click(page, "My wellbeing")
    click(page, "Book or record a conversation")
    here()
    page.get_by_label("Manager Person, your line manager", exact=True).check()
    page.get_by_label("Yes, I am recording it", exact=True).check()
    fill_date(page, "Date", day)
    page.get_by_label("What they will do: action 1", exact=True).fill(theirs)
    share_box = page.get_by_label("Let them see the actions agreed for them", exact=True)
    # Private unless she chooses: the box is never ticked for her
    assert not share_box.is_checked()
    if share:
        share_box.check()
    click(page, "Save conversation", role="button")
    here()


def test_a_nurse_shares_a_conversation_only_when_she_chooses_and_can_tell_her_shares_apart(
    world, page, live_server, sign_in_as, here, shot, width
):
    import datetime as dt

    from django.utils import timezone

    from staffwell.records.models import Grant

    today = timezone.localdate()
    start(page, live_server, sign_in_as, world.users["staff"])
    record_conversation(page, here, day=today - dt.timedelta(days=30), theirs="Space out my nights", share=False)
    assert not Grant.objects.live().exists()
    record_conversation(page, here, day=today - dt.timedelta(days=30), theirs="Look at the rota", share=True)
    record_conversation(page, here, day=today, theirs="Check in after a month", share=True)
    assert Grant.objects.live().count() == 2

    click(page, "Home")
    click(page, "My data and sharing")
    click(page, "What I share, and stopping it")
    here()
    shot("staff-what-i-share")
    shared = [t.split("\n")[0] for t in page.locator("main li").all_inner_texts()]
    assert len(shared) == 2 and len(set(shared)) == 2, shared


def test_a_nurse_on_a_phone_finds_help_for_tiredness_first_and_gets_a_plan_for_every_topic_she_ticks(
    world, page, live_server, sign_in_as, here, shot, width
):
    start(page, live_server, sign_in_as, world.users["staff"])
    click(page, "Library")
    here()
    # The filters fold away: the results heading is on the first screen, even on a phone
    filters = page.locator("details.staffwell-library-filters")
    assert filters.count() == 1 and not filters.evaluate("d => d.open")
    page.get_by_label("Search the library").fill("tired")
    click(page, "Search", role="button")
    here()
    shot("staff-library-tired")
    results = page.locator("#results")
    assert results.inner_text().startswith(("6 results", "7 results")) or "results for" in results.inner_text()
    assert results.bounding_box()["y"] < 900, "the results start below the first screen"
    first = page.locator("main h3 a").first.inner_text()
    assert first != "Headspace"  # an offer that ended in 2021 is never first
    # She narrows it with the folded filters
    page.locator("details.staffwell-library-filters summary").click()
    page.get_by_label("Kind").select_option(label="App")
    click(page, "Apply filters", role="button")
    here()
    assert page.locator("main h3 a").all_inner_texts() == ["Liberate", "Headspace"]

    # Her plan: she ticks every topic, and each gets its own suggestions
    click(page, "My wellbeing")
    click(page, "Start my wellbeing plan")
    here()
    page.get_by_label("What keeps you well?", exact=True).fill("Walking the dog")
    for label in (
        "Sleep and tiredness",
        "Stress and pressure at work",
        "Low mood",
        "Caring for someone",
        "Menopause",
        "Physical health, pain or a long-term condition",
        "Money worries",
    ):
        page.get_by_label(label, exact=True).check()
    page.get_by_label("I am mostly OK day to day", exact=True).check()
    click(page, "Save my plan", role="button")
    here()
    shot("staff-plan-suggestions")
    for heading in ("Menopause", "Money worries", "Caring for someone"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible()
    assert "Headspace" not in page.locator("main").inner_text()
    click(page, "Menopause: symptoms and treatment")
    here()
    assert page.get_by_role("heading", level=1).inner_text() == "Menopause: symptoms and treatment"


def test_my_wellbeing_on_a_phone_folds_the_mood_figures_and_keeps_chart_labels_readable(
    world, page, live_server, sign_in_as, here, shot, width
):
    import datetime as dt

    from django.utils import timezone

    from staffwell.wellbeing import services
    from staffwell.wellbeing.models import CheckIn

    staff = world.users["staff"]
    for days_ago in range(12):
        c = services.record_checkin(owner=staff, mood=1 + days_ago % 5, factors={}, help_now=False, note="")
        CheckIn.objects.filter(pk=c.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago * 2))
    start(page, live_server, sign_in_as, staff)
    click(page, "My wellbeing")
    here()
    shot("staff-my-wellbeing")
    figures = page.locator("details.staffwell-mood-figures")
    assert not figures.evaluate("d => d.open")
    assert not page.get_by_role("table").first.is_visible()
    smallest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('.staffwell-chart__label')].map(t => t.getBoundingClientRect().height))"
    )
    assert smallest >= 12, f"chart labels are {smallest}px tall"
    figures.locator("summary").click()
    assert page.get_by_role("table").first.is_visible()
