"""Trigger definitions, agreed by both sides, counted at import, shown only as counts.

If a trust's agreed absence policy uses triggers ("3 spells in 6 months"), either side
proposes the definition and both agree it through the one partnership mechanism
(``staffwell.partnership``, kind ``absence.trigger``). Until both stand agreed nothing is
counted. Once agreed, each import counts, from the extract's rows while they are in memory,
how many people in each stored unit meet the definition in each month whose whole window the
file covers, and the spells those people had; only those counts are stored. No one is named,
no list of people is kept or shown, and there is no Bradford factor or individual score.
Every count is shown through the suppression service (docs/absence.md, "Triggers").
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from staffwell import suppression
from staffwell.absence.models import TriggerCount, TriggerDefinition
from staffwell.core import audit
from staffwell.organisations.models import Unit
from staffwell.partnership import services as partnership
from staffwell.partnership import side_of
from staffwell.suppression import publication

KIND = "absence.trigger"
VERSION = "1"  # a definition's terms never change: a new definition is a new row
MAX_WINDOW = 12
MAX_SPELLS = 20


def register() -> None:
    partnership.register(KIND, label="sickness absence trigger definition (counted, never named)", on_agreed=_agreed)


def _agreed(definition: TriggerDefinition, version, state) -> None:
    """Both sides agree: this definition is counted from now on, and the one before stops."""
    now = timezone.now()
    TriggerDefinition.objects.filter(organisation_id=definition.organisation_id, agreed_at__isnull=False).exclude(
        pk=definition.pk
    ).filter(superseded_at__isnull=True).update(superseded_at=now)
    TriggerDefinition.objects.filter(pk=definition.pk).update(agreed_at=now)
    definition.agreed_at = now


def current(org) -> TriggerDefinition | None:
    """The definition both sides agreed most recently, or None: then nothing is counted."""
    return (
        TriggerDefinition.objects.filter(organisation=org, agreed_at__isnull=False, superseded_at__isnull=True)
        .order_by("-agreed_at", "-pk")
        .first()
    )


def pending(org) -> TriggerDefinition | None:
    return TriggerDefinition.objects.filter(
        organisation=org, agreed_at__isnull=True, superseded_at__isnull=True
    ).first()


def state(definition: TriggerDefinition):
    return partnership.state(obj=definition, kind=KIND, version=VERSION)


def propose(*, membership, spells: int, window_months: int, days: int | None = None) -> TriggerDefinition:
    """A side proposes a definition, and so agrees it for that side; the other side's
    agreement completes it. It replaces any proposal not yet agreed by both."""
    side = side_of(membership)
    if side is None:
        raise partnership.NotPartner("Only the employer-side lead or a staff-side rep can propose a definition.")
    if not (1 <= spells <= MAX_SPELLS and 1 <= window_months <= MAX_WINDOW) or (days is not None and days < 1):
        raise ValueError("Spells from 1 to 20, a window from 1 to 12 months, days at least 1.")
    org = membership.organisation
    with transaction.atomic():
        for old in TriggerDefinition.objects.select_for_update().filter(
            organisation=org, agreed_at__isnull=True, superseded_at__isnull=True
        ):
            partnership.clear(obj=old, kind=KIND, actor=membership.user, reason="A new definition was proposed.")
            TriggerDefinition.objects.filter(pk=old.pk).update(superseded_at=timezone.now())
        definition = TriggerDefinition.objects.create(
            organisation=org,
            spells=spells,
            days=days,
            window_months=window_months,
            proposed_by=membership.user,
            proposed_by_name=membership.user.full_name,
            proposed_side=side.value,
        )
        audit.record(
            "partnership.absence_trigger.proposed",
            actor=membership.user,
            organisation=org,
            obj=definition,
            data={"side": side.value, **definition.terms()},
        )
        agree(definition=definition, membership=membership)
    return definition


def agree(*, definition: TriggerDefinition, membership):
    if definition.superseded_at is not None:
        raise partnership.PartnershipError("This definition has been replaced by a newer one.")
    return partnership.agree(
        obj=definition, kind=KIND, version=VERSION, membership=membership, terms=definition.terms()
    )


# Counting at import -----------------------------------------------------------------------


def _month_before(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 - n
    return datetime.date(index // 12, index % 12 + 1, 1)


class Tally:
    """Each person's sickness rows in this extract, in memory only while the file is checked.
    ``counts`` turns them into people per unit and month; the tally is then dropped."""

    def __init__(self, definition: TriggerDefinition):
        self.definition = definition
        self.rows: dict = defaultdict(list)  # person -> [(month, spell key, FTE days lost, unit)]

    def add(self, person, assignment, month, unit, start, lost, reason) -> None:
        spell = (assignment, start) if start is not None else (assignment, month, reason)
        self.rows[person].append((month, spell, lost, unit))

    def counted_months(self, months) -> list[datetime.date]:
        """The months whose whole window lies inside the extract."""
        have = set(months)
        w = self.definition.window_months
        return sorted(m for m in have if all(_month_before(m, k) in have for k in range(w)))

    def counts(self, months) -> dict:
        """(month, unit) -> [people meeting the definition, their spells in the window]. A
        person counts in the unit of their latest sickness row in the window."""
        d = self.definition
        out: dict = {}
        for month in self.counted_months(months):
            first = _month_before(month, d.window_months - 1)
            for rows in self.rows.values():
                inside = [r for r in rows if first <= r[0] <= month]
                if not inside:
                    continue
                spells = len({r[1] for r in inside})
                lost = sum(r[2] for r in inside)
                if spells >= d.spells or (d.days and lost >= d.days):
                    unit = max(inside, key=lambda r: r[0])[3]
                    cell = out.setdefault((month, unit), [0, 0])
                    cell[0] += 1
                    cell[1] += spells
        return out


def store_counts(org, definition: TriggerDefinition | None, months, counted, counts: dict | None) -> None:
    """Replace the definition's counts for the extract's months (inside the import's
    transaction). A counted month where nobody meets the definition keeps one zero row, so it
    shows as counted (and withheld: "nobody" is a disclosure too). A month the file covers but
    cannot count (its window reaches outside the file) loses its earlier count: it no longer
    matches the figures imported."""
    if definition is None:
        return
    counts = dict(counts or {})
    for month in counted:
        if not any(m == month for m, _ in counts):
            counts[(month, None)] = [0, 0]
    TriggerCount.objects.filter(definition=definition, month__in=list(months)).delete()
    TriggerCount.objects.bulk_create(
        TriggerCount(organisation=org, definition=definition, month=m, unit_id=u, people=p, spells=s)
        for (m, u), (p, s) in counts.items()
    )


# Showing the counts ---------------------------------------------------------------------


class Figures:
    """The counts for one definition, month by month, every one through the suppression
    service: a plan per month over the unit tree with the people counted as the weights (so
    a small count cannot be worked out from a unit and its parent either), and only for groups
    the month's absence figures may show too."""

    def __init__(self, data, definition: TriggerDefinition):
        self.data = data  # rates.Absence: the month's publication of absence figures
        self.definition = definition
        self.cells: dict = defaultdict(dict)  # month -> unit -> [people, spells]
        for m, u, people, spells in TriggerCount.objects.filter(definition=definition).values_list(
            "month", "unit_id", "people", "spells"
        ):
            self.cells[m][u] = [people, spells]
        self.months = sorted(self.cells)
        self._plans: dict = {}

    def plan(self, month) -> suppression.Plan:
        if month not in self._plans:
            weights = {(u, ""): v[0] for u, v in self.cells[month].items() if v[0] > 0}
            groups = publication.catalogue(tree=self.data.tree, cells=weights)
            self._plans[month] = suppression.plan(groups, threshold=self.data.threshold, keep={"org"}, weights=weights)
        return self._plans[month]

    def figure(self, month, key: str) -> tuple[suppression.Figure, suppression.Figure]:
        """(people meeting the definition, their spells) for group ``key`` in ``month``."""
        plan = self.plan(month)
        if not plan.allows(key):
            withheld = suppression.Figure(None, True, plan.reason(key))
            return withheld, withheld
        if month in self.data.cells and (gate := self.data.gate([month], key)).suppressed:
            return gate, gate
        target = None if key == "org" else int(key.removeprefix("unit:"))
        people = spells = 0
        for u, (p, s) in self.cells[month].items():
            if target is None or target in self.data.tree.chain(u):
                people += p
                spells += s
        return suppression.Figure(people, False), suppression.Figure(spells, False)

    def by_month(self) -> list[dict]:
        return [{"month": m, "figures": self.figure(m, "org")} for m in self.months[-12:]]

    def by_unit(self, month) -> list[dict]:
        units: dict[int, Unit] = self.data.units
        rows = []
        for pk in sorted(units, key=lambda k: self._path(k).casefold()):
            rows.append({"unit": units[pk], "path": self._path(pk), "figures": self.figure(month, f"unit:{pk}")})
        return rows

    def _path(self, pk: int) -> str:
        return " > ".join(self.data.units[u].name for u in reversed(self.data.tree.chain(pk)))
