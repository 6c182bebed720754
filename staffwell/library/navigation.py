from django.urls import reverse

from staffwell.core.navigation import NavItem
from staffwell.core.permissions import Perm


def personal_items() -> list[NavItem]:
    return [
        NavItem(
            "Library",
            reverse("library:index"),
            description="Apps, guides, training, case studies and podcasts to look after your health and wellbeing.",
            order=20,
        )
    ]


def org_items(org_slug: str) -> list[NavItem]:
    # Editorial pages are not per organisation (the library is shared), but the role that
    # grants Perm.EDIT_CONTENT is held through a membership, so the item is offered here.
    return [
        NavItem(
            "Editorial",
            reverse("library:editorial"),
            (Perm.EDIT_CONTENT,),
            "Draft, review and publish library content; find stale items and broken links.",
            order=85,
        )
    ]
