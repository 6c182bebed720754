"""Given a porter with an idea, when they post it anonymously from their phone, colleagues
support it, the employer lead and the staff-side rep agree a status and answer within the
target and it becomes an action, then the porter follows it to "done" with their private
code. Every step is reached by clicking from the home page; every page passes axe, has no
CSP violation and fits 320px."""

import datetime as dt

import pytest

from staffwell.voice import services
from tests.assessments import helpers
from tests.browser.conftest import check_axe, check_narrow
from tests.browser.journeys import fill_date
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def check(page, console_errors):
    def run():
        page.wait_for_load_state()
        check_axe(page)
        check_narrow(page)
        csp = [e for e in console_errors if "Content Security Policy" in e]
        assert not csp, f"Content Security Policy violations on {page.url}: {csp}"

    return run


def _click(page, check, role, name):
    page.get_by_role(role, name=name).first.click()
    check()


def _to_voice(page, visit, check):
    visit("/")
    page.get_by_role("link", name="Staff voice").first.click()
    check()


@pytest.mark.parametrize("width", [320, 1280])
def test_a_porter_follows_an_anonymous_idea_to_done(world, page, visit, sign_in_as, check, width):
    page.set_viewport_size({"width": width, "height": 900})
    porter = MembershipFactory(organisation=world.org, unit=world.team, user=UserFactory(full_name="Pat Porter"))
    helpers.submitted_cycle(world, title="Wellbeing plan 2026")

    # Given the porter posts an anonymous idea from their phone
    sign_in_as(porter.user)
    _to_voice(page, visit, check)
    _click(page, check, "link", "Post an idea, question or challenge")
    page.get_by_label("An idea").check()
    page.get_by_label("In a few words").fill("Hot food for night porters")
    page.get_by_label("Tell us more").fill("The canteen shuts at 8pm, so nights have nothing hot.")
    page.get_by_label("Anonymously").check()
    _click(page, check, "button", "Post it")
    code = page.locator("#private-code").inner_text().strip()
    assert code and code not in page.url
    services.release()  # the hourly release, as cron runs it

    # When two colleagues support it
    for persona in ("staff", "manager"):
        sign_in_as(world.users[persona])
        _to_voice(page, visit, check)
        _click(page, check, "link", "Hot food for night porters")
        _click(page, check, "button", "Me too")
        assert page.get_by_text("You support this").is_visible()
    services.release()
    page.reload()
    # Two is below the minimum reporting group: never shown exactly (docs/staff-voice.md).
    assert "Fewer than 10 people support this" in page.content()
    assert "2 people support this" not in page.content()

    # And the employer lead proposes a status and answer
    sign_in_as(world.users["lead"])
    _to_voice(page, visit, check)
    _click(page, check, "link", "Triage posts with the other side")
    _click(page, check, "link", "Hot food for night porters")
    page.get_by_label("We're doing it").check()
    page.get_by_label("Public answer").fill("Catering will keep a hot food counter open until 2am.")
    _click(page, check, "button", "Propose for the employer side")
    assert "Waiting for the staff side" in page.content()

    # And the staff-side rep agrees it, within the target
    sign_in_as(world.users["rep"])
    _to_voice(page, visit, check)
    _click(page, check, "link", "Triage posts with the other side")
    _click(page, check, "link", "Hot food for night porters")
    _click(page, check, "button", "Agree this answer for the staff side")
    assert "Both sides have agreed" in page.content()

    # And it becomes an action, which the lead later marks done
    sign_in_as(world.users["lead"])
    _to_voice(page, visit, check)
    _click(page, check, "link", "Hot food for night porters")
    _click(page, check, "link", "Triage this post")
    _click(page, check, "link", "Make this an action in the action plan")
    page.get_by_label("How we will know it worked").fill("Night staff say they can get hot food")
    fill_date(page, "Due date", dt.date.today() + dt.timedelta(days=90))
    _click(page, check, "button", "Add to the action plan")
    assert "now an action in the plan" in page.content()
    _click(page, check, "link", "Hot food for night porters")
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Progress update").fill("Counter open since Monday")
    _click(page, check, "button", "Add update")

    # Then the porter, with only their code, follows it to done
    sign_in_as(porter.user)
    _to_voice(page, visit, check)
    _click(page, check, "link", "Follow a post you made anonymously")
    page.get_by_label("Your private code").fill(code)
    _click(page, check, "button", "Open my post")
    assert code not in page.url
    text = page.content()
    assert "Hot food for night porters" in text and "Done" in text
    assert "Catering will keep a hot food counter open until 2am." in text


@pytest.mark.parametrize("width", [320, 1280])
def test_a_rep_takes_the_you_said_we_did_summary_to_the_board_as_a_pdf(world, page, visit, sign_in_as, check, width):
    page.set_viewport_size({"width": width, "height": 900})
    from tests.voice.helpers import named_post

    for n in range(11):
        named_post(world, title=f"Idea number {n}")

    # Given the staff-side rep on the home page
    sign_in_as(world.users["rep"])
    _to_voice(page, visit, check)
    # When they open the board and its summary for the board report
    _click(page, check, "link", "You said, we did")
    assert "Idea number 3" in page.content()
    _click(page, check, "link", "Summary for the board report")
    assert "Staff voice figures" in page.content()
    # Then the summary downloads as a PDF
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this summary as a PDF for the board report").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(path, "rb") as f:
        assert f.read(5) == b"%PDF-"


def test_every_staff_voice_page_passes_axe(world, page, visit, sign_in_as):
    from tests.voice.helpers import named_post

    post = named_post(world, title="More bike racks by the staff entrance")
    org = world.org.slug
    sign_in_as(world.users["staff"])
    for path in (
        f"/o/{org}/voice/",
        f"/o/{org}/voice/mine/",
        f"/o/{org}/voice/follow/",
        f"/o/{org}/voice/you-said-we-did/",
    ):
        visit(path)
    sign_in_as(world.users["lead"])
    for path in (
        f"/o/{org}/voice/summary/",
        f"/o/{org}/voice/triage/",
        f"/o/{org}/voice/triage/{post.pk}/",
        f"/o/{org}/voice/settings/",
    ):
        visit(path)
