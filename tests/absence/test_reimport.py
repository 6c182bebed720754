"""A month imported again must not change a group by fewer than the minimum group (found by a
second attack): a person moved from one ward to another in the staff list, the same extract
imported again, and the two wards' cells each changed by that one person's days and reason."""

import pytest

from staffwell import suppression
from staffwell.absence import esr
from staffwell.absence.models import Population, ReasonCount
from staffwell.organisations.imports import ImportRejected
from tests.absence.helpers import month_rows, row, to_csv

pytestmark = pytest.mark.django_db

MONTH = "2025-03"
WARD7, WARD8 = "Medicine > Ward 7", "Medicine > Ward 8"


def _extract(moved: int = 0, extra: int = 0) -> bytes:
    """25 nurses on each ward; ``moved`` of Ward 7's are given Ward 8 instead; ``extra`` more join Ward 8."""
    seven = month_rows(MONTH, WARD7, 25, prefix="A", absent=[("S10", 5.5), ("S13", 2)])
    eight = month_rows(MONTH, WARD8, 25, prefix="B", absent=[("S11", 3)])
    for r in seven[:moved]:
        r[4] = WARD8
    eight += [row(MONTH, f"C{i:03d}", WARD8) for i in range(extra)]
    return to_csv(seven + eight)


def _stored():
    return sorted(Population.objects.values_list("unit_id", "staff_group", "headcount", "fte_days_lost")), sorted(
        ReasonCount.objects.values_list("unit_id", "reason", "people", "fte_days_lost")
    )


def test_a_month_imported_again_with_one_person_moved_is_refused_and_nothing_changes(world):
    esr.import_extract(world.org, _extract(), filename="march.csv")
    before = _stored()
    with pytest.raises(ImportRejected) as refused:
        esr.import_extract(world.org, _extract(moved=1), filename="march-again.csv")
    message = " ".join(refused.value.errors)
    assert "March 2025 is already imported" in message and "by 1 person" in message
    assert "Unit Path" in message
    assert _stored() == before


def test_the_same_month_imported_again_unchanged_or_changed_by_a_whole_group_goes_through(world):
    k = suppression.min_group_size(world.org)
    esr.import_extract(world.org, _extract(), filename="march.csv")
    before = _stored()
    esr.import_extract(world.org, _extract(), filename="march-again.csv")
    assert _stored() == before
    esr.import_extract(world.org, _extract(extra=k), filename="march-more.csv")
    assert _stored() != before


def test_a_new_month_is_never_compared(world):
    esr.import_extract(world.org, _extract(), filename="march.csv")
    april = to_csv(month_rows("2025-04", WARD7, 24, prefix="A") + month_rows("2025-04", WARD8, 26, prefix="B"))
    esr.import_extract(world.org, april, filename="april.csv")
    assert Population.objects.filter(month__month=4).exists()
