"""Attack: difference a survey's figures published before and after a change of threshold
or of the unit tree (docs/suppression.md, "One publication history").

The attacker keeps every report they were ever shown for the campaign. Each is safe on its
own; together they must not isolate a group smaller than the lowest threshold in force.
"""

import pytest

from staffwell.organisations.models import Unit
from staffwell.reporting.data import prepared
from staffwell.suppression import publication
from staffwell.suppression.disclosure import find_leak
from staffwell.suppression.models import ReportingPolicy
from staffwell.surveys import services
from tests.factories import UnitFactory
from tests.surveys.helpers import add_people, answer_as, make_campaign


def _published(prep) -> dict:
    """What a reader is shown: the published groups, as sets of stored cells."""
    covered = list(prep.units)
    groups = publication.catalogue(
        tree=prep.tree, cells=list(prep.sizes), units=covered, staff_groups=prep.staff_groups
    )
    return {k: groups[k] for k in prep.plan.published if groups.get(k)}


def _survey(world, answering: dict):
    """Units with 12 people each asked; ``answering``: unit -> how many answer."""
    campaign = make_campaign(world, units=list(answering))
    for unit, n in answering.items():
        for m in list(campaign.invitations.filter(membership__unit=unit).select_related("membership"))[:n]:
            assert answer_as(m.membership, campaign)
    services.close(campaign=campaign, actor=world.users["lead"])
    campaign.refresh_from_db()
    return campaign


def _combined_leak(readings: list[dict], sizes: dict, threshold: int):
    known = {(i, k): g for i, reading in enumerate(readings) for k, g in reading.items()}
    return find_leak(known, threshold, sizes)


@pytest.fixture
def wards(world):
    """Medicine > Ward 7, Ward 8 (the world's), and a second top unit, Surgery > Ward 9."""
    surgery = UnitFactory(organisation=world.org, name="Surgery")
    ward9 = UnitFactory(organisation=world.org, parent=surgery, name="Ward 9")
    for unit in (world.team, world.other_team, ward9):
        add_people(world.org, unit, 12)
    return world.team, world.other_team, ward9, surgery


def test_moving_a_ward_between_publications_does_not_reveal_a_small_group(world, wards, settings):
    ward7, ward8, ward9, surgery = wards
    campaign = _survey(world, {ward7: 8, ward8: 10, ward9: 10})
    before = prepared(campaign)
    first = _published(before)
    # The unit tree changes: Ward 8 moves from Medicine to Surgery.
    Unit.objects.filter(pk=ward8.pk).update(parent=surgery)
    after = prepared(campaign)
    second = _published(after)
    k = before.plan.threshold
    assert _combined_leak([first], before.sizes, k) is None and _combined_leak([second], after.sizes, k) is None
    leak = _combined_leak([first, second], after.sizes, k)
    assert leak is None, f"before and after together isolate {leak.describe()}"


@pytest.mark.parametrize("change", [(10, 12), (12, 10), (10, 12, 10)])
def test_thresholds_changed_either_way_between_publications_do_not_reveal_a_small_group(world, wards, change):
    ward7, ward8, ward9, _ = wards
    policy, _ = ReportingPolicy.objects.get_or_create(organisation=world.org)
    policy.min_group = change[0]
    policy.save()
    campaign = _survey(world, {ward7: 10, ward8: 12, ward9: 11})
    readings, sizes = [], None
    for k in change:
        ReportingPolicy.objects.filter(organisation=world.org).update(min_group=k)
        prep = prepared(campaign)
        readings.append(_published(prep))
        sizes = prep.sizes
    lowest = min(change)
    leak = _combined_leak(readings, sizes, lowest)
    assert leak is None, f"the readings under {change} together isolate {leak.describe()}"


# A publication found by searching small random ones (the attacker's own exact test,
# disclosure.find_leak): published under 10 and then under 12 with a plan for each
# threshold on its own, the two together isolate 7 respondents.
TREE = publication.Tree({1: None, 2: 1, 3: 1, 4: None})
SIZES = {(1, ""): 9, (2, "a"): 7, (2, "b"): 14, (3, "a"): 2, (4, "a"): 4, (4, "b"): 5, (4, ""): 5}
MOVED = publication.Tree({1: None, 2: 1, 3: 4, 4: None})  # unit 3 moves from 1 to 4


def _publish(tree, threshold, history):
    plan, _ = publication.make_plans(
        tree=tree, sizes=SIZES, threshold=threshold, free_text_threshold=15, staff_groups=["a", "b"], history=history
    )
    groups = publication.catalogue(tree=tree, cells=list(SIZES), staff_groups=["a", "b"])
    shown = {k: groups[k] for k in plan.published if groups[k]}
    return shown, [*history, *((g, threshold) for g in shown.values())]


def test_the_attack_is_real_without_a_history():
    first, _ = _publish(TREE, 10, [])
    second, _ = _publish(TREE, 12, [])
    leak = _combined_leak([first, second], SIZES, 10)
    assert leak is not None and leak.weight == 7


@pytest.mark.parametrize(
    "steps",
    [
        [(TREE, 10), (TREE, 12)],
        [(TREE, 12), (TREE, 10)],
        [(TREE, 10), (TREE, 12), (TREE, 10)],
        [(TREE, 10), (MOVED, 10)],
        [(TREE, 12), (MOVED, 10), (TREE, 12)],
    ],
    ids=["raised", "lowered", "raised-then-lowered", "tree-changed", "tree-and-threshold-changed"],
)
def test_every_publication_takes_the_earlier_ones_into_account(steps):
    history, readings = [], []
    for tree, threshold in steps:
        shown, history = _publish(tree, threshold, history)
        readings.append(shown)
    lowest = min(t for _, t in steps)
    leak = _combined_leak(readings, SIZES, lowest)
    assert leak is None, f"{steps} together isolate {leak.describe()}"
