from django.urls import reverse

from staffwell.core.navigation import NavItem


def user_items(user) -> list[NavItem]:
    from staffwell.accounts.models import AccountLink

    if not AccountLink.objects.filter(user=user, decided_at__isnull=True).exists():
        return []
    return [
        NavItem(
            "Confirm your organisations",
            reverse("accounts:organisations"),
            description="An organisation has added you to its staff list. Confirm it, or decline it.",
            order=5,
        )
    ]
