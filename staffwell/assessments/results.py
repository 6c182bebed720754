"""Results of a cycle: profiles by element and sub-element, disagreements, strengths, gaps,
change since the previous cycle, and the charts (server-rendered SVG, each with a table).

These are ratings agreed by a partnership about the organisation, not figures derived from
individual people's data, so the suppression service does not apply.
"""

from dataclasses import dataclass, field
from statistics import mean

from markupsafe import Markup, escape

from staffwell.assessments.models import Cycle, Side


@dataclass
class StatementResult:
    statement: object
    employer: int | None
    staff: int | None
    agreed: int | None
    rationale: str

    @property
    def disagreed(self) -> bool:
        return self.employer is not None and self.staff is not None and self.employer != self.staff

    @property
    def gap(self) -> int:
        if self.employer is None or self.staff is None:
            return 0
        return abs(self.employer - self.staff)


@dataclass
class GroupResult:
    code: str
    title: str
    statements: list[StatementResult] = field(default_factory=list)
    previous: float | None = None

    @property
    def score(self) -> float | None:
        levels = [s.agreed for s in self.statements if s.agreed is not None]
        return round(mean(levels), 1) if levels else None

    @property
    def disagreements(self) -> int:
        return sum(1 for s in self.statements if s.disagreed)

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous is None:
            return None
        return round(self.score - self.previous, 1)


@dataclass
class ElementResult(GroupResult):
    sub_elements: list[GroupResult] = field(default_factory=list)


@dataclass
class CycleResults:
    cycle: Cycle
    max_level: int
    levels: dict
    elements: list[ElementResult]
    previous_cycle: Cycle | None
    show_sides: bool

    @property
    def statements(self) -> list[StatementResult]:
        return [s for e in self.elements for sub in e.sub_elements for s in sub.statements]

    @property
    def disagreements(self) -> list[StatementResult]:
        return sorted((s for s in self.statements if s.disagreed), key=lambda s: (-s.gap, s.statement.code))

    @property
    def sub_elements(self) -> list[GroupResult]:
        return [sub for e in self.elements for sub in e.sub_elements]

    @property
    def strengths(self) -> list[GroupResult]:
        return [s for s in self.sub_elements if s.score is not None and s.score >= 0.75 * self.max_level]

    @property
    def gaps(self) -> list[GroupResult]:
        return [s for s in self.sub_elements if s.score is not None and s.score <= 0.5 * self.max_level]


def previous_cycle(cycle: Cycle) -> Cycle | None:
    return (
        Cycle.objects.filter(
            organisation=cycle.organisation,
            framework__slug=cycle.framework.slug,
            status__in=[Cycle.Status.SIGNED_OFF, Cycle.Status.AMENDING],
            created_at__lt=cycle.created_at,
        )
        .exclude(pk=cycle.pk)
        .order_by("-created_at")
        .first()
    )


def element_scores(cycle: Cycle) -> dict[str, tuple[str, float | None]]:
    """Agreed score per element code: {code: (title, score)}."""
    results = build(cycle, with_previous=False)
    return {e.code: (e.title, e.score) for e in results.elements}


def build(cycle: Cycle, *, with_previous: bool = True) -> CycleResults:
    levels = {lv.value: lv.label for lv in cycle.framework.levels.all()}
    show_sides = cycle.both_submitted
    ratings: dict[tuple[int, str], int | None] = {}
    if show_sides:
        for r in cycle.ratings.all():
            ratings[(r.statement_id, r.side)] = r.level
    agreed = {a.statement_id: a for a in cycle.agreed.all()}
    elements: dict[int, ElementResult] = {}
    subs: dict[int, GroupResult] = {}
    for st in cycle.statements():
        sub = st.sub_element
        el = sub.element
        if el.pk not in elements:
            elements[el.pk] = ElementResult(el.code, el.title)
        if sub.pk not in subs:
            subs[sub.pk] = GroupResult(sub.code, sub.title)
            elements[el.pk].sub_elements.append(subs[sub.pk])
        a = agreed.get(st.pk)
        result = StatementResult(
            st,
            ratings.get((st.pk, Side.EMPLOYER)),
            ratings.get((st.pk, Side.STAFF)),
            a.level if a else None,
            a.rationale if a else "",
        )
        subs[sub.pk].statements.append(result)
        elements[el.pk].statements.append(result)
    element_list = sorted(elements.values(), key=lambda e: _order_key(e.code))
    prev = previous_cycle(cycle) if with_previous else None
    if prev is not None:
        before = build(prev, with_previous=False)
        prev_el = {e.code: e.score for e in before.elements}
        prev_sub = {s.code: s.score for s in before.sub_elements}
        for e in element_list:
            e.previous = prev_el.get(e.code)
            for s in e.sub_elements:
                s.previous = prev_sub.get(s.code)
    return CycleResults(cycle, max(levels, default=4), levels, element_list, prev, show_sides)


def _order_key(code: str):
    return [(0, int(p)) if p.isdigit() else (1, p) for p in code.split(".")]


def history(cycle: Cycle, limit: int = 5) -> list[tuple[Cycle, dict]]:
    """Signed-off cycles on the same framework up to this one, oldest first, with element scores."""
    cycles = list(
        Cycle.objects.filter(
            organisation=cycle.organisation,
            framework__slug=cycle.framework.slug,
            created_at__lte=cycle.created_at,
        )
        .filter(status__in=[Cycle.Status.SIGNED_OFF, Cycle.Status.AMENDING])
        .order_by("-created_at")[:limit]
    )
    if cycle not in cycles and cycle.both_submitted:
        cycles.insert(0, cycle)
    return [(c, element_scores(c)) for c in reversed(cycles)]


# JSON for analysts ---------------------------------------------------------------------


def _group_json(g: GroupResult) -> dict:
    return {
        "code": g.code,
        "title": g.title,
        "agreed_score": g.score,
        "previous_score": g.previous,
        "change": g.change,
        "disagreements": g.disagreements,
    }


def _level_json(levels: dict, value: int | None) -> dict | None:
    return None if value is None else {"value": value, "label": levels.get(value, "")}


def as_json(res: CycleResults, hist: list[tuple[Cycle, dict]]) -> dict:
    """Exactly what the results page shows, as data. Before both sides have submitted the page
    shows no results, and neither does this: only the cycle and why there is nothing yet."""
    cycle = res.cycle
    out: dict = {
        "cycle": {
            "id": cycle.pk,
            "title": cycle.title,
            "status": cycle.status,
            "framework": {"slug": cycle.framework.slug, "version": cycle.framework.version},
            "signed_off_at": cycle.signed_off_at.isoformat() if cycle.signed_off_at else None,
        },
        "results_available": res.show_sides,
    }
    if not res.show_sides:
        out["message"] = "Results appear once both sides have submitted their ratings and agreed them."
        return out
    codes = [e.code for e in res.elements]
    out.update(
        {
            "scale": {"min": 1, "max": res.max_level, "levels": [_level_json(res.levels, v) for v in res.levels]},
            "compared_with": {"id": res.previous_cycle.pk, "title": res.previous_cycle.title}
            if res.previous_cycle
            else None,
            "elements": [
                {**_group_json(e), "sub_elements": [_group_json(s) for s in e.sub_elements]} for e in res.elements
            ],
            # The page shows change over cycles only when there is more than one cycle to compare.
            "history": [
                {
                    "cycle": {"id": c.pk, "title": c.title},
                    "scores": {code: scores.get(code, (None, None))[1] for code in codes},
                }
                for c, scores in hist
            ]
            if len(hist) > 1
            else [],
            "strengths": [{"code": g.code, "title": g.title, "agreed_score": g.score} for g in res.strengths],
            "gaps": [{"code": g.code, "title": g.title, "agreed_score": g.score} for g in res.gaps],
            "disagreements": [
                {
                    "code": d.statement.code,
                    "statement": d.statement.text,
                    "employer_side": _level_json(res.levels, d.employer),
                    "staff_side": _level_json(res.levels, d.staff),
                    "agreed": _level_json(res.levels, d.agreed),
                }
                for d in res.disagreements
            ],
        }
    )
    return out


# Charts -------------------------------------------------------------------------------

PALETTE = ["#005eb8", "#007f3b", "#330072", "#ae2573", "#ed8b00", "#425563"]


def profile_svg(rows: list[tuple[str, float | None]], max_level: int, title: str, chart_id: str) -> Markup:
    """A horizontal bar chart of scores (0 to max_level), labelled, sized to fit a phone."""
    bar_h, gap, left, width = 22, 14, 44, 320
    height = len(rows) * (bar_h + gap) + 30
    parts = [
        f'<svg class="staffwell-chart" viewBox="0 0 {left + width + 50} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}. The same figures are in the table below.</title>',
    ]
    for tick in range(0, max_level + 1):
        x = left + width * tick / max_level
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 24}" stroke="#d8dde0" stroke-width="1"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" font-size="12" text-anchor="middle" fill="#4c6272">{tick}</text>'
        )
    for i, (label, value) in enumerate(rows):
        y = i * (bar_h + gap) + 4
        parts.append(
            f'<text x="{left - 6}" y="{y + bar_h * 0.7:.1f}" font-size="13" text-anchor="end" fill="#212b32">'
            f"{escape(label)}</text>"
        )
        if value is None:
            parts.append(
                f'<text x="{left + 4}" y="{y + bar_h * 0.7:.1f}" font-size="12" fill="#4c6272">no rating</text>'
            )
            continue
        w = width * value / max_level
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#005eb8"/>')
        parts.append(
            f'<text x="{left + w + 4:.1f}" y="{y + bar_h * 0.7:.1f}" font-size="13" fill="#212b32">{value:.1f}</text>'
        )
    parts.append("</svg>")
    # Every piece of text in the chart went through escape() above.
    return Markup("".join(parts))  # noqa: S704


def change_svg(
    series: list[tuple[str, list[float | None]]], codes: list[str], max_level: int, title: str, chart_id: str
):
    """Grouped bars: for each element, one bar per cycle (oldest first), with a legend."""
    n = max(len(series), 1)
    bar_h, group_gap, left, width = 10, 14, 44, 320
    group_h = n * bar_h + group_gap
    legend_h = 20 * n
    height = len(codes) * group_h + 30 + legend_h
    parts = [
        f'<svg class="staffwell-chart" viewBox="0 0 {left + width + 50} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}. The same figures are in the table below.</title>',
    ]
    for i, (name, _) in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{left}" y="{i * 20 + 2}" width="14" height="14" fill="{colour}"/>')
        parts.append(f'<text x="{left + 20}" y="{i * 20 + 14}" font-size="13" fill="#212b32">{escape(name)}</text>')
    top = legend_h + 6
    chart_bottom = top + len(codes) * group_h
    for tick in range(0, max_level + 1):
        x = left + width * tick / max_level
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{chart_bottom}" stroke="#d8dde0"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{chart_bottom + 16}" font-size="12" text-anchor="middle" fill="#4c6272">{tick}</text>'
        )
    for g, code in enumerate(codes):
        y0 = top + g * group_h
        parts.append(
            f'<text x="{left - 6}" y="{y0 + n * bar_h / 2 + 4:.1f}" font-size="13" text-anchor="end" fill="#212b32">'
            f"{escape(code)}</text>"
        )
        for i, (_, values) in enumerate(series):
            value = values[g]
            if value is None:
                continue
            parts.append(
                f'<rect x="{left}" y="{y0 + i * bar_h}" width="{width * value / max_level:.1f}" height="{bar_h - 1}" '
                f'fill="{PALETTE[i % len(PALETTE)]}"/>'
            )
    parts.append("</svg>")
    # Every piece of text in the chart went through escape() above.
    return Markup("".join(parts))  # noqa: S704
