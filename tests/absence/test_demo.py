"""The demo: three years of absence of the demo trust's own people, through the real import,
with a winter peak and one real special cause, and an action whose measure shows the change."""

import pytest
from django.core.management import call_command
from django.db.models import Sum

from staffwell.absence.measures import chart_for
from staffwell.absence.models import AbsenceImport, ActionMeasure, Population
from staffwell.absence.rates import Absence
from staffwell.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo")
    return Organisation.objects.get(slug="northgate")


def test_the_demo_trust_has_three_years_of_absence_with_a_special_cause_after_the_action(demo):
    data = Absence(demo)
    assert len(data.months) == 36
    org_chart = chart_for(data, "org")
    assert org_chart.analysis.mode == "xmr" and not org_chart.gaps
    by_month = {p.label[:3]: [] for p in org_chart.analysis.points}
    for p in org_chart.analysis.points:
        by_month[p.label[:3]].append(p.value)
    assert sum(by_month["Jan"]) > sum(by_month["Jul"])  # winter peak
    measure = ActionMeasure.objects.get(action__cycle__organisation=demo)
    chart = measure.chart()
    kinds = [p.kind for p in chart.analysis.points]
    assert "concern" in kinds[:22] and kinds[-1] == "improvement"
    assert chart.marker is not None
    assert chart.analysis.variation.key == "improvement_low"


def test_the_demo_extracts_hold_the_demo_trusts_own_people_and_went_through_the_real_import(demo):
    from staffwell.absence import demo as absence_demo

    workforce = absence_demo.workforce(demo)
    ids = {p[0] for p in workforce}
    assert set(Membership.objects.for_org(demo).active().values_list("person_id", flat=True)) <= ids
    imports = AbsenceImport.objects.filter(organisation=demo)
    assert imports.count() == 37 and not imports.filter(unmapped_rows__gt=0).exists()
    for month in Absence(demo).months:
        headcount = Population.objects.filter(organisation=demo, month=month).aggregate(n=Sum("headcount"))["n"]
        assert headcount == len(workforce)


def test_the_demo_shows_rates_and_reasons_not_only_withheld_figures(demo):
    data = Absence(demo)
    months = data.last_year()
    shown = [r for r in data.reason_rows("org") if not r["share"].suppressed]
    assert {r["code"] for r in shown} >= {"s10", "s13"}
    assert not data.share(months, "org", "stress").suppressed
    assert not data.share(months, "org", "msk").suppressed
    assert sum(not r["rate"].suppressed for r in data.unit_rows(None)) >= 4
    # Every staff group is shown, each for most of its people (a real trust's wards have a
    # few clerks and doctors each; they are counted with "Other staff groups (combined)").
    rows = {r["code"]: r for r in data.staff_group_rows()}
    assert len(rows) >= 7
    for code, r in rows.items():
        assert not r["rate"].suppressed, code
        assert r["coverage"] is None or r["coverage"].percent >= 70, (code, r["coverage"])


def test_the_demo_trust_has_an_agreed_trigger_counted_for_the_last_seven_months_without_names(demo):
    from staffwell.absence import triggers

    definition = triggers.current(demo)
    assert definition is not None and triggers.state(definition).complete
    figures = triggers.Figures(Absence(demo), definition)
    assert len(figures.months) == 7 and figures.months[-1] == Absence(demo).months[-1]
    people, spells = figures.figure(figures.months[-1], "org")
    assert not people.suppressed and spells.value >= 3 * people.value
