"""The scale generator, at a small scale: it makes realistic closed campaigns that the
reports and the attacker can work on."""

from django.core.management import call_command

from staffwell.reporting.data import prepared
from staffwell.suppression import publication
from staffwell.suppression.disclosure import find_leak
from staffwell.surveys.models import Answer, Campaign, Response


def test_the_generator_makes_organisations_with_deep_trees_and_closed_hse_campaigns(db):
    call_command("generate_survey_data", organisations=2, respondents=800, largest=500, largest_units=40, seed=4)
    campaigns = list(Campaign.objects.select_related("organisation"))
    assert len(campaigns) == 2 and all(c.phase == "Closed" for c in campaigns)
    assert Response.objects.count() == 800
    assert Answer.objects.count() == 800 * 35
    largest = max(campaigns, key=lambda c: c.responses.count())
    prep = prepared(largest)
    assert max(prep.tree.depth(u) for u in prep.units) >= 3
    assert prep.plan.withheld  # some units are too small to show
    # the stored plan is safe by the attacker's own test, over the respondents themselves
    rows = list(Response.objects.filter(campaign=largest).values_list("id", "unit_id", "staff_group"))
    by_cell: dict = {}
    for rid, unit, group in rows:
        by_cell.setdefault((unit, group), set()).add(rid)
    groups = publication.catalogue(tree=prep.tree, cells=list(by_cell), units=list(prep.units),
                                   staff_groups=prep.staff_groups)  # fmt: skip
    shown = {k: frozenset(r for c in cells for r in by_cell[c]) for k, cells in groups.items() if prep.plan.allows(k)}
    assert find_leak(shown, prep.plan.threshold) is None


def test_a_national_benchmark_is_built_from_every_organisations_published_results(db):
    from staffwell.reporting.models import BenchmarkTable
    from staffwell.reporting.reports import benchmark_for

    call_command("generate_survey_data", organisations=5, respondents=500, largest=100, largest_units=10, seed=5)
    call_command("build_national_benchmark", "--use")
    table = BenchmarkTable.objects.get(name__startswith="staffwell organisations")
    assert table.in_use and table.rows.count() == 7
    assert all(1 <= r.p20 <= r.p50 <= r.p80 <= 5 for r in table.rows.all())
    assert benchmark_for(Campaign.objects.first().organisation) == table


def test_prepare_reports_stores_a_plan_for_every_closed_survey(db):
    from staffwell.reporting.models import CampaignPlan

    call_command("generate_survey_data", organisations=2, respondents=300, largest=150, largest_units=10, seed=6)
    call_command("prepare_reports")
    assert CampaignPlan.objects.count() == 2
    assert all(p.cube["cells"] for p in CampaignPlan.objects.all())
