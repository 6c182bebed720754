from django.urls import reverse

from staffwell.core.navigation import NavItem


def org_items(org_slug: str) -> list[NavItem]:
    return [
        NavItem(
            "Staff voice",
            reverse("voice:index", kwargs={"org": org_slug}),
            (),
            "Post an idea, a question or a challenge, named or anonymously, and see what both sides answered.",
            order=45,
        )
    ]
