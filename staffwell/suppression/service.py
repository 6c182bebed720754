"""The one suppression service. Every figure derived from people's data passes through here
before anyone sees it: in pages, exports and JSON alike.

Two layers:

* Single figures (``count``, ``share``, ``mean``): primary suppression. A figure about
  fewer people than the organisation's minimum reporting group is withheld. Use these for
  one-off numbers that are not part of a family of overlapping figures.
* Families of figures (``plan``): primary and complementary suppression together. A report
  that publishes figures for overlapping groups (a unit and its sub-units, a unit crossed
  with staff groups, successive campaigns pooled) builds one ``Plan`` over every group it
  will show, and takes every figure from ``Plan.figure``. The guarantee and its limits are
  in docs/suppression.md.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from staffwell.suppression.disclosure import find_leak, is_laminar

DEFAULT_MIN_GROUP = 10
FLOOR_MIN_GROUP = 5
DEFAULT_FREE_TEXT_MIN_GROUP = 15


@dataclass(frozen=True)
class Figure:
    """A published number, or the fact that it is withheld."""

    value: float | int | None
    suppressed: bool
    reason: str = ""
    at_least: bool = False  # a running count shown in steps of the minimum group (``progress``)

    def __str__(self) -> str:
        if self.suppressed:
            return "Not shown"
        if self.at_least:
            return f"at least {self.value:,}" if isinstance(self.value, int) else f"at least {self.value:.0f}"
        if isinstance(self.value, float):
            return f"{self.value:.1f}"
        return f"{self.value:,}"

    def as_json(self) -> dict:
        return (
            {"value": None, "suppressed": True, "reason": self.reason}
            if self.suppressed
            else {"value": self.value, "suppressed": False}
        )


def _policy_values(org) -> tuple[int | None, int | None]:
    if org is None:
        return None, None
    if hasattr(org, "min_reporting_group"):
        return org.min_reporting_group, getattr(org, "free_text_min_group", None)
    if getattr(org, "pk", None) is None:
        return None, None
    from staffwell.suppression.models import ReportingPolicy

    policy = ReportingPolicy.objects.filter(organisation_id=org.pk).first()
    if policy is None:
        return None, None
    return policy.min_group, policy.free_text_min_group


def min_group_size(org=None, *, free_text: bool = False) -> int:
    """The organisation's minimum reporting group (or the free-text threshold), from its
    agreed reporting policy; the defaults when it has none."""
    min_group, free_text_group = _policy_values(org)
    base = max(min_group or DEFAULT_MIN_GROUP, FLOOR_MIN_GROUP)
    if free_text:
        return max(base, free_text_group or DEFAULT_FREE_TEXT_MIN_GROUP)
    return base


def withheld(threshold: int) -> Figure:
    return Figure(None, True, f"Fewer than {threshold} people")


def count(n: int, *, org=None, free_text: bool = False) -> Figure:
    """A count of people. Withheld when it describes fewer than the minimum group
    (a count of zero is withheld too: "nobody in this team" is itself a disclosure)."""
    threshold = min_group_size(org, free_text=free_text)
    return Figure(n, False) if n >= threshold else withheld(threshold)


def share(numerator: int, denominator: int, *, org=None) -> Figure:
    """A percentage of a group, e.g. a response rate. Withheld unless both the group and the
    people counted in it (and those not counted) are at least the minimum group."""
    threshold = min_group_size(org)
    if denominator < threshold or numerator < threshold or denominator - numerator < threshold:
        return withheld(threshold)
    return Figure(round(100 * numerator / denominator, 1), False)


def count_with_share(numerator: int, denominator: int, *, org=None) -> tuple[Figure, Figure]:
    """A count and its share of a group, shown side by side with the group's size: the
    count only when the share is shown, since with the group's size a count beside a
    withheld share would give the share, and the small group, away. Returns (count, share)."""
    pct = share(numerator, denominator, org=org)
    return (pct if pct.suppressed else count(numerator, org=org)), pct


def progress(n: int, *, org=None) -> Figure:
    """A running count while a survey is open (responses so far, codes used, invitations
    sent), shown in whole steps of the minimum group *k*: "at least 40" for anything from
    40 to 49, withheld below *k*. However often it is read, two readings differ by zero or
    by whole steps, so successive views never show a change smaller than *k*
    (docs/suppression.md, "Running counts")."""
    threshold = min_group_size(org)
    if n < threshold:
        return withheld(threshold)
    return Figure(n // threshold * threshold, False, at_least=True)


def progress_share(numerator: int, denominator: int, *, org=None) -> Figure:
    """A running response rate: the ``progress`` count over the group, "at least N%"
    rounded down to a whole percent. Withheld unless the group is at least *k*."""
    counted = progress(numerator, org=org)
    if counted.suppressed or denominator < min_group_size(org):
        return withheld(min_group_size(org))
    return Figure(float(100 * counted.value // denominator), False, at_least=True)


def mean(values: list[float], *, org=None) -> Figure:
    """The mean of one value per person; withheld for fewer than the minimum group."""
    threshold = min_group_size(org)
    if len(values) < threshold:
        return withheld(threshold)
    return Figure(sum(values) / len(values), False)


MIN_DAYS_AVAILABLE = 330  # NHS England blanks a sickness absence rate at or below this


def rate(numerator: float, denominator: float, *, gate: Figure, min_denominator: float, digits: int = 2) -> Figure:
    """A rate per hundred whose denominator is not a count of people, such as FTE days lost
    per FTE days available. ``gate`` is the figure for the people it describes (from
    ``count`` or ``Plan.figure``): withheld when that is withheld, and when the denominator
    is ``min_denominator`` or less (NHS England's sickness absence rule: 330 FTE days).
    Rounded on the float, half to even, as the official statistics are."""
    if gate.suppressed:
        return gate
    if denominator <= min_denominator:
        return Figure(None, True, f"Fewer than {min_denominator:g} FTE days available")
    return Figure(round(100 * numerator / denominator, digits), False)


# Complementary suppression ---------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Which groups of a publication may be shown. Built once for everything that will be
    published together (every unit, filter and campaign a report offers), so that no
    combination of what is shown isolates fewer than ``threshold`` respondents."""

    threshold: int
    sizes: dict
    withheld: dict  # key -> reason

    def allows(self, key) -> bool:
        return key in self.sizes and key not in self.withheld

    def reason(self, key) -> str:
        return self.withheld.get(key, "" if key in self.sizes else "Not part of this report")

    @property
    def published(self) -> frozenset:
        return frozenset(k for k in self.sizes if k not in self.withheld)

    def figure(self, key, value) -> Figure:
        """The figure for group ``key``: ``value`` (or a callable giving it) if the group may
        be shown, otherwise withheld with the reason."""
        if not self.allows(key):
            return Figure(None, True, self.reason(key))
        return Figure(value() if callable(value) else value, False)


PRIMARY = "Fewer than {k} people"
COMPLEMENTARY = "Hidden so that a smaller group cannot be worked out from other figures"


def plan(
    groups: Mapping[Hashable, frozenset],
    *,
    threshold: int,
    keep: Iterable[Hashable] = (),
    complementary: bool = True,
    weights: Mapping[Hashable, int] | None = None,
) -> Plan:
    """Decide which groups to publish.

    Primary suppression withholds every group of fewer than ``threshold`` respondents
    (including empty ones: "nobody" is a disclosure too). Complementary suppression then
    asks the attacker (``disclosure.find_leak``) for the combination of published groups
    that isolates the fewest respondents; while that is fewer than ``threshold`` it
    withholds the smallest group taking part in the combination (groups in ``keep``, such
    as the organisation total, only when nothing else will do), and asks again. It stops
    when the attacker finds nothing, so the published set is safe by the attacker's own
    exact test.

    Groups may be sets of respondents, or of cells whose respondents no figure tells apart,
    with ``weights`` giving each cell's number of respondents.
    """
    if threshold < FLOOR_MIN_GROUP:
        raise ValueError(f"The minimum reporting group is never below {FLOOR_MIN_GROUP}.")
    keep = set(keep)
    if weights is None:
        sizes = {k: len(g) for k, g in groups.items()}
    else:
        sizes = {k: sum(weights[m] for m in g) for k, g in groups.items()}
    withheld = {k: PRIMARY.format(k=threshold) for k, n in sizes.items() if n < threshold}
    if complementary:
        # The nested part first (a unit tree): exact and cheap, and it settles most cases.
        nested = _largest_nested_part(groups)
        if len(nested) < len(groups):
            _suppress_until_safe({k: groups[k] for k in nested}, threshold, withheld, keep, sizes, weights)
        _suppress_until_safe(groups, threshold, withheld, keep, sizes, weights)
    return Plan(threshold=threshold, sizes=sizes, withheld=withheld)


HISTORY = "Hidden so that, with figures published earlier for this survey, a smaller group cannot be worked out"


def plan_with_history(
    current: Plan,
    groups: Mapping[Hashable, frozenset],
    history: Iterable[tuple[frozenset, int]],
    *,
    weights: Mapping[Hashable, int],
    keep: Iterable[Hashable] = (),
) -> Plan:
    """``current``, hiding more until what it shows, together with every figure published
    earlier for the same campaign (``history``: groups of cells with the threshold each was
    published under), isolates nothing smaller than the lowest of those thresholds and the
    current one: what was shown stays known to the attacker, so a later threshold, unit
    tree or staff-group mapping may only hide more, never less. Groups the history already
    published are shown again (the figures are out), unless the current plan withholds
    them for being small."""
    history = list(history)
    floor = min([current.threshold, *(t for _, t in history)])
    withheld = dict(current.withheld)
    known = {("history", i): cells for i, (cells, _) in enumerate(history) if cells}
    keep = set(keep)
    while True:
        shown = {k: groups[k] for k in groups if k not in withheld}
        # Earlier figures for a group shown again add nothing: leave them out, so the
        # attacker's exact search keeps the shape of the current publication.
        same = set(shown.values())
        leak = find_leak({**{k: g for k, g in known.items() if g not in same}, **shown}, floor, weights)
        if leak is None:
            break
        involved = [k for k in leak.coefficients if k in shown]
        if not involved:
            break  # only earlier figures take part: nothing left to hide
        choice = min(involved, key=lambda k: (k in keep, current.sizes[k], str(k)))
        withheld[choice] = HISTORY
    return Plan(threshold=current.threshold, sizes=current.sizes, withheld=withheld)


def totalled(cells: Mapping[Hashable, int], *, org=None) -> tuple[dict, Figure]:
    """Counts of people in cells that add up to a total shown with them (a table with a
    total row), through ``plan``: no hidden cell, nor any set of them, can be worked out as
    the total minus the others. Smaller cells are hidden first, then the total, and the
    largest cell last, so the table keeps a row where it can. The total is hidden too when
    the hidden cells hold fewer than the minimum group between them, nobody included (an
    empty remainder is no leak to the attacker, but here it would say these rows are empty).
    Returns ({cell: figure}, total)."""
    threshold = min_group_size(org)
    total_key = ("total",)
    groups: dict = {("cell", k): frozenset({k}) for k in cells}
    groups[total_key] = frozenset(cells)
    largest = max(cells, key=lambda k: (cells[k], str(k)), default=None)
    result = plan(groups, threshold=threshold, keep={("cell", largest)}, weights=dict(cells))
    figures = {k: result.figure(("cell", k), n) for k, n in cells.items()}
    total = result.figure(total_key, sum(cells.values()))
    hidden = [k for k in cells if figures[k].suppressed]
    if hidden and not total.suppressed and sum(cells[k] for k in hidden) < threshold:
        total = Figure(None, True, COMPLEMENTARY)
    return figures, total


def _suppress_until_safe(groups, threshold, withheld, keep, sizes, weights) -> None:
    while True:
        shown = {k: groups[k] for k in groups if k not in withheld}
        leak = find_leak(shown, threshold, weights)
        if leak is None:
            return
        involved = [k for k in leak.coefficients if k not in withheld] or list(shown)
        choice = min(involved, key=lambda k: (k in keep, sizes[k], str(k)))
        withheld[choice] = COMPLEMENTARY


def _largest_nested_part(groups: Mapping[Hashable, frozenset]) -> list:
    """The keys of the groups that are not crossed with a filter (no "|" in a string key),
    when they form a nested family; otherwise none."""
    keys = [k for k in groups if not (isinstance(k, str) and "|" in k)]
    return keys if is_laminar([groups[k] for k in keys]) else []
