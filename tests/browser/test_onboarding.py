"""From a staff import to a new starter's first sign-in, clicking only what is on the pages
(the invitation link is opened from the email, as the person would)."""

import re

import pytest
from django.core import mail

from staffwell.accounts.models import Invitation
from tests.browser.conftest import check_axe, check_narrow


def checked(page) -> None:
    page.wait_for_load_state()
    check_axe(page)
    check_narrow(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_import_then_invitation_then_first_sign_in(
    world, page, visit, sign_in_as, live_server, settings, tmp_path, width
):
    settings.STAFFWELL_BASE_URL = live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as(world.user("admin"))
    visit("/")
    page.locator("main").get_by_role("link", name="Staff import").first.click()
    checked(page)
    csv = tmp_path / "staff.csv"
    lines = ["person_id,name,email,unit_path,staff_group,fte,manager_of"]
    for m in world.memberships.values():
        if m.organisation_id == world.org.pk:
            lines.append(
                f"{m.person_id},{m.full_name},{m.user.email},Medicine > Ward 7,Nursing and Midwifery Registered,1,"
            )
    lines.append(
        "900001,Nia Newstarter,nia.newstarter@northgate-test.example,Medicine > Ward 9,Nursing and Midwifery Registered,1,"
    )
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.get_by_label("Staff list (CSV file)").set_input_files(str(csv))
    page.get_by_label("Create the new units").check()  # Ward 9 is new
    page.get_by_role("button", name="Upload and check").click()
    checked(page)
    assert "Imported" in page.content()

    invitation = next(m for m in mail.outbox if m.to == ["nia.newstarter@northgate-test.example"])
    assert world.org.name in invitation.subject
    link = re.search(r"(http://\S+/password-reset/\S+/)", invitation.body).group(1)

    # The admin sees that she has not signed in yet, and could send it again.
    page.locator("header a").first.click()  # the logo: home
    checked(page)
    page.locator("main").get_by_role("link", name="People").first.click()
    checked(page)
    page.get_by_role("link", name="Nia Newstarter").click()
    checked(page)
    assert "not signed in yet" in page.content()
    page.get_by_role("button", name="Send the invitation again").click()
    checked(page)
    assert "Invitation sent again" in page.content()

    # Nia, in her own browser, follows the link in her email.
    page.context.clear_cookies()
    page.goto(link)
    checked(page)
    page.get_by_label("New password", exact=True).fill("a long first password 2026")
    page.get_by_label("New password confirmation").fill("a long first password 2026")
    page.get_by_role("button", name="Save password").click()
    checked(page)
    assert "Your password is saved" in page.content()
    page.get_by_role("link", name="Sign in").last.click()
    checked(page)
    page.get_by_label("Email address").fill("nia.newstarter@northgate-test.example")
    page.get_by_label("Password").fill("a long first password 2026")
    page.get_by_role("button", name="Sign in").click()
    checked(page)
    assert "Nia Newstarter" in page.content()
    assert Invitation.objects.get(user__email="nia.newstarter@northgate-test.example").accepted_at is not None
