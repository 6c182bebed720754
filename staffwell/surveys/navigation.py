from django.urls import reverse

from staffwell.core.navigation import NavItem
from staffwell.core.permissions import PARTNERSHIP


def personal_items() -> list[NavItem]:
    return [
        NavItem(
            "My surveys",
            reverse("surveys:mine"),
            description="Anonymous staff surveys you have been asked to answer.",
            in_header=False,
            order=25,
        )
    ]


def org_items(org_slug: str) -> list[NavItem]:
    return [
        NavItem(
            "Surveys",
            reverse("surveys:campaigns", kwargs={"org": org_slug}),
            PARTNERSHIP,
            "Anonymous staff surveys: the HSE stress indicator tool, pulse surveys and your own question sets.",
            order=40,
        )
    ]
