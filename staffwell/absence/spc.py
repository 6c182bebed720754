"""Making Data Count: XmR charts and their special-cause rules, as data-driven code.

The method (NHS England's Making Data Count, and the NHS-R community's NHSRplotthedots) is
described in docs/spc.md. In short:

* centre line: the mean of the points (of the baseline, when one is fixed);
* moving range: |x(i) - x(i-1)| within a segment; process limits: mean +/- 2.66 x mean mR;
  near limits ("two sigma"): mean +/- (2/3 x 2.66) x mean mR;
* four special-cause rules, each a row of ``RULES``: a point outside the limits; a run of
  ``run_length`` points on one side of the mean; a trend of ``trend_length`` points each
  rising (or falling); two of three consecutive points beyond a near limit, all three on
  the same side of the mean;
* each special-cause point is improvement or concern by the measure's improvement
  direction; a variation icon from the latest point and an assurance icon from a target.

Everything a trust may set locally is in ``Settings``. Nothing here knows about absence.
"""

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from statistics import median

LIMIT = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two
NEAR = 2 / 3 * LIMIT  # two sigma
SCREEN = 3.267  # D4: a moving range above this x mean mR is screened out when asked


class Direction(StrEnum):
    INCREASE = "increase"  # higher is better
    DECREASE = "decrease"  # lower is better (sickness absence)
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Settings:
    """Local choices, with NHS England's defaults."""

    run_length: int = 7  # points on one side of the mean (6 to 8 in local use)
    trend_length: int = 7  # points each rising or each falling, including the first
    min_points: int = 15  # fewer than this: a run chart, no limits
    warn_points: int = 12  # fewer than this: a warning on the run chart too
    screen_moving_ranges: bool = False  # NHS-R screens by default; NHS England's tools do not
    conflict: str = "concern"  # a point that is both improvement and concern counts as this
    seasonal_lag: int = 12
    seasonal_threshold: float = 0.3  # autocorrelation at the seasonal lag that earns a warning

    def __post_init__(self):
        if not 2 <= self.run_length <= 12 or not 3 <= self.trend_length <= 12:
            raise ValueError("Run and trend lengths must be between 2-12 and 3-12 points.")
        if self.conflict not in {"concern", "improvement"}:
            raise ValueError("conflict must be 'concern' or 'improvement'.")


DEFAULTS = Settings()


@dataclass
class Point:
    label: str
    value: float
    segment: int = 0
    mean: float = 0.0
    upper: float | None = None
    lower: float | None = None
    near_upper: float | None = None
    near_lower: float | None = None
    moving_range: float | None = None
    sides: dict = field(default_factory=dict)  # rule key -> "high" | "low"
    kind: str = "common"  # common | improvement | concern | neutral

    @property
    def special(self) -> bool:
        return bool(self.sides)

    @property
    def rules(self) -> list[str]:
        return [RULE_BY_KEY[k].label for k in self.sides]


# The rules ------------------------------------------------------------------------------
# Each takes the points of one segment (with mean and limits set) and the settings, and
# returns {index: "high" | "low"} for the points it flags.


def _outside(points: Sequence[Point], s: Settings) -> dict[int, str]:
    out = {}
    for i, p in enumerate(points):
        if p.value > p.upper:
            out[i] = "high"
        elif p.value < p.lower:
            out[i] = "low"
    return out


def _run(points: Sequence[Point], s: Settings) -> dict[int, str]:
    """``run_length`` or more consecutive points on one side; a point on the mean breaks it."""
    out: dict[int, str] = {}
    start, side = 0, None
    for i, p in enumerate([*points, None]):
        this = None if p is None else ("high" if p.value > p.mean else "low" if p.value < p.mean else None)
        if this != side or this is None:
            if side is not None and i - start >= s.run_length:
                out.update(dict.fromkeys(range(start, i), side))
            start, side = i, this
    return out


def _trend(points: Sequence[Point], s: Settings) -> dict[int, str]:
    """``trend_length`` or more points each strictly above (or below) the one before; a tie
    breaks it. The first point of the trend counts. Rising is 'high', falling 'low'."""
    out: dict[int, str] = {}
    start, side = 0, None
    values = [p.value for p in points]
    for i in range(1, len(values) + 1):
        step = None
        if i < len(values):
            step = "high" if values[i] > values[i - 1] else "low" if values[i] < values[i - 1] else None
        if step != side or step is None:
            if side is not None and i - start >= s.trend_length:
                for j in range(start, i):
                    out.setdefault(j, side)
            start, side = i - 1, step
    return out


def _two_of_three(points: Sequence[Point], s: Settings) -> dict[int, str]:
    """In any three consecutive points, two or more beyond the same near limit with all three
    on that side of the mean: the points beyond the near limit are flagged."""
    out: dict[int, str] = {}
    for i in range(len(points) - 2):
        window = points[i : i + 3]
        for side, beyond, same in (
            ("high", lambda p: p.value > p.near_upper, lambda p: p.value > p.mean),
            ("low", lambda p: p.value < p.near_lower, lambda p: p.value < p.mean),
        ):
            if all(same(p) for p in window) and sum(beyond(p) for p in window) >= 2:
                for j, p in enumerate(window):
                    if beyond(p):
                        out[i + j] = side
    return out


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    test: Callable[[Sequence[Point], Settings], dict[int, str]]


RULES = (
    Rule("outside", "a point outside the process limits", _outside),
    Rule("run", "a run of points on one side of the mean", _run),
    Rule("trend", "a trend of points all rising or all falling", _trend),
    Rule("two_of_three", "two of three points near a process limit", _two_of_three),
)
RULE_BY_KEY = {r.key: r for r in RULES}


# Icons -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Icon:
    key: str  # common, improvement_high, improvement_low, concern_high, concern_low, neutral_high,
    # neutral_low, pass, fail, hit_or_miss, run_chart
    label: str
    letter: str
    tone: str  # grey | blue | orange | purple


ICONS = {
    "common": Icon("common", "Common cause variation: no significant change", "", "grey"),
    "improvement_high": Icon("improvement_high", "Special cause of improvement: higher", "H", "blue"),
    "improvement_low": Icon("improvement_low", "Special cause of improvement: lower", "L", "blue"),
    "concern_high": Icon("concern_high", "Special cause of concern: higher", "H", "orange"),
    "concern_low": Icon("concern_low", "Special cause of concern: lower", "L", "orange"),
    "neutral_high": Icon("neutral_high", "Special cause variation: higher", "H", "purple"),
    "neutral_low": Icon("neutral_low", "Special cause variation: lower", "L", "purple"),
    "pass": Icon("pass", "The target will consistently be met", "P", "blue"),
    "fail": Icon("fail", "The target will consistently be missed", "F", "orange"),
    "hit_or_miss": Icon("hit_or_miss", "The target will be met some months and missed in others", "?", "grey"),
    "run_chart": Icon("run_chart", "Too few points for process limits: shown as a run chart", "", "grey"),
}


# The analysis ----------------------------------------------------------------------------


@dataclass
class Analysis:
    points: list[Point]
    mode: str  # "xmr" or "run"
    direction: Direction
    variation: Icon
    assurance: Icon | None
    summary: str
    warnings: list[str]
    settings: Settings
    target: float | None = None

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


def _kind(sides: set[str], direction: Direction, s: Settings) -> str:
    if not sides:
        return "common"
    if direction == Direction.NEUTRAL:
        return "neutral"
    good = "high" if direction == Direction.INCREASE else "low"
    kinds = {"improvement" if side == good else "concern" for side in sides}
    return kinds.pop() if len(kinds) == 1 else s.conflict


def _limits(segment: list[Point], baseline: int | None, s: Settings) -> None:
    basis = segment[:baseline] if baseline else segment
    values = [p.value for p in basis]
    centre = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in itertools.pairwise(values)]
    mr = sum(ranges) / len(ranges) if ranges else 0.0
    if s.screen_moving_ranges and ranges:
        kept = [r for r in ranges if r <= SCREEN * mr]
        mr = sum(kept) / len(kept) if kept else mr
    for i, p in enumerate(segment):
        p.mean = centre
        p.upper, p.lower = centre + LIMIT * mr, centre - LIMIT * mr
        p.near_upper, p.near_lower = centre + NEAR * mr, centre - NEAR * mr
        p.moving_range = abs(p.value - segment[i - 1].value) if i else None


def seasonal(values: Sequence[float], s: Settings = DEFAULTS) -> bool:
    """True when the series repeats with the seasons: autocorrelation at the seasonal lag
    (12 months) above the threshold, with at least two full cycles of data."""
    lag = s.seasonal_lag
    if len(values) < 2 * lag:
        return False
    m = sum(values) / len(values)
    dev = [v - m for v in values]
    denominator = sum(d * d for d in dev)
    if denominator == 0:
        return False
    return sum(dev[i] * dev[i + lag] for i in range(len(dev) - lag)) / denominator > s.seasonal_threshold


def analyse(
    values: Sequence[float],
    labels: Sequence[str] | None = None,
    *,
    direction: Direction = Direction.NEUTRAL,
    target: float | None = None,
    rebase_at: Sequence[int] = (),
    baseline: int | None = None,
    settings: Settings = DEFAULTS,
    unit: str = "",
) -> Analysis:
    """An XmR chart of ``values`` (in time order).

    ``rebase_at``: indexes where a new segment starts (a known, agreed change): each segment
    has its own mean and limits and no rule looks across the boundary. ``baseline``: compute
    each segment's mean and limits from its first ``baseline`` points only."""
    s = settings
    labels = list(labels) if labels is not None else [str(i + 1) for i in range(len(values))]
    if len(labels) != len(values):
        raise ValueError("One label per value.")
    if any(not math.isfinite(v) for v in values):
        raise ValueError("Every value must be a finite number.")
    points = [Point(label=lbl, value=float(v)) for lbl, v in zip(labels, values, strict=True)]
    warnings: list[str] = []
    if seasonal(values, s):
        warnings.append(
            "This measure rises and falls with the seasons (for example a winter peak). A seasonal rise can look "
            "like a special cause: compare a month with the same month in earlier years before acting on it."
        )
    if len(points) < s.min_points:
        centre = median(values) if values else 0.0
        for p in points:
            p.mean = centre
        if len(points) < s.warn_points:
            warnings.append(f"Only {len(points)} points: too few to judge change, even on a run chart.")
        summary = (
            f"Only {len(points)} months so far: shown as a run chart around the median, without process limits, "
            f"until there are {s.min_points}."
        )
        return Analysis(points, "run", direction, ICONS["run_chart"], None, summary, warnings, s, target)

    cuts = sorted({0, *[i for i in rebase_at if 0 < i < len(points)]})
    segments = [points[a:b] for a, b in zip(cuts, [*cuts[1:], len(points)], strict=True)]
    for n, segment in enumerate(segments):
        for p in segment:
            p.segment = n
        _limits(segment, baseline, s)
        for rule in RULES:
            for i, side in rule.test(segment, s).items():
                segment[i].sides[rule.key] = side
    for p in points:
        p.kind = _kind(set(p.sides.values()), direction, s)
    if len(segments) > 1 and len(segments[-1]) < s.warn_points:
        warnings.append(
            f"Only {len(segments[-1])} points since the new baseline from {segments[-1][0].label}: its mean and "
            f"limits will settle as more months arrive (at least {s.warn_points} are usual)."
        )

    latest = points[-1]
    if latest.special:
        side = sorted(set(latest.sides.values()))
        side = side[0] if len(side) == 1 else ("high" if latest.value > latest.mean else "low")
        variation = ICONS[f"{latest.kind}_{side}"] if latest.kind != "common" else ICONS["common"]
    else:
        variation = ICONS["common"]
    assurance = _assurance(latest, direction, target)
    return Analysis(points, "xmr", direction, variation, assurance, _summary(points, unit), warnings, s, target)


def _assurance(latest: Point, direction: Direction, target: float | None) -> Icon | None:
    if target is None or direction == Direction.NEUTRAL:
        return None
    if direction == Direction.INCREASE:
        if target <= latest.lower:
            return ICONS["pass"]
        if target >= latest.upper:
            return ICONS["fail"]
    else:
        if target >= latest.upper:
            return ICONS["pass"]
        if target <= latest.lower:
            return ICONS["fail"]
    return ICONS["hit_or_miss"]


def _fmt(value: float, unit: str) -> str:
    return f"{value:.2f}{unit}"


def _summary(points: list[Point], unit: str) -> str:
    """One sentence: what the latest point says, and since when."""
    latest = points[-1]
    # A rate cannot go below zero: the lower process limit stays as computed (the rules use
    # it), but the range a person reads starts at 0.
    lower = max(latest.lower, 0.0) if unit == "%" else latest.lower
    limits = f"mean {_fmt(latest.mean, unit)}, expected range {_fmt(lower, unit)} to {_fmt(latest.upper, unit)}"
    if not latest.special:
        return f"Common cause variation: the latest month, {latest.label}, is within what this process produces ({limits})."
    n = 0
    for p in reversed(points):
        if not p.special or p.kind != latest.kind or p.segment != latest.segment:
            break
        n += 1
    first = points[len(points) - n]
    where = "above" if latest.value > latest.mean else "below" if latest.value < latest.mean else "at"
    what = {"improvement": "Special cause of improvement", "concern": "Special cause of concern"}.get(
        latest.kind, "Special cause variation"
    )
    span = (
        f"{n} months {where} the mean since {first.label}"
        if n > 1
        else f"the latest month, {latest.label}, is {where} the mean"
    )
    return f"{what}: {span} ({limits}; {', '.join(latest.rules)})."
