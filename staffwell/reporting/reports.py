"""Survey reports: every figure of every page, export and JSON twin is made here, from the
campaign's prepared aggregates, through the campaign's plan (``Prepared.plan.figure``).

``build(...)`` returns one plain structure; the HTML page, the JSON twin, the CSV, the XLSX
and the PDF are all renderings of that structure, so they cannot differ in what they show.
"""

from staffwell.reporting.data import Prepared, prepared
from staffwell.reporting.scores import (
    HSE_KEY,
    Audience,
    Band,
    Scores,
    band_for,
    benchmark_for,
    group_label,
    national_table,
    previous_campaign,
    rows_for,
)
from staffwell.suppression import Figure
from staffwell.surveys.models import Campaign

__all__ = [
    "HSE_KEY",
    "Audience",
    "Band",
    "Scores",
    "as_json",
    "band_for",
    "benchmark_for",
    "build",
    "group_label",
    "national_table",
    "rows_for",
]


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
