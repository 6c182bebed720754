"""Urgent-support contacts: shown on every page, so read from the cache, not the database.

``contacts()`` is what other apps call (the wellbeing app's crisis panel uses it). Editing a
contact clears the cache; with several app processes and a per-process cache, an edit shows
everywhere within CACHE_SECONDS.
"""

from dataclasses import dataclass

from django.core.cache import cache

CACHE_KEY = "library:urgent-contacts:v1"
CACHE_SECONDS = 300


@dataclass(frozen=True)
class Contact:
    name: str
    number: str
    action: str  # "call" or "text"
    text_message: str
    when: str
    href: str
    last_checked: object  # datetime.date


def contacts() -> list[Contact]:
    """The urgent-support contacts to show, in order (cached)."""
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    from staffwell.library.models import UrgentContact

    result = [
        Contact(c.name, c.number, c.action, c.text_message, c.when, c.href, c.last_checked)
        for c in UrgentContact.objects.filter(is_active=True)
    ]
    cache.set(CACHE_KEY, result, CACHE_SECONDS)
    return result


def last_checked():
    dates = [c.last_checked for c in contacts()]
    return min(dates) if dates else None


def clear() -> None:
    cache.delete(CACHE_KEY)
