from django.urls import reverse

from staffwell.core.navigation import NavItem
from staffwell.core.permissions import Perm


def org_items(org_slug: str) -> list[NavItem]:
    def u(name: str) -> str:
        return reverse(name, kwargs={"org": org_slug})

    return [
        NavItem("My teams", u("wellbeing:my_teams"), (Perm.MANAGE_TEAM,), "The teams you manage.", order=30),
        NavItem(
            "Organisation",
            u("organisations:overview"),
            (Perm.VIEW_STRUCTURE,),
            "Directorates, departments and teams, and who manages them.",
            order=60,
        ),
        NavItem(
            "People", u("organisations:people"), (Perm.MANAGE_PEOPLE,), "Who works here and their roles.", order=70
        ),
        NavItem(
            "Staff import",
            u("organisations:imports"),
            (Perm.IMPORT_STAFF,),
            "Upload an ESR-style staff list to update people and teams.",
            in_header=False,
            order=71,
        ),
        NavItem(
            "Single sign-on",
            u("accounts:sso_settings"),
            (Perm.MANAGE_PEOPLE, Perm.LEAD_PARTNERSHIP_WORK, Perm.TAKE_PART_AS_STAFF_SIDE),
            "Let staff sign in with NHSmail or their NHS Care Identity, once both sides agree the settings.",
            in_header=False,
            order=72,
        ),
        NavItem(
            "Staff-side reps",
            u("organisations:staff_side"),
            (Perm.APPOINT_STAFF_SIDE,),
            "Who the staff side's reps are here. The staff side appoints its own reps.",
            in_header=False,
            order=75,
        ),
        NavItem(
            "Audit log",
            u("organisations:audit"),
            (Perm.VIEW_AUDIT_LOG, Perm.VIEW_PARTNERSHIP_AUDIT),
            "Every change to organisational and partnership records.",
            order=80,
        ),
    ]
