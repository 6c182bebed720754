"""Coarsening cells stored by imports made before coarsening (the data migration
``absence.0004``): stored headcounts stand in for the people, and with no person-level
detail a combined cell still under *k* takes a whole cell, never lent people
(``coarsen``, ADR 0030)."""

from staffwell.absence.coarsen import TooFewPeople, _n, coarsen, trigger_units


def recoarsen_stored(org_id: int, k: int, *, models: dict) -> dict:
    """Coarsen cells already stored by an import made before coarsening (the data migration
    0004 runs it for every organisation; ``models`` are the historical models by name).
    Headcounts stand in for the people (see ``_n``). A month of fewer than k people in all
    is deleted: it cannot be stored safely. Returns what it did, for the migration's output."""
    Population, ReasonCount = models["Population"], models["ReasonCount"]
    Incomplete, Trigger, Unit = models["IncompleteGroup"], models["TriggerCount"], models["Unit"]
    parents = dict(Unit.objects.filter(organisation_id=org_id).values_list("pk", "parent_id"))
    population = {
        (m, u, g): [n, a, lost]
        for m, u, g, n, a, lost in Population.objects.filter(organisation_id=org_id).values_list(
            "month", "unit_id", "staff_group", "headcount", "fte_days_available", "fte_days_lost"
        )
    }
    if not population or min(v[0] for v in population.values()) >= k:
        return {"months": 0, "deleted_months": 0}
    reasons = {
        (m, u, g, r, c): [lost, people, spells, long_, short]
        for m, u, g, r, c, lost, people, spells, long_, short in ReasonCount.objects.filter(
            organisation_id=org_id
        ).values_list(
            "month", "unit_id", "staff_group", "reason", "covid", "fte_days_lost", "people", "spells",
            "long_term_spells", "short_term_spells",
        )
    }  # fmt: skip
    months = sorted({m for m, _u, _g in population})
    done = deleted = 0
    for month in months:
        cells = {key: v for key, v in population.items() if key[0] == month}
        if min(v[0] for v in cells.values()) >= k:
            continue
        month_reasons = {key: v for key, v in reasons.items() if key[0] == month}
        Population.objects.filter(organisation_id=org_id, month=month).delete()
        ReasonCount.objects.filter(organisation_id=org_id, month=month).delete()
        Incomplete.objects.filter(organisation_id=org_id, month=month).delete()
        try:
            new_pop, new_reasons, incomplete = coarsen(cells, month_reasons, parents=parents, k=k)
        except TooFewPeople:
            Trigger.objects.filter(organisation_id=org_id, month=month).delete()
            deleted += 1
            continue
        Population.objects.bulk_create(
            Population(organisation_id=org_id, month=m, unit_id=u, staff_group=g, headcount=_n(v[0]),
                       fte_days_available=v[1], fte_days_lost=v[2])
            for (m, u, g), v in new_pop.items()
        )  # fmt: skip
        ReasonCount.objects.bulk_create(
            ReasonCount(organisation_id=org_id, month=m, unit_id=u, staff_group=g, reason=r, covid=c,
                        fte_days_lost=v[0], people=_n(v[1]), spells=v[2], long_term_spells=v[3],
                        short_term_spells=v[4])
            for (m, u, g, r, c), v in new_reasons.items()
        )  # fmt: skip
        Incomplete.objects.bulk_create(
            Incomplete(organisation_id=org_id, month=m, unit_id=u, staff_group=g, people=n)
            for (m, u, g), n in incomplete.items()
        )
        for definition_id in set(Trigger.objects.filter(organisation_id=org_id, month=month).values_list(
            "definition_id", flat=True
        )):  # fmt: skip
            rows = Trigger.objects.filter(definition_id=definition_id, month=month)
            counts = {(month, u): [p, sp] for u, p, sp in rows.values_list("unit_id", "people", "spells")}
            moved = trigger_units(counts, new_pop, parents=parents)
            rows.delete()
            Trigger.objects.bulk_create(
                Trigger(organisation_id=org_id, definition_id=definition_id, month=m, unit_id=u, people=p, spells=sp)
                for (m, u), (p, sp) in moved.items()
            )
        done += 1
    return {"months": done, "deleted_months": deleted}
