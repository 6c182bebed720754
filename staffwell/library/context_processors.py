from django.utils.functional import SimpleLazyObject

from staffwell.library import urgent


def urgent_support(request) -> dict:
    """The urgent-support contacts for the panel on every page (lazy, and cached)."""
    return {"urgent_contacts": SimpleLazyObject(urgent.contacts)}
