"""The one partnership mechanism: both sides agree to a version of a thing, once each,
with who and when, and the kind's hook runs once when the second side agrees."""

import threading

import pytest
from django.db import connection

from staffwell.core.models import AuditEvent
from staffwell.partnership import Side, side_of
from staffwell.partnership import services as partnership
from staffwell.partnership.models import Agreement

HOOK_CALLS: list = []


@pytest.fixture(autouse=True)
def _test_kind():
    HOOK_CALLS.clear()
    partnership.register(
        "test.unit_name", label="the name of a unit", on_agreed=lambda obj, v, s: HOOK_CALLS.append((obj.pk, v))
    )
    yield
    partnership._KINDS.pop("test.unit_name", None)


def _agree(world, persona, version="1", **kw):
    return partnership.agree(
        obj=world.team, kind="test.unit_name", version=version, membership=world.memberships[persona], **kw
    )


def test_the_lead_acts_for_the_employer_side_and_the_rep_for_the_staff_side(world):
    assert side_of(world.memberships["lead"]) == Side.EMPLOYER
    assert side_of(world.memberships["rep"]) == Side.STAFF
    assert side_of(world.memberships["staff"]) is None
    assert side_of(world.memberships["admin"]) is None
    assert Side.EMPLOYER.other == Side.STAFF


def test_one_side_agreeing_waits_for_the_other_and_both_sides_complete_it(world):
    first = _agree(world, "lead", terms={"name": "Ward 7"})
    assert not first.complete
    assert first.waiting_for == Side.STAFF
    assert first.employer.agreed_by == world.users["lead"]
    assert first.employer.terms == {"name": "Ward 7"}
    assert HOOK_CALLS == []
    done = _agree(world, "rep")
    assert done.complete
    assert done.waiting_for is None
    assert done.staff.agreed_by_name == world.users["rep"].full_name
    assert [(world.team.pk, "1")] == HOOK_CALLS


def test_agreeing_twice_for_the_same_side_is_refused_and_records_nothing_more(world):
    _agree(world, "lead")
    with pytest.raises(partnership.AlreadyAgreed, match="employer side has already agreed"):
        _agree(world, "lead")
    assert Agreement.objects.count() == 1
    assert AuditEvent.objects.filter(action="partnership.test.unit_name.agreed").count() == 1


def test_someone_on_neither_side_cannot_agree(world):
    for persona in ("staff", "manager", "admin", "editor"):
        with pytest.raises(partnership.NotPartner):
            _agree(world, persona)
    assert Agreement.objects.count() == 0


def test_a_member_of_another_organisation_cannot_agree_for_this_one(world):
    from staffwell.core.permissions import Role
    from tests.factories import MembershipFactory, RoleAssignmentFactory, UserFactory

    stranger = MembershipFactory(organisation=world.other_org, user=UserFactory(), unit=world.other_org_team)
    RoleAssignmentFactory(membership=stranger, role=Role.EMPLOYER_LEAD)
    with pytest.raises(partnership.NotPartner, match="member of this organisation"):
        partnership.agree(obj=world.team, kind="test.unit_name", version="1", membership=stranger)


def test_agreements_to_an_older_version_do_not_count_for_a_newer_one(world):
    _agree(world, "lead", version="1")
    state = _agree(world, "rep", version="2")
    assert not state.complete
    assert state.employer is None
    assert HOOK_CALLS == []


def test_a_side_can_withdraw_before_the_other_agrees_but_not_after(world):
    _agree(world, "lead")
    state = partnership.withdraw(
        obj=world.team, kind="test.unit_name", version="1", membership=world.memberships["lead"]
    )
    assert state.employer is None
    assert Agreement.objects.get().ended == Agreement.Ended.WITHDRAWN
    _agree(world, "lead")
    _agree(world, "rep")
    with pytest.raises(partnership.AlreadyAgreed, match="cannot be withdrawn"):
        partnership.withdraw(obj=world.team, kind="test.unit_name", version="1", membership=world.memberships["rep"])
    assert [a.ended for a in partnership.history(obj=world.team, kind="test.unit_name")] == ["withdrawn", "", ""]


def test_clearing_ends_every_standing_agreement_and_is_audited(world):
    _agree(world, "lead")
    assert partnership.clear(obj=world.team, kind="test.unit_name", actor=world.users["lead"], reason="renamed") == 1
    assert not partnership.state(obj=world.team, kind="test.unit_name", version="1").agreements
    assert AuditEvent.objects.filter(action="partnership.test.unit_name.cleared", partnership=True).exists()


def test_an_unregistered_kind_is_a_programming_error(world):
    with pytest.raises(LookupError, match="not registered"):
        partnership.agree(obj=world.team, kind="test.nothing", version="1", membership=world.memberships["lead"])


def test_every_agreement_is_audited_in_the_partnership_namespace_the_rep_can_read(world):
    _agree(world, "lead")
    event = AuditEvent.objects.get(action="partnership.test.unit_name.agreed")
    assert event.partnership
    assert event.data["side"] == "employer"
    assert event.actor == world.users["lead"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_both_sides_agreeing_at_the_same_moment_on_two_connections_are_both_recorded(world):
    barrier = threading.Barrier(2)
    results: dict = {}

    def run(persona):
        try:
            barrier.wait()
            results[persona] = _agree(world, persona)
        except Exception as error:  # pragma: no cover - the assertion below shows it
            results[persona] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(p,)) for p in ("lead", "rep")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(isinstance(r, Exception) for r in results.values()), results
    final = partnership.state(obj=world.team, kind="test.unit_name", version="1")
    assert final.complete
    assert sum(r.complete for r in results.values()) == 1
    assert [(world.team.pk, "1")] == HOOK_CALLS


def test_a_thing_that_records_its_own_sides_names_the_side_but_only_a_partner_can_agree(world):
    # An assessment participant acts for the side they were invited on.
    state = _agree(world, "lead", side=Side.STAFF)
    assert state.staff.agreed_by == world.users["lead"] and state.employer is None
    with pytest.raises(partnership.NotPartner):
        _agree(world, "staff", side=Side.STAFF)


def test_clearing_one_version_leaves_the_others_standing(world):
    _agree(world, "lead", version="0")
    _agree(world, "rep", version="0")
    _agree(world, "lead", version="1")
    assert partnership.clear(obj=world.team, kind="test.unit_name", version="1", reason="changed") == 1
    assert partnership.state(obj=world.team, kind="test.unit_name", version="0").complete
    assert not partnership.state(obj=world.team, kind="test.unit_name", version="1").agreements


def test_one_person_cannot_agree_for_both_sides_even_after_changing_role(world):
    """A third attack: an organisation admin gave themselves the employer-lead role, agreed,
    swapped it for the staff-side rep role, and agreed again: "agreed by both sides", by one
    person. Each side's agreement must come from a different person."""
    from staffwell.core.permissions import Role
    from staffwell.organisations.models import Membership, RoleAssignment

    lead = world.memberships["lead"]
    _agree(world, "lead")
    RoleAssignment.objects.filter(membership=lead, role=Role.EMPLOYER_LEAD).delete()
    RoleAssignment.objects.create(membership=lead, role=Role.STAFF_SIDE_REP)
    now_rep = Membership.objects.get(pk=lead.pk)
    assert side_of(now_rep) == Side.STAFF
    with pytest.raises(partnership.PartnershipError, match="already agreed for the employer side"):
        partnership.agree(obj=world.team, kind="test.unit_name", version="1", membership=now_rep)
    assert not partnership.state(obj=world.team, kind="test.unit_name", version="1").complete
    assert HOOK_CALLS == []
    assert _agree(world, "rep").complete  # someone else on the staff side can


def _change_roles(world, persona, *, remove=(), add=()):
    from staffwell.organisations import hooks
    from staffwell.organisations.models import RoleAssignment

    membership = world.memberships[persona]
    RoleAssignment.objects.filter(membership=membership, role__in=remove).delete()
    for role in add:
        RoleAssignment.objects.create(membership=membership, role=role)
    if hasattr(membership, "_roles"):
        del membership._roles
    hooks.structure_changed(org=world.org, actor=world.users["admin"])


def test_an_unfinished_agreement_lapses_when_its_agreer_no_longer_acts_for_that_side(world):
    """An attack: an accomplice given the staff-side role agreed, lost the role, and the
    agreement still counted when the employer side agreed later."""
    from staffwell.core.permissions import Role

    _agree(world, "rep")
    _change_roles(world, "rep", remove=[Role.STAFF_SIDE_REP])
    now = partnership.state(obj=world.team, kind="test.unit_name", version="1")
    assert now.staff is None and not now.complete
    lapsed = Agreement.objects.get()
    assert lapsed.ended == Agreement.Ended.LAPSED and lapsed.ended_by == world.users["admin"]
    event = AuditEvent.objects.get(action="partnership.test.unit_name.lapsed")
    assert event.partnership and event.data["side"] == "staff"
    assert not _agree(world, "lead").complete
    assert HOOK_CALLS == []


def test_an_agreement_lapses_when_its_agreer_leaves_or_moves_to_the_other_side(world):
    from staffwell.core.permissions import Role
    from staffwell.organisations import hooks

    _agree(world, "lead")
    world.memberships["lead"].leave()
    hooks.structure_changed(org=world.org)
    assert partnership.state(obj=world.team, kind="test.unit_name", version="1").employer is None

    _agree(world, "rep", version="2")
    _change_roles(world, "rep", add=[Role.EMPLOYER_LEAD])  # now acts for the employer side
    assert partnership.state(obj=world.team, kind="test.unit_name", version="2").staff is None


def test_a_completed_agreement_stands_when_an_agreer_later_loses_the_role(world):
    from staffwell.core.permissions import Role

    _agree(world, "lead")
    _agree(world, "rep")
    _change_roles(world, "rep", remove=[Role.STAFF_SIDE_REP])
    assert partnership.state(obj=world.team, kind="test.unit_name", version="1").complete
    assert not Agreement.objects.filter(ended=Agreement.Ended.LAPSED).exists()
    assert [(world.team.pk, "1")] == HOOK_CALLS
