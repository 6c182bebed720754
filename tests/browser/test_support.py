"""Support after incidents in a browser, from the home page by clicking only, on a 320px
phone and on a desktop: a nurse asks for support, a peer supporter accepts within the target,
follow-ups arrive and the organisation sees only suppressed counts; a manager, HR and a rep
walk through the just culture guide, the person concerned is told and offered support, no
label is produced and a learning action appears in the plan. Every page passes axe (WCAG
2.2 AA), has no CSP violations and fits 320px."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from staffwell.assessments.models import Action
from staffwell.support import services
from staffwell.support.models import FollowUp, SupportRequest, Walkthrough
from tests.assessments.helpers import open_cycle
from tests.browser.conftest import check_axe, check_narrow
from tests.browser.journeys import fill_date
from tests.support import helpers

SIZES = {"phone": {"width": 320, "height": 800}, "desktop": {"width": 1280, "height": 900}}


def checked(page):
    page.wait_for_load_state()
    check_axe(page)
    check_narrow(page)


def click_link(page, name, exact=False):
    page.get_by_role("link", name=name, exact=exact).first.click()
    checked(page)


def click_button(page, name):
    page.get_by_role("button", name=name).first.click()
    checked(page)


def open_menu_item(page, name):
    """Cards on the home page are links too: click the visible one."""
    click_link(page, name)


@pytest.mark.parametrize("size", SIZES)
def test_a_nurse_asks_for_support_a_peer_supporter_accepts_follow_ups_arrive_and_the_organisation_sees_only_counts(
    world, page, visit, sign_in_as, size
):
    page.set_viewport_size(SIZES[size])
    page.set_default_timeout(8000)
    helpers.make_peer(world.memberships["editor"])

    # Given a nurse on the home page, when they follow the link on every page
    sign_in_as(world.users["staff"])
    visit("/")
    click_link(page, "Something happened at work and I'm affected")
    # and send it with nothing chosen, they get a clear error
    click_button(page, "Ask for support")
    assert "Choose what kind of thing happened." in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("A patient safety incident", exact=True).check()
    page.get_by_label("What happened (optional)").fill("A patient deteriorated fast on my night shift.")
    page.get_by_label("What would help (optional)").fill("Someone to talk to this week.")
    page.get_by_label("How and when to get in touch (optional)").fill("Call me after 4pm on 07700 900123.")
    page.get_by_label("Incident reference (optional)").fill("DATIX-77001")
    click_button(page, "Ask for support")
    # then the request is theirs and waiting for a peer supporter
    assert "Waiting for a peer supporter" in page.content()
    req = SupportRequest.objects.get()
    assert req.owner == world.users["staff"] and req.to_programme

    # When a peer supporter opens the programme's requests from the home page
    sign_in_as(world.users["editor"])
    visit("/")
    click_link(page, "Support after something happened at work")
    click_link(page, "Peer support: requests waiting")
    click_link(page, "A patient safety incident, asked")
    content = page.content()
    assert "Someone to talk to this week." in content and "deteriorated" not in content and "DATIX" not in content
    click_button(page, "Accept this request")
    # then they accepted it within the organisation's target, and now see who asked
    req.refresh_from_db()
    assert req.accepted_by == world.users["editor"]
    assert req.response_hours() < services.programme_for(world.org).response_target_hours
    assert "Staff Person" in page.content()

    # When the follow-ups fall due, the scheduled command sends them
    FollowUp.objects.filter(request=req).update(due_on=timezone.localdate())
    mail.outbox.clear()
    call_command("send_support_followups", stdout=__import__("io").StringIO())
    assert len(mail.outbox) == 3 and all(m.to == [world.users["staff"].email] for m in mail.outbox)
    assert "deteriorated" not in mail.outbox[0].body

    # and the nurse sees them, and the peer supporter's read in their access log
    sign_in_as(world.users["staff"])
    visit("/")
    click_link(page, "Support after something happened at work")
    click_link(page, "A patient safety incident,")
    assert "email sent" in page.content() and "Editor Person" in page.content()
    click_link(page, "who has seen my records")
    assert "Editor Person" in page.content()

    # When the employer-side lead looks at the organisation's figures
    sign_in_as(world.users["lead"])
    visit("/")
    click_link(page, "Support after incidents: figures")
    main = page.locator("main").inner_text()
    # then they see only counts, suppressed for so few people: never who or why
    assert "Not shown" in main
    assert "Staff Person" not in main and "deteriorated" not in main and "DATIX" not in main


@pytest.mark.parametrize("size", SIZES)
def test_a_manager_hr_and_a_rep_walk_through_the_guide_the_person_is_told_and_a_learning_action_is_planned(
    world, page, visit, sign_in_as, size, django_capture_on_commit_callbacks
):
    page.set_viewport_size(SIZES[size])
    page.set_default_timeout(8000)
    cycle = open_cycle(world)

    # Given the manager on the home page, when they start a walk-through of the guide
    sign_in_as(world.users["manager"])
    visit("/")
    click_link(page, "Just culture guide")
    click_link(page, "Start a walk-through")
    page.get_by_label("The person concerned").select_option(label="Staff Person")
    page.get_by_label("The one action or omission you are looking at").fill("Gave a second dose of a medicine.")
    page.get_by_label("Who from HR takes part").select_option(label="Lead Person")
    page.get_by_label("Their staff-side rep, if the person wishes (optional)").select_option(label="Rep Person")
    click_button(page, "Start and tell the person")
    assert "has been told" in page.content()
    assert "Test 1 of 5: Deliberate harm" in page.content()

    def answer(value, why):
        page.get_by_label(value, exact=True).check()
        page.get_by_label("Why").fill(why)
        click_button(page, "Save and continue")

    # and they answer with a rationale for each
    answer("No", "Nothing suggests anyone meant harm.")
    answer("No", "No sign of that.")

    # When HR carries on from their own home page
    sign_in_as(world.users["lead"])
    visit("/")
    click_link(page, "Just culture guide")
    click_link(page, "Walk-through started")
    click_link(page, "Continue the walk-through")
    answer("No", "No physical health problem.")

    # and the rep answers the next, as the conversation agreed
    sign_in_as(world.users["rep"])
    visit("/")
    click_link(page, "Just culture guide")
    click_link(page, "Walk-through started")
    click_link(page, "Continue the walk-through")
    answer("No", "Tired like everyone at the end of the night; nothing more.")
    assert "Test 3 of 5: Foresight" in page.content()
    answer("No", "There is no agreed way to hand over doses between shifts.")

    # then the guide leads to one of its own recommendations, and HR adds the learning action
    assert "What the organisation will learn" in page.content()
    assert "Action singling out the person is unlikely to be appropriate" in page.content()
    page.get_by_label("What the organisation will change").fill("Agree a handover of medicines between shifts")
    page.get_by_label("How you will know it worked").fill("No repeated doses at handover in six months")
    fill_date(page, "Due by", timezone.localdate() + dt.timedelta(days=90))
    click_button(page, "Add the learning action and finish")
    w = Walkthrough.objects.get()
    assert w.completed_at is not None and Action.objects.get(cycle=cycle) == w.learning_action
    click_link(page, "See the action plan")
    assert "Agree a handover of medicines between shifts" in page.content()

    # When the person concerned opens it from their home page
    sign_in_as(world.users["staff"])
    visit("/")
    click_link(page, "Support after something happened at work")
    click_link(page, "Just culture guide walk-throughs you take part in or are about you")
    click_link(page, "(about you)")
    body = page.locator("main").inner_text().lower()
    # then they can read it all, there is no label or score, and support is offered at once
    assert "gave a second dose of a medicine." in body and "no physical health problem." in body
    for word in ("culpable", "culpability", "blame-worthy", "guilty", "score", "reckless"):
        assert word not in body
    click_link(page, "ask for support now")
    assert page.get_by_role("heading", level=1).inner_text() == "Something happened at work and I'm affected"


def test_every_support_page_for_the_organisation_passes_axe(world, page, visit, sign_in_as):
    helpers.make_peer(world.memberships["admin"])
    helpers.ask(world)
    w = helpers.walkthrough(world)
    sign_in_as(world.users["admin"])
    for path in (
        f"/o/{world.org.slug}/support/supporters/",
        f"/o/{world.org.slug}/support/peer/",
    ):
        visit(path)
    sign_in_as(world.users["lead"])
    for path in (
        f"/o/{world.org.slug}/support/programme/",
        f"/o/{world.org.slug}/support/just-culture/{w.pk}/outcome/",
        f"/o/{world.org.slug}/support/just-culture/{w.pk}/restorative/new/",
        "/support/case-study/",
        "/my/support/guidance/",
    ):
        visit(path)
    sign_in_as(world.users["staff"])
    req = SupportRequest.objects.get()
    for path in (f"/my/support/{req.pk}/refer/", f"/my/support/{req.pk}/delete/"):
        visit(path)
