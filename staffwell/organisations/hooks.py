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
