"""The suppression service: primary and complementary suppression, checked by the attacker
on seeded random organisations (the demo campaign is attacked in test_adversary.py)."""

import itertools
import random

import pytest

from staffwell import suppression
from staffwell.suppression.disclosure import find_leak
from staffwell.suppression.publication import Tree, catalogue, make_plans

STAFF_GROUPS = ["nursing_midwifery", "medical_dental", "admin_clerical", "allied_health"]


def random_organisation(seed: int, campaigns: int = 1):
    """A random unit tree of any depth, and responses scattered over it with staff groups.
    Team sizes vary a lot, so some are always below the threshold."""
    rng = random.Random(seed)
    parents: dict[int, int | None] = {}
    for u in range(1, rng.randint(6, 40)):
        parents[u] = None if u <= 3 or rng.random() < 0.1 else rng.randrange(1, u)
    tree = Tree(parents)
    responses = []  # (response id, campaign, stored unit, staff group)
    for c in range(campaigns):
        for u in [None, *parents]:
            for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 30])):
                group = rng.choice([*STAFF_GROUPS, ""])
                responses.append((len(responses), c, u, group))
    return tree, responses


def cell_sizes(responses, campaign):
    sizes: dict = {}
    for _, c, u, g in responses:
        if c == campaign:
            sizes[(u, g)] = sizes.get((u, g), 0) + 1
    return sizes


def published_groups(tree, responses, campaign, plan):
    """What the attacker collects: for every published figure, the respondents behind it."""
    by_cell: dict = {}
    for rid, c, u, g in responses:
        if c == campaign:
            by_cell.setdefault((u, g), set()).add(rid)
    groups = catalogue(tree=tree, cells=list(by_cell), staff_groups=STAFF_GROUPS)
    return {
        f"c{campaign}/{key}": frozenset(r for cell in cells for r in by_cell[cell])
        for key, cells in groups.items()
        if plan.allows(key)
    }


def attack(tree, responses, campaigns, *, complementary: bool, threshold: int = 10):
    published = {}
    for c in range(campaigns):
        plan, _ = make_plans(
            tree=tree,
            sizes=cell_sizes(responses, c),
            threshold=threshold,
            free_text_threshold=15,
            staff_groups=STAFF_GROUPS,
            complementary=complementary,
        )
        published |= published_groups(tree, responses, c, plan)
    return find_leak(published, threshold)


@pytest.mark.parametrize("seed", range(25))
def test_without_complementary_suppression_the_attacker_recovers_a_small_group(seed):
    tree, responses = random_organisation(seed, campaigns=2)
    leak = attack(tree, responses, 2, complementary=False)
    assert leak is not None and leak.size < 10


@pytest.mark.parametrize("seed", range(25))
def test_with_complementary_suppression_no_combination_of_anything_published_isolates_fewer_than_ten(seed):
    tree, responses = random_organisation(seed, campaigns=2)
    assert attack(tree, responses, 2, complementary=True) is None


def test_the_general_linear_algebra_confirms_the_publications_are_safe(monkeypatch):
    """A second, independent attacker: the null-space search over every published group,
    on small organisations where its exact search completes."""
    from staffwell.suppression import disclosure

    monkeypatch.setattr(disclosure, "ENUMERATION_BUDGET", 200_000)
    proven = 0
    for seed in range(30):
        rng = random.Random(seed)
        parents = {u: (None if u <= 2 else rng.randrange(1, u)) for u in range(1, rng.randint(4, 9))}
        tree, responses = Tree(parents), []
        for u in [None, *parents]:
            for _ in range(rng.choice([0, 3, 8, 12, 20, 30])):
                responses.append((len(responses), 0, u, rng.choice([*STAFF_GROUPS[:3], ""])))
        plan, _ = make_plans(
            tree=tree, sizes=cell_sizes(responses, 0), threshold=10, free_text_threshold=15, staff_groups=STAFF_GROUPS
        )
        leak = find_leak(published_groups(tree, responses, 0, plan), 10, method="algebra")
        assert leak is None or not leak.proven, leak
        proven += leak is None
        unprotected, _ = make_plans(
            tree=tree,
            sizes=cell_sizes(responses, 0),
            threshold=10,
            free_text_threshold=15,
            staff_groups=STAFF_GROUPS,
            complementary=False,
        )
        naive = find_leak(published_groups(tree, responses, 0, unprotected), 10)
        if naive is not None:
            found = find_leak(published_groups(tree, responses, 0, unprotected), 10, method="algebra")
            assert found is not None and (found.size == naive.size or not found.proven)
    assert proven >= 25


def test_a_raised_threshold_holds_just_the_same():
    tree, responses = random_organisation(7)
    assert attack(tree, responses, 1, complementary=True, threshold=15) is None


def test_primary_suppression_withholds_small_and_empty_groups_and_says_why():
    plan = suppression.plan({"a": frozenset(range(9)), "b": frozenset(), "c": frozenset(range(10))}, threshold=10)
    assert plan.withheld == {"a": "Fewer than 10 people", "b": "Fewer than 10 people"}
    assert plan.figure("c", 4.2) == suppression.Figure(4.2, False)
    assert str(plan.figure("a", 3.0)) == "Not shown"
    assert plan.figure("a", lambda: 1 / 0).suppressed  # the value is never computed


def test_complementary_suppression_hides_the_smallest_sibling_not_the_parent():
    groups = {
        "unit:1": frozenset(range(40)),
        "unit:2": frozenset(range(25)),
        "unit:3": frozenset(range(25, 37)),
        "unit:4": frozenset(range(37, 40)),
    }
    plan = suppression.plan(groups, threshold=10, keep={"unit:1"})
    assert plan.withheld["unit:4"] == "Fewer than 10 people"
    assert plan.withheld["unit:3"] == suppression.COMPLEMENTARY
    assert plan.allows("unit:1") and plan.allows("unit:2")


def test_snapshots_of_an_open_campaign_are_treated_as_overlapping_groups():
    """Publishing a team's figures each day while a campaign is open would let yesterday be
    subtracted from today; the service suppresses such snapshots too (reports themselves
    are only published once a campaign closes)."""
    days = {f"day:{d}": frozenset(range(10 + 2 * d)) for d in range(5)}
    plan = suppression.plan(days, threshold=10)
    shown = [k for k in days if plan.allows(k)]
    sizes = sorted(len(days[k]) for k in shown)
    assert all(b - a >= 10 for a, b in itertools.pairwise(sizes))
    assert find_leak({k: days[k] for k in shown}, 10) is None


def test_the_threshold_is_never_below_five():
    with pytest.raises(ValueError, match="never below 5"):
        suppression.plan({"a": frozenset(range(20))}, threshold=4)


def test_single_figures_keep_their_behaviour():
    assert suppression.count(9).suppressed and not suppression.count(10).suppressed
    assert suppression.share(12, 30).value == 40.0
    assert suppression.share(25, 30).suppressed  # only five people did not
    assert suppression.mean([3.0] * 9).suppressed
    assert suppression.min_group_size(None, free_text=True) == 15
