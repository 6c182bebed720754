"""Carrying agreements recorded the old way (two pairs of columns on the thing agreed:
``employer_agreed_by``/``_at`` and ``staff_side_agreed_by``/``_at``) into ``Agreement``
rows, for data migrations (issue 13). Works on the historical models a migration is given.

Frozen with the migrations that use it (surveys 0006, reporting 0005): it lives in a
migrations package, under a name the migration loader skips, and is never changed, so those
migrations do the same thing on a database migrated years from now. A new data migration
writes its own helper.

An old agreement whose person has since been deleted (the column was set to NULL) cannot
be carried: an ``Agreement`` always names who agreed. The agreed-at time alone is kept in
the row's ``terms`` of the other side when there is one; otherwise it is lost, as the
name already was.
"""

from collections.abc import Callable

from django.utils import timezone

SIDES = (
    ("employer", "employer_agreed_by", "employer_agreed_at"),
    ("staff", "staff_side_agreed_by", "staff_side_agreed_at"),
)


def _content_type(apps, app_label: str, model_name: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name.lower())
    return ct


def forwards(
    apps,
    *,
    app_label: str,
    model_name: str,
    kind: str,
    version: Callable,
    organisation_id: Callable,
    ended: Callable | None = None,
    queryset: Callable | None = None,
) -> int:
    """One ``Agreement`` per side that agreed. ``version(obj)`` and ``organisation_id(obj)``
    say what was agreed and whose it is; ``ended(obj)`` gives ``(ended, at, by_id)`` for an
    agreement that no longer stands (a withdrawn proposal), or None."""
    Model = apps.get_model(app_label, model_name)
    Agreement = apps.get_model("partnership", "Agreement")
    ct = _content_type(apps, app_label, model_name)
    objects = Model.objects.select_related("employer_agreed_by", "staff_side_agreed_by")
    if queryset is not None:
        objects = queryset(objects)
    rows = []
    for obj in objects.iterator():
        org = organisation_id(obj)
        if org is None:
            continue
        end = ended(obj) if ended else None
        missing = {
            side: getattr(obj, at).isoformat() for side, by, at in SIDES if getattr(obj, at) and not getattr(obj, by)
        }
        for side, by_field, at_field in SIDES:
            by, at = getattr(obj, by_field), getattr(obj, at_field)
            if at is None or by is None:
                continue
            terms = {"carried_from": f"{app_label}.{model_name}"}
            if missing:
                terms["other_side_agreed_at_by_a_deleted_person"] = missing
            rows.append(
                Agreement(
                    organisation_id=org,
                    content_type=ct,
                    object_id=str(obj.pk),
                    kind=kind,
                    version=str(version(obj)),
                    side=side,
                    agreed_by=by,
                    agreed_by_name=by.full_name,
                    agreed_at=at,
                    terms=terms,
                    ended=end[0] if end else "",
                    ended_at=(end[1] or timezone.now()) if end else None,
                    ended_by_id=end[2] if end else None,
                )
            )
    Agreement.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def backwards(apps, *, app_label: str, model_name: str, kind: str) -> None:
    """Put standing agreements back into the columns (the rows stay; the migration that
    created them is being reversed, so they are deleted)."""
    Model = apps.get_model(app_label, model_name)
    Agreement = apps.get_model("partnership", "Agreement")
    ct = _content_type(apps, app_label, model_name)
    rows = Agreement.objects.filter(content_type=ct, kind=kind).order_by("agreed_at", "pk")
    for a in rows:
        _, by_field, at_field = next(s for s in SIDES if s[0] == a.side)
        Model.objects.filter(pk=a.object_id).update(**{f"{by_field}_id": a.agreed_by_id, at_field: a.agreed_at})
    rows.delete()
