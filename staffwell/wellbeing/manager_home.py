"""What a line manager's home ("My teams") shows: their teams' latest survey figures, with the
reason when one is not shown (from the reporting app's own report, so its suppression
applies), what staff have shared with them, and what waits for their decision."""

from staffwell.records.models import Grant


def team_results(membership) -> dict | None:
    """The latest closed survey's figures for the manager's own teams, or None."""
    from staffwell.reporting import reports
    from staffwell.surveys.models import Campaign

    closed = [
        c
        for c in Campaign.objects.for_org(membership.organisation).select_related("instrument").order_by("-closes_on")
        if c.phase == "Closed"
    ]
    if not closed:
        return None
    campaign = closed[0]
    report = reports.build(campaign, membership)
    rows = report.get("heatmap") or report.get("pulse") or []
    teams = []
    for row in rows:
        if row["key"] == "org" or "|" in row["key"]:
            continue
        if report.get("heatmap"):
            figures = [(c["scale"], c["score"], c.get("band")) for c in row["cells"]]
        else:
            texts = {q["number"]: q["text"] for q in report["questions"]}
            figures = [(texts.get(c["question"], f"Question {c['question']}"), c["mean"], None) for c in row["cells"]]
        teams.append({"key": row["key"], "label": row["label"], "respondents": row["respondents"], "figures": figures})
    return {"campaign": campaign, "teams": teams, "threshold": report["threshold"]}


def shared_with_me(user) -> list[dict]:
    """Who has shared what with this person: one entry per person, and in it one link per
    record they shared (to the page that shows only what was shared, where the read is logged)."""
    from staffwell.records import registry

    people: dict[int, dict] = {}
    records: dict[tuple[str, int], dict] = {}
    grants = Grant.objects.live().granted_to(user).select_related("owner").order_by("owner__full_name", "created_at")
    for g in grants:
        entry = people.setdefault(g.owner_id, {"owner": g.owner, "labels": [], "records": []})
        entry["labels"].append(g.label)
        key = (g.kind, g.record_id)
        if key in records:
            continue
        kind = registry.kinds().get(g.kind)
        obj = kind.model._default_manager.filter(pk=g.record_id).first() if kind and kind.shared_url else None
        if obj is None:
            continue
        records[key] = {"title": kind.title(obj), "href": kind.shared_url(obj)}
        entry["records"].append(records[key])
    return [entry for entry in people.values() if entry["records"]]


def team_members(membership, shared: list[dict]) -> list[dict]:
    """Each team the manager manages, its members, and for each member the link to what they
    shared with this manager (None, with the reason, when there is nothing to open)."""
    from staffwell.organisations.models import Membership

    by_owner = {entry["owner"].pk: entry for entry in shared}
    teams = []
    for unit in membership.managed_units():
        members = (
            Membership.objects.active()
            .in_subtree(unit)
            .exclude(pk=membership.pk)
            .select_related("unit", "user")
            .order_by("full_name")
        )
        rows = []
        for m in members:
            entry = by_owner.get(m.user_id) if m.user_id else None
            if entry is not None:
                rows.append({"member": m, "href": f"#shared-{m.user_id}", "note": ""})
            elif m.user_id is None:
                rows.append({"member": m, "href": None, "note": "not using staffwell yet"})
            else:
                rows.append({"member": m, "href": None, "note": "has not shared anything with you"})
        teams.append({"unit": unit, "members": rows})
    return teams


def waiting_for_decision(user) -> list[dict]:
    """Adjustment requests on passports shared with this person that wait for their decision."""
    from staffwell.passports import services
    from staffwell.passports.models import Passport, Status

    ids = set(
        Grant.objects.live()
        .granted_to(user)
        .filter(kind=services.KIND_KEY, section__in=["", "adjustments"])
        .values_list("record_id", flat=True)
    )
    out = []
    for p in Passport.objects.filter(pk__in=ids).select_related("owner").prefetch_related("adjustments"):
        if not services.is_current_manager(p, user):
            continue
        for a in p.adjustments.all():
            if a.status == Status.REQUESTED:
                out.append({"passport": p, "adjustment": a})
    return sorted(out, key=lambda d: (d["adjustment"].decision_due, d["adjustment"].pk))
