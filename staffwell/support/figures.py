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


def _since(today=None):
    today = today or timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=WINDOW_DAYS), dt.time.min))


def support_figures(org, *, today=None) -> dict:
    requests = list(
        SupportRequest.objects.for_org(org)
        .filter(created_at__gte=_since(today))
        .values("pk", "owner_id", "tier", "staff_group", "event_kind", "created_at", "accepted_at")
    )
    groups: dict[tuple, set] = {("all", ""): set()}
    counts: dict[tuple, int] = {("all", ""): 0}

    def add(key, r):
        groups.setdefault(key, set()).add(r["owner_id"])
        counts[key] = counts.get(key, 0) + 1

    for r in requests:
        add(("all", ""), r)
        add(("tier", r["tier"]), r)
        add(("group", r["staff_group"] or "not_recorded"), r)
        add(("kind", r["event_kind"]), r)
    for tier in (1, 2, 3):
        groups.setdefault(("tier", tier), set())
    for value, _ in content.EventKind.choices:
        groups.setdefault(("kind", value), set())
    threshold = suppression.min_group_size(org)
    plan = suppression.plan({k: frozenset(v) for k, v in groups.items()}, threshold=threshold, keep=[("all", "")])

    def fig(key):
        return plan.figure(key, counts.get(key, 0))

    staff_groups = dict(StaffGroup.choices) | {"not_recorded": "Not recorded"}
    accepted = [r for r in requests if r["accepted_at"]]
    hours = [(r["accepted_at"] - r["created_at"]).total_seconds() / 3600 for r in accepted]
    # A median is about as many people as the accepted requests; the one service decides.
    median_hours = suppression.count(len({r["owner_id"] for r in accepted}), org=org)
    response = (
        suppression.Figure(round(median(hours), 1), False) if hours and not median_hours.suppressed else median_hours
    )
    followups = FollowUp.objects.filter(request__organisation=org, request__created_at__gte=_since(today))
    done = followups.filter(done_at__isnull=False)
    people = suppression.count(len(set(done.values_list("request__owner_id", flat=True))), org=org)
    done_count = done.count()
    return {
        "threshold": threshold,
        "total": fig(("all", "")),
        "by_tier": [(f"Tier {t}", fig(("tier", t))) for t in (1, 2, 3)],
        "by_kind": [(label, fig(("kind", v))) for v, label in content.EventKind.choices],
        "by_group": [(staff_groups.get(k[1], k[1]), fig(k)) for k in sorted(groups) if k[0] == "group"],
        "median_response_hours": response,
        "followups_done": people if people.suppressed else suppression.Figure(done_count, False),
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
