"""What the organisation learns: counts only, through the one suppression service.

Every family of figures published together is one ``suppression.plan`` over the people each
figure is about, so no small group can be worked out by subtracting one figure from
another. Never who, never why: no figure reads an encrypted field.
"""

import datetime as dt
from statistics import median

from django.utils import timezone

from staffwell import suppression
from staffwell.organisations.models import StaffGroup
from staffwell.support import content
from staffwell.support.models import FollowUp, SupportRequest, Walkthrough

WINDOW_DAYS = 365
TIERS = (1, 2, 3)
NOT_RECORDED = "not_recorded"


def _since(today=None):
    today = today or timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=WINDOW_DAYS), dt.time.min))


def _staff_groups() -> list[tuple[str, str]]:
    """Every staff group the organisation's structure has (the ESR staff groups), whoever
    asked: a row that appeared only when someone in a group asked would say that someone
    in that group asked, however its figure was suppressed."""
    return [*StaffGroup.choices, (NOT_RECORDED, "Not recorded")]


def support_figures(org, *, today=None) -> dict:
    """Requests by tier, staff group and kind of event, response time and follow-ups done.
    Which rows there are is fixed (the tiers, the staff groups, the kinds of event), never
    by who asked; every cell is ``Plan.figure`` of one plan over the people each is about."""
    requests = list(
        SupportRequest.objects.for_org(org)
        .filter(created_at__gte=_since(today))
        .values("pk", "owner_id", "tier", "staff_group", "event_kind", "created_at", "accepted_at")
    )
    staff_groups = _staff_groups()
    known_groups = {value for value, _ in staff_groups}
    keys = (
        [("all", "")]
        + [("tier", t) for t in TIERS]
        + [("group", value) for value, _ in staff_groups]
        + [("kind", value) for value, _ in content.EventKind.choices]
        + [("accepted", ""), ("followups_done", "")]
    )
    groups: dict[tuple, set] = {k: set() for k in keys}
    counts: dict[tuple, int] = dict.fromkeys(keys, 0)

    def add(key, owner_id):
        if key in groups:  # a value outside the fixed rows is never a row of its own
            groups[key].add(owner_id)
            counts[key] += 1

    for r in requests:
        group = r["staff_group"] if r["staff_group"] in known_groups else NOT_RECORDED
        for key in (("all", ""), ("tier", r["tier"]), ("group", group), ("kind", r["event_kind"])):
            add(key, r["owner_id"])
        if r["accepted_at"]:
            add(("accepted", ""), r["owner_id"])
    done = FollowUp.objects.filter(
        request__organisation=org, request__created_at__gte=_since(today), done_at__isnull=False
    ).values_list("request__owner_id", flat=True)
    for owner_id in done:
        add(("followups_done", ""), owner_id)
    threshold = suppression.min_group_size(org)
    plan = suppression.plan({k: frozenset(v) for k, v in groups.items()}, threshold=threshold, keep=[("all", "")])

    def fig(key):
        return plan.figure(key, counts[key])

    hours = [(r["accepted_at"] - r["created_at"]).total_seconds() / 3600 for r in requests if r["accepted_at"]]
    return {
        "threshold": threshold,
        "total": fig(("all", "")),
        "by_tier": [(f"Tier {t}", fig(("tier", t))) for t in TIERS],
        "by_kind": [(label, fig(("kind", v))) for v, label in content.EventKind.choices],
        "by_group": [(label, fig(("group", v))) for v, label in staff_groups],
        # A median is about the people whose requests were accepted: the plan decides.
        "median_response_hours": plan.figure(("accepted", ""), lambda: round(median(hours), 1)),
        "followups_done": fig(("followups_done", "")),
    }


BOARD_MEASURES = [
    ("walkthroughs", "Walk-throughs of the just culture guide started"),
    ("support_offered", "Support offered to the person concerned"),
    ("investigation", "Formal investigations"),
    ("suspended", "Suspensions"),
    ("no_case_to_answer", "No case to answer"),
]


def board_figures(org, *, today=None) -> dict:
    rows = list(
        Walkthrough.objects.for_org(org)
        .filter(created_at__gte=_since(today))
        .values(
            "person_id",
            "support_offered_at",
            "investigation",
            "suspended",
            "days_suspended",
            "no_case_to_answer",
            "ethnic_group",
        )
    )
    bands = [("all", "All staff")] + [(v, label) for v, label in content.EthnicGroup.choices] + [("", "Not recorded")]
    groups: dict[tuple, set] = {}
    counts: dict[tuple, int] = {}
    days: dict[str, int] = {}
    for measure, _ in BOARD_MEASURES:
        for band, _ in bands:
            groups[(measure, band)] = set()
            counts[(measure, band)] = 0
    for r in rows:
        hits = {
            "walkthroughs": True,
            "support_offered": r["support_offered_at"] is not None,
            "investigation": r["investigation"],
            "suspended": r["suspended"],
            "no_case_to_answer": r["no_case_to_answer"],
        }
        for band in ("all", r["ethnic_group"]):
            for measure, hit in hits.items():
                if hit:
                    groups[(measure, band)].add(r["person_id"])
                    counts[(measure, band)] += 1
            if r["suspended"]:
                days[band] = days.get(band, 0) + r["days_suspended"]
    threshold = suppression.min_group_size(org)
    plan = suppression.plan(
        {k: frozenset(v) for k, v in groups.items()}, threshold=threshold, keep=[("walkthroughs", "all")]
    )
    table = []
    for band, label in bands:
        cells = [plan.figure((m, band), counts[(m, band)]) for m, _ in BOARD_MEASURES]
        suspended_ok = plan.allows(("suspended", band))
        cells.append(
            plan.figure(("suspended", band), days.get(band, 0)) if suspended_ok else plan.figure(("suspended", band), 0)
        )
        table.append((label, cells))
    return {
        "threshold": threshold,
        "headings": [label for _, label in BOARD_MEASURES] + ["Days suspended"],
        "rows": table,
    }
