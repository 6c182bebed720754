"""Roles and permissions, declared in one place.

A person holds roles through their membership of an organisation (the platform admin
role sits on the user account). Views ask for a permission, never for a role, so what
each role may do is read from this file alone.

The data rules (docs/data-rules.md) sit above this table: no permission here lets anyone
read an individual survey response, or a staff-owned record its owner has not shared.
"""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "Staff member"
    LINE_MANAGER = "line_manager", "Line manager"
    EMPLOYER_LEAD = "employer_lead", "Employer-side lead"
    STAFF_SIDE_REP = "staff_side_rep", "Staff-side rep"
    CONTENT_EDITOR = "content_editor", "Content editor"
    ORG_ADMIN = "org_admin", "Organisation admin"
    PLATFORM_ADMIN = "platform_admin", "Platform admin"


# Roles an organisation admin can grant by hand. Line manager comes from the units a
# person manages; staff member from being a member at all; platform admin from the account.
# The staff-side rep role is not here: the staff side appoints its own reps
# (APPOINTED_BY_STAFF_SIDE, staffwell/organisations/staff_side.py). Were the employer's
# admin able to give it, every "both sides agree" could be agreed by the employer twice.
ASSIGNABLE_ROLES = (Role.EMPLOYER_LEAD, Role.CONTENT_EDITOR, Role.ORG_ADMIN)
APPOINTED_BY_STAFF_SIDE = (Role.STAFF_SIDE_REP,)

# The two sides of the partnership are staffwell.partnership.Side (by permission, not role).


class Perm(StrEnum):
    # Organisation
    VIEW_ORGANISATION = "org.view"
    VIEW_STRUCTURE = "org.structure.view"
    MANAGE_STRUCTURE = "org.structure.manage"
    MANAGE_PEOPLE = "org.people.manage"
    IMPORT_STAFF = "org.import"
    VIEW_AUDIT_LOG = "audit.view_all"
    VIEW_PARTNERSHIP_AUDIT = "audit.view_partnership"
    # Content (the resource library is shared by every organisation)
    EDIT_CONTENT = "content.edit"
    # Partnership work: assessments, action plans, survey campaigns and reports
    LEAD_PARTNERSHIP_WORK = "partnership.lead"
    TAKE_PART_AS_STAFF_SIDE = "partnership.staff_side"
    APPOINT_STAFF_SIDE = "partnership.staff_side.appoint"
    VIEW_ORG_AGGREGATES = "aggregates.org"
    VIEW_TEAM_AGGREGATES = "aggregates.team"
    # People management
    MANAGE_TEAM = "team.manage"
    # Platform
    MANAGE_PLATFORM = "platform.manage"


GRANTS: dict[Role, frozenset[Perm]] = {
    Role.STAFF: frozenset({Perm.VIEW_ORGANISATION}),
    Role.LINE_MANAGER: frozenset({Perm.VIEW_ORGANISATION, Perm.MANAGE_TEAM, Perm.VIEW_TEAM_AGGREGATES}),
    Role.EMPLOYER_LEAD: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.VIEW_STRUCTURE,
            Perm.LEAD_PARTNERSHIP_WORK,
            Perm.VIEW_ORG_AGGREGATES,
            Perm.VIEW_TEAM_AGGREGATES,
            Perm.VIEW_PARTNERSHIP_AUDIT,
        }
    ),
    Role.STAFF_SIDE_REP: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.VIEW_STRUCTURE,
            Perm.TAKE_PART_AS_STAFF_SIDE,
            Perm.APPOINT_STAFF_SIDE,
            Perm.VIEW_ORG_AGGREGATES,
            Perm.VIEW_TEAM_AGGREGATES,
            Perm.VIEW_PARTNERSHIP_AUDIT,
        }
    ),
    Role.CONTENT_EDITOR: frozenset({Perm.VIEW_ORGANISATION, Perm.EDIT_CONTENT}),
    Role.ORG_ADMIN: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.VIEW_STRUCTURE,
            Perm.MANAGE_STRUCTURE,
            Perm.MANAGE_PEOPLE,
            Perm.IMPORT_STAFF,
            Perm.VIEW_AUDIT_LOG,
            Perm.VIEW_PARTNERSHIP_AUDIT,
        }
    ),
    Role.PLATFORM_ADMIN: frozenset({Perm.MANAGE_PLATFORM}),
}


def permissions_for(roles) -> frozenset[Perm]:
    perms: set[Perm] = set()
    for role in roles:
        perms |= GRANTS[Role(role)]
    return frozenset(perms)


# Either side of the partnership: the permissions a view asks for when both the employer
# side and the staff side use it (organisation admins hold neither). Which side a person
# acts for is staffwell.partnership.side_of.
PARTNERSHIP: tuple[Perm, ...] = (Perm.LEAD_PARTNERSHIP_WORK, Perm.TAKE_PART_AS_STAFF_SIDE)


def roles_with(perm: Perm) -> frozenset[str]:
    """Which roles grant ``perm``: the one place that reads the table backwards. For the
    people who hold it, use ``Membership.objects.for_org(org).holding(perm)``."""
    return frozenset(role.value for role, perms in GRANTS.items() if perm in perms)
