"""Coarsening before storing: no stored cell holds fewer than the minimum group.

The import reduces an extract to cells (month, unit, staff group). A cell of one or two
people, joined to the staff list in the same database (unit, staff group, name), would say
whose absence it is, so before anything is written every month's cells are coarsened until
each holds at least *k* people, *k* being the organisation's minimum group
(``suppression.min_group_size``). Everything moves together: people, FTE days available and
lost, and the reason counts of the cell (days, people absent, spells, long and short term).
Totals are never changed, only where they are stored. The rule, month by month, units taken
deepest first (docs/absence.md, "Small groups are combined before storing"):

1. **Inside a unit.** The unit's cells (its own people, and any that came up from units
   below it) are combined: cells of fewer than *k* join one cell "other staff groups
   (combined)" in that unit. While that combined cell is still under *k*, it is made up to
   *k* with people from one of the unit's larger cells, the one whose staff group that leaves
   least incomplete, if the cell keeps at least *k* (``_Month.lend``: the people are chosen
   by a hash of their person number, never by their absence, and each brings all their
   rows). Only when no cell can spare them does a whole cell join instead. So a unit of at
   least *k* people keeps every one of them, and its figures "with everything below" stay
   exactly right.
2. **A unit of fewer than k.** If the people at a unit's own level are fewer than *k*,
   all its cells move to its parent, keeping their staff groups, and are combined there;
   from a top-level unit they move to the organisation level (no unit).
3. **The organisation level.** Treated as a unit. Should it still hold fewer than *k* (a
   few people came up and nobody else is there), the smallest unit's cells come up to join
   them, until it holds *k*. A month with fewer than *k* people in all is refused.

What is lost is recorded as ``IncompleteGroup`` rows: a unit some of whose people are now
counted in a unit above (its figures are withheld that month rather than shown wrong), and a
staff group some of whose people are now counted in a combined cell, with how many (its
organisation-wide figure is of the people stored under it, shown with the share of the group
they are, and withheld when that is under ``rates.MIN_STORED_SHARE``; ``rates.Absence.gate``).
"""

import hashlib
from collections import Counter, defaultdict

COMBINED = "combined"  # the staff group of a combined cell ("Other staff groups (combined)")
COMBINED_LABEL = "Other staff groups (combined)"


class TooFewPeople(Exception):
    def __init__(self, month, people: int, threshold: int):
        super().__init__(f"{month}: {people} people")
        self.month, self.people, self.threshold = month, people, threshold


# People are a set of person keys while an extract is in memory (so someone with two
# assignments counts once), or a stored headcount (an int) when stored cells are coarsened
# again (``recoarsen.recoarsen_stored``): then a person in two merged cells counts twice, which only
# overstates a cell's size where it overlaps.


def _n(people) -> int:
    return people if isinstance(people, int) else len(people)


def _union(a, b):
    """``a`` with ``b``'s people added: ``a`` (a set this module owns) is updated in place."""
    if isinstance(a, int) or isinstance(b, int):
        return _n(a) + _n(b)
    a |= b
    return a


def _merge_population(into: list, other: list) -> None:
    into[0] = _union(into[0], other[0])
    into[1] += other[1]
    into[2] += other[2]


def _merge_reason(into: list, other: list) -> None:
    into[0] += other[0]
    into[1] = _union(into[1], other[1])
    into[2] += other[2]
    into[3] += other[3]
    into[4] += other[4]


class _Month:
    """One month's cells while they are coarsened: (unit, group) -> [people, available, lost],
    and which source cells each current cell holds."""

    def __init__(self, cells: dict, parents, k: int, persons: dict | None = None):
        self.cells = dict(cells)  # the extract's own lists: coarsening consumes them
        # cell -> person -> what they add to it (``esr.Counts.persons``), or None for stored
        # counts; a person in two cells of the month is never lent (their rows would split).
        self.persons = persons
        self.lent: list = []  # (source cell, person) moved into a combined cell
        if persons is not None:
            seen = Counter(p for c in cells for p in persons.get(c, ()))
            self.shared = {p for p, n in seen.items() if n > 1}
        self.holds = {c: [c] for c in cells}
        self.by_unit: dict = defaultdict(set)  # unit -> its cells' staff groups
        for u, g in cells:
            self.by_unit[u].add(g)
        self.parents = parents
        self.k = k
        self.units: set = set()  # units some of whose people now count above them
        self.groups: dict = defaultdict(int)  # staff group -> its people now in a combined cell
        self.source_size = {c: _n(v[0]) for c, v in cells.items()}
        self.left = dict(self.source_size)  # a source cell's people not yet lent out
        self.group_size: dict = defaultdict(int)  # staff group -> its people this month
        for (_u, g), n in self.source_size.items():
            self.group_size[g] += n

    def size(self, cell) -> int:
        return _n(self.cells[cell][0])

    def at(self, unit) -> list:
        return [(unit, g) for g in sorted(self.by_unit.get(unit, ()))]

    def level_size(self, unit) -> int:
        people: set | int = set()
        for c in self.at(unit):
            people = _union(people, self.cells[c][0])
        return _n(people)

    def move(self, cell, to) -> None:
        if cell == to:
            return
        values = self.cells.pop(cell)
        self.by_unit[cell[0]].discard(cell[1])
        self.by_unit[to[0]].add(to[1])
        if to in self.cells:
            _merge_population(self.cells[to], values)
        else:
            self.cells[to] = values
        self.holds.setdefault(to, []).extend(self.holds.pop(cell))

    def combine(self, unit) -> None:
        """Rule 1: small cells of a unit (of at least k people) into one combined cell."""
        target = (unit, COMBINED)
        small = [c for c in self.at(unit) if self.size(c) < self.k]
        if not small:
            return
        for c in small:
            self._into_combined(c, target)
        if self.size(target) < self.k and self.lend(unit, target):
            return
        while self.size(target) < self.k:
            others = [c for c in self.at(unit) if c != target]
            if not others:
                break
            self._into_combined(min(others, key=self._cost), target)

    def lend(self, unit, target) -> bool:
        """Make the combined cell up to k with people from one of the unit's cells that keeps
        at least k without them: the cell whose staff group that leaves least incomplete.
        Who is lent is decided by a hash of their person number (stable from month to month,
        blind to their absence). Each lent person brings everything they add to the cell, so
        both cells stay exact. False when no cell can spare them (or for stored counts)."""
        if self.persons is None:
            return False
        need = self.k - self.size(target)
        have = self.cells[target][0]
        best = None
        for cell in self.at(unit):
            if cell == target or self.size(cell) - need < self.k:
                continue
            free = sorted(
                (hashlib.sha256(p.encode()).digest(), p, source)
                for source in self.holds[cell]
                if len(source) == 2
                for p in self.persons.get(source, ())
                if p in self.cells[cell][0] and p not in self.shared and p not in have
            )
            if len(free) < need:
                continue
            g = cell[1]
            cost = 0.0 if not g or g == COMBINED else (self.groups.get(g, 0) + need) / max(self.group_size[g], 1)
            if best is None or (cost, cell[1] or "") < best[0]:
                best = ((cost, cell[1] or ""), cell, free[:need])
        if best is None:
            return False
        _, cell, chosen = best
        into, out = self.cells[target], self.cells[cell]
        for _, person, source in chosen:
            available, lost, _rows = self.persons[source][person]
            out[0].discard(person)
            out[1] -= available
            out[2] -= lost
            into[0].add(person)
            into[1] += available
            into[2] += lost
            self.left[source] -= 1
            if source[1] and source[1] != COMBINED:
                self.groups[source[1]] += 1
            self.lent.append((source, person))
            self.holds[target].append((*source, person))  # followed to wherever the combined cell ends up
        return True

    def _cost(self, cell):
        """Which whole cell joins a combined cell still under k: the one that leaves its staff
        group's organisation-wide figure the least incomplete (the share of the group then in
        combined cells); a cell of no staff group costs nothing."""
        g = cell[1]
        if not g or g == COMBINED:
            return (0.0, self.size(cell), g)
        share = (self.groups.get(g, 0) + self.size(cell)) / max(self.group_size[g], 1)
        return (share, self.size(cell), g)

    def _into_combined(self, cell, target) -> None:
        if cell == target:
            return
        for source in self.holds[cell]:
            if len(source) == 2 and source[1] and source[1] != COMBINED:
                self.groups[source[1]] += self.left[source]
                self.left[source] = 0
        self.move(cell, target)

    def up(self, unit) -> None:
        """Rule 2: every cell of ``unit`` to its parent, keeping its staff group."""
        parent = self.parents.get(unit)
        for c in self.at(unit):
            self.move(c, (parent, c[1]))
        self.units.add(unit)

    def run(self, depth) -> None:
        units = {c[0] for c in self.cells if c[0] is not None}
        # Every unit on the way up, so cells passing through a unit with no people of its own
        # are looked at there too.
        for u in list(units):
            units.update(_chain(self.parents, u))
        for d in sorted({depth(u) for u in units}, reverse=True):
            for u in sorted(u for u in units if depth(u) == d):
                if not self.at(u):
                    continue
                if self.level_size(u) < self.k:
                    self.up(u)
                else:
                    self.combine(u)
        # Rule 3: the organisation level.
        while self.at(None) and self.level_size(None) < self.k:
            stored = {u for u, groups in self.by_unit.items() if u is not None and groups}
            if not stored:
                break
            smallest = min(stored, key=lambda u: (self.level_size(u), -depth(u), u))
            for c in self.at(smallest):
                self.move(c, (None, c[1]))
            self.units.update(_chain(self.parents, smallest))
        if self.at(None):
            self.combine(None)

    def where(self) -> dict:
        return {source: cell for cell, sources in self.holds.items() for source in sources}


def _chain(parents, unit) -> list:
    out = []
    while unit is not None:
        out.append(unit)
        unit = parents.get(unit)
    return out


def coarsen(population: dict, reasons: dict, *, parents: dict, k: int, persons: dict | None = None):
    """Coarsen the extract's cells (``esr.Counts.population`` and ``.reasons``, keyed by
    month first). Returns (population, reasons, incomplete) in the same shapes, every
    population cell of at least ``k`` people; ``incomplete`` maps (month, unit, "") to 0 and
    (month, None, staff group) to how many of the group's people are in combined cells. Raises
    ``TooFewPeople`` for a month of fewer than k. ``persons`` (``esr.Counts.persons``) lets a
    combined cell be made up with a few people from a larger cell (``_Month.lend``).
    The input's lists and sets are reused and changed: pass counts that are then dropped."""

    def depth(unit) -> int:
        return len(_chain(parents, unit)) - 1

    by_month: dict = defaultdict(dict)
    people_by_month: dict = defaultdict(dict)
    for (m, u, g), values in population.items():
        by_month[m][(u, g)] = values
        if persons is not None:
            people_by_month[m][(u, g)] = persons.get((m, u, g), {})
    lent: list = []
    out_population: dict = {}
    where: dict = {}
    incomplete: dict = {}
    for m in sorted(by_month):
        everyone: set | int = set()
        for values in by_month[m].values():
            everyone = _union(everyone, values[0])
        if _n(everyone) < k:
            raise TooFewPeople(m, _n(everyone), k)
        month = _Month(by_month[m], parents, k, people_by_month[m] if persons is not None else None)
        month.run(depth)
        lent += [(m, source, person, month.persons[source][person][2]) for source, person in month.lent]
        for (u, g), values in month.cells.items():
            out_population[(m, u, g)] = values
        for source, cell in month.where().items():
            where[(m, *source)] = cell
        incomplete.update({(m, u, ""): 0 for u in month.units})
        incomplete.update({(m, None, g): n for g, n in month.groups.items()})
    out_reasons: dict = {}
    for (m, u, g, r, covid), values in reasons.items():
        nu, ng = where[(m, u, g)]
        key = (m, nu, ng, r, covid)
        if key in out_reasons:
            _merge_reason(out_reasons[key], values)
        else:
            out_reasons[key] = values
    # A lent person's sickness rows go with them, from their cell's reason counts to the
    # combined cell's.
    for m, (u, g), person, rows in lent:
        came, went = where[(m, u, g)], where[(m, u, g, person)]
        for reason, covid, lost, long_term in rows or ():
            entry = out_reasons[(m, *came, reason, covid)]
            entry[0] -= lost
            entry[1].discard(person)
            entry[2] -= 1
            entry[3 if long_term else 4] -= 1
            if entry[2] == 0:
                del out_reasons[(m, *came, reason, covid)]
            entry = out_reasons.setdefault((m, *went, reason, covid), [0.0, set(), 0, 0, 0])
            entry[0] += lost
            entry[1].add(person)
            entry[2] += 1
            entry[3 if long_term else 4] += 1
    return out_population, out_reasons, incomplete


def trigger_units(counts: dict, population: dict, *, parents: dict) -> dict:
    """Trigger counts, (month, unit) -> [people, spells], moved up to the nearest unit (or
    the organisation level) that holds stored people of its own that month, so every count
    is of a stored cell of at least k people. Totals are summed, never changed."""
    stored: dict = defaultdict(set)
    for m, u, _g in population:
        stored[m].add(u)
    out: dict = {}
    for (m, u), (people, spells) in counts.items():
        while u is not None and u not in stored[m]:
            u = parents.get(u)
        cell = out.setdefault((m, u), [0, 0])
        cell[0] += people
        cell[1] += spells
    return out
