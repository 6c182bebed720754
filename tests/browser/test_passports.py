"""Passports in the browser.

Given a staff member, when they create both kinds of passport, share them with their line
manager and a staff-side rep, and the manager decides, then both confirm; when the manager
changes, the passport follows only with consent. A signed passport exported by one
organisation imports into another; a tampered one is refused. Every page passes axe."""

import json
import re

import pytest
from playwright.sync_api import expect

from staffwell.core.permissions import Role
from staffwell.organisations import hooks
from staffwell.passports.models import ManagerChange, Passport
from tests.browser.conftest import check_axe, check_narrow
from tests.factories import MembershipFactory, RoleAssignmentFactory, UserFactory


def _request(page, visit, passport_id, text):
    visit(f"/my/passports/{passport_id}/adjustments/new/")
    page.get_by_label("What would help?").fill(text)
    page.get_by_role("button", name="Add", exact=True).click()


def _share(page, visit, passport_id, person):
    visit(f"/my/sharing/passport/{passport_id}/")
    page.get_by_label("All of this passport").check()
    page.get_by_label(person).check()
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_text("is now shared with")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_passport_is_agreed_confirmed_and_follows_a_new_manager_only_with_consent(world, page, visit, sign_in_as):
    staff, manager = world.users["staff"], world.users["manager"]
    # Given the staff member starts both kinds from scratch
    sign_in_as(staff)
    visit("/my/passports/")
    page.get_by_role("link", name="Start a reasonable adjustments passport").click()
    page.get_by_role("button", name="Save").click()  # nothing typed: a specific error, on a page that passes axe
    expect(page.get_by_role("alert")).to_contain_text("Enter what I find harder at work")
    visit("/my/passports/new/adjustments/")
    page.get_by_label("What I find harder at work").fill("Long handovers in a noisy room")
    page.get_by_label("What helps me do my best work").fill("Written handover notes")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reasonable adjustments passport")
    passport = Passport.objects.get(owner=staff, kind="adjustments")
    visit(f"/my/passports/{passport.pk}/")
    for text in ("Written handover sheet", "No more than two nights in a row", "A desk fan on the ward"):
        _request(page, visit, passport.pk, text)
    visit("/my/passports/new/carer/")
    page.get_by_label("Who I care for and what that involves").fill("My dad, who has had a stroke")
    page.get_by_role("button", name="Save").click()
    carer = Passport.objects.get(owner=staff, kind="carer")
    visit(f"/my/passports/{carer.pk}/edit/")
    visit(f"/my/passports/{carer.pk}/delete/")
    # When they share it with their line manager and a staff-side rep
    _share(page, visit, passport.pk, "Manager Person, your line manager")
    _share(page, visit, passport.pk, "Rep Person, staff-side rep")

    # Then the manager agrees two and declines one with a reason
    sign_in_as(manager)
    visit("/shared/passports/")
    expect(page.get_by_text("3 requests to decide")).to_be_visible()
    visit(f"/shared/passports/{passport.pk}/")
    expect(page.get_by_text("Guidance for managers")).to_be_visible()
    adjustments = list(passport.adjustments.all())
    for adj, decision in zip(adjustments, ["Agreed as asked", "Agreed as asked", "Not agreed"], strict=True):
        visit(f"/shared/passports/{passport.pk}/adjustments/{adj.pk}/decide/")
        page.get_by_label(decision).check()
        if decision == "Not agreed":
            page.get_by_role("button", name="Record decision").click()
            expect(page.get_by_role("alert")).to_contain_text("Give the reason")
            page.get_by_label("Reason").fill("Fans spread infection on the ward; we will look at a cooler bay")
        page.get_by_role("button", name="Record decision").click()
        expect(page.get_by_text("Decision recorded")).to_be_visible()
    page.get_by_role("button", name="Confirm the agreed adjustments").click()
    expect(page.get_by_text("You have confirmed the agreed adjustments")).to_be_visible()

    # and the rep sees it, without deciding
    sign_in_as(world.users["rep"])
    visit(f"/shared/passports/{passport.pk}/")
    expect(page.get_by_text("Decisions are made by their line manager")).to_be_visible()

    # and the staff member sees the reason, and confirms
    sign_in_as(staff)
    visit(f"/my/passports/{passport.pk}/")
    expect(page.get_by_text("Fans spread infection on the ward")).to_be_visible()
    page.get_by_role("button", name="Confirm my passport as agreed").click()
    passport.refresh_from_db()
    assert passport.is_confirmed

    # When the manager changes
    new_user = UserFactory(email="nadia@northgate-test.example", full_name="Nadia New")
    m = MembershipFactory(organisation=world.org, user=new_user, unit=world.other_team)
    RoleAssignmentFactory(membership=m, role=Role.LINE_MANAGER, unit=world.other_team)
    member = world.memberships["staff"]
    member.unit = world.other_team
    member.save()
    hooks.structure_changed(org=world.org, actor=world.users["admin"])

    # Then the new manager sees nothing until the staff member agrees
    sign_in_as(new_user)
    visit(f"/shared/passports/{passport.pk}/", expect_status=404)
    sign_in_as(staff)
    visit("/my/passports/")
    page.get_by_role("link", name=re.compile("Decide whether to share")).click()
    change = ManagerChange.objects.get(passport=passport)
    visit(f"/my/passports/{passport.pk}/manager-change/{change.pk}/")
    page.get_by_label("Yes, share all of it").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Shared with Nadia New")).to_be_visible()
    sign_in_as(new_user)
    visit("/shared/passports/")
    visit(f"/shared/passports/{passport.pk}/")
    expect(page.get_by_text("You are Staff Person's new line manager")).to_be_visible()
    page.get_by_role("button", name="Confirm the agreed adjustments").click()
    passport.refresh_from_db()
    assert passport.confirming_manager == new_user


@pytest.mark.django_db(transaction=True)
def test_a_signed_passport_moves_to_another_organisation_and_tampering_is_refused(
    world, page, visit, sign_in_as, tmp_path
):
    from staffwell.passports import services
    from staffwell.passports.models import Status
    from tests.passports.helpers import passport_for, share

    staff, manager = world.users["staff"], world.users["manager"]
    passport = passport_for(staff, requests=["Written handover sheet", "A desk fan"])
    share(passport, manager)
    a, b = passport.adjustments.all()
    services.move(adjustment=a, to=Status.AGREED, actor=manager)
    services.move(adjustment=b, to=Status.NOT_AGREED, actor=manager, reason="Infection control")
    # Given the staff member downloads their signed passport
    sign_in_as(staff)
    visit(f"/my/passports/{passport.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download signed passport (JSON, for importing)").click()
    genuine = tmp_path / "passport.json"
    download.value.save_as(genuine)
    doc = json.loads(genuine.read_text())
    doc["passport"]["adjustments"][1]["status"] = "agreed"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(doc))

    # When someone at another organisation imports a tampered copy, then it is refused
    sign_in_as(world.users["outsider"])
    visit("/my/passports/import/")
    page.get_by_label("Your signed passport (.json)").set_input_files(str(tampered))
    page.get_by_label("This passport is mine").check()
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("alert")).to_contain_text("does not match the passport's contents")
    check_axe(page)
    # and the genuine one is refused too: it is not theirs
    page.get_by_label("Your signed passport (.json)").set_input_files(str(genuine))
    page.get_by_label("This passport is mine").check()
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert not Passport.objects.filter(owner=world.users["outsider"]).exists()

    # When the holder moves to the other organisation, the genuine one imports with its history
    from tests.factories import MembershipFactory, UserFactory

    world.memberships["staff"].is_active = False
    world.memberships["staff"].save(update_fields=["is_active"])
    MembershipFactory(organisation=world.other_org, user=staff, unit=world.other_org_team)
    # (one database plays both employers here: the previous employer's copy is not in their list)
    Passport.objects.filter(pk=passport.pk).update(owner=UserFactory(email="previous-employer@test.example"))
    sign_in_as(staff)
    visit("/my/passports/import/")
    page.get_by_label("Your signed passport (.json)").set_input_files(str(genuine))
    page.get_by_label("This passport is mine").check()
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("Imported from")).to_be_visible()
    check_axe(page)
    imported = Passport.objects.get(owner=staff)
    visit(f"/my/passports/{imported.pk}/")
    expect(page.get_by_text("Infection control")).to_be_visible()

    # And anyone can check a file on the public page
    page.context.clear_cookies()
    visit("/passports/verify/")
    page.get_by_label("Signed passport file (.json)").set_input_files(str(genuine))
    page.get_by_role("button", name="Check the signature").click()
    expect(page.get_by_role("heading", name="The signature is valid")).to_be_visible()
    check_axe(page)
    check_narrow(page)
    visit("/passports/verify/")
    page.get_by_label("Signed passport file (.json)").set_input_files(str(tampered))
    page.get_by_role("button", name="Check the signature").click()
    expect(page.get_by_role("heading", name="This passport cannot be trusted")).to_be_visible()
    check_axe(page)
    check_narrow(page)


def test_organisation_pages_pass_axe(world, page, visit, sign_in_as):
    from tests.passports.helpers import passport_for

    passport_for(world.users["staff"])
    for persona, path in [
        ("lead", f"/o/{world.org.slug}/passports/insight/"),
        ("rep", f"/o/{world.org.slug}/passports/insight/"),
        ("admin", f"/o/{world.org.slug}/passports/trusted-issuers/"),
        ("outsider", "/my/passports/"),
        ("outsider", "/my/passports/import/"),
    ]:
        sign_in_as(world.users[persona])
        visit(path)
    sign_in_as(world.users["admin"])
    visit(f"/o/{world.org.slug}/passports/trusted-issuers/")
    page.get_by_role("button", name="Trust this key").click()
    expect(page.get_by_role("alert")).to_contain_text("Paste the issuer's key file")
