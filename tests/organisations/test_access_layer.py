"""One access layer: Membership querysets answer "who holds permission X" and "who manages
this person" once; the bulk ManagerMap gives the same answers as the one rule."""

from staffwell.core.permissions import PARTNERSHIP, Perm, Role, roles_with
from staffwell.organisations.hooks import ManagerMap
from staffwell.organisations.models import Membership
from tests.factories import MembershipFactory, RoleAssignmentFactory, UnitFactory, UserFactory


def test_who_holds_a_permission_is_read_from_the_role_table(world):
    org = Membership.objects.for_org(world.org)
    assert set(org.holding(Perm.LEAD_PARTNERSHIP_WORK)) == {world.memberships["lead"]}
    assert set(org.holding(*PARTNERSHIP)) == {world.memberships["lead"], world.memberships["rep"]}
    assert set(org.holding(Perm.MANAGE_TEAM)) == {world.memberships["manager"]}
    # Every member holds what the staff role grants; another organisation's members never.
    assert world.memberships["outsider"] not in set(org.holding(Perm.VIEW_ORGANISATION))
    assert org.holding(Perm.VIEW_ORGANISATION).count() == org.active().count()
    assert roles_with(Perm.EDIT_CONTENT) == {Role.CONTENT_EDITOR.value}


def test_a_leaver_holds_nothing(world):
    world.memberships["lead"].leave()
    assert not Membership.objects.for_org(world.org).holding(Perm.LEAD_PARTNERSHIP_WORK).exists()


def test_a_persons_managers_are_their_units_or_the_nearest_unit_above_and_never_themselves(world):
    staff, manager = world.memberships["staff"], world.memberships["manager"]
    assert list(Membership.objects.managing(staff)) == [manager]
    # The manager of Ward 7 has no manager of their own unit but themselves: look above.
    assert list(Membership.objects.managing(manager)) == []
    head = MembershipFactory(organisation=world.org, user=UserFactory(), unit=world.directorate)
    RoleAssignmentFactory(membership=head, role=Role.LINE_MANAGER, unit=world.directorate)
    assert list(Membership.objects.managing(manager)) == [head]
    # Ward 8 has no manager: its people are managed from Medicine.
    assert list(Membership.objects.managing(world.memberships["rep"])) == [head]
    assert list(world.memberships["staff"].line_managers()) == [manager]
    assert list(Membership.objects.managing_unit(world.team)) == [manager]


def test_the_bulk_map_gives_the_same_managers_as_the_one_rule(world):
    deeper = UnitFactory(organisation=world.org, parent=world.team, name="Ward 7 nights")
    night = MembershipFactory(organisation=world.org, user=UserFactory(), unit=deeper)
    no_account = MembershipFactory(organisation=world.org, user=None, unit=world.other_team)
    RoleAssignmentFactory(membership=no_account, role=Role.LINE_MANAGER, unit=world.other_team)
    managers = ManagerMap(world.org)
    people = Membership.objects.for_org(world.org).select_related("unit")
    for person in [*people, night]:
        expected = {m.user_id for m in Membership.objects.managing(person) if m.user_id}
        assert managers.manager_user_ids(person) == expected, person
