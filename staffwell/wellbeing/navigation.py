from django.urls import reverse

from staffwell.core.navigation import NavItem
from staffwell.core.permissions import Perm
from staffwell.wellbeing.views.org import EDIT_CONTACTS


def personal_items() -> list[NavItem]:
    return [
        NavItem(
            "My wellbeing",
            reverse("wellbeing:home"),
            description="Check in with yourself, keep a wellbeing plan and record your wellbeing conversations. Private to you.",
            order=10,
        )
    ]


def org_items(org_slug: str) -> list[NavItem]:
    return [
        NavItem(
            "Wellbeing conversations",
            reverse("wellbeing:org_figures", kwargs={"org": org_slug}),
            (Perm.VIEW_ORG_AGGREGATES,),
            "How many staff had a wellbeing conversation this year (numbers only, never names).",
            in_header=False,
            order=55,
        ),
        NavItem(
            "Support contacts",
            reverse("wellbeing:support_contacts", kwargs={"org": org_slug}),
            EDIT_CONTACTS,
            "Your occupational health and employee assistance contacts, shown to staff who need help.",
            in_header=False,
            order=56,
        ),
    ]
