"""Survey reports: every figure of every page, export and JSON twin is made here, from the
campaign's prepared aggregates, through the campaign's plan (``Prepared.plan.figure``).

``build(...)`` returns one plain structure; the HTML page, the JSON twin, the CSV, the XLSX
and the PDF are all renderings of that structure, so they cannot differ in what they show.
"""

from dataclasses import dataclass

import numpy as np

from staffwell.core.permissions import Perm
from staffwell.reporting.data import Prepared, prepared
from staffwell.reporting.models import BenchmarkTable
from staffwell.suppression import Figure, publication
from staffwell.surveys.models import Campaign

HSE_KEY = "hse-indicator-tool"

BANDS = [
    # (key, label, short label)
    ("urgent", "Urgent action needed", "Urgent action"),
    ("improve", "Clear need for improvement", "Needs improvement"),
    ("good", "Good, but need for improvement", "Good"),
    ("very-good", "Doing very well, need to maintain performance", "Very good"),
]


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    short: str

    def as_json(self) -> dict:
        return {"key": self.key, "label": self.label}


def band_for(score: float, cuts: tuple[float, float, float] | None) -> Band | None:
    if cuts is None:
        return None
    p20, p50, p80 = cuts
    index = 0 if score < p20 else 1 if score < p50 else 2 if score < p80 else 3
    return Band(*BANDS[index])


def benchmark_for(org) -> BenchmarkTable | None:
    chosen = BenchmarkTable.objects.filter(organisation=org, in_use=True).first()
    return chosen or BenchmarkTable.objects.filter(organisation=None, in_use=True).first()


# --- audience ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """What one member may see of a campaign's reports."""

    all_units: bool  # leads and reps: the whole organisation
    unit_ids: frozenset  # line managers: the units they manage and every unit below
    filters: bool  # the staff-group breakdown

    @classmethod
    def of(cls, membership, prep: Prepared) -> "Audience":
        if membership.has_perm(Perm.VIEW_ORG_AGGREGATES):
            return cls(True, frozenset(prep.units), True)
        if membership.has_perm(Perm.VIEW_TEAM_AGGREGATES):
            managed = {u.pk for u in membership.managed_units()}
            ids = {u for u in prep.units if managed & set(prep.tree.chain(u))}
            return cls(False, frozenset(ids), False)
        return cls(False, frozenset(), False)

    def may_see(self, key: str) -> bool:
        if key == "org":
            return True
        if "|sg:" in key:
            return self.filters
        return int(key.split(":")[1]) in self.unit_ids


def can_view(membership, campaign: Campaign) -> bool:
    """Reports exist once a campaign has closed; then every member sees at least the
    organisation-level results. A survey's answers are readable only once it has been
    closed (its sealed responses released, ADR 0011); a check-in pulse once its month ends."""
    return campaign.phase == "Closed" and (campaign.from_checkins or campaign.status == Campaign.Status.CLOSED)


# --- figures ----------------------------------------------------------------------------


class Scores:
    """Scored means and answer shares for groups of one prepared campaign."""

    def __init__(self, prep: Prepared):
        self.prep = prep
        self.score = np.zeros((len(prep.questions), len(prep.values)))
        for i, q in enumerate(prep.questions):
            for j, v in enumerate(prep.values):
                self.score[i, j] = q.score(v) if v in q.response_set.values else 0
        self.scales: dict[str, list[int]] = {}
        for i, q in enumerate(prep.questions):
            name = q.scale.name if q.scale_id else f"Question {q.number}"
            self.scales.setdefault(name, []).append(i)

    def figure(self, key: str, compute) -> Figure:
        return self.prep.plan.figure(key, compute)

    def respondents(self, key: str) -> Figure:
        return self.figure(key, lambda: self.prep.respondents(key))

    def scale_means(self, key: str) -> dict[str, Figure]:
        def mean(rows):
            def compute():
                h = self.prep.hist(key)[rows]
                answered = h.sum()
                return round(float((h * self.score[rows]).sum() / answered), 2) if answered else None

            return compute

        return {name: self.figure(key, mean(rows)) for name, rows in self.scales.items()}

    def question_means(self, key: str) -> list[Figure]:
        def mean(i):
            def compute():
                h = self.prep.hist(key)[i]
                return round(float((h * self.score[i]).sum() / h.sum()), 2) if h.sum() else None

            return compute

        return [self.figure(key, mean(i)) for i in range(len(self.prep.questions))]

    def favourable(self, key: str) -> list[Figure]:
        """Share giving one of the two best answers (after reverse scoring)."""

        def share(i):
            def compute():
                h = self.prep.hist(key)[i]
                top = self.score[i] >= max(self.score[i]) - 1
                return round(float(100 * h[top].sum() / h.sum()), 1) if h.sum() else None

            return compute

        return [self.figure(key, share(i)) for i in range(len(self.prep.questions))]

    def distribution(self, key: str) -> list[dict]:
        out = []
        for i, q in enumerate(self.prep.questions):
            values = q.response_set.values

            def share(j, i=i):
                def compute():
                    h = self.prep.hist(key)[i]
                    return round(float(100 * h[j] / h.sum()), 1) if h.sum() else None

                return compute

            out.append(
                {
                    "number": q.number,
                    "text": q.text,
                    "scale": q.scale.name if q.scale_id else "",
                    "reverse_scored": q.reverse_scored,
                    "answers": [
                        {
                            "label": q.response_set.label_for(v),
                            "percent": self.figure(key, share(self.prep.values.index(v))),
                        }
                        for v in values
                    ],
                }
            )
        return out


def group_label(prep: Prepared, key: str) -> str:
    if key == "org":
        return "Whole organisation"
    if "|sg:" in key:
        from staffwell.organisations.models import StaffGroup

        group = key.split("|sg:")[1]
        return f"Staff group: {StaffGroup(group).label if group in StaffGroup.values else group}"
    unit = prep.units[int(key.split(":")[1])]
    names = [prep.units[u].name for u in reversed(prep.tree.chain(unit.pk)) if u in prep.units]
    return " > ".join(names)


def rows_for(prep: Prepared, audience: Audience) -> list[str]:
    """The groups an audience sees, organisation first, then units in tree order, then
    staff groups."""
    units = sorted(
        (u for u in prep.units if audience.may_see(publication.unit_key(u))),
        key=lambda u: [prep.units[a].name.lower() for a in reversed(prep.tree.chain(u)) if a in prep.units],
    )
    keys = ["org", *(publication.unit_key(u) for u in units)]
    if audience.filters:
        keys += [publication.filter_key(None, g) for g in prep.staff_groups]
    return keys


def previous_campaign(campaign: Campaign) -> Campaign | None:
    earlier = (
        Campaign.objects.for_org(campaign.organisation)
        .filter(instrument__key=campaign.instrument.key, closes_on__lt=campaign.opens_on)
        .exclude(pk=campaign.pk)
        .order_by("-closes_on")
    )
    return next((c for c in earlier if c.phase == "Closed"), None)


# --- the report ---------------------------------------------------------------------------


def build(campaign: Campaign, membership, *, focus: str = "org", prep: Prepared | None = None) -> dict:
    """Everything a report page shows for ``membership``, as one structure."""
    prep = prep or prepared(campaign)
    audience = Audience.of(membership, prep)
    scores = Scores(prep)
    keys = rows_for(prep, audience)
    if focus not in keys:
        focus = "org"
    is_hse = campaign.instrument.key == HSE_KEY
    report: dict = {
        "campaign": campaign,
        "is_hse": is_hse,
        "threshold": prep.plan.threshold,
        "free_text_threshold": prep.comment_plan.threshold,
        "focus": focus,
        "focus_label": group_label(prep, focus),
        "groups": [{"key": k, "label": group_label(prep, k)} for k in keys],
        "scales": list(scores.scales),
        "questions": [{"number": q.number, "text": q.text} for q in prep.questions],
        "attribution": campaign.instrument.attribution,
    }
    org_scales = scores.scale_means("org")
    previous = previous_campaign(campaign)
    prev_scores = Scores(prepared(previous)) if previous else None
    report["previous"] = previous
    if is_hse:
        table = benchmark_for(campaign.organisation)
        cuts = table.cut_points() if table else {}
        report["benchmark"] = table
        rows = []
        for key in keys:
            means = scores.scale_means(key)
            prev = prev_scores.scale_means(key) if prev_scores and key in prev_scores.prep.plan.sizes else {}
            cells = []
            for scale, fig in means.items():
                cells.append(
                    {
                        "scale": scale,
                        "score": fig,
                        "band": None if fig.suppressed or fig.value is None else band_for(fig.value, cuts.get(scale)),
                        "vs_org": _difference(fig, org_scales[scale]),
                        "vs_previous": _difference(fig, prev.get(scale)),
                    }
                )
            rows.append(
                {"key": key, "label": group_label(prep, key), "respondents": scores.respondents(key), "cells": cells}
            )
        report["heatmap"] = rows
        focus_means = scores.scale_means(focus)
        report["weakest"] = _weakest(focus_means, cuts)
    else:
        rows = []
        for key in keys:
            means, fav = scores.question_means(key), scores.favourable(key)
            rows.append(
                {
                    "key": key,
                    "label": group_label(prep, key),
                    "respondents": scores.respondents(key),
                    "cells": [
                        {"question": q.number, "mean": m, "favourable": f}
                        for q, m, f in zip(prep.questions, means, fav, strict=True)
                    ],
                }
            )
        report["pulse"] = rows
        report["trend"] = _trend(campaign, focus)
    report["distribution"] = scores.distribution(focus)
    report["focus_respondents"] = scores.respondents(focus)
    return report


def _difference(figure: Figure, other: Figure | None) -> Figure:
    if other is None or figure.suppressed or other.suppressed or figure.value is None or other.value is None:
        return Figure(None, True, "Not available")
    return Figure(round(figure.value - other.value, 2), False)


def _weakest(means: dict[str, Figure], cuts: dict) -> list[dict]:
    """The scales furthest below the benchmark median: a starting point for action."""
    shown = [
        (fig.value - cuts[scale][1], scale, fig)
        for scale, fig in means.items()
        if not fig.suppressed and fig.value is not None and scale in cuts
    ]
    return [
        {"scale": scale, "score": fig, "band": band_for(fig.value, cuts[scale]), "below_median": round(-gap, 2)}
        for gap, scale, fig in sorted(shown)[:3]
        if gap < 0
    ]


def _trend(campaign: Campaign, focus: str) -> list[dict]:
    """The same group across the organisation's closed campaigns of this question set."""
    campaigns = [
        c
        for c in Campaign.objects.for_org(campaign.organisation)
        .filter(instrument__key=campaign.instrument.key, opens_on__lte=campaign.opens_on)
        .select_related("instrument", "organisation")
        .order_by("opens_on")
        if c.phase == "Closed"
    ]
    out = []
    for c in campaigns[-8:]:
        scores = Scores(prepared(c))
        key = focus if focus in scores.prep.plan.sizes else None
        means = (
            scores.question_means(key)
            if key
            else [Figure(None, True, "Not part of this survey")] * len(scores.prep.questions)
        )
        out.append(
            {
                "campaign": c.name,
                "closed": c.closes_on,
                "respondents": scores.respondents(key) if key else Figure(None, True, "Not part of this survey"),
                "means": {q.number: m for q, m in zip(scores.prep.questions, means, strict=True)},
            }
        )
    return out


# --- JSON -------------------------------------------------------------------------------


def as_json(report: dict) -> dict:
    """The JSON twin of a report page: the same structure, the same figures."""

    def fig(f: Figure, key: str) -> dict:
        return {"group": key, **f.as_json()}

    campaign = report["campaign"]
    out = {
        "campaign": {"id": campaign.pk, "name": campaign.name, "question_set": str(campaign.instrument)},
        "minimum_group": report["threshold"],
        "focus": {"group": report["focus"], "label": report["focus_label"]},
        "groups": [{"group": g["key"], "label": g["label"]} for g in report["groups"]],
        "attribution": report["attribution"],
    }
    if report["is_hse"]:
        table = report.get("benchmark")
        out["benchmark"] = (
            {"name": table.name, "source": table.source, "year": table.year, "verified": table.verified}
            if table
            else None
        )
        out["heatmap"] = [
            {
                "group": row["key"],
                "label": row["label"],
                "respondents": fig(row["respondents"], row["key"]),
                "scales": [
                    {
                        "scale": c["scale"],
                        "score": fig(c["score"], row["key"]),
                        "band": c["band"].as_json() if c["band"] else None,
                        "difference_from_organisation": c["vs_org"].as_json(),
                        "difference_from_previous": c["vs_previous"].as_json(),
                    }
                    for c in row["cells"]
                ],
            }
            for row in report["heatmap"]
        ]
        out["weakest_scales"] = [
            {"scale": w["scale"], "score": fig(w["score"], report["focus"]), "band": w["band"].as_json()}
            for w in report["weakest"]
        ]
    else:
        out["questions"] = report["questions"]
        out["pulse"] = [
            {
                "group": row["key"],
                "label": row["label"],
                "respondents": fig(row["respondents"], row["key"]),
                "questions": [
                    {
                        "question": c["question"],
                        "mean": fig(c["mean"], row["key"]),
                        "percent_favourable": fig(c["favourable"], row["key"]),
                    }
                    for c in row["cells"]
                ],
            }
            for row in report["pulse"]
        ]
        out["trend"] = [
            {
                "campaign": t["campaign"],
                "closed": t["closed"].isoformat(),
                "respondents": t["respondents"].as_json(),
                "means": {str(n): m.as_json() for n, m in t["means"].items()},
            }
            for t in report["trend"]
        ]
    out["distribution"] = {
        "group": report["focus"],
        "respondents": fig(report["focus_respondents"], report["focus"]),
        "questions": [
            {
                "number": d["number"],
                "text": d["text"],
                "answers": [{"label": a["label"], **a["percent"].as_json()} for a in d["answers"]],
            }
            for d in report["distribution"]
        ],
    }
    return out


# --- national ---------------------------------------------------------------------------


def national_table(campaigns=None) -> dict:
    """Every organisation's seven HSE scale scores from its latest closed HSE campaign, each
    through that campaign's own plan, and the 20th/50th/80th percentiles across
    organisations: a benchmark table made from staffwell's own data."""
    if campaigns is None:
        latest: dict[int, Campaign] = {}
        for c in Campaign.objects.filter(instrument__key=HSE_KEY).select_related("instrument", "organisation"):
            if c.phase == "Closed" and (
                c.organisation_id not in latest or c.closes_on > latest[c.organisation_id].closes_on
            ):
                latest[c.organisation_id] = c
        campaigns = list(latest.values())
    rows = []
    for c in campaigns:
        means = Scores(prepared(c)).scale_means("org")
        rows.append({"organisation": c.organisation, "campaign": c, "scales": means})
    scales = list(rows[0]["scales"]) if rows else []
    percentiles = {}
    for scale in scales:
        values = [r["scales"][scale].value for r in rows if not r["scales"][scale].suppressed]
        if len(values) >= 5:  # too few organisations make a poor benchmark
            p20, p50, p80 = np.percentile(values, [20, 50, 80])
            percentiles[scale] = (round(float(p20), 4), round(float(p50), 4), round(float(p80), 4))
    return {"rows": rows, "percentiles": percentiles}
