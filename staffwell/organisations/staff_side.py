"""Who appoints the staff side: the staff side itself.

Every "both sides agree" in staffwell (assessments, action plans, survey campaigns, the
minimum group, single sign-on, trigger definitions, staff voice answers) is only as good as
the staff side being the trade unions' own people. So:

- an organisation admin (employer side) grants the employer-side roles
  (``ASSIGNABLE_ROLES``) and never the staff-side rep role, nor takes it away;
- a current staff-side rep (``Perm.APPOINT_STAFF_SIDE``) appoints and removes reps;
- the platform admin appoints the first rep of an organisation that has none, and no other;
- nobody is a rep and the employer-side lead at once: a rep cannot appoint the lead, and
  an admin cannot make a rep the lead (it would move them to the employer side,
  ``partnership.side_of``).

Each appointment and removal is an audit event in the partnership namespace, so both sides
see who appointed whom, and the staff side's page lists every rep with who appointed them.
A rep who leaves the organisation stops being a rep (``Membership.has_perm`` needs an
active membership), and the organisation listeners run (``hooks.structure_changed``), so
what was shared with them as a rep is withdrawn and their unfinished agreements lapse.
"""

from django.db import transaction

from staffwell.core import audit
from staffwell.core.models import AuditEvent
from staffwell.core.permissions import Perm, Role
from staffwell.organisations import hooks
from staffwell.organisations.models import Membership, Organisation, RoleAssignment

REP = Role.STAFF_SIDE_REP


class NotAllowed(Exception):
    """The appointment cannot be made; the message says why, in plain words."""


def reps(org):
    """The organisation's current staff-side reps, with who appointed each and when."""
    members = list(
        Membership.objects.for_org(org).active().filter(role_assignments__role=REP).select_related("user").distinct()
    )
    events = {
        e.object_id: e
        for e in AuditEvent.objects.for_org(org)
        .filter(action="partnership.rep.appointed", object_type="organisations.membership")
        .order_by("created_at")
    }
    for m in members:
        event = events.get(str(m.pk))
        m.appointed_at = event.created_at if event else None
        if event is None:
            m.appointed_by = ""
        else:
            name = event.actor_label.split(" <", 1)[0]
            m.appointed_by = f"{name}, platform admin" if event.data.get("by") == "platform" else name
    return members


def find_member(org, text: str) -> Membership | None:
    """The active member with this work email or person id, exactly."""
    text = text.strip()
    if not text:
        return None
    people = Membership.objects.for_org(org).active()
    return people.filter(email__iexact=text).first() or people.filter(person_id__iexact=text).first()


def _check_can_appoint(org, *, actor_membership=None, platform=False) -> None:
    """Who may appoint. Call inside the transaction that appoints: for the platform admin it
    locks the organisation, so that two "first" appointments sent at once cannot both find
    no rep (an attack made three)."""
    if platform:
        Organisation.objects.select_for_update().filter(pk=org.pk).values_list("pk", flat=True).first()
        if Membership.objects.for_org(org).holding(Perm.APPOINT_STAFF_SIDE).exists():
            raise NotAllowed(
                f"{org.name} already has a staff-side rep. Only the staff side can appoint more reps or remove them."
            )
    elif actor_membership is None or actor_membership.organisation_id != org.pk:
        raise NotAllowed("Only a staff-side rep of this organisation can appoint reps.")
    elif not actor_membership.has_perm(Perm.APPOINT_STAFF_SIDE) or actor_membership.has_perm(
        Perm.LEAD_PARTNERSHIP_WORK
    ):
        raise NotAllowed("Only a staff-side rep can appoint or remove reps.")


def _lock(member: Membership) -> Membership:
    """Lock the person's record and read their roles afresh, so that an appointment and an
    admin's change of roles at the same moment cannot both pass their checks (an attack
    made people rep and employer-side lead at once by racing the two)."""
    return Membership.objects.select_for_update().prefetch_related("role_assignments").get(pk=member.pk)


def appoint(org, member: Membership, *, actor, actor_membership=None, platform=False) -> None:
    if member.organisation_id != org.pk:
        raise NotAllowed("That person does not work here.")
    with transaction.atomic():
        _check_can_appoint(org, actor_membership=actor_membership, platform=platform)
        member = _lock(member)
        if not member.is_active:
            raise NotAllowed("That person does not work here.")
        if member.has_perm(Perm.LEAD_PARTNERSHIP_WORK):
            raise NotAllowed(
                f"{member.full_name} is an employer-side lead. One person cannot act for both sides of the partnership."
            )
        if member.has_role(REP):
            raise NotAllowed(f"{member.full_name} is already a staff-side rep.")
        if member.user_id is None:
            raise NotAllowed(f"{member.full_name} has no sign-in account here yet, so cannot act as a rep.")
        RoleAssignment.objects.create(membership=member, role=REP)
        audit.record(
            "partnership.rep.appointed",
            actor=actor,
            organisation=org,
            obj=member,
            data={"by": "platform" if platform else "staff_side"},
        )
        hooks.structure_changed(org=org, actor=actor)


def remove(org, member: Membership, *, actor, actor_membership) -> None:
    """A rep steps down, or the staff side removes one of its reps."""
    _check_can_appoint(org, actor_membership=actor_membership)
    if member.organisation_id != org.pk:
        raise NotAllowed("That person does not work here.")
    with transaction.atomic():
        removed, _ = RoleAssignment.objects.filter(membership=member, role=REP).delete()
        if not removed:
            raise NotAllowed(f"{member.full_name} is not a staff-side rep.")
        audit.record("partnership.rep.removed", actor=actor, organisation=org, obj=member, data={})
        hooks.structure_changed(org=org, actor=actor)


def refuse_lead_for_rep(member: Membership) -> None:
    """Called, inside the transaction, before an admin makes someone an employer-side lead."""
    if RoleAssignment.objects.filter(membership=_lock(member), role=REP).exists():
        raise NotAllowed(
            f"{member.full_name} is a staff-side rep, so cannot also be an employer-side lead: one person cannot "
            "act for both sides. The staff side can end their rep role first."
        )


def end_for_new_accounts(org, membership_ids, *, actor, why: str) -> int:
    """The rep role belongs to the person the staff side appointed, not to a staff record:
    when the sign-in account behind a rep's record changes (a staff list with a new email
    for them, or an account attached to a record whose account was erased), the role ends,
    visibly, and the staff side appoints again if it wants to. Without this, whoever the
    employer's staff list named would have become the rep (found by an attack)."""
    ended = list(
        RoleAssignment.objects.filter(
            membership_id__in=list(membership_ids), membership__organisation=org, role=REP
        ).select_related("membership")
    )
    for assignment in ended:
        assignment.delete()
        audit.record(
            "partnership.rep.ended",
            actor=actor,
            organisation=org,
            obj=assignment.membership,
            data={"why": why},
        )
    return len(ended)
