"""Organisation structure, people and roles, the audit log, and the platform admin's view."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from staffwell.core import audit
from staffwell.core.models import AuditEvent
from staffwell.core.permissions import Role
from staffwell.organisations.models import Membership, Organisation, RoleAssignment, Unit
from tests.factories import MembershipFactory, RoleAssignmentFactory, UserFactory


@pytest.fixture
def other_admin(world):
    """An organisation admin at the other organisation: a capable outsider."""
    user = UserFactory(email="admin@southmoor-test.example")
    membership = MembershipFactory(organisation=world.other_org, user=user, unit=world.other_org_team)
    RoleAssignmentFactory(membership=membership, role=Role.ORG_ADMIN)
    return user


def test_an_admin_of_another_organisation_cannot_reach_this_organisations_records_by_id(world, other_admin, client):
    client.force_login(other_admin)
    theirs = world.other_org.slug
    assert client.get(f"/o/{theirs}/units/{world.team.pk}/").status_code == 404
    assert client.get(f"/o/{theirs}/people/{world.memberships['staff'].pk}/").status_code == 404
    assert client.post(f"/o/{theirs}/people/{world.memberships['staff'].pk}/", {"unit": ""}).status_code == 404
    assert client.get(f"/o/{world.org.slug}/people/").status_code == 404
    # Their own records are fine.
    assert client.get(f"/o/{theirs}/units/{world.other_org_team.pk}/").status_code == 200


def test_an_admin_adds_a_unit_under_a_parent_and_it_is_audited(world, client_for):
    response = client_for("admin").post(
        f"/o/{world.org.slug}/units/new/", {"name": "Ward 9", "parent": world.directorate.pk}
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Ward 9")
    assert unit.parent == world.directorate and unit.path == f"{world.directorate.path}{unit.pk}/" and unit.depth == 1
    assert AuditEvent.objects.filter(
        action="org.unit.created", object_id=str(unit.pk), actor=world.user("admin")
    ).exists()


def test_a_duplicate_unit_name_is_refused_and_the_form_keeps_what_was_typed(world, client_for):
    response = client_for("admin").post(
        f"/o/{world.org.slug}/units/new/", {"name": "ward 7", "parent": world.directorate.pk}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is already a unit called &#39;ward 7&#39; there" in page and 'value="ward 7"' in page


def test_a_subtree_query_finds_every_unit_below_and_no_other(world):
    deep = Unit.objects.create(organisation=world.org, parent=world.team, name="Bay A")
    assert set(world.directorate.subtree()) == {world.directorate, world.team, world.other_team, deep}
    assert set(world.team.subtree()) == {world.team, deep}
    assert [u.name for u in deep.ancestors()] == ["Medicine", "Ward 7"]


def test_a_unit_cannot_have_a_parent_in_another_organisation(world):
    with pytest.raises(ValueError, match="same organisation"):
        Unit.objects.create(organisation=world.org, parent=world.other_org_team, name="Stray")


def test_an_admin_changes_a_persons_unit_and_roles_and_each_change_is_audited(world, client_for):
    member = world.memberships["staff"]
    response = client_for("admin").post(
        f"/o/{world.org.slug}/people/{member.pk}/",
        {"unit": world.other_team.pk, "roles": [Role.CONTENT_EDITOR.value], "manages": [world.other_team.pk]},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.unit == world.other_team
    assert {(a.role, a.unit_id) for a in member.role_assignments.all()} == {
        (Role.CONTENT_EDITOR.value, None),
        (Role.LINE_MANAGER.value, world.other_team.pk),
    }
    actions = set(AuditEvent.objects.filter(object_id=str(member.pk)).values_list("action", flat=True))
    assert actions == {"org.person.moved", "org.role.granted"}
    # Taking the roles away again.
    client_for("admin").post(f"/o/{world.org.slug}/people/{member.pk}/", {"unit": world.other_team.pk})
    assert not RoleAssignment.objects.filter(membership=member).exists()


def test_line_managers_come_from_the_nearest_managed_unit_above(world):
    staff = world.memberships["staff"]
    assert list(staff.line_managers()) == [world.memberships["manager"]]
    rep = world.memberships["rep"]  # Ward 8 has no manager; nobody manages Medicine either
    assert list(rep.line_managers()) == []
    RoleAssignmentFactory(membership=world.memberships["lead"], role=Role.LINE_MANAGER, unit=world.directorate)
    assert list(rep.line_managers()) == [world.memberships["lead"]]


def test_people_search_finds_by_name_and_person_id_and_pages(world, client_for):
    for i in range(60):
        MembershipFactory(organisation=world.org, user=None, full_name=f"Bulk Person {i}", unit=world.team)
    client = client_for("admin")
    page = client.get(f"/o/{world.org.slug}/people/?q=Bulk").content.decode()
    assert "60 people" in page and "Next page" in page
    staff = world.memberships["staff"]
    page = client.get(f"/o/{world.org.slug}/people/?q={staff.person_id}").content.decode()
    assert "1 person" in page and staff.full_name in page


def test_a_manager_sees_the_people_in_the_teams_they_manage_only(world, client_for):
    page = client_for("manager").get(f"/o/{world.org.slug}/my-teams/").content.decode()
    assert world.memberships["staff"].full_name in page
    assert world.memberships["rep"].full_name not in page  # Ward 8


def test_the_audit_log_shows_partnership_records_to_reps_and_everything_to_admins(world, client_for):
    audit.record("assessment.cycle.signed_off", organisation=world.org, data={"cycle": "2026"})
    audit.record("org.role.granted", organisation=world.org, data={"role": "org_admin"})
    audit.record("records.plan.viewed", organisation=world.org, owner=world.user("staff"))
    audit.record("assessment.cycle.opened", organisation=world.other_org)
    rep_page = client_for("rep").get(f"/o/{world.org.slug}/audit/").content.decode()
    admin_page = client_for("admin").get(f"/o/{world.org.slug}/audit/").content.decode()
    assert "assessment.cycle.signed_off" in rep_page and "org.role.granted" not in rep_page
    assert "assessment.cycle.signed_off" in admin_page and "org.role.granted" in admin_page
    for page in (rep_page, admin_page):
        assert "records.plan.viewed" not in page  # a person's access log is theirs, not the organisation's
        assert "assessment.cycle.opened" not in page  # another organisation's
    assert client_for("staff").get(f"/o/{world.org.slug}/audit/").status_code == 403


def test_the_platform_admin_adds_an_organisation_and_a_duplicate_ods_code_is_refused(world, client_for):
    client = client_for("platform")
    data = {"name": "Eastfield NHS Trust", "slug": "eastfield", "ods_code": "RX1", "kind": "acute", "ics": world.ics.pk}
    assert client.post("/platform/organisations/", data).status_code == 302
    assert Organisation.objects.get(slug="eastfield").ics == world.ics
    response = client.post("/platform/organisations/", {**data, "name": "Other", "slug": "other"})
    assert "There is already an organisation with this ODS code" in response.content.decode()


def test_the_demo_loads_once_with_a_trust_of_about_400_people_and_a_person_per_role(db, settings, capsys):
    settings.DEMO_MODE = True
    call_command("load_demo")
    org = Organisation.objects.get(slug="northgate")
    people = Membership.objects.for_org(org).active().count()
    teams = Unit.objects.for_org(org).filter(depth=2).count()
    assert 350 <= people <= 450 and 25 <= teams <= 35
    assert Unit.objects.for_org(org).filter(depth=0).count() == 5
    for email, role in [
        ("lead@northgate.example", Role.EMPLOYER_LEAD),
        ("rep@northgate.example", Role.STAFF_SIDE_REP),
        ("editor@northgate.example", Role.CONTENT_EDITOR),
        ("admin@northgate.example", Role.ORG_ADMIN),
        ("manager@northgate.example", Role.LINE_MANAGER),
    ]:
        assert Membership.objects.get(organisation=org, email=email).has_role(role)
    out = capsys.readouterr().out
    assert "Demo sign-in (password for every account: wellbeing-demo)" in out and "nurse@northgate.example" in out
    call_command("load_demo")
    assert "already there" in capsys.readouterr().out
    assert Membership.objects.for_org(org).count() == people


def test_the_demo_refuses_to_load_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="only be loaded in demo mode"):
        call_command("load_demo")


def test_each_demo_persona_sees_the_navigation_for_their_role(db, settings, client):
    from staffwell.core.navigation import items_for
    from staffwell.demo.data import DEMO_USERS, OUTSIDER, PLATFORM_ADMIN_EMAIL, load

    settings.DEMO_MODE = True
    load()
    from staffwell.accounts.models import User

    def nav(email):
        user = User.objects.get(email=email)
        membership = user.memberships.filter(is_active=True).first()
        return {item.text for item in items_for(user, membership)}

    by_key = {d.key: d.email for d in DEMO_USERS}
    assert {"Organisation", "People", "Audit log"} <= nav(by_key["admin"])
    assert {"Organisation", "Audit log"} <= nav(by_key["lead"]) and "People" not in nav(by_key["lead"])
    assert {"Organisation", "Audit log"} <= nav(by_key["rep"]) and "People" not in nav(by_key["rep"])
    assert "My teams" in nav(by_key["manager"]) and "Organisation" not in nav(by_key["manager"])
    for key in ("staff", "editor"):
        assert not {"Organisation", "People", "Audit log", "My teams"} & nav(by_key[key])
    assert not {"Organisation", "People", "Audit log"} & nav(OUTSIDER.email)
    assert "Platform" in nav(PLATFORM_ADMIN_EMAIL)


def test_the_structure_counts_people_in_each_unit_and_everything_below_it(world, client_for):
    page = client_for("lead").get(f"/o/{world.org.slug}/").content.decode()
    # Medicine holds the lead, editor and admin directly, plus Ward 7 (staff, manager) and Ward 8 (rep).
    assert 'Medicine</a>\n    <span class="nhsuk-body-s">(6 people)' in page
    assert 'Ward 7</a>\n    <span class="nhsuk-body-s">(2 people; managed by Manager Person)' in page


def test_apps_are_told_when_the_structure_changes_by_import_or_by_hand(world, client_for):
    from staffwell.organisations import hooks

    calls = []

    def listener(*, org, actor):
        calls.append((org, actor))

    hooks.on_structure_changed(listener)
    try:
        member = world.memberships["staff"]
        client_for("admin").post(f"/o/{world.org.slug}/people/{member.pk}/", {"unit": world.other_team.pk})
        from staffwell.organisations import imports

        rows = imports.parse(
            "person_id,name,email,unit_path,staff_group,fte,manager_of\n1,A Person,,Medicine,Medical and Dental,1,\n"
        )
        imports.apply(world.org, rows, allow_many_leavers=True)
    finally:
        hooks._listeners.remove(listener)
    assert calls == [(world.org, world.user("admin")), (world.org, None)]
