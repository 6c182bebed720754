"""What the header and home page show each person: built from permissions, never role names.

Each app may have a ``navigation.py`` with either or both of:
    personal_items() -> list[NavItem]          for every signed-in person
    org_items(org_slug: str) -> list[NavItem]  for a member of that organisation
    user_items(user) -> list[NavItem]          decided by the app for this person (for a
                                               permission held through any membership)
An item from ``org_items`` is shown when the membership holds any of its ``perms`` (or always,
with none); ``user_items`` returns only what the person may use.
"""

import importlib
import importlib.util
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.urls import reverse

from staffwell.core.permissions import Perm


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    perms: tuple[Perm, ...] = ()
    description: str = ""
    in_header: bool = True
    order: int = 50


@cache
def _providers() -> list:
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("staffwell.") and importlib.util.find_spec(f"{config.name}.navigation"):
            modules.append(importlib.import_module(f"{config.name}.navigation"))
    return modules


def current_membership(request):
    """The organisation in the URL, or else the person's first active membership."""
    if hasattr(request, "membership"):
        return request.membership
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(request, "_default_membership"):
        request._default_membership = (
            user.memberships.filter(is_active=True)
            .select_related("organisation", "user")
            .prefetch_related("role_assignments")
            .order_by("organisation__name")
            .first()
        )
    return request._default_membership


def items_for(user, membership) -> list[NavItem]:
    items: list[NavItem] = []
    for module in _providers():
        if hasattr(module, "personal_items"):
            items += module.personal_items()
        if hasattr(module, "user_items"):
            items += module.user_items(user)
        if membership is not None and hasattr(module, "org_items"):
            items += [
                item
                for item in module.org_items(membership.organisation.slug)
                if not item.perms or any(membership.has_perm(p) for p in item.perms)
            ]
    if user.is_platform_admin:
        items.append(
            NavItem(
                "Platform", reverse("platform:organisations"), description="Organisations on this staffwell.", order=90
            )
        )
    return sorted(items, key=lambda i: i.order)


def navigation_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    home = reverse("core:home")
    items = [NavItem("Home", home, order=0), *items_for(user, current_membership(request))]
    path = request.path
    shown = [item for item in items if item.in_header]
    # One item is current: the one whose address is the longest start of this page's.
    matching = [i.href for i in shown if path == i.href or (i.href != home and path.startswith(i.href))]
    current = max(matching, key=len, default=None)
    # Exactly one item is highlighted, even if two share an address.
    first = next((i for i, item in enumerate(shown) if item.href == current), None)
    return [{"text": item.text, "href": item.href, "current": i == first} for i, item in enumerate(shown)]
