from django.urls import reverse

from staffwell.core.navigation import NavItem
from staffwell.core.permissions import PARTNERSHIP


def org_items(org_slug: str) -> list[NavItem]:
    return [
        NavItem(
            "Assessments",
            reverse("assessments:index", kwargs={"org": org_slug}),
            PARTNERSHIP,
            "The health and wellbeing framework self-assessment and action plan, done in partnership.",
            order=40,
        )
    ]
