"""A month imported again must not change any group by fewer than the minimum group of people.

An attacker with two copies of the database, or a lead or rep reading the pages before and
after, compares a month's figures as first imported with the same month imported again. If
the second import moves one person from Ward 7 to Ward 8 (someone moved in the staff list
and the extract's units come from it, or a correction touched one person), the two cells
each change by that one person's days: their reason and days lost, exactly (found by an
attack). So a re-import is refused when any stored cell (month, unit, staff group), any unit
with everything below it, or the organisation, changes its headcount by between 1 and k - 1
people. Identical re-imports, and changes of at least k people, go through.
"""

from collections import defaultdict

from staffwell.absence.models import Population


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


def small_changes(org, new_cells: dict, *, parents: dict, k: int) -> list[tuple]:
    """The groups whose headcount the import would change by fewer than ``k`` people (and not
    by none), as ``(kind, month, unit_id, staff_group, change)``; empty when the months are new
    or change only by ``k`` or more in every group."""
    months = {month for month, _, _ in new_cells}
    old_cells = {
        (m, u, g): n
        for m, u, g, n in Population.objects.filter(organisation=org, month__in=months).values_list(
            "month", "unit_id", "staff_group", "headcount"
        )
    }
    if not old_cells:
        return []
    old, new = _totals(old_cells, parents), _totals(new_cells, parents)
    found = []
    for key in sorted(set(old) | set(new), key=str):
        change = new.get(key, 0) - old.get(key, 0)
        if 0 < abs(change) < k:
            kind, month, *rest = key
            unit = rest[0] if rest else None
            group = rest[1] if len(rest) > 1 else ""
            found.append((kind, month, unit, group, change))
    return found
