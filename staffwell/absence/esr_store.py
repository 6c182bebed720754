"""The database side of the ESR import: which unit a row belongs to, and writing the counts."""

from django.db import connection

from staffwell.organisations.imports import _UnitTree
from staffwell.organisations.models import Membership


def unit_mapper(org, *, by_path: bool):
    """Units are mapped as the staff import maps them: by the unit path ('Medicine > Ward 7')
    when the extract has one, otherwise through the person's membership from the staff list.
    An unknown path is an error; a person not in the staff list counts at organisation level."""
    if by_path:
        tree = _UnitTree(org)
        cache: dict[str, int | None] = {}

        def by_unit(text, line, errors):
            if text not in cache:
                path = tuple(p.strip() for p in text.split(">")) if text else ()
                unit = tree.get(path, create=False) if path and all(path) else None
                cache[text] = unit.pk if unit else None
            if cache[text] is None and text:
                errors.append(
                    f"Row {line}: unit '{text[:80]}' is not a unit in staffwell. Import the staff list first, "
                    "or correct the unit path."
                )
            return cache[text], cache[text] is not None

        return by_unit
    people = dict(Membership.objects.for_org(org).values_list("person_id", "unit_id"))

    def by_person(person, line, errors):
        unit = people.get(person)
        return unit, unit is not None

    return by_person


def store(model, columns: list[str], rows: list[tuple]) -> None:
    """Write the counts: COPY on PostgreSQL (tens of thousands of cells a month for a large
    trust), bulk inserts elsewhere."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=1000)
