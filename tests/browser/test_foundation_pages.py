"""Given each persona, when they open the pages the foundation offers, then every page passes axe."""

import pytest

from staffwell.organisations.models import StaffImport

PUBLIC_PAGES = [
    "/sign-in/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    "/password-reset/",
    "/password-reset/sent/",
    "/password-reset/MQ/set-password/",  # an expired or used link
    "/password-reset/complete/",
    "/this-page-does-not-exist/",
]


def test_public_pages_pass_axe_and_fit_a_phone(visit):
    for path in PUBLIC_PAGES:
        visit(path, expect_status=404 if "does-not-exist" in path else 200)


@pytest.mark.parametrize("persona", ["staff", "manager", "lead", "rep", "editor", "admin", "outsider", "platform"])
def test_each_persona_sees_the_right_navigation_and_their_home_passes_axe(persona, world, page, visit, sign_in_as):
    sign_in_as(world.user(persona))
    visit("/")
    nav = [t.strip() for t in page.locator(".nhsuk-header__navigation-list a").all_inner_texts()]
    org = world.org.slug
    expected = {
        "staff": {"Home"},
        "manager": {"Home", "My teams"},
        "lead": {"Home", "Organisation", "Audit log"},
        "rep": {"Home", "Organisation", "Audit log"},
        "editor": {"Home"},
        "admin": {"Home", "Organisation", "People", "Audit log"},
        "outsider": {"Home"},
        "platform": {"Home", "Platform"},
    }[persona]
    assert expected <= set(nav), f"{persona} navigation: {nav}"
    forbidden = {"People", "Audit log", "Platform", "Organisation"} - expected
    assert not (forbidden & set(nav)), f"{persona} should not see {forbidden & set(nav)}"
    if persona == "admin":
        for path in [
            f"/o/{org}/",
            f"/o/{org}/people/",
            f"/o/{org}/people/{world.memberships['staff'].pk}/",
            f"/o/{org}/units/{world.team.pk}/",
            f"/o/{org}/imports/",
            f"/o/{org}/audit/",
            "/account/password/",
            "/account/password/changed/",
            "/sign-out/",
        ]:
            visit(path)
    if persona == "manager":
        visit(f"/o/{org}/my-teams/")
    if persona == "staff":
        visit(f"/o/{org}/people/", expect_status=403)
    if persona == "platform":
        visit("/platform/organisations/")


def test_a_staff_member_signs_in_with_email_and_password_using_the_keyboard(world, page, live_server):
    page.goto(live_server.url + "/sign-in/")
    page.keyboard.press("Tab")  # skip link
    page.get_by_label("Email address").fill("staff@northgate-test.example")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hello")


def test_a_wrong_password_shows_an_error_summary_and_keeps_the_email(world, page, visit):
    visit("/sign-in/")
    page.get_by_label("Email address").fill("staff@northgate-test.example")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert page.get_by_label("Email address").input_value() == "staff@northgate-test.example"
    from tests.browser.conftest import check_axe

    check_axe(page)


def test_an_admin_uploads_a_staff_list_and_sees_the_result(world, page, visit, sign_in_as, tmp_path):
    sign_in_as(world.user("admin"))
    visit(f"/o/{world.org.slug}/imports/")
    csv = tmp_path / "staff.csv"
    lines = ["person_id,name,email,unit_path,staff_group,fte,manager_of"]
    for m in world.memberships.values():
        if m.organisation_id == world.org.pk:
            lines.append(f"{m.person_id},{m.full_name},{m.email},Medicine > Ward 7,Nursing and Midwifery Registered,1,")
    lines.append(
        "900001,New Starter,new.starter@northgate-test.example,Medicine > Ward 9,Nursing and Midwifery Registered,1,"
    )
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.get_by_label("Staff list (CSV file)").set_input_files(str(csv))
    page.get_by_label("Create the new units").check()  # Ward 9 is new
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    assert "Imported" in page.content()
    from tests.browser.conftest import check_axe

    check_axe(page)
    assert StaffImport.objects.get().status == StaffImport.Status.COMPLETED


def test_a_rejected_import_lists_the_rows_to_fix_and_passes_axe(world, page, visit, sign_in_as, tmp_path):
    sign_in_as(world.user("admin"))
    visit(f"/o/{world.org.slug}/imports/")
    csv = tmp_path / "staff.csv"
    csv.write_text(
        'person_id,name,email,unit_path,staff_group,fte,manager_of\n900001,New Starter,,Medicine,Nursing and Midwifery Registered,"1,2",\n',
        encoding="utf-8",
    )
    page.get_by_label("Staff list (CSV file)").set_input_files(str(csv))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    assert "Row 2: FTE '1,2' is not a number between 0 and 1" in page.content()
    from tests.browser.conftest import check_axe

    check_axe(page)
