from django.urls import reverse

from staffwell.core.navigation import NavItem
from staffwell.core.permissions import PARTNERSHIP, Perm


def org_items(org_slug: str) -> list[NavItem]:
    return [
        NavItem(
            "Survey results",
            reverse("reporting:index", kwargs={"org": org_slug}),
            (Perm.VIEW_ORGANISATION,),
            "Results of closed staff surveys, with small groups protected.",
            in_header=False,
            order=45,
        ),
        NavItem(
            "Reporting thresholds",
            reverse("reporting:policy", kwargs={"org": org_slug}),
            PARTNERSHIP,
            "The smallest group any figure or comment is shown for, agreed by both sides.",
            in_header=False,
            order=46,
        ),
    ]
