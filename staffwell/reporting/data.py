"""The aggregates of one closed campaign, and its publication plans, prepared once.

``prepared(campaign)`` reads the responses once (grouped in the database), keeps for each
unit and for each staff group how many people gave each answer to each question, and
makes the figure and comment plans over the campaign's catalogue. The result is stored in
``CampaignPlan`` and reused until the responses, the thresholds or the unit tree change.
Nothing here is shown to anyone: every figure leaves through ``reports.py``, which asks the
plan first.
"""

import hashlib
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.db.models import Count

from staffwell import suppression
from staffwell.organisations.models import Unit
from staffwell.reporting.models import CampaignPlan, PublicationHistory
from staffwell.suppression import publication
from staffwell.surveys.models import Answer, Campaign, Question, Response

LAYOUT_VERSION = 1  # bump when the catalogue changes shape
FIGURES, COMMENTS = "figures", "comments"  # the kinds of entry in a publication history


@dataclass
class Prepared:
    campaign: Campaign
    questions: list[Question]  # scored questions, in order
    values: list[int]  # the answer codes, lowest first (union over response sets)
    tree: publication.Tree
    units: dict[int, Unit]  # the units the reports cover
    sizes: dict[tuple, int]  # (stored unit, staff group) -> respondents
    unit_hist: dict[int | None, np.ndarray]  # stored unit -> questions x values counts
    group_hist: dict[str, np.ndarray]  # staff group -> questions x values counts
    plan: suppression.Plan
    comment_plan: suppression.Plan
    staff_groups: list[str]
    _subtree_cache: dict = field(default_factory=dict)

    # --- groups -------------------------------------------------------------------------
    def _subtree_totals(self) -> dict[str, np.ndarray]:
        """Answer counts for every unit group, summed up the tree in one pass."""
        if "totals" not in self._subtree_cache:
            totals: dict[str, np.ndarray] = {"org": self.empty()}
            for u, h in self.unit_hist.items():
                totals["org"] = totals["org"] + h
                for ancestor in self.tree.chain(u):
                    key = publication.unit_key(ancestor)
                    totals[key] = totals[key] + h if key in totals else h.copy()
            self._subtree_cache["totals"] = totals
        return self._subtree_cache["totals"]

    def stored_units_in(self, key: str) -> set:
        """The stored units whose respondents make up unit group ``key``."""
        if "members" not in self._subtree_cache:
            members: dict[str, set] = {"org": set(self.unit_hist)}
            for u in self.unit_hist:
                for ancestor in self.tree.chain(u):
                    members.setdefault(publication.unit_key(ancestor), set()).add(u)
            self._subtree_cache["members"] = members
        return self._subtree_cache["members"].get(key, set())

    def hist(self, key: str) -> np.ndarray:
        """Counts of each answer to each question for group ``key`` (unsuppressed: callers go
        through ``reports.figure``)."""
        if "|sg:" in key:
            return self.group_hist.get(key.split("|sg:")[1], self.empty())
        return self._subtree_totals().get(key, self.empty())

    def respondents(self, key: str) -> int:
        return self.plan.sizes.get(key, 0)

    def empty(self) -> np.ndarray:
        return np.zeros((len(self.questions), len(self.values)))


def _tree_for(org) -> tuple[publication.Tree, dict[int, Unit]]:
    units = {u.pk: u for u in Unit.objects.for_org(org)}
    return publication.Tree({u.pk: u.parent_id for u in units.values()}), units


def _record_publication(campaign: Campaign, groups: dict, plan, history: list, *, kind: str = FIGURES) -> None:
    """Add every group this plan publishes to the campaign's publication history (a plan is
    recorded when it is made: any reader may see any of its figures from then on). ``kind``:
    figures, or comments (entries without a kind are figures)."""
    known = {(cells, t) for cells, t in history}
    extra = {} if kind == FIGURES else {"kind": kind}
    new = [
        {"cells": sorted([list(c) for c in groups[k]], key=str), "threshold": plan.threshold, **extra}
        for k in plan.published
        if groups.get(k) and (frozenset(groups[k]), plan.threshold) not in known
    ]
    if not new:
        return
    row, _ = PublicationHistory.objects.get_or_create(campaign=campaign)
    row.groups = [*row.groups, *new]
    row.save(update_fields=["groups"])


def structural_cells(campaign: Campaign) -> set[tuple]:
    """Every (stored unit, staff group) cell the campaign's structure allows, fixed at
    launch whoever answers: so the list of groups a report shows never says that nobody
    in a group answered (issue 12). Check-in pulses have no launch structure: their cells
    come from the contributions, coarsened to at least k contributors each."""
    if campaign.from_checkins or not campaign.report_units:
        return set()
    cells = set()
    for stored in set(campaign.report_units.values()):
        cells.add((stored, ""))
        if campaign.ask_staff_group:
            for band in campaign.report_bands.get(str(stored) if stored else "org", []):
                cells.add((stored, band))
    return cells


def covered_units(campaign: Campaign, tree: publication.Tree, stored: set) -> list[int]:
    """Units with a report: every unit that answers are stored against, and every unit
    above it within the campaign."""
    out: set[int] = set()
    for u in stored:
        out.update(tree.chain(u))
    return sorted(out)


def _fingerprint(campaign, threshold, free_threshold, response_count, tree) -> str:
    shape = hashlib.sha256(repr(sorted(tree.parents.items())).encode()).hexdigest()[:16]
    return f"v{LAYOUT_VERSION}/{threshold}/{free_threshold}/{response_count}/{shape}"


def prepared(campaign: Campaign, *, complementary: bool = True) -> Prepared:
    org = campaign.organisation
    threshold = suppression.min_group_size(org)
    free_threshold = suppression.min_group_size(org, free_text=True)
    tree, units = _tree_for(org)
    questions = [q for q in campaign.instrument.ordered_questions() if not q.is_free_text]
    values = sorted({v for q in questions for v in q.response_set.values})
    q_index = {q.pk: i for i, q in enumerate(questions)}
    v_index = {v: i for i, v in enumerate(values)}
    response_count = Response.objects.filter(campaign=campaign).count()
    history_row = PublicationHistory.objects.filter(campaign=campaign).first()
    entries = history_row.groups if history_row else []
    history = [
        (frozenset(tuple(c) for c in g["cells"]), g["threshold"]) for g in entries if g.get("kind", FIGURES) == FIGURES
    ]
    comment_history = [
        (frozenset(tuple(c) for c in g["cells"]), g["threshold"]) for g in entries if g.get("kind") == COMMENTS
    ]
    fingerprint = _fingerprint(campaign, threshold, free_threshold, response_count, tree) + f"/h{len(entries)}"
    stored = CampaignPlan.objects.filter(campaign=campaign).first()
    if complementary and stored is not None and stored.fingerprint == fingerprint and stored.cube:
        cube = stored.cube
    else:
        cube = _build_cube(campaign, q_index, v_index)
    sizes = {(c[0], c[1]): c[2] for c in cube["cells"]}
    for cell in structural_cells(campaign):  # a group nobody in answered is listed too
        sizes.setdefault(cell, 0)
    unit_hist = {
        (None if k == "org" else int(k)): np.array(v, dtype=float).reshape(len(questions), len(values))
        for k, v in cube["units"].items()
    }
    group_hist = {k: np.array(v, dtype=float).reshape(len(questions), len(values)) for k, v in cube["groups"].items()}
    covered = covered_units(campaign, tree, {u for u, _ in sizes if u is not None})
    staff_groups = sorted({g for _, g in sizes if g}) if campaign.ask_staff_group else []
    if complementary and stored is not None and stored.fingerprint == fingerprint:
        groups = publication.catalogue(tree=tree, cells=list(sizes), units=covered, staff_groups=staff_groups)
        weights = dict(sizes)
        plan = suppression.Plan(
            threshold=threshold,
            sizes={k: sum(weights[c] for c in g) for k, g in groups.items()},
            withheld=stored.withheld,
        )
        comment_sizes = {k: plan.sizes[k] for k in groups if "|" not in k}
        comment_plan = suppression.Plan(threshold=free_threshold, sizes=comment_sizes, withheld=stored.comment_withheld)
    else:
        plan, comment_plan = publication.make_plans(
            tree=tree,
            sizes=sizes,
            threshold=threshold,
            free_text_threshold=free_threshold,
            units=covered,
            staff_groups=staff_groups,
            complementary=complementary,
            history=history,
            comment_history=comment_history,
        )
        if complementary:
            groups = publication.catalogue(tree=tree, cells=list(sizes), units=covered, staff_groups=staff_groups)
            _record_publication(campaign, groups, plan, history)
            comment_groups = {k: g for k, g in groups.items() if "|" not in k}
            _record_publication(campaign, comment_groups, comment_plan, comment_history, kind=COMMENTS)
            with transaction.atomic():
                CampaignPlan.objects.update_or_create(
                    campaign=campaign,
                    defaults={
                        "fingerprint": fingerprint,
                        "threshold": threshold,
                        "free_text_threshold": free_threshold,
                        "withheld": plan.withheld,
                        "comment_withheld": comment_plan.withheld,
                        "cube": cube,
                    },
                )
    return Prepared(
        campaign=campaign,
        questions=questions,
        values=values,
        tree=tree,
        units={u: units[u] for u in covered if u in units},
        sizes=sizes,
        unit_hist=unit_hist,
        group_hist=group_hist,
        plan=plan,
        comment_plan=comment_plan,
        staff_groups=staff_groups,
    )


def _build_cube(campaign: Campaign, q_index: dict, v_index: dict) -> dict:
    """One grouped read of the answers: counts per (stored unit, staff group) cell, and per
    question and answer for each unit and each staff group."""
    cells = [
        [row["unit_id"], row["staff_group"], row["n"]]
        for row in Response.objects.filter(campaign=campaign)
        .values("unit_id", "staff_group")
        .annotate(n=Count("id"))
        .order_by()
    ]
    shape = (len(q_index), len(v_index))
    units: dict[str, np.ndarray] = {}
    groups: dict[str, np.ndarray] = {}
    rows = (
        Answer.objects.filter(response__campaign=campaign)
        .values_list("response__unit_id", "response__staff_group", "question_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, group, question_id, value, n in rows:
        if question_id not in q_index or value not in v_index:
            continue
        ukey = "org" if unit_id is None else str(unit_id)
        units.setdefault(ukey, np.zeros(shape))[q_index[question_id], v_index[value]] += n
        if group:
            groups.setdefault(group, np.zeros(shape))[q_index[question_id], v_index[value]] += n
    for unit_id, _, _ in cells:
        units.setdefault("org" if unit_id is None else str(unit_id), np.zeros(shape))
    return {
        "cells": cells,
        "units": {k: v.astype(int).ravel().tolist() for k, v in units.items()},
        "groups": {k: v.astype(int).ravel().tolist() for k, v in groups.items()},
    }
