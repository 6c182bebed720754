"""A month imported again must not let two versions of it be compared to give anyone's absence.

An attacker with two copies of the database, or a lead or rep reading the pages before and
after, compares a month as first imported with the same month imported again. If the second
import moves one person from Ward 7 to Ward 8, the two cells each change by that person's days
and reason, exactly (found by an attack). Refusing changes of 1 to k - 1 people in any
headcount was not enough (later attacks): two people swapping wards, or a correction that
changes who is lent into a combined cell, leave every headcount as it was; removing one person
while adding k people whose absence is known, or adding k starters in one re-import and
removing them with one more person in the next, or moving people between units in the staff
list and importing the same extract again, each pass a headcount rule at every step and still
leave two versions that differ by one person.

So once a month is stored, **who is in each of its cells is fixed**. Every stored cell keeps
a keyed digest of its people (``members_digest``; ``Population.members``), and a re-import is
refused unless it has exactly the same cells with the same people: then any two versions of
a month differ only in days and reasons (a correction), within cells of at least k people.
Cells stored before digests were kept fall back to the headcount rule. A month imported from
the wrong file can be erased by the platform operator (``manage.py erase_absence_month``,
audited) and imported afresh; docs/absence.md says what that reopens.
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
    """What the import would change in months already stored, as ``(kind, month, unit_id,
    staff_group, change)``: for a month whose cells have digests, every cell whose people
    differ (``members``: cell -> ``members_digest``), or that is new or gone ("members"); for
    a month stored before digests, every group whose headcount changes by 1 to k - 1 ("cell",
    "unit", "org"). Empty when the months are new or unchanged in who is where."""
    months = {month for month, _, _ in new_cells}
    stored = list(
        Population.objects.filter(organisation=org, month__in=months).values_list(
            "month", "unit_id", "staff_group", "headcount", "members"
        )
    )
    if not stored:
        return []
    fixed = {m for m, _u, _g, _n, digest in stored if digest}
    found = []
    stored_cells = set()
    for m, u, g, n, digest in stored:
        stored_cells.add((m, u, g))
        if m in fixed and (members is None or digest not in members.get((m, u, g), ())):
            found.append(("members", m, u, g, new_cells.get((m, u, g), 0) - n))
    for (m, u, g), n in new_cells.items():
        if m in fixed and (m, u, g) not in stored_cells:
            found.append(("members", m, u, g, n))
    old_cells = {(m, u, g): n for m, u, g, n, _ in stored if m not in fixed}
    unfixed = {m for m, _u, _g in old_cells}  # months stored before digests were kept
    new_unfixed = {key: n for key, n in new_cells.items() if key[0] in unfixed}
    old, new = _totals(old_cells, parents), _totals(new_unfixed, parents)
    for key in sorted(set(old) | set(new), key=str):
        change = new.get(key, 0) - old.get(key, 0)
        if 0 < abs(change) < k:
            kind, month, *rest = key
            unit = rest[0] if rest else None
            group = rest[1] if len(rest) > 1 else ""
            found.append((kind, month, unit, group, change))
    return found
