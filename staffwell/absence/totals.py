"""Exact organisation-wide staff-group totals, stored beside the coarsened cells where safe.

Coarsening (``coarsen``) keeps every unit's figures exact by combining, inside a unit, the
staff groups too small to store; so a staff group's own cells miss its people who were
combined, and in a trust whose wards each have a few clerks and porters that is a fifth to
a half of most groups. So the import also counts each staff group across the whole
organisation, per month, before anything is combined (``measure``): people, FTE days
available and lost, and per reason (and COVID-related or not) the days lost, people absent,
spells, long-term and short-term spells. These are ``StaffGroupTotal`` and
``StaffGroupReasonTotal``.

A total is a risk only through differencing: the group's total less its stored cells is
what the group put into combined cells, and set against those combined cells and the other
groups' totals it may isolate a few people (three clerks in one ward's combined cell, say).
So before a month is stored, ``storable`` asks the project's attacker
(``suppression.disclosure.find_leak``, through ``suppression.plan``) about every stored row
at once, as someone with the raw database would hold them, and stores a total only when
the whole stored family isolates no set of fewer than *k* people (docs/absence.md, "Exact
staff-group totals"):

1. **A group of fewer than k people in the whole organisation gets no total.**
2. **The attacker's atoms are fragments:** the people of one staff group in one stored cell.
   A cell that is not combined is one fragment of at least *k* people, and a total is its
   group's ordinary cells plus its fragments in combined cells. An ordinary cell is stored
   on its own, so it adds nothing to what the totals can isolate: the search needs only the
   combined cells (as sets of their fragments) and, for each group, its fragments in them
   (the total less its ordinary cells). Those are two families of disjoint sets, for which
   the attacker is exact (a minimum cut over a dozen staff groups).
3. **Complementary withholding.** While the attacker finds a combination isolating fewer
   than *k* people, the smallest total taking part is not stored, and it asks again. Cells
   are never changed here: they are already safe on their own.

Every stored figure, cell or total, is a sum over people of the same quantities, so the one
search protects days available, days lost and each reason's counts alike. A group whose
total is not stored keeps the figure from its cells (``IncompleteGroup``, ``rates``).
"""

from collections import defaultdict
from dataclasses import dataclass

from staffwell import suppression
from staffwell.absence.coarsen import COMBINED
from staffwell.suppression import publication


@dataclass
class Exact:
    """Each staff group across the organisation, before coarsening (in memory only)."""

    population: dict  # (month, group) -> [people set, available, lost]
    reasons: dict  # (month, group, reason, covid) -> [lost, people set, spells, long, short]
    people: dict  # (month, unit, group) of each extract cell -> its people (frozen before coarsening)


def measure(population: dict, reasons: dict) -> Exact:
    """The totals of every staff group, from the extract's cells (``esr.Counts``). Call it
    before ``coarsen.coarsen``, which reuses those lists and sets."""
    totals: dict = {}
    people: dict = {}
    for (m, u, g), (members, available, lost) in population.items():
        people[(m, u, g)] = frozenset(members)
        if not g:
            continue
        t = totals.get((m, g))
        if t is None:
            t = totals[(m, g)] = [set(), 0.0, 0.0]
        t[0] |= members
        t[1] += available
        t[2] += lost
    by_reason: dict = {}
    for (m, _u, g, r, covid), (lost, members, spells, long_, short) in reasons.items():
        if not g:
            continue
        t = by_reason.get((m, g, r, covid))
        if t is None:
            t = by_reason[(m, g, r, covid)] = [0.0, set(), 0, 0, 0]
        t[0] += lost
        t[1] |= members
        t[2] += spells
        t[3] += long_
        t[4] += short
    return Exact(totals, by_reason, people)


def fragments(people: dict, where: dict) -> dict:
    """month -> {(stored combined cell, staff group): its people}: who of each group each
    combined cell holds (``where`` from ``coarsen.coarsen``)."""
    out: dict = defaultdict(dict)
    for source, cell in where.items():
        if cell[1] != COMBINED:
            continue
        m, _u, g = source
        key = (cell, g)
        members = out[m].get(key)
        out[m][key] = people[source] if members is None else members | people[source]
    return out


def family(month_fragments: dict, groups) -> tuple[dict, dict]:
    """The attacker's view of one month's stored rows that can combine into something small:
    each combined cell as the set of its fragments (key ``("cell", unit, "combined")``), and
    each staff group in ``groups`` as its fragments in combined cells (key ``org|sg:<group>``:
    its total less its ordinary cells). Returns (groups of fragments, fragment -> people)."""
    weights = {f: len(members) for f, members in month_fragments.items()}
    sets: dict = defaultdict(set)
    for cell, g in month_fragments:
        sets[("cell", *cell)].add((cell, g))
        if g in groups:
            sets[publication.filter_key(None, g)].add((cell, g))
    return {key: frozenset(v) for key, v in sets.items()}, weights


def storable(exact: Exact, where: dict, *, k: int) -> set:
    """The (month, staff group) totals that can be stored: at least ``k`` people, and the
    stored family (every cell and every stored total) isolates no fewer than ``k``."""
    by_month = fragments(exact.people, where)
    out = set()
    months = {m for m, _g in exact.population}
    for m in sorted(months):
        candidates = {g for (mm, g), t in exact.population.items() if mm == m and len(t[0]) >= k}
        groups, weights = family(by_month.get(m, {}), candidates)
        plan = suppression.plan(groups, threshold=k, keep=[key for key in groups if "|" not in str(key)],
                                weights=weights)  # fmt: skip
        if any("|" not in str(key) for key in plan.withheld):
            # A stored cell is never too small; should the attacker say otherwise, store only
            # the totals that add nothing to the cells (no people combined).
            out.update((m, g) for g in candidates if publication.filter_key(None, g) not in groups)
            continue
        out.update((m, g) for g in candidates if publication.filter_key(None, g) not in plan.withheld)
    return out


def rows(exact: Exact, stored: set, org_id: int) -> tuple[list, list]:
    """The ``StaffGroupTotal`` and ``StaffGroupReasonTotal`` rows for the ``stored`` totals."""
    population = [
        (org_id, m, g, len(t[0]), t[1], t[2]) for (m, g), t in sorted(exact.population.items()) if (m, g) in stored
    ]
    reasons = [
        (org_id, m, g, r, c, t[0], len(t[1]), t[2], t[3], t[4])
        for (m, g, r, c), t in sorted(exact.reasons.items())
        if (m, g) in stored
    ]
    return population, reasons
