"""Organisation insight: suppressed counts only, every number through the suppression service.

Never a name, never content. The tables by kind and by directorate have a total row, so
they go through ``suppression.totalled``: a hidden row cannot be worked out as the total
minus the others."""

import statistics
from dataclasses import dataclass

from django.utils import timezone

from staffwell import suppression
from staffwell.passports.models import AGREED_STATES, Adjustment, Passport, PassportKind, Status
from staffwell.suppression import Figure


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
    by_kind, kind_total = suppression.totalled(kinds, org=org)

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
    figures, directorate_total = suppression.totalled(cells, org=org)
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
