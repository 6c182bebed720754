"""What a campaign's reports publish: the catalogue of groups, and its plan.

Every report page, export and JSON twin for a campaign shows figures for groups from one
catalogue, so one plan (``suppression.plan``) over the whole catalogue protects everything
that can ever be shown for it, to any audience: a line manager's or a staff member's view is
a part of the same publication, and a part of a safe publication is safe.

The catalogue is built from *cells*: respondents who share a stored unit and a staff-group
band. No figure ever tells the respondents of a cell apart, so the plan works on cells with
their sizes as weights. Keys are strings (they go into JSON):

* ``org``                      everyone who responded
* ``unit:<id>``                a unit with every unit below it
* ``org|sg:<group>``           the organisation, one staff group

The staff-group filter is offered for the whole organisation only: crossed with units it
would mostly describe groups too small to show, and it keeps the publication two nested
families (units; staff groups), for which the attacker's search is exact and fast
(``disclosure._two_family_leak``).
Campaigns never share respondents and no figure pools two campaigns, so each campaign's
plan is made on its own; the comparison with the previous campaign only sets published
figures side by side.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from staffwell import suppression

Cell = tuple[int | None, str]  # (stored unit id or None for organisation level, staff group or "")


@dataclass(frozen=True)
class Tree:
    """An organisation's units: id -> parent id (None at the top)."""

    parents: Mapping[int, int | None]

    def depth(self, unit: int) -> int:
        d = 0
        while self.parents.get(unit) is not None:
            unit = self.parents[unit]
            d += 1
        return d

    def chain(self, unit: int | None) -> list[int]:
        """The unit and every unit above it."""
        out = []
        while unit is not None:
            out.append(unit)
            unit = self.parents.get(unit)
        return out

    def top(self, unit: int | None) -> int | None:
        chain = self.chain(unit)
        return chain[-1] if chain else None

    def children(self) -> dict[int | None, list[int]]:
        kids: dict[int | None, list[int]] = {}
        for u, p in self.parents.items():
            kids.setdefault(p, []).append(u)
        return kids


def unit_key(unit: int | None) -> str:
    return "org" if unit is None else f"unit:{unit}"


def filter_key(unit: int | None, staff_group: str) -> str:
    return f"{unit_key(unit)}|sg:{staff_group}"


def catalogue(
    *, tree: Tree, cells: Iterable[Cell], units: Iterable[int] | None = None, staff_groups: Iterable[str] = ()
) -> dict[str, frozenset]:
    """Every group the reports may show, as sets of cells.

    ``units``: the units the campaign's reports cover (default: every unit in the tree).
    ``staff_groups``: the staff groups offered as a filter (none: no filter).
    """
    cells = list(cells)
    units = list(tree.parents) if units is None else list(units)
    groups: dict[str, set] = {"org": set(cells)}
    for u in units:
        groups[unit_key(u)] = set()
    staff_groups = [g for g in staff_groups if g]
    for g in staff_groups:
        groups[filter_key(None, g)] = set()
    for cell in cells:
        unit, group = cell
        for u in tree.chain(unit):
            if unit_key(u) in groups:
                groups[unit_key(u)].add(cell)
        if group and filter_key(None, group) in groups:
            groups[filter_key(None, group)].add(cell)
    return {k: frozenset(v) for k, v in groups.items()}


def comment_catalogue(*, tree: Tree, cells: Iterable[Cell], units: Iterable[int] | None = None) -> dict[str, frozenset]:
    """The groups whose free-text answers may be shown: the organisation and units only."""
    return {k: v for k, v in catalogue(tree=tree, cells=cells, units=units).items() if "|" not in k}


def make_plans(
    *,
    tree: Tree,
    sizes: Mapping[Cell, int],
    threshold: int,
    free_text_threshold: int,
    units: Iterable[int] | None = None,
    staff_groups: Iterable[str] = (),
    complementary: bool = True,
    history: Iterable[tuple[frozenset, int]] = (),
    comment_history: Iterable[tuple[frozenset, int]] = (),
) -> tuple[suppression.Plan, suppression.Plan]:
    """The plan for figures and the plan for comments of one campaign.

    ``history``: every group (a set of cells) published before for this campaign, with the
    threshold it was published under. The attacker holds those figures too, so the plan
    takes them as published and may only hide more (``suppression.plan_with_history``).
    ``comment_history``: the same for the groups whose comments were shown: comments shown
    for a unit before and after a change of threshold or unit tree must not, set against
    each other, give the comments of a group smaller than the comment threshold."""
    cells = [c for c, n in sizes.items() if n > 0]
    units = None if units is None else list(units)
    groups = catalogue(tree=tree, cells=cells, units=units, staff_groups=staff_groups)
    figures = suppression.plan(
        groups, threshold=threshold, keep={"org"}, complementary=complementary, weights=dict(sizes)
    )
    history = list(history)
    if history and complementary:
        figures = suppression.plan_with_history(figures, groups, history, weights=dict(sizes), keep={"org"})
    comment_groups = comment_catalogue(tree=tree, cells=cells, units=units)
    comments = suppression.plan(
        comment_groups, threshold=free_text_threshold, keep={"org"}, complementary=complementary, weights=dict(sizes)
    )
    comment_history = list(comment_history)
    if comment_history and complementary:
        comments = suppression.plan_with_history(
            comments, comment_groups, comment_history, weights=dict(sizes), keep={"org"}
        )
    return figures, comments
