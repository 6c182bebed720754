"""Demo absence for Northgate: three years of monthly ESR extracts, imported through the
real import (so only counts are stored), with winter peaks and one real special cause:
stress absence in the Emergency Department rose for ten months, then fell after the rest
room action started. That action in the demo action plan names the measure."""

import datetime

from staffwell.absence import esr, synthetic
from staffwell.absence.models import ActionMeasure
from staffwell.organisations.models import Unit

ED = "Emergency and Urgent Care > Emergency Department"
ACTION_MONTH = 22  # of 36


def _leaf_paths(org) -> list[str]:
    units = {u.pk: u for u in Unit.objects.for_org(org)}
    parents = {u.parent_id for u in units.values()}
    paths = []
    for u in units.values():
        if u.pk in parents:
            continue
        chain, node = [], u
        while node is not None:
            chain.append(node.name)
            node = units.get(node.parent_id)
        paths.append(" > ".join(reversed(chain)))
    return sorted(paths)


def load(*, org, other_org) -> None:
    months = synthetic.months_back(36)
    paths = _leaf_paths(org)
    sizes = [(p, 230 if p.startswith(ED) else 45 + (len(p) % 3) * 5) for p in paths]
    changes = {
        p: [(12, ACTION_MONTH - 1, "S10", 3.0), (ACTION_MONTH, 35, "S10", 0.7)] for p in paths if p.startswith(ED)
    }
    by_month = synthetic.rows(sizes, months, seed=7, ods=org.ods_code, changes=changes)
    for month, rows in by_month.items():
        esr.import_extract(org, synthetic.to_csv(rows), filename=f"esr-absence-{month:%Y-%m}.csv")

    from staffwell.assessments.models import Action

    action = (
        Action.objects.filter(cycle__organisation=org, title__startswith="Open a staff rest room")
        .order_by("pk")
        .first()
    )
    ed = Unit.objects.for_org(org).filter(name="Emergency Department").first()
    if action is not None and ed is not None:
        start = months[ACTION_MONTH]
        ActionMeasure.objects.update_or_create(
            action=action,
            defaults={"unit": ed, "reason_group": "stress", "starts_on": datetime.date(start.year, start.month, 1)},
        )
