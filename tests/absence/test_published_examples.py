"""staffwell's rates set beside NHS England's own, on rows of a real published file.

The extract (see data/README.md) is 303 unchanged rows of NHS England's benchmarking CSVs.
Each test reads the published rate column only to compare: every figure staffwell shows is
computed from the two FTE-day columns, as it is from an ESR extract.
"""

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from staffwell.absence import national
from staffwell.absence.models import NationalFigure

pytestmark = pytest.mark.django_db

EXTRACT = Path(__file__).parent / "data" / "nhse-benchmarking-extract.csv"


def _published():
    with EXTRACT.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _load():
    return national.load(EXTRACT.read_bytes(), filename=EXTRACT.name, source="NHS Sickness Absence Rates")


def test_every_published_rate_is_the_rate_staffwell_computes_from_the_same_row():
    rows = _published()
    _load()
    stored = list(NationalFigure.objects.order_by("pk"))
    assert len(stored) == len(rows) == 303
    compared = 0
    for row, figure in zip(rows, stored, strict=True):
        assert figure.org_code == row["ORG_CODE"] and figure.staff_group == row["STAFF_GROUP"]
        ours = national._rate(figure.fte_days_lost, figure.fte_days_available)
        if row["SICKNESS_ABSENCE_RATE_PERCENT"] == "":
            assert ours.suppressed, row  # blank in the file, withheld here
        else:
            compared += 1
            assert not ours.suppressed and ours.value == float(row["SICKNESS_ABSENCE_RATE_PERCENT"]), row
    assert compared == 296


def test_the_rounding_is_half_to_even_as_the_published_rows_at_exact_halves_show():
    halves = {(r["ORG_CODE"], r["STAFF_GROUP"]): r for r in _published() if r["ORG_CODE"] in {"RYE", "X24"}}
    for key, exact, published in [
        (("RYE", "Senior managers"), 3.125, 3.12),
        (("X24", "Support to ST&T staff"), 2.125, 2.12),
    ]:
        row = next(r for k, r in halves.items() if k == key and r["DATE"] != "31/01/2025")
        lost, available = float(row["FTE_DAYS_LOST"]), float(row["FTE_DAYS_AVAILABLE"])
        assert 100 * lost / available == exact
        assert float(row["SICKNESS_ABSENCE_RATE_PERCENT"]) == published  # half up would give 3.13 and 2.13
        assert national._rate(lost, available).value == published


def test_the_smallest_denominator_shown_is_just_over_the_330_day_rule():
    row = next(r for r in _published() if r["FTE_DAYS_AVAILABLE"] == "330.046")
    assert row["SICKNESS_ABSENCE_RATE_PERCENT"] == "0.91"
    assert national._rate(float(row["FTE_DAYS_LOST"]), 330.046).value == 0.91
    assert national._rate(float(row["FTE_DAYS_LOST"]), 330.0).suppressed


def test_england_and_the_ambulance_peers_are_sums_of_days_not_averages_of_rates():
    """January 2025: NHS England reported 5.7% for England and 7.5% for ambulance trusts.
    Summing the organisations' days gives 5.72 and 7.54; averaging the ten ambulance
    trusts' rates would give 7.53."""
    _load()
    table = national.comparison(org_code="RYE", months=1)
    assert table["last"].isoformat() == "2025-01-01"
    assert table["england"].value == 5.72
    assert table["peer_type"] == "Ambulance Trust"
    assert table["peers"].value == 7.54
    ambulance = [
        r for r in _published() if r["BENCHMARK_GROUP"] == "Ambulance Trust" and r["STAFF_GROUP"] == "All staff groups"
    ]
    assert len(ambulance) == 10
    assert round(sum(float(r["SICKNESS_ABSENCE_RATE_PERCENT"]) for r in ambulance) / 10, 2) == 7.53
    assert table["own"]["rate"].value == 7.78 and table["count"] == 280


def test_the_check_command_reports_every_published_rate_the_same(capsys):
    call_command("check_nhse_absence", str(EXTRACT))
    out = capsys.readouterr().out
    assert "303 rows: 296 published rates compared, 296 the same; 7 blank in the file; 2 exact halves" in out
    assert "330.046" in out


def test_the_check_command_fails_on_a_rate_that_differs(tmp_path):
    text = EXTRACT.read_text().replace(",2335.48715,47854.23534,4.88", ",2335.48715,47854.23534,4.89")
    assert "4.89" in text
    bad = tmp_path / "changed.csv"
    bad.write_text(text)
    with pytest.raises(Exception, match="1 row"):
        call_command("check_nhse_absence", str(bad))
