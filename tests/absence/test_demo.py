"""The demo: three years of absence with a winter peak and one real special cause, and an
action whose measure shows the change."""

import pytest
from django.core.management import call_command

from staffwell.absence.measures import chart_for
from staffwell.absence.models import ActionMeasure
from staffwell.absence.rates import Absence
from staffwell.organisations.models import Organisation


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
    assert "concern" in kinds[:24] and kinds[-1] == "improvement"
    assert chart.marker is not None
