"""Rates as NHS England computes them, and every figure through the suppression service."""

import datetime

import pytest

from staffwell import suppression
from staffwell.absence import esr
from staffwell.absence.models import Population
from staffwell.absence.rates import Absence
from staffwell.suppression import Figure
from tests.absence.helpers import month_rows, to_csv

pytestmark = pytest.mark.django_db
JAN, FEB = datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)


def test_the_rate_is_days_lost_over_days_available_summed_never_an_average_of_rates(world):
    # Ward 7: 20 people, 31 days each, 31 days lost; Ward 8: 40 people, 62 days lost.
    ward7 = month_rows("2025-01", "Medicine > Ward 7", 20, absent=[("S10", 31)])
    ward8 = month_rows("2025-01", "Medicine > Ward 8", 40, prefix="Q", absent=[("S13", 31), ("S11", 31)])
    ward8[2][10] = "15.5"  # one part-timer: the average of the two rates would differ from the pooled rate
    esr.import_extract(world.org, to_csv(ward7 + ward8), filename="jan.csv")
    data = Absence(world.org)
    available = 20 * 31 + 39 * 31 + 15.5
    assert data.rate([JAN], "org").value == round(100 * 93 / available, 2)
    assert data.rate([JAN], f"unit:{world.team.pk}").value == 5.0
    assert data.rate([JAN], f"unit:{world.directorate.pk}").value == round(100 * 93 / available, 2)


def test_rounding_is_half_to_even_on_the_float_as_the_published_pipeline_rounds():
    gate = Figure(True, False)
    # 100 * 1 / 800 = 0.125 exactly in binary: half to even gives 0.12, not 0.13
    assert suppression.rate(1, 800, gate=gate, min_denominator=330).value == 0.12
    assert suppression.rate(3, 800, gate=gate, min_denominator=330).value == 0.38  # 0.375 -> 0.38


def test_a_rate_is_blank_where_fte_days_available_are_330_or_fewer():
    gate = Figure(True, False)
    assert suppression.rate(10, 330, gate=gate, min_denominator=330).suppressed
    assert not suppression.rate(10, 330.5, gate=gate, min_denominator=330).suppressed
    hidden = suppression.rate(10, 1000, gate=suppression.count(3), min_denominator=330)
    assert hidden.suppressed and "Fewer than 10 people" in hidden.reason


def test_reason_shares_come_from_days_lost(world):
    rows = month_rows("2025-01", "Medicine > Ward 7", 40, absent=[("S10", 3)] * 12 + [("S13", 1)] * 12)
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    data = Absence(world.org)
    assert data.share([JAN], "org", "stress").value == 75.0
    assert data.share([JAN], "org", "s13").value == 25.0
    # fewer than 10 people absent for a reason: not shown
    assert data.share([JAN], "org", "msk").suppressed


def test_a_small_unit_is_hidden_and_so_is_a_group_it_could_be_worked_out_from(world):
    rows = month_rows("2025-01", "Medicine > Ward 7", 4, absent=[("S10", 20)])  # too small
    rows += month_rows("2025-01", "Medicine > Ward 8", 30, prefix="Q", absent=[("S13", 2)])
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    data = Absence(world.org)
    ward7 = data.rate([JAN], f"unit:{world.team.pk}")
    ward8 = data.rate([JAN], f"unit:{world.other_team.pk}")
    medicine = data.rate([JAN], f"unit:{world.directorate.pk}")
    assert ward7.suppressed
    # Ward 7's four people were never stored as Ward 7's (the import combines them upwards)
    assert not Population.objects.filter(unit=world.team).exists()
    # Medicine minus Ward 8 would give Ward 7: one of them is hidden too
    assert ward8.suppressed or medicine.suppressed


def test_a_period_figure_needs_every_month_to_be_showable(world):
    jan = month_rows("2025-01", "Medicine > Ward 7", 30)
    feb = month_rows("2025-02", "Medicine > Ward 7", 5) + month_rows("2025-02", "Medicine > Ward 8", 30, prefix="Q")
    esr.import_extract(world.org, to_csv(jan + feb), filename="x.csv")
    data = Absence(world.org)
    key = f"unit:{world.team.pk}"
    assert not data.rate([JAN], key).suppressed
    assert data.rate([JAN, FEB], key).suppressed


def test_the_organisations_own_reporting_threshold_applies(world):
    from staffwell.suppression.models import ReportingPolicy

    ReportingPolicy.objects.update_or_create(
        organisation=world.org, defaults={"min_group": 25, "free_text_min_group": 25}
    )
    # The import coarsens to the organisation's own threshold: Ward 7's 20 and Ward 8's 10 are
    # stored together at Medicine, and neither ward can be shown.
    rows = month_rows("2025-01", "Medicine > Ward 7", 20) + month_rows("2025-01", "Medicine > Ward 8", 10, prefix="Q")
    record = esr.import_extract(world.org, to_csv(rows), filename="x.csv")
    assert record.min_group_size == 25
    assert list(Population.objects.values_list("unit_id", "headcount")) == [(world.directorate.pk, 30)]
    data = Absence(world.org)
    assert data.rate([JAN], f"unit:{world.team.pk}").suppressed
    assert not data.rate([JAN], f"unit:{world.directorate.pk}").suppressed
    # A month of 20 people in all cannot be stored at 25
    with pytest.raises(esr.ImportRejected, match="fewer than 25"):
        esr.import_extract(world.org, to_csv(month_rows("2025-02", "Medicine > Ward 7", 20)), filename="y.csv")
