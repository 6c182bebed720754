"""Telling the apps above organisations what changed in one: its structure, or its people.

The staff import and the admin's person page change units and line managers. Apps whose
records depend on who manages whom (passports follow a person to a new manager only with
consent) register a listener in their ``AppConfig.ready()``:

    from staffwell.organisations.hooks import on_structure_changed

    on_structure_changed(passports.services.review_manager_changes)

A listener is called as ``listener(org=..., actor=...)`` after the change is saved, inside
the same transaction, so a failing listener undoes the change rather than leaving it half done.

A staff import that added accounts, or memberships that wait for an existing account's
confirmation, tells ``on_people_added`` listeners after it commits (sign-in sends the
invitations and the requests to confirm): ``listener(org=..., user_ids=..., link_ids=...,
actor=...)``. This is how organisations reaches sign-in without importing it.
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


_people_listeners: list[Callable] = []


def on_people_added(listener: Callable) -> Callable:
    if listener not in _people_listeners:
        _people_listeners.append(listener)
    return listener


def people_added(*, org, user_ids: list[int], link_ids: list[int], actor=None) -> None:
    for listener in _people_listeners:
        listener(org=org, user_ids=user_ids, link_ids=link_ids, actor=actor)


class ManagerMap:
    """Who manages whom in one organisation, read once: for listeners that check many
    people after a change. The rule is ``organisations.models.nearest_managers``, the same
    one ``Membership.objects.managing`` uses."""

    def __init__(self, org):
        from staffwell.core.permissions import Role
        from staffwell.organisations.models import RoleAssignment

        self.org = org
        self._by_unit: dict[int, set[int]] = {}
        self._user_of: dict[int, int | None] = {}
        for unit_id, membership_id, user_id in RoleAssignment.objects.filter(
            membership__organisation=org,
            membership__is_active=True,
            role=Role.LINE_MANAGER,
        ).values_list("unit_id", "membership_id", "membership__user_id"):
            self._by_unit.setdefault(unit_id, set()).add(membership_id)
            self._user_of[membership_id] = user_id

    def manager_user_ids(self, membership) -> set[int]:
        """The user ids of ``membership``'s line managers who can sign in (its unit must be loaded)."""
        from staffwell.organisations.models import nearest_managers, unit_chain

        if not membership.unit_id:
            return set()
        found = nearest_managers(unit_chain(membership.unit), self._by_unit, membership.pk)
        return {self._user_of[m] for m in found if self._user_of.get(m)}

    def memberships(self, user_ids) -> dict:
        """The active memberships in this organisation of these users, by user id, with
        their units (what ``manager_user_ids`` needs); leavers are missing."""
        from staffwell.organisations.models import Membership

        return {
            m.user_id: m
            for m in Membership.objects.active().for_org(self.org).filter(user_id__in=user_ids).select_related("unit")
        }
