"""The attacker's search is exact: checked against brute force on every small case we can
enumerate, and on the classic differencing attacks by name."""

import itertools
import random

import numpy as np
import pytest

from staffwell.suppression.disclosure import find_leak, is_laminar, residuals


def _isolatable_minimum(groups: dict, universe: list) -> int | None:
    """Brute force: the fewest respondents S such that some non-zero combination of the
    groups is zero outside S (the rank drops when S's columns are removed)."""
    index = {r: i for i, r in enumerate(universe)}
    matrix = np.zeros((len(groups), len(universe)))
    for row, members in enumerate(groups.values()):
        for r in members:
            matrix[row, index[r]] = 1
    full = np.linalg.matrix_rank(matrix) if len(groups) else 0
    for size in range(1, len(universe) + 1):
        for subset in itertools.combinations(range(len(universe)), size):
            rest = [i for i in range(len(universe)) if i not in subset]
            rank = np.linalg.matrix_rank(matrix[:, rest]) if rest else 0
            if rank < full:
                return size
    return None


def _check(groups, universe, threshold, method):
    truth = _isolatable_minimum(groups, universe)
    leak = find_leak(groups, threshold, method=method)
    if truth is None or truth >= threshold:
        assert leak is None, f"false alarm {leak} (true minimum {truth})"
    else:
        assert leak is not None, f"missed a leak of {truth}"
        assert leak.size == truth
        # the reported respondents really are isolated by the reported combination
        vector = dict.fromkeys(universe, 0.0)
        for key, c in leak.coefficients.items():
            for r in groups[key]:
                vector[r] += c
        support = {r for r, v in vector.items() if abs(v) > 1e-6}
        assert support and support <= leak.respondents


@pytest.mark.parametrize("seed", range(120))
def test_the_general_search_agrees_with_brute_force_on_random_overlapping_groups(seed):
    rng = random.Random(seed)
    universe = list(range(rng.randint(6, 11)))
    groups = {f"g{i}": frozenset(r for r in universe if rng.random() < 0.5) for i in range(rng.randint(1, 5))}
    _check(groups, universe, threshold=rng.randint(2, 5), method="algebra")


def _two_families(rng, universe):
    """A random unit tree (nested) and a staff-group split (another nested family)."""
    groups = {"org": frozenset(universe)}
    units = {0: set()}
    for u in range(1, rng.randint(2, 6)):
        units[u] = set()
    parent = {u: rng.randrange(0, u) if u else None for u in units}
    group_of = {}
    for r in universe:
        u = rng.choice(list(units))
        while u is not None:
            units[u].add(r)
            u = parent[u]
        group_of[r] = rng.choice(["a", "b", "c", ""])
    for u, members in units.items():
        if u:
            groups[f"unit:{u}"] = frozenset(members)
    for g in "abc":
        if rng.random() < 0.8:
            groups[f"org|sg:{g}"] = frozenset(r for r in universe if group_of[r] == g)
    return {k: v for k, v in groups.items() if v and rng.random() < 0.85}


@pytest.mark.parametrize("seed", range(120))
def test_the_graph_search_agrees_with_brute_force_on_a_unit_tree_crossed_with_staff_groups(seed):
    rng = random.Random(1000 + seed)
    universe = list(range(rng.randint(6, 11)))
    groups = _two_families(rng, universe)
    tree = [g for k, g in groups.items() if "|" not in k]
    crossed = [g for k, g in groups.items() if "|" in k]
    assert is_laminar(tree) and is_laminar(crossed)
    method = "auto" if is_laminar(list(groups.values())) else "graph"
    _check(groups, universe, threshold=rng.randint(2, 5), method=method)
    _check(groups, universe, threshold=rng.randint(2, 5), method="algebra")


def test_a_directorate_minus_its_published_team_gives_away_the_other_team():
    directorate = frozenset(range(15))
    ward_7 = frozenset(range(12))
    leak = find_leak({"Medicine": directorate, "Ward 7": ward_7}, 10)
    assert leak is not None and leak.respondents == frozenset(range(12, 15))
    assert leak.coefficients == {"Medicine": 1.0, "Ward 7": -1.0}


def test_an_organisation_minus_its_staff_groups_gives_away_people_without_a_group():
    everyone = frozenset(range(40))
    nurses, doctors = frozenset(range(20)), frozenset(range(20, 37))
    leak = find_leak({"org": everyone, "org|sg:nursing": nurses, "org|sg:medical": doctors}, 10)
    assert leak is not None and leak.respondents == frozenset({37, 38, 39})


def test_a_team_that_is_all_one_staff_group_gives_away_the_rest_of_the_group():
    everyone = frozenset(range(60))
    ward = frozenset(range(12))  # all nurses
    nurses = frozenset(range(15))  # three more nurses elsewhere
    groups = {"org": everyone, "unit:1": ward, "org|sg:nursing": nurses}
    leak = find_leak(groups, 10)
    assert leak is not None and leak.respondents == frozenset({12, 13, 14})
    assert find_leak(groups, 10, method="algebra").respondents == leak.respondents


def test_overlapping_groups_of_twelve_that_share_six_give_nothing_away_at_ten():
    assert find_leak({"a": frozenset(range(12)), "b": frozenset(range(6, 18))}, 10, method="algebra") is None


def test_weighted_cells_count_their_respondents():
    cells = {"x": 4, "y": 9}
    assert find_leak({"p": frozenset({"x", "y"}), "c": frozenset({"y"})}, 10, weights=cells).size == 4
    assert find_leak({"p": frozenset({"x", "y"}), "c": frozenset({"y"})}, 4, weights=cells) is None


def test_residuals_of_a_tree_are_what_each_unit_holds_beyond_its_published_sub_units():
    sets = [frozenset(range(10)), frozenset(range(4)), frozenset(range(4, 6))]
    assert residuals(sets) == [frozenset(range(6, 10)), frozenset(range(4)), frozenset(range(4, 6))]
    assert not is_laminar([frozenset({1, 2}), frozenset({2, 3})])
