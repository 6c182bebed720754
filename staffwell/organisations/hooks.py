"""Telling other apps that an organisation's structure changed.

The staff import and the admin's person page change units and line managers. Apps whose
records depend on who manages whom (passports follow a person to a new manager only with
consent) register a listener in their ``AppConfig.ready()``:

    from staffwell.organisations.hooks import on_structure_changed

    on_structure_changed(passports.services.review_manager_changes)

A listener is called as ``listener(org=..., actor=...)`` after the change is saved, inside
the same transaction, so a failing listener undoes the change rather than leaving it half done.
"""

from collections.abc import Callable

_listeners: list[Callable] = []


def on_structure_changed(listener: Callable) -> Callable:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def structure_changed(*, org, actor=None) -> None:
    for listener in _listeners:
        listener(org=org, actor=actor)


class ManagerMap:
    """Who manages whom in one organisation, read once: for listeners that check many
    people after a change. A person's managers are the line managers of their unit, or of
    the nearest unit above it that has any (as ``Membership.line_managers``), never
    themselves."""

    def __init__(self, org):
        from staffwell.core.permissions import Role
        from staffwell.organisations.models import RoleAssignment

        self.org = org
        self._by_unit: dict[int, set[tuple[int, int]]] = {}
        for unit_id, membership_id, user_id in RoleAssignment.objects.filter(
            membership__organisation=org,
            membership__is_active=True,
            role=Role.LINE_MANAGER,
            membership__user__isnull=False,
        ).values_list("unit_id", "membership_id", "membership__user_id"):
            self._by_unit.setdefault(unit_id, set()).add((membership_id, user_id))

    def manager_user_ids(self, membership) -> set[int]:
        """The user ids of ``membership``'s line managers (its unit must be loaded)."""
        if not membership.unit_id:
            return set()
        for unit_id in reversed([int(x) for x in membership.unit.path.strip("/").split("/") if x]):
            found = {user for (m, user) in self._by_unit.get(unit_id, ()) if m != membership.pk}
            if found:
                return found
        return set()

    def memberships(self, user_ids) -> dict:
        """The active memberships in this organisation of these users, by user id, with
        their units (what ``manager_user_ids`` needs); leavers are missing."""
        from staffwell.organisations.models import Membership

        return {
            m.user_id: m
            for m in Membership.objects.active().for_org(self.org).filter(user_id__in=user_ids).select_related("unit")
        }
