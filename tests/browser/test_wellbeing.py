"""My wellbeing in a browser: a staff member on a 320px-wide phone, keyboard only, checks
in, writes a plan, records a conversation, shares one plan section with their manager,
sees the manager's read in their access log, withdraws it, exports and erases everything.
Every page passes axe (WCAG 2.2 AA), has no CSP violations and fits 320px."""

import datetime as dt
import json
from pathlib import Path

from django.utils import timezone

from staffwell.records import services as records
from staffwell.records.models import Grant
from staffwell.surveys import contributions
from staffwell.surveys.models import ContributionPool
from staffwell.wellbeing import services
from staffwell.wellbeing.models import CheckIn, Conversation, Plan, SupportContacts
from tests.browser.conftest import check_axe, check_narrow

PHONE = {"width": 320, "height": 800}


def press(locator, key="Enter"):
    locator.focus()
    locator.press(key)


def choose(page, label):
    """Select a radio or tick a checkbox with the keyboard."""
    press(page.get_by_label(label, exact=True), " ")


def type_into(page, label, text):
    field = page.get_by_label(label, exact=True)
    field.focus()
    page.keyboard.type(text)


def submit(page, name):
    press(page.get_by_role("button", name=name))
    page.wait_for_load_state()
    check_axe(page)
    check_narrow(page)


def follow(page, name):
    press(page.get_by_role("link", name=name).first)
    page.wait_for_load_state()
    check_axe(page)
    check_narrow(page)


def test_a_staff_member_keeps_shares_withdraws_exports_and_erases_their_wellbeing_records_by_keyboard(
    world, page, visit, sign_in_as, live_server
):
    page.set_viewport_size(PHONE)
    page.set_default_timeout(5000)
    staff, manager = world.users["staff"], world.users["manager"]
    sign_in_as(staff)

    # Given my wellbeing page, when I check in
    visit("/my/wellbeing/")
    follow(page, "Check in: how am I doing?")
    submit(page, "Save check-in")  # nothing chosen: a clear error, on an accessible page
    assert "Choose how you are doing today." in page.locator(".nhsuk-error-summary").inner_text()
    choose(page, "Fairly good: Mostly fine, with the odd difficult moment.")
    press(page.get_by_role("group", name="Sleep (optional)").get_by_label("Worse than usual"), " ")
    type_into(page, "Anything you want to note (optional)", "Third night in a row")
    # and choose, with the keyboard, to add my mood to the team's anonymous pulse
    press(page.get_by_label("Add my mood, without my name, to my team's anonymous pulse figures"), " ")
    submit(page, "Save check-in")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Check-in on")
    assert CheckIn.objects.get(owner=staff).factors == {"sleep": "worse"}
    assert "added, without your name" in page.content()
    assert [e["mood"] for e in contributions.unseal(ContributionPool.objects.get(organisation=world.org)).values()] == [
        4
    ]

    # When I write my plan
    visit("/my/wellbeing/plan/")
    follow(page, "Start my plan")
    type_into(page, "What keeps you well?", "Swimming on Tuesdays")
    type_into(page, "What would you like from your manager?", "Fewer nights in a row")
    type_into(page, "What are the early signs that you are struggling?", "I stop eating breakfast")
    choose(page, "Sleep and tiredness")
    choose(page, "I am mostly OK day to day")
    submit(page, "Save my plan")
    assert Plan.objects.get(owner=staff).version == 1

    # And share one section with my manager
    follow(page, "Share part of my plan")
    choose(page, "What I would like from my manager")
    choose(page, "Manager Person, your line manager")
    submit(page, "Share")
    grant = Grant.objects.live().get(owner=staff)
    assert grant.section == "from_manager"

    # And record a conversation with my manager
    visit("/my/wellbeing/conversations/new/")
    choose(page, "Manager Person, your line manager")
    choose(page, "Yes, I am recording it")
    today, held = timezone.localdate(), page.get_by_role("group", name="Date", exact=True)
    for box, value in (("Day", today.day), ("Month", today.month), ("Year", today.year)):
        held.get_by_label(box, exact=True).focus()
        page.keyboard.type(str(value))
    type_into(page, "My own notes (optional)", "Private thought about my rota")
    type_into(page, "What I will do: action 1", "Book leave early")
    type_into(page, "What they will do: action 1", "Space out my night shifts")
    submit(page, "Save conversation")
    assert Conversation.objects.get(owner=staff).status == "held"

    # Then my manager sees only the shared section
    plan = Plan.objects.get(owner=staff)
    sign_in_as(manager)
    visit(f"/my/wellbeing/shared-with-me/plans/{plan.pk}/")
    body = page.locator("main").inner_text()
    assert "Fewer nights in a row" in body
    assert "Swimming on Tuesdays" not in body and "I stop eating breakfast" not in body

    # And I see their read in my access log
    sign_in_as(staff)
    visit("/my/access-log/")
    entry = page.locator("main li").first.inner_text()
    assert "Manager Person (your line manager) viewed your wellbeing plan on" in entry

    # When I withdraw it, it takes effect at once
    visit("/my/sharing/")
    follow(page, "Stop sharing Wellbeing plan: What I would like from my manager with Manager Person")
    submit(page, "Stop sharing")
    sign_in_as(manager)
    visit(f"/my/wellbeing/shared-with-me/plans/{plan.pk}/", expect_status=404)

    # And I can download everything, then erase it
    sign_in_as(staff)
    visit("/my/data/")
    with page.expect_download() as download:
        press(page.get_by_role("link", name="Download as data (JSON), to move to another service"))
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["sections"]["wellbeing"]["data"]["wellbeing_plan"]["What keeps me well"] == "Swimming on Tuesdays"
    with page.expect_download() as download:
        press(page.get_by_role("link", name="Download as a document (PDF, may take a few seconds)"))
    assert Path(download.value.path()).read_bytes()[:4] == b"%PDF"
    follow(page, "Erase all my records")
    type_into(page, "Type ERASE to confirm", "ERASE")
    submit(page, "Erase everything")
    assert "has been erased" in page.locator("main").inner_text()
    assert not CheckIn.objects.filter(owner=staff).exists()
    assert not Plan.objects.filter(owner=staff).exists()
    assert not Conversation.objects.filter(owner=staff).exists()


def test_saying_i_need_help_now_shows_urgent_support_at_once(world, page, visit, sign_in_as):
    SupportContacts.objects.create(organisation=world.org, oh_name="Northgate OH", oh_phone="0161 496 0000")
    page.set_viewport_size(PHONE)
    sign_in_as(world.users["staff"])
    visit("/my/wellbeing/check-in/")
    choose(page, "Struggling: I am finding it very hard to cope right now.")
    choose(page, "I need help now")
    submit(page, "Save check-in")
    panel = page.locator("#get-help-now").inner_text()
    for text in ("999", "111", "116 123", "85258", "Northgate OH", "has not told anyone"):
        assert text in panel
    visit("/my/wellbeing/get-help/")


def test_every_other_wellbeing_page_passes_axe(world, page, visit, sign_in_as):
    staff = world.users["staff"]
    plan = services.save_plan(
        owner=staff, answers={"keeps_well": "Walks", "right_now": "ok", "topics": ["sleep"]}, review_on=None
    )
    services.save_plan(
        owner=staff,
        answers={"keeps_well": "Walks and swims", "right_now": "ok"},
        review_on=timezone.localdate() + dt.timedelta(days=30),
    )
    for days_ago, mood in ((5, 2), (3, 3), (1, 4)):
        c = services.record_checkin(owner=staff, mood=mood, factors={"sleep": "usual"}, help_now=False, note="n")
        CheckIn.objects.filter(pk=c.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    conversation = services.save_conversation(
        owner=staff,
        conversation=None,
        with_kind="line_manager",
        with_user=world.users["manager"],
        with_name="",
        status="booked",
        booked_for=timezone.now() + dt.timedelta(days=3),
        held_on=None,
        details={"place": "Office"},
        actions=[{"side": "theirs", "text": "Check the rota"}],
        share_their_actions=True,
    )
    manager = next(c for c in records.share_candidates(staff) if c.relationship == "line_manager")
    records.grant(owner=staff, candidate=manager, obj=c, kind_key="checkin")
    grant = Grant.objects.live().filter(owner=staff).first()
    sign_in_as(staff)
    for path in [
        "/my/wellbeing/",
        "/my/wellbeing/check-ins/",
        f"/my/wellbeing/check-ins/{c.pk}/delete/",
        "/my/wellbeing/plan/edit/",
        "/my/wellbeing/plan/versions/",
        "/my/wellbeing/plan/versions/1/",
        "/my/wellbeing/conversations/",
        f"/my/wellbeing/conversations/{conversation.pk}/",
        f"/my/wellbeing/conversations/{conversation.pk}/edit/",
        f"/my/wellbeing/conversations/{conversation.pk}/delete/",
        f"/my/sharing/conversation/{conversation.pk}/",
        f"/my/sharing/grants/{grant.pk}/withdraw/",
    ]:
        visit(path)
    sign_in_as(world.users["manager"])
    for path in [
        "/my/wellbeing/shared-with-me/",
        f"/my/wellbeing/shared-with-me/check-ins/{c.pk}/",
        f"/my/wellbeing/shared-with-me/conversations/{conversation.pk}/",
    ]:
        visit(path)
    sign_in_as(world.users["lead"])
    visit(f"/o/{world.org.slug}/wellbeing/")
    visit(f"/o/{world.org.slug}/wellbeing/support-contacts/")
    assert plan.pk
