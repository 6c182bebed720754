"""The audit log: one call per event, with a namespaced action name.

    audit.record("org.unit.created", actor=request.user, organisation=org, obj=unit)

Action names are ``area.thing.verb``. Events in the partnership namespaces are visible to
staff-side reps as well as organisation admins.
"""

from typing import Any

from django.db import models

from staffwell.core.models import AuditEvent

PARTNERSHIP_NAMESPACES = frozenset({"assessment", "actionplan", "survey", "instrument", "suppression", "partnership"})


def record(
    action: str,
    *,
    actor=None,
    organisation=None,
    obj: models.Model | None = None,
    owner=None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    if action.count(".") < 1 or not all(action.split(".")):
        raise ValueError(f"Audit action {action!r} must be namespaced, like 'org.unit.created'.")
    actor_label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_label = f"{actor.full_name} <{actor.email}>"
    else:
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=actor_label or "system",
        organisation=organisation,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:300] if obj is not None else "",
        owner=owner,
        partnership=action.split(".", 1)[0] in PARTNERSHIP_NAMESPACES,
        data=data or {},
    )
