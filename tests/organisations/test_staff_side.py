"""The staff side appoints its own reps; the employer side cannot (an attack had an
organisation admin make an accomplice the staff-side rep, who then agreed for the staff
side to everything the employer wanted)."""

import pytest
from django.db import connection  # noqa: F401 - named by the skipif conditions
from django.urls import reverse

from staffwell.core.models import AuditEvent
from staffwell.core.permissions import Role
from staffwell.organisations import staff_side
from staffwell.organisations.models import RoleAssignment
from staffwell.partnership import Side, side_of
from tests.concurrency import at_once
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _is_rep(membership) -> bool:
    return RoleAssignment.objects.filter(membership=membership, role=Role.STAFF_SIDE_REP).exists()


def _person_url(world, persona):
    return reverse("organisations:person", kwargs={"org": world.org.slug, "member_id": world.memberships[persona].pk})


def _colleague(world, **kw):
    return MembershipFactory(organisation=world.org, unit=world.team, **kw)


def test_an_organisation_admin_cannot_make_anyone_a_staff_side_rep(world, client_for):
    accomplice = world.memberships["staff"]
    admin = client_for("admin")
    page = admin.get(_person_url(world, "staff")).content.decode()
    assert 'value="staff_side_rep"' not in page
    response = admin.post(_person_url(world, "staff"), {"unit": str(world.team.pk), "roles": ["staff_side_rep"]})
    assert response.status_code == 200 and "is not one of the available choices" in response.content.decode()
    assert not _is_rep(accomplice)
    # Nor themselves.
    response = admin.post(_person_url(world, "admin"), {"unit": "", "roles": ["org_admin", "staff_side_rep"]})
    assert not _is_rep(world.memberships["admin"])


def test_an_organisation_admin_cannot_take_the_rep_role_away_or_move_a_rep_to_the_employer_side(world, client_for):
    rep = world.memberships["rep"]
    admin = client_for("admin")
    unit = str(rep.unit_id or "")
    admin.post(_person_url(world, "rep"), {"unit": unit, "roles": []})
    assert _is_rep(rep)
    response = admin.post(_person_url(world, "rep"), {"unit": unit, "roles": ["employer_lead"]})
    assert "cannot also be an employer-side lead" in response.content.decode()
    rep.refresh_from_db()
    assert not RoleAssignment.objects.filter(membership=rep, role=Role.EMPLOYER_LEAD).exists()
    assert side_of(rep) == Side.STAFF
    assert "Yes, appointed by the staff side" in admin.get(_person_url(world, "rep")).content.decode()


def test_a_rep_appoints_a_colleague_from_the_staff_side_page_and_both_sides_see_it_in_the_audit_log(world, client_for):
    colleague = _colleague(world, user=UserFactory(email="sam.rep@northgate.example", full_name="Sam Okafor"))
    rep = client_for("rep")
    home = rep.get(reverse("core:home")).content.decode()
    url = reverse("organisations:staff_side", kwargs={"org": world.org.slug})
    assert url in home  # reached by a link, not a typed address
    response = rep.post(url, {"who": "SAM.REP@northgate.example"})
    assert response.status_code == 302
    assert _is_rep(colleague) and side_of(colleague) == Side.STAFF
    event = AuditEvent.objects.get(action="partnership.rep.appointed", object_id=str(colleague.pk))
    assert event.partnership and event.actor == world.users["rep"]
    page = rep.get(url).content.decode()
    assert "Sam Okafor" in page and world.users["rep"].full_name in page
    lead_log = client_for("lead").get(reverse("organisations:audit", kwargs={"org": world.org.slug}))
    assert "partnership.rep.appointed" in lead_log.content.decode()


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("", "Enter the work email or person id"),
        ("nobody@elsewhere.example", "Nobody working at"),
        ("lead", "is an employer-side lead"),
        ("rep", "is already a staff-side rep"),
        ("outsider", "Nobody working at"),
    ],
)
def test_a_rep_cannot_appoint_a_stranger_the_employer_lead_or_a_rep_again(world, client_for, who, message):
    text = world.users[who].email if who in world.users else who
    url = reverse("organisations:staff_side", kwargs={"org": world.org.slug})
    response = client_for("rep").post(url, {"who": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert RoleAssignment.objects.filter(role=Role.STAFF_SIDE_REP).count() == 1


def test_someone_without_a_sign_in_account_cannot_be_appointed(world, client_for):
    colleague = _colleague(world, user=None, email="no.account@northgate.example", full_name="Pat Nobody")
    url = reverse("organisations:staff_side", kwargs={"org": world.org.slug})
    response = client_for("rep").post(url, {"who": colleague.person_id})
    assert response.status_code == 400 and "has no sign-in account" in response.content.decode()


def test_a_rep_removes_another_rep_and_can_step_down(world, client_for):
    colleague = _colleague(world)
    staff_side.appoint(world.org, colleague, actor=world.users["rep"], actor_membership=world.memberships["rep"])
    rep = client_for("rep")
    remove = reverse("organisations:staff_side_remove", kwargs={"org": world.org.slug, "member_id": colleague.pk})
    assert rep.get(remove).status_code == 405
    assert rep.post(remove).status_code == 302
    assert not _is_rep(colleague)
    assert AuditEvent.objects.filter(action="partnership.rep.removed", object_id=str(colleague.pk)).exists()
    own = reverse(
        "organisations:staff_side_remove", kwargs={"org": world.org.slug, "member_id": world.memberships["rep"].pk}
    )
    assert rep.post(own).status_code == 302
    assert not _is_rep(world.memberships["rep"])
    assert rep.get(reverse("organisations:staff_side", kwargs={"org": world.org.slug})).status_code == 403


def test_nobody_else_can_remove_a_rep_and_another_organisations_member_is_not_found(world, client_for):
    remove = reverse(
        "organisations:staff_side_remove", kwargs={"org": world.org.slug, "member_id": world.memberships["rep"].pk}
    )
    for persona in ("admin", "lead", "staff", "manager", "editor"):
        assert client_for(persona).post(remove).status_code == 403
    assert client_for("outsider").post(remove).status_code == 404
    elsewhere = MembershipFactory(organisation=world.other_org)
    other = reverse("organisations:staff_side_remove", kwargs={"org": world.org.slug, "member_id": elsewhere.pk})
    assert client_for("rep").post(other).status_code == 404
    assert _is_rep(world.memberships["rep"])


def test_the_platform_admin_appoints_only_the_first_rep(world, client_for):
    platform = client_for("platform")
    assert (
        reverse("platform:first_rep", kwargs={"slug": world.org.slug})
        in platform.get(reverse("platform:organisations")).content.decode()
    )
    url = reverse("platform:first_rep", kwargs={"slug": world.org.slug})
    colleague = _colleague(world)
    page = platform.get(url).content.decode()
    assert "Appoint as the first staff-side rep" not in page  # the organisation has a rep already
    response = platform.post(url, {"who": colleague.email})
    assert response.status_code == 400 and "already has a staff-side rep" in response.content.decode()
    assert not _is_rep(colleague)

    RoleAssignment.objects.filter(role=Role.STAFF_SIDE_REP).delete()
    assert platform.post(url, {"who": colleague.email}).status_code == 302
    assert _is_rep(colleague)
    event = AuditEvent.objects.get(action="partnership.rep.appointed", object_id=str(colleague.pk))
    assert event.data == {"by": "platform"} and event.organisation == world.org
    assert platform.get(reverse("platform:first_rep", kwargs={"slug": "no-such-org"})).status_code == 404


def _staff_list_row(m, email=None):
    unit = m.unit.full_name() if m.unit else ""
    return (
        f"{m.person_id},{m.full_name},{m.email if email is None else email},{unit},Nursing and Midwifery Registered,1,"
    )


def test_a_staff_list_that_gives_the_reps_record_a_new_email_ends_the_rep_role_visibly(world, client_for):
    """An attack: the organisation admin uploaded the staff list with the rep's row pointing
    at an address they controlled; the new account inherited the rep role and agreed single
    sign-on for the staff side."""
    from staffwell.organisations import imports
    from staffwell.organisations.models import Membership

    rep = world.memberships["rep"]
    active = list(Membership.objects.for_org(world.org).active().select_related("unit"))
    rows = [_staff_list_row(m, "takeover@northgate.example" if m.pk == rep.pk else None) for m in active]
    text = "person_id,name,email,unit_path,staff_group,fte,manager_of\n" + "\n".join(rows) + "\n"
    summary = imports.apply(world.org, imports.parse(text), actor=world.users["admin"], allow_new_units=True)
    rep.refresh_from_db()
    assert rep.user.email == "takeover@northgate.example"
    assert not _is_rep(rep)
    assert summary["reps_ended"] == 1
    event = AuditEvent.objects.get(action="partnership.rep.ended", object_id=str(rep.pk))
    assert event.partnership and "different email" in event.data["why"]
    assert event.actor == world.users["admin"]


def test_attaching_an_account_to_a_reps_record_that_had_none_ends_the_role(world):
    from staffwell.accounts.models import AccountLink
    from staffwell.organisations.models import Membership
    from staffwell.signin import onboarding

    rep = world.memberships["rep"]
    Membership.objects.filter(pk=rep.pk).update(user=None)  # the rep's account was erased
    newcomer = MembershipFactory(organisation=world.other_org).user
    link = AccountLink.objects.create(membership=rep, user=newcomer, requested_by=world.users["admin"])
    assert onboarding.decide(link, user=newcomer, accept=True)
    assert not _is_rep(rep)
    assert AuditEvent.objects.filter(action="partnership.rep.ended", object_id=str(rep.pk)).exists()


def test_checks_read_the_roles_afresh_so_a_race_cannot_make_someone_rep_and_lead(world):
    """An attack raced the rep's appointment of a colleague against the admin making the same
    colleague the employer-side lead: both passed their checks on what they had read."""
    from staffwell.organisations.models import Membership

    colleague = _colleague(world)
    stale = Membership.objects.prefetch_related("role_assignments").get(pk=colleague.pk)
    assert not stale.has_role(Role.EMPLOYER_LEAD)
    RoleAssignment.objects.create(membership=colleague, role=Role.EMPLOYER_LEAD)  # the admin got there first
    with pytest.raises(staff_side.NotAllowed, match="employer-side lead"):
        staff_side.appoint(world.org, stale, actor=world.users["rep"], actor_membership=world.memberships["rep"])
    assert not _is_rep(colleague)

    other = _colleague(world)
    stale = Membership.objects.prefetch_related("role_assignments").get(pk=other.pk)
    staff_side.appoint(world.org, other, actor=world.users["rep"], actor_membership=world.memberships["rep"])
    with pytest.raises(staff_side.NotAllowed, match="is a staff-side rep"):
        staff_side.refuse_lead_for_rep(stale)  # the rep got there first


def test_someone_holding_both_roles_cannot_appoint_or_remove_reps(world, client_for):
    RoleAssignment.objects.create(membership=world.memberships["lead"], role=Role.STAFF_SIDE_REP)
    url = reverse("organisations:staff_side", kwargs={"org": world.org.slug})
    lead = client_for("lead")
    response = lead.post(url, {"who": world.users["staff"].email})
    assert response.status_code == 400 and "Only a staff-side rep" in response.content.decode()
    remove = reverse(
        "organisations:staff_side_remove", kwargs={"org": world.org.slug, "member_id": world.memberships["rep"].pk}
    )
    lead.post(remove)
    assert _is_rep(world.memberships["rep"])


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_three_first_reps_appointed_at_once_by_the_platform_admin_make_one_rep(world):
    """An attack sent three "first rep" appointments at the same moment: all three landed."""
    RoleAssignment.objects.filter(role=Role.STAFF_SIDE_REP).delete()
    people = [_colleague(world) for _ in range(3)]
    errors = at_once(
        [lambda m=m: staff_side.appoint(world.org, m, actor=world.users["platform"], platform=True) for m in people]
    )
    assert RoleAssignment.objects.filter(role=Role.STAFF_SIDE_REP).count() == 1
    assert sum(isinstance(e, staff_side.NotAllowed) for e in errors) == 2, errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_an_appointment_and_an_admin_making_the_same_person_lead_at_once_leave_one_role(world):
    from staffwell.organisations.models import Membership

    for _ in range(3):
        colleague = _colleague(world)
        stale = Membership.objects.prefetch_related("role_assignments").get(pk=colleague.pk)

        def make_lead(stale=stale):
            from django.db import transaction

            with transaction.atomic():
                staff_side.refuse_lead_for_rep(stale)
                RoleAssignment.objects.create(membership=stale, role=Role.EMPLOYER_LEAD)

        at_once(
            [
                lambda c=colleague: staff_side.appoint(
                    world.org, c, actor=world.users["rep"], actor_membership=world.memberships["rep"]
                ),
                make_lead,
            ]
        )
        roles = set(RoleAssignment.objects.filter(membership=colleague).values_list("role", flat=True))
        assert len(roles & {Role.STAFF_SIDE_REP.value, Role.EMPLOYER_LEAD.value}) == 1, roles
