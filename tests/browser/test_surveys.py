"""Given an open survey, when staff answer it in the browser (by personal link, or by a
kiosk code), then it works with the keyboard, passes axe on every page, fits a phone, and
a second submit or the back button never makes a second response."""

import re

from staffwell.surveys import services
from staffwell.surveys.models import Response, SealedResponse
from tests.browser.conftest import check_axe, check_narrow
from tests.surveys.helpers import add_people, make_campaign, shipped


def _campaign(world, **kw):
    add_people(world.org, world.team, 12)
    return make_campaign(world, units=[world.team], **kw)


def test_an_invited_nurse_answers_one_question_at_a_time_stops_comes_back_and_submits(world, page, visit):
    campaign = _campaign(world)
    invitation = campaign.invitations.get(membership=world.memberships["staff"])
    link = f"/s/{services.invitation_token(invitation.secret)}/"

    # Given the start page, which says what is stored and who can see it
    visit(link)
    assert page.get_by_role("heading", name="What we store and who can see it").is_visible()
    # When she chooses one question at a time, using the keyboard only
    page.get_by_label("One question at a time").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Start the survey").press("Enter")
    page.wait_for_url(re.compile(r"/q/1/$"))
    visit(page.url.removeprefix(page.url.split("/s/")[0]))
    page.get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/q/2/$"))
    # and she is called away: she saves
    page.get_by_label("Strongly agree").check()
    page.get_by_role("button", name="Save and finish later").click()
    visit(page.url.removeprefix(page.url.split("/s/")[0]))
    assert "Your answers so far are saved" in page.content()

    # Later she comes back with the same link, and carries on where she stopped
    visit(link)
    page.get_by_role("button", name="Continue to your answers").click()
    page.wait_for_url(re.compile(r"/q/3/$"))
    for answer in ("Neutral", "Neutral", "Okay"):
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/q/6/$"))
    visit(page.url.removeprefix(page.url.split("/s/")[0]))
    page.get_by_label(re.compile("What one change")).fill("Cover for breaks on nights")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/check/$"))
    visit(page.url.removeprefix(page.url.split("/s/")[0]))
    assert "Strongly agree" in page.content() and "Cover for breaks on nights" in page.content()
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url(re.compile(r"/done/$"))
    visit(page.url.removeprefix(page.url.split("/s/")[0]))

    # Then the back button lands on "done", and there is exactly one response
    page.go_back()
    page.wait_for_url(re.compile(r"/done/$"))
    assert SealedResponse.objects.count() == 1  # sealed until the survey closes
    services.close(campaign=campaign, actor=world.users["lead"])
    assert Response.objects.count() == 1
    assert sorted(Response.objects.get().answers.values_list("value", flat=True)) == [3, 3, 3, 4, 5]


def test_a_porter_without_email_answers_on_one_page_with_a_kiosk_code(world, page, visit):
    campaign = _campaign(world)
    code = services.create_kiosk_batch(campaign=campaign, unit=world.team, size=1, actor=world.users["lead"])[0]
    visit("/kiosk/")
    page.get_by_label("Your code").fill(code.lower())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/kiosk/[^/]+/$"))
    assert services.normalise_code(code) not in page.url  # the code is never in an address
    page.get_by_label("All the questions on one page").check()
    page.get_by_role("button", name="Start the survey").click()
    page.wait_for_url(re.compile(r"/all/$"))
    # Submitting with a question missing names it, and keeps what was chosen
    page.locator("#q1").check()
    page.get_by_role("button", name="Submit my answers").click()
    assert page.get_by_role("alert").is_visible() or "There is a problem" in page.content()
    visit(page.url.removeprefix(page.url.split("/kiosk/")[0]))  # axe on the page with errors
    assert page.locator("#q1").is_checked()
    for n in range(2, 6):
        page.locator(f"#q{n}-4").check()
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url(re.compile(r"/done/$"))
    check_axe(page)
    check_narrow(page)
    # Nothing of theirs opens again from this browser, not even the thank-you page
    assert page.goto(page.url).status == 404
    # The same code cannot be used again
    visit("/kiosk/")
    page.get_by_label("Your code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/done/$"))
    assert SealedResponse.objects.count() == 1  # sealed until the survey closes


def test_the_partnership_survey_pages_pass_axe_and_fit_a_phone(world, page, visit, sign_in_as):
    draft = make_campaign(world, name="Draft survey", launch=False)
    launched = _campaign(world, name="Launched survey")
    services.create_kiosk_batch(campaign=launched, unit=world.team, size=3, actor=world.users["lead"])
    org = world.org.slug
    hse = shipped("hse-indicator-tool")
    sign_in_as(world.users["lead"])
    for path in [
        f"/o/{org}/surveys/",
        f"/o/{org}/surveys/new/",
        f"/o/{org}/surveys/{draft.pk}/",
        f"/o/{org}/surveys/{draft.pk}/edit/",
        f"/o/{org}/surveys/{launched.pk}/",
        f"/o/{org}/surveys/{launched.pk}/kiosk-codes/",
        f"/o/{org}/surveys/question-sets/",
        f"/o/{org}/surveys/question-sets/new/",
        f"/o/{org}/surveys/question-sets/{hse.pk}/",
    ]:
        visit(path)
    assert "Open Government Licence v3.0" in page.content()
    # The printable slips
    visit(f"/o/{org}/surveys/{launched.pk}/kiosk-codes/")
    page.get_by_label("Unit").select_option(value=str(world.team.pk))
    page.get_by_label("How many codes").fill("4")
    page.get_by_role("button", name="Make the codes").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="4 codes for Ward 7").is_visible()
    # Each slip has a QR code, named for screen readers, drawn without JavaScript
    assert page.get_by_role("img", name=re.compile("QR code that opens the survey with code")).count() == 4
    # The staff side sees the same campaign page and can agree a draft
    sign_in_as(world.users["rep"])
    visit(f"/o/{org}/surveys/{draft.pk}/")
    page.get_by_role("button", name="Agree this survey for the staff side").click()
    page.wait_for_load_state()
    assert "Staff side: agreed by Rep Person" in page.content()
    sign_in_as(world.users["staff"])
    visit("/my/surveys/")
