"""Sickness absence figures, computed as NHS England computes them, every one through the
suppression service.

Rate = sum of FTE days lost / sum of FTE days available x 100 over the group (never an
average of rates), rounded half to even to 2 decimal places. A reason's share is its days
lost over all days lost. Every group shown is part of one publication per month: a
``suppression.plan`` over the unit tree and the staff groups, with the month's headcount
per cell as weights, so a unit too small to show cannot be worked out from its parent and
its siblings (complementary suppression). On top of that a rate is blank where FTE days
available are 330 or fewer.

Figures about one reason, and counts of spells, are families over the same unit tree and
staff groups, so they get plans of their own over the same catalogue, weighted by what the
figure counts: the people absent for the reason in the month (rates, shares and series for a
reason group), the spells over the period (spells, long-term and short-term spells), the
people absent with COVID-related absence over the period (the COVID-related share). So no
hidden unit's figure is a shown parent's less its shown siblings'.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from staffwell import suppression
from staffwell.absence.coarsen import COMBINED, COMBINED_LABEL
from staffwell.absence.models import IncompleteGroup, Population, ReasonCount, SeriesChange
from staffwell.absence.reasons import GROUPS
from staffwell.organisations.models import StaffGroup, Unit
from staffwell.suppression import MIN_DAYS_AVAILABLE, Figure, publication

__all__ = ["COMBINED", "COMBINED_LABEL", "Absence", "Coverage", "Sums", "month_label", "staff_group_label"]

# A staff group is shown from the cells stored under it, with the share of its people they
# hold, while that is at least half of the group (docs/absence.md, "Staff-group figures";
# ADR 0030); below that it is withheld for the month.
MIN_STORED_SHARE = 0.5
INCOMPLETE = (
    "Not shown: some of this group's people are counted with a larger group, because the import combines "
    "groups too small to store"
)
GROUP_INCOMPLETE = (
    "Not shown: fewer than half of this staff group's people are in units with enough of them to store; "
    "the rest are counted in 'Other staff groups (combined)'"
)


@dataclass(frozen=True)
class Coverage:
    """How much of a staff group an organisation-wide figure covers, over some months:
    person-months stored under the group, and person-months of the whole group (those plus
    its people the import combined into "Other staff groups (combined)")."""

    stored: int
    total: int
    months: int

    @property
    def percent(self) -> int:
        """Whole per cent, rounded down: 100 only when nobody is missing."""
        return self.stored * 100 // self.total if self.total else 0

    @property
    def people(self) -> int:
        """The group's people stored under it, on average per month."""
        return round(self.stored / self.months) if self.months else 0

    @property
    def of(self) -> int:
        """The whole group, on average per month."""
        return round(self.total / self.months) if self.months else 0


def month_label(month: datetime.date) -> str:
    return month.strftime("%B %Y")


def staff_group_label(group: str) -> str:
    if group == COMBINED:
        return COMBINED_LABEL
    return dict(StaffGroup.choices).get(group, group)


@dataclass
class Sums:
    available: float = 0.0
    lost: float = 0.0


class Absence:
    """Everything the absence pages show for one organisation, loaded once per request."""

    def __init__(self, org):
        self.org = org
        self.threshold = suppression.min_group_size(org)
        self.units = {u.pk: u for u in Unit.objects.for_org(org)}
        self.tree = publication.Tree({pk: u.parent_id for pk, u in self.units.items()})
        self.cells: dict = defaultdict(dict)  # month -> (unit, group) -> headcount
        self.pop: dict = defaultdict(Sums)  # (month, key) -> sums
        self.group_people: dict = defaultdict(int)  # (month, staff group) -> its people stored under it
        self._key_cache: dict = {}  # (unit, staff group) -> the groups that cell counts in (``_keys``)
        self.reason: dict = defaultdict(
            lambda: [0.0, 0, 0, 0, 0, 0.0]
        )  # (month, key, reason) -> lost, people, spells, long, short, covid lost
        # month -> (cell, reason) -> people, spells, long, short, covid people: the plans' weights
        self.reason_cells: dict = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0, 0]))
        for m, u, g, n, avail, lost in Population.objects.filter(organisation=org).values_list(
            "month", "unit_id", "staff_group", "headcount", "fte_days_available", "fte_days_lost"
        ):
            cell = (u, g)
            self.cells[m][cell] = self.cells[m].get(cell, 0) + n
            self.group_people[(m, g)] += n
            for key in self._keys(u, g):
                s = self.pop[(m, key)]
                s.available += avail
                s.lost += lost
        for m, u, g, r, covid, lost, people, spells, long_, short in ReasonCount.objects.filter(
            organisation=org
        ).values_list(
            "month", "unit_id", "staff_group", "reason", "covid", "fte_days_lost", "people", "spells",
            "long_term_spells", "short_term_spells",
        ):  # fmt: skip
            w = self.reason_cells[m][((u, g), r)]
            w[0] += people
            w[1] += spells
            w[2] += long_
            w[3] += short
            if covid:
                w[4] += people
            for key in self._keys(u, g):
                e = self.reason[(m, key, r)]
                e[0] += lost
                e[1] += people
                e[2] += spells
                e[3] += long_
                e[4] += short
                if covid:
                    e[5] += lost
        self.months = sorted(self.cells)
        # Figures the import's coarsening left incomplete: withheld, never shown wrong.
        # A unit some of whose people are stored above it is withheld that month; a staff
        # group is shown from the cells stored under it, with the share of the group they
        # hold (``coverage``), unless that is under MIN_STORED_SHARE.
        self.incomplete: dict = {}  # (month, key) -> why it is withheld
        self.combined_people: dict = {}  # (month, staff group) -> its people in combined cells
        for m, u, g, n in IncompleteGroup.objects.filter(organisation=org).values_list(
            "month", "unit_id", "staff_group", "people"
        ):
            if u is not None:
                self.incomplete[(m, publication.unit_key(u))] = INCOMPLETE
            elif g:
                self.combined_people[(m, g)] = self.combined_people.get((m, g), 0) + n
        for (m, g), n in self.combined_people.items():
            stored = self.group_people.get((m, g), 0)
            if stored < MIN_STORED_SHARE * (stored + n):
                self.incomplete[(m, publication.filter_key(None, g))] = GROUP_INCOMPLETE
        self._plans: dict = {}

    def coverage(self, months, group: str) -> Coverage | None:
        """How much of staff group ``group`` its organisation-wide figure over ``months``
        covers, or None when it covers all of it (or for "Other staff groups (combined)")."""
        months = list(months)
        if group == COMBINED or not any((m, group) in self.combined_people for m in months):
            return None
        stored = sum(self.group_people.get((m, group), 0) for m in months)
        return Coverage(stored, stored + sum(self.combined_people.get((m, group), 0) for m in months), len(months))

    def _keys(self, unit, group) -> list[str]:
        """The groups a cell (unit, staff group) counts in: the organisation, its unit and every
        unit above, its staff group. Worked out once per cell."""
        keys = self._key_cache.get((unit, group))
        if keys is None:
            keys = ["org", *(publication.unit_key(u) for u in self.tree.chain(unit))]
            if group:
                keys.append(publication.filter_key(None, group))
            self._key_cache[(unit, group)] = keys
        return keys

    @cached_property
    def staff_groups(self) -> list[str]:
        return sorted({g for cells in self.cells.values() for (_, g) in cells if g})

    def plan(self, month) -> suppression.Plan:
        """The month's plan for figures about everyone: weighted by headcount."""
        return self._plan(month, lambda: self.cells[month])

    def _plan(self, name, weights) -> suppression.Plan:
        """One plan over the unit tree and the staff groups (``publication.catalogue``), with
        ``weights()`` (cell -> people or spells) as the weights; made once per ``name``."""
        if name not in self._plans:
            sizes = {c: n for c, n in weights().items() if n > 0}
            groups = publication.catalogue(tree=self.tree, cells=sizes, staff_groups=self.staff_groups)
            self._plans[name] = suppression.plan(groups, threshold=self.threshold, keep={"org"}, weights=sizes)
        return self._plans[name]

    def _weights(self, months, codes, i) -> dict:
        """cell -> sum of ``reason_cells`` entry ``i`` over ``months`` and ``codes``."""
        codes = set(codes)
        out: dict = defaultdict(int)
        for m in set(months):
            for (cell, r), entry in self.reason_cells.get(m, {}).items():
                if r in codes:
                    out[cell] += entry[i]
        return out

    def reason_plan(self, month, codes) -> suppression.Plan:
        """The month's plan for figures about reasons ``codes``: weighted by the people
        absent for them."""
        codes = tuple(sorted(codes))
        return self._plan(("reason", month, codes), lambda: self._weights([month], codes, 0))

    def period_plan(self, months, i) -> suppression.Plan:
        """The plan for counts over ``months`` of ``reason_cells`` entry ``i`` (spells, long-term
        or short-term spells, COVID-related people), all reasons: weighted by that count."""
        months = tuple(sorted(months))
        return self._plan(("period", months, i), lambda: self._weights(months, GROUPS["all"][1], i))

    # Single figures -----------------------------------------------------------------

    def gate(self, months, key) -> Figure:
        """Whether group ``key`` may be shown for every month of ``months``."""
        for m in months:
            if (m, key) in self.incomplete:
                return Figure(None, True, self.incomplete[(m, key)])
            figure = self.plan(m).figure(key, True)
            if figure.suppressed:
                return figure
        return Figure(True, False)

    def rate(self, months, key: str, group: str = "all") -> Figure:
        """The absence rate of ``key`` over ``months`` for a reason group ("all", "stress",
        "msk" or one reason code)."""
        gate = self.gate(months, key)
        available = sum(self.pop[(m, key)].available for m in months if (m, key) in self.pop)
        if group == "all":
            lost = sum(self.pop[(m, key)].lost for m in months if (m, key) in self.pop)
        else:
            codes = GROUPS[group][1]
            lost = self._reason_sum(months, key, codes, 0)
            if not gate.suppressed:
                gate = self._people_gate(months, key, codes)
        return suppression.rate(lost, available, gate=gate, min_denominator=MIN_DAYS_AVAILABLE)

    def _reason_sum(self, months, key, codes, i) -> float:
        return sum(self.reason[(m, key, c)][i] for m in months for c in codes if (m, key, c) in self.reason)

    def _people_gate(self, months, key, codes) -> Figure:
        """Whether a figure about reasons ``codes`` may be shown for ``key`` in every month:
        each month's reason plan (people absent for them) must allow it."""
        if not months:
            return suppression.withheld(self.threshold)
        for m in months:
            figure = self.reason_plan(m, codes).figure(key, True)
            if figure.suppressed:
                return figure
        return self.reasons_plan(months, key).figure(tuple(sorted(codes)), True)

    def reasons_plan(self, months, key) -> suppression.Plan:
        """The plan across reasons for one group over ``months``: every reason, the reason
        groups and all reasons together (kept: the shares add up to 100%), weighted by the
        people absent for each reason. So no hidden reason is all reasons less the others
        shown, nor MSK less one of its two reasons."""
        name = ("reasons", tuple(sorted(months)), key)
        if name not in self._plans:
            weights = {c: int(self._reason_sum(months, key, [c], 1)) for c in GROUPS["all"][1]}
            weights = {c: n for c, n in weights.items() if n > 0}
            groups = {tuple(sorted(codes)): frozenset(c for c in codes if c in weights) for _, codes in GROUPS.values()}
            everything = tuple(sorted(GROUPS["all"][1]))
            self._plans[name] = suppression.plan(groups, threshold=self.threshold, keep={everything}, weights=weights)
        return self._plans[name]

    def share(self, months, key: str, group: str) -> Figure:
        """The reason group's share of all days lost, in per cent (1 dp)."""
        codes = GROUPS[group][1]
        gate = self.gate(months, key)
        if not gate.suppressed:
            gate = self._people_gate(months, key, codes)
        total = sum(self.pop[(m, key)].lost for m in months if (m, key) in self.pop)
        lost = self._reason_sum(months, key, codes, 0)
        return suppression.rate(lost, total, gate=gate, min_denominator=0, digits=1)

    def spells(self, months, key: str) -> dict[str, Figure]:
        """Spells of absence, long-term and short-term, and the COVID-related share of days."""
        gate = self.gate(months, key)
        codes = GROUPS["all"][1]
        out = {}
        for name, i, w in (("spells", 2, 1), ("long_term", 3, 2), ("short_term", 4, 3)):
            n = int(self._reason_sum(months, key, codes, i))
            out[name] = gate if gate.suppressed else self.period_plan(months, w).figure(key, n)
        total = sum(self.pop[(m, key)].lost for m in months if (m, key) in self.pop)
        covid_gate = gate if gate.suppressed else self.period_plan(months, 4).figure(key, True)
        out["covid_share"] = suppression.rate(
            self._reason_sum(months, key, codes, 5), total, gate=covid_gate, min_denominator=0, digits=1
        )
        return out

    # Series and breakdowns ----------------------------------------------------------

    def series(self, key: str, group: str = "all") -> list[tuple[datetime.date, Figure]]:
        return [(m, self.rate([m], key, group)) for m in self.months]

    def last_year(self) -> list:
        return self.months[-12:]

    def unit_rows(self, parent: int | None = None, group: str = "all") -> list[dict]:
        months = self.last_year()
        kids = self.tree.children().get(parent, [])
        rows = []
        for pk in sorted(kids, key=lambda k: self.units[k].name.casefold()):
            key = publication.unit_key(pk)
            rows.append({"unit": self.units[pk], "key": key, "rate": self.rate(months, key, group)})
        return rows

    def staff_group_rows(self, group: str = "all") -> list[dict]:
        months = self.last_year()
        return [
            {
                "code": g,
                "label": staff_group_label(g),
                "rate": self.rate(months, publication.filter_key(None, g), group),
                "coverage": self.coverage(months, g),
            }
            for g in self.staff_groups
        ]

    def reason_rows(self, key: str = "org") -> list[dict]:
        months = self.last_year()
        rows = []
        for code, (label, _codes) in GROUPS.items():
            if code in {"all", "stress", "msk"}:
                continue
            rows.append({"code": code, "label": label, "share": self.share(months, key, code)})
        return rows

    @cached_property
    def changes(self) -> list:
        """Known changes marked on the organisation's series (each rebases one chart)."""
        return list(SeriesChange.objects.filter(organisation=self.org))

    def changes_for(self, key: str, group: str = "all") -> list:
        return [c for c in self.changes if c.key == key and c.reason_group == group]

    def label(self, key: str) -> str:
        if key == "org":
            return self.org.name
        if key.startswith("unit:"):
            return self.units[int(key[5:])].name
        if "|sg:" in key:
            return staff_group_label(key.split("|sg:")[1])
        return key
