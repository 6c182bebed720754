from django.urls import reverse

from staffwell.core.navigation import NavItem
from staffwell.core.permissions import Perm
from staffwell.library.access import is_editor


def personal_items() -> list[NavItem]:
    return [
        NavItem(
            "Library",
            reverse("library:index"),
            description="Apps, guides, training, case studies and podcasts to look after your health and wellbeing.",
            order=20,
        )
    ]


def user_items(user) -> list[NavItem]:
    """The Editorial item, for exactly the people the editorial pages let in.

    The library is shared, so editorial pages ask whether *any* of the person's active
    memberships grants Perm.EDIT_CONTENT (``access.is_editor``), not the membership of the
    organisation they are looking at. The header asks the same question, so an editor whose
    editor role is in another organisation still sees the item, and nobody sees an item that
    would give them 403.
    """
    if not is_editor(user):
        return []
    return [
        NavItem(
            "Editorial",
            reverse("library:editorial"),
            (Perm.EDIT_CONTENT,),
            "Draft, review and publish library content; find stale items and broken links.",
            order=85,
        )
    ]
