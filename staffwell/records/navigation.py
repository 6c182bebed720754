from django.urls import reverse

from staffwell.core.navigation import NavItem


def personal_items() -> list[NavItem]:
    return [
        NavItem(
            "My data and sharing",
            reverse("records:my_data"),
            description="What you share, who has looked, and downloading or erasing your records.",
            in_header=False,
            order=45,
        )
    ]
