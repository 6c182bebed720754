"""Organisation insight: suppressed counts only, every number through the suppression service.

Never a name, never content. A directorate table is protected so that a hidden directorate
cannot be worked out as the total minus the others: while the hidden cells together cover
fewer than the minimum group, the next smallest cell is hidden too (and the total, if no
cell is left)."""

import statistics
from dataclasses import dataclass

from django.utils import timezone

from staffwell.passports.models import AGREED_STATES, Adjustment, Passport, PassportKind, Status
from staffwell.reporting import suppression
from staffwell.reporting.suppression import Figure

COMPLEMENTARY = "Hidden so that a smaller group cannot be worked out from other figures"


def protect(cells: dict, *, org) -> tuple[dict, Figure]:
    """Counts for cells that add up to a total, with primary and complementary suppression.

    If any cell is hidden, the hidden cells together could be worked out as the total minus
    the shown cells. That is safe only when at least two cells are hidden and together they
    cover the minimum group. Otherwise the smallest shown cells are hidden too, as long as one
    cell stays shown; failing that the total is hidden instead."""
    threshold = suppression.min_group_size(org)
    figures = {k: suppression.count(n, org=org) for k, n in cells.items()}
    total = suppression.count(sum(cells.values()), org=org)
    if total.suppressed:
        return {k: suppression.withheld(threshold) for k in cells}, total

    def safe(hidden: list) -> bool:
        return not hidden or (len(hidden) > 1 and sum(cells[k] for k in hidden) >= threshold)

    hidden = [k for k, f in figures.items() if f.suppressed]
    if safe(hidden):
        return figures, total
    shown = sorted((k for k in cells if k not in hidden), key=lambda k: (cells[k], str(k)))
    extra = []
    for k in shown[:-1]:
        extra.append(k)
        if safe(hidden + extra):
            for e in extra:
                figures[e] = Figure(None, True, COMPLEMENTARY)
            return figures, total
    return figures, Figure(None, True, COMPLEMENTARY)


@dataclass
class Insight:
    by_kind: dict
    kind_total: Figure
    median_days: Figure
    agreed_share: Figure
    overdue: Figure
    by_directorate: list
    directorate_total: Figure
    threshold: int


def _gate(people: int, value, *, org) -> Figure:
    gate = suppression.count(people, org=org)
    return gate if gate.suppressed else Figure(value, False)


def for_org(org) -> Insight:
    from staffwell.organisations.models import Membership, Unit

    today = timezone.localdate()
    passports = list(Passport.objects.for_org(org).in_use().values("pk", "kind", "owner_id", "review_due"))
    kinds = {k: sum(1 for p in passports if p["kind"] == k) for k in PassportKind.values}
    by_kind, kind_total = protect(kinds, org=org)

    decided = list(
        Adjustment.objects.filter(passport__organisation=org, passport__archived_at__isnull=True, imported=False)
        .exclude(status=Status.REQUESTED)
        .exclude(decided_at__isnull=True)
        .values("status", "requested_at", "decided_at", "passport__owner_id")
    )
    people_decided = len({d["passport__owner_id"] for d in decided})
    days = [(d["decided_at"] - d["requested_at"]).days for d in decided]
    median_days = _gate(people_decided, round(statistics.median(days)) if days else 0, org=org)
    agreed = sum(1 for d in decided if d["status"] in AGREED_STATES)
    share = suppression.share(agreed, len(decided), org=org)
    agreed_share = (
        share
        if people_decided >= suppression.min_group_size(org)
        else suppression.withheld(suppression.min_group_size(org))
    )
    overdue_people = len({p["owner_id"] for p in passports if p["review_due"] < today})
    overdue = suppression.count(overdue_people, org=org)

    owners = {p["owner_id"] for p in passports}
    paths = dict(
        Membership.objects.active().for_org(org).filter(user_id__in=owners).values_list("user_id", "unit__path")
    )
    tops = {u.pk: u.name for u in Unit.objects.for_org(org).filter(parent__isnull=True)}
    cells = dict.fromkeys(tops, 0)
    cells[None] = 0
    for p in passports:
        path = paths.get(p["owner_id"]) or ""
        top = int(path.strip("/").split("/")[0]) if path.strip("/") else None
        cells[top if top in tops else None] += 1
    if not cells[None]:
        del cells[None]
    figures, directorate_total = protect(cells, org=org)
    rows = sorted(
        ({"name": tops.get(k, "No unit recorded"), "figure": f} for k, f in figures.items()),
        key=lambda r: (r["name"] == "No unit recorded", r["name"]),
    )
    return Insight(
        by_kind={PassportKind(k).label: f for k, f in by_kind.items()},
        kind_total=kind_total,
        median_days=median_days,
        agreed_share=agreed_share,
        overdue=overdue,
        by_directorate=rows,
        directorate_total=directorate_total,
        threshold=suppression.min_group_size(org),
    )
