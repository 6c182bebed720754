from django.urls import reverse

from staffwell.core.navigation import NavItem
from staffwell.core.permissions import Perm


def personal_items() -> list[NavItem]:
    return [
        NavItem(
            "My passports",
            reverse("passports:mine"),
            description="Your reasonable adjustments and working carer's passports: agree them once, take them with you.",
            order=40,
        ),
    ]


def org_items(org_slug: str) -> list[NavItem]:
    return [
        NavItem(
            "Passports shared with me",
            reverse("passports:shared"),
            perms=(Perm.MANAGE_TEAM, Perm.TAKE_PART_AS_STAFF_SIDE),
            description="Passports your team have shared with you: decisions due and adjustments to confirm.",
            in_header=False,
            order=41,
        ),
        NavItem(
            "Passports in use",
            reverse("passports:insight", kwargs={"org": org_slug}),
            perms=(Perm.VIEW_ORG_AGGREGATES,),
            description="How passports are used across the organisation, in counts too large to identify anyone.",
            in_header=False,
            order=70,
        ),
        NavItem(
            "Trusted passport issuers",
            reverse("passports:trusted_keys", kwargs={"org": org_slug}),
            perms=(Perm.MANAGE_PEOPLE,),
            description="Public keys of other organisations whose signed passports your staff can import.",
            in_header=False,
            order=71,
        ),
    ]
