"""Server-rendered SVG geometry for Making Data Count charts (templates draw it).

Colour is never the only cue: special-cause points also differ in shape (a diamond for
concern, a square for improvement, a triangle for neutral), icons carry a letter, and every
chart has a text summary and a data table beside it."""

import datetime
from dataclasses import dataclass

from staffwell.absence import spc

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 40
TONES = {"grey": "#425563", "blue": "#005eb8", "orange": "#b35000", "purple": "#330072"}
KIND_TONE = {"common": "grey", "improvement": "blue", "concern": "orange", "neutral": "purple"}
KIND_LABEL = {
    "common": "Common cause",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause",
}


@dataclass
class Chart:
    analysis: spc.Analysis
    title: str
    unit: str
    width: int
    height: int
    dots: list
    lines: list  # (name, dashed, points "x,y x,y")
    y_ticks: list
    x_ticks: list
    marker: dict | None
    gaps: list  # labels of months not shown (suppressed)
    rebases: list = ()  # known changes where a new mean and limits start: {x, top, bottom, label, reason, ...}
    changes_url: str = ""  # where both sides see (and the lead marks) known changes on this series
    coverage: dict | None = None  # for a staff group some of whose people were combined: month label -> Coverage


def _shape(kind: str, x: float, y: float) -> dict:
    tone = TONES[KIND_TONE[kind]]
    if kind == "concern":
        pts = f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}"
        return {"polygon": pts, "fill": tone}
    if kind == "improvement":
        return {"rect": (x - 5, y - 5), "fill": tone}
    if kind == "neutral":
        return {"polygon": f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y + 5:.1f} {x - 6:.1f},{y + 5:.1f}", "fill": tone}
    return {"circle": (x, y), "fill": tone}


def build(
    analysis: spc.Analysis,
    *,
    title: str,
    unit: str = "%",
    months: list | None = None,
    marker_month=None,
    gaps=(),
    changes=(),
) -> Chart:
    """``changes``: (index of the first point of a new segment, the change) for each known
    change the analysis rebased at; drawn as a line with "New baseline"."""
    pts = analysis.points
    values = [p.value for p in pts]
    for p in pts:
        values += [v for v in (p.upper, p.lower, p.mean) if v is not None]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.08
    lo, hi = max(0.0, lo - pad), hi + pad
    n = max(len(pts), 2)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i):
        return LEFT + plot_w * i / (n - 1)

    def y(v):
        return TOP + plot_h * (1 - (v - lo) / (hi - lo))

    dots = []
    for i, p in enumerate(pts):
        dots.append({"label": p.label, "value": p.value, "kind": p.kind, **_shape(p.kind, x(i), y(p.value))})
    lines = [("data", False, " ".join(f"{x(i):.1f},{y(p.value):.1f}" for i, p in enumerate(pts)))]
    by_segment: dict[int, list[int]] = {}
    for i, p in enumerate(pts):
        by_segment.setdefault(p.segment, []).append(i)
    for idx in by_segment.values():
        a, b = idx[0], idx[-1]
        names = [("mean", False, "mean")]
        if analysis.mode == "xmr":
            names += [("upper", True, "upper"), ("lower", True, "lower")]
        for name, dashed, attr in names:
            va, vb = getattr(pts[a], attr), getattr(pts[b], attr)
            lines.append((name, dashed, f"{x(a):.1f},{y(va):.1f} {x(b):.1f},{y(vb):.1f}"))
    step = (hi - lo) / 4
    y_ticks = [{"y": y(lo + k * step), "text": f"{lo + k * step:.1f}{unit}"} for k in range(5)]
    every = max(1, round(len(pts) / 6))
    x_ticks = [{"x": x(i), "text": p.label} for i, p in enumerate(pts) if i % every == 0]
    marker = None
    if marker_month is not None and months:
        later = [i for i, m in enumerate(months) if m >= marker_month]
        if later:
            marker = {"x": x(later[0]), "top": TOP, "bottom": TOP + plot_h, "label": "Action started"}
    rebases = [
        {
            "x": (x(i - 1) + x(i)) / 2,
            "top": TOP,
            "bottom": TOP + plot_h,
            "label": "New baseline",
            "index": i,
            "month": pts[i].label,
            "change": change,
        }
        for i, change in changes
    ]
    return Chart(analysis, title, unit, WIDTH, HEIGHT, dots, lines, y_ticks, x_ticks, marker, list(gaps), rebases)


def short_month(month: datetime.date) -> str:
    return month.strftime("%b %Y")
