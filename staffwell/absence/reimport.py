"""A month imported again must not change any group by fewer than the minimum group of people.

An attacker with two copies of the database, or a lead or rep reading the pages before and
after, compares a month's figures as first imported with the same month imported again. If
the second import moves one person from Ward 7 to Ward 8 (someone moved in the staff list
and the extract's units come from it, or a correction touched one person), the two cells
each change by that one person's days: their reason and days lost, exactly (found by an
attack). So a re-import is refused when any stored cell (month, unit, staff group), any unit
with everything below it, or the organisation, changes its headcount by between 1 and k - 1
people. Identical re-imports, and changes of at least k people, go through.

Headcounts alone are not enough: two people swapping wards, or a correction that changes who
is lent into a combined cell (``coarsen._Month.lend``), leaves every headcount as it was while
each cell loses one person and gains another, and the difference is one person's figures
less another's, exactly (found by an attack). So every stored cell keeps a keyed digest of
who is in it (``members_digest``), and a re-import is also refused when a cell's people
change while its headcount changes by fewer than k.
"""

from collections import defaultdict

from staffwell.absence.models import Population
from staffwell.core import crypto

PURPOSE = "absence.members"


def members_digest(org_id: int, month, unit, group: str, people) -> list[str]:
    """Keyed digests (``crypto.digests``: current key first) of the people in one cell."""
    if isinstance(people, int):
        return []
    value = "\n".join([f"{org_id}|{month:%Y-%m}|{unit or ''}|{group}", *sorted(people)]).encode()
    return crypto.digests(value, purpose=PURPOSE)


def _totals(cells: dict, parents: dict) -> dict:
    """Headcount per (month, cell), per (month, unit with everything below) and per month."""
    totals: dict = defaultdict(int)
    for (month, unit, group), headcount in cells.items():
        totals[("cell", month, unit, group)] += headcount
        totals[("org", month)] += headcount
        seen = set()
        while unit is not None and unit not in seen:
            seen.add(unit)
            totals[("unit", month, unit)] += headcount
            unit = parents.get(unit)
    return totals


def small_changes(org, new_cells: dict, *, parents: dict, k: int, members: dict | None = None) -> list[tuple]:
    """The groups whose headcount the import would change by fewer than ``k`` people (and not
    by none), and the cells whose people it would change while their headcount changes by
    fewer than ``k`` (``members``: cell -> ``members_digest``), as ``(kind, month, unit_id,
    staff_group, change)``; empty when the months are new or change only by ``k`` or more in
    every group."""
    months = {month for month, _, _ in new_cells}
    stored = list(
        Population.objects.filter(organisation=org, month__in=months).values_list(
            "month", "unit_id", "staff_group", "headcount", "members"
        )
    )
    if not stored:
        return []
    old_cells = {(m, u, g): n for m, u, g, n, _ in stored}
    old, new = _totals(old_cells, parents), _totals(new_cells, parents)
    found = []
    for m, u, g, n, digest in stored:
        change = new_cells.get((m, u, g), 0) - n
        if digest and members is not None and abs(change) < k and digest not in members.get((m, u, g), ()):
            found.append(("members", m, u, g, change))
    for key in sorted(set(old) | set(new), key=str):
        change = new.get(key, 0) - old.get(key, 0)
        if 0 < abs(change) < k:
            kind, month, *rest = key
            unit = rest[0] if rest else None
            group = rest[1] if len(rest) > 1 else ""
            found.append((kind, month, unit, group, change))
    return found
