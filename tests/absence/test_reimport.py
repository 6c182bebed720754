"""A month imported again must not change a group by fewer than the minimum group (found by a
second attack): a person moved from one ward to another in the staff list, the same extract
imported again, and the two wards' cells each changed by that one person's days and reason."""

import pytest
from django.db import connection  # noqa: F401 - the skipif strings use it

from staffwell import suppression
from staffwell.absence import esr
from staffwell.absence.models import Population, ReasonCount
from staffwell.organisations.imports import ImportRejected
from tests.absence.helpers import HEADER, month_rows, row, to_csv

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
    assert "March 2025 is already imported" in message and "would change who is counted in Ward" in message
    assert "Unit Path" in message
    assert _stored() == before


def test_the_same_month_imported_again_unchanged_goes_through_but_not_with_k_more_people(world):
    """Adding k people whose absence the uploader knows (none) while removing one person gave
    that person's absence (found by an attack): once stored, who is in a month is fixed."""
    k = suppression.min_group_size(world.org)
    esr.import_extract(world.org, _extract(), filename="march.csv")
    before = _stored()
    esr.import_extract(world.org, _extract(), filename="march-again.csv")
    assert _stored() == before
    with pytest.raises(ImportRejected) as refused:
        esr.import_extract(world.org, _extract(extra=k), filename="march-more.csv")
    assert "would change who is counted in Ward 8" in " ".join(refused.value.errors)
    assert _stored() == before


def test_removing_one_person_and_adding_more_than_k_with_no_absence_is_refused(world):
    k = suppression.min_group_size(world.org)
    first = month_rows(MONTH, WARD7, 20, prefix="A", absent=[("S12", 2)] * 4 + [("S10", 6.5)])
    esr.import_extract(world.org, to_csv(first), filename="march.csv")
    before = _stored()
    target_gone = [r for r in first if r[1] != "A00004"] + [row(MONTH, f"Z{i:03d}", WARD7) for i in range(k + 1)]
    with pytest.raises(ImportRejected):
        esr.import_extract(world.org, to_csv(target_gone), filename="march-again.csv")
    assert _stored() == before


def test_people_moved_in_the_staff_list_and_the_same_extract_again_is_refused(world):
    """The attack: an extract without a Unit Path column takes each person's unit from the
    staff list. Ward 7 had the target and 10 others, Ward 8 11 people, Medicine's own level
    21; the admin moved Ward 8's 11 to Ward 7 and the target and Medicine's 21 to Ward 8, and
    the identical file was imported again. Every cell changed by at least k, and Ward 7 before
    plus Ward 8 before less Ward 7 after was the target alone."""
    from staffwell.organisations.models import Membership
    from tests.factories import MembershipFactory

    def staff(unit, prefix, n):
        return [MembershipFactory(organisation=world.org, unit=unit, person_id=f"{prefix}{i:03d}", user=None)
                for i in range(n)]  # fmt: skip

    people = staff(world.team, "S", 11) + staff(world.other_team, "T", 11) + staff(world.directorate, "U", 21)
    rows = [row(MONTH, m.person_id, "", reason="S25" if m.person_id == "S000" else "",
                lost=3.5 if m.person_id == "S000" else 0) for m in people]  # fmt: skip
    header = [h for h in HEADER if h != "Unit Path"]
    content = to_csv([[v for i, v in enumerate(r) if i != 4] for r in rows], header=header)
    esr.import_extract(world.org, content, filename="july.csv")
    before = _stored()
    Membership.objects.filter(person_id__startswith="T").update(unit=world.team)
    Membership.objects.filter(person_id__startswith="U").update(unit=world.other_team)
    Membership.objects.filter(person_id="S000").update(unit=world.other_team)
    with pytest.raises(ImportRejected):
        esr.import_extract(world.org, content, filename="july-again.csv")
    assert _stored() == before


def test_a_month_stored_before_digests_falls_back_to_the_headcount_rule(world):
    k = suppression.min_group_size(world.org)
    esr.import_extract(world.org, _extract(), filename="march.csv")
    Population.objects.update(members="")
    with pytest.raises(ImportRejected):
        esr.import_extract(world.org, _extract(moved=1), filename="march-moved.csv")
    esr.import_extract(world.org, _extract(extra=k), filename="march-more.csv")
    assert Population.objects.exclude(members="").exists()  # now kept, and fixed from here on
    with pytest.raises(ImportRejected):
        esr.import_extract(world.org, _extract(extra=2 * k), filename="march-even-more.csv")


def test_a_new_month_is_never_compared(world):
    esr.import_extract(world.org, _extract(), filename="march.csv")
    april = to_csv(month_rows("2025-04", WARD7, 24, prefix="A") + month_rows("2025-04", WARD8, 26, prefix="B"))
    esr.import_extract(world.org, april, filename="april.csv")
    assert Population.objects.filter(month__month=4).exists()


# Same headcounts, different people (found by an attack on lending) -------------------------

ADMIN = "Administrative and Clerical"


def _ward_with_clerks(regraded: tuple[str, ...] = (), swapped: bool = False, late_days: float = 0) -> bytes:
    """Ward 7: 30 nurses (10 of them off sick) and 3 clerks, so 7 nurses are lent into its
    combined cell; Ward 8: 25 nurses. ``regraded`` nurses are given the clerks' staff group
    (so one nurse fewer is lent); ``swapped`` gives one nurse of each ward the other ward;
    ``late_days`` adds days to one absence already counted (a late correction)."""
    seven = month_rows(MONTH, WARD7, 30, prefix="N", absent=[("S13", 1 + i) for i in range(10)])
    seven += [row(MONTH, f"K{i:03d}", WARD7, group=ADMIN) for i in range(3)]
    eight = month_rows(MONTH, WARD8, 25, prefix="B", absent=[("S11", 3)])
    for r in seven:
        if r[1] in regraded:
            r[6] = ADMIN
    if swapped:
        seven[-4][4], eight[-1][4] = WARD8, WARD7
    if late_days:
        seven[0][11] = str(float(seven[0][11]) + late_days)
    return to_csv(seven + eight)


def test_a_re_import_that_changes_who_is_lent_but_no_headcount_is_refused(world):
    """The attack: one nurse with no absence is re-graded, so one nurse fewer is lent, and the
    one who goes back to the nurses' cell is a named person whose absence is the difference."""
    esr.import_extract(world.org, _ward_with_clerks(), filename="march.csv")
    before = _stored()
    never_absent = "N00029"
    with pytest.raises(ImportRejected) as refused:
        esr.import_extract(world.org, _ward_with_clerks(regraded=(never_absent,)), filename="march-again.csv")
    message = " ".join(refused.value.errors)
    assert "March 2025 is already imported" in message and "would change who is counted in Ward 7" in message
    assert "erase_absence_month" in message
    assert _stored() == before


def test_two_people_swapping_wards_is_refused_though_every_headcount_stays(world):
    esr.import_extract(world.org, _ward_with_clerks(), filename="march.csv")
    before = _stored()
    with pytest.raises(ImportRejected) as refused:
        esr.import_extract(world.org, _ward_with_clerks(swapped=True), filename="march-again.csv")
    assert "would change who is counted" in " ".join(refused.value.errors)
    assert _stored() == before


def test_a_late_correction_of_days_with_the_same_people_goes_through(world):
    esr.import_extract(world.org, _ward_with_clerks(), filename="march.csv")
    lost = sum(Population.objects.values_list("fte_days_lost", flat=True))
    esr.import_extract(world.org, _ward_with_clerks(late_days=2), filename="march-corrected.csv")
    assert sum(Population.objects.values_list("fte_days_lost", flat=True)) == pytest.approx(lost + 2)


def test_the_digest_is_keyed_and_survives_a_key_rotation(world, settings):
    from staffwell.absence import reimport
    from staffwell.core import crypto

    esr.import_extract(world.org, _ward_with_clerks(), filename="march.csv")
    digests = list(Population.objects.values_list("members", flat=True))
    assert digests and all(len(d) == 16 for d in digests) and len(set(digests)) == len(digests)
    people = {f"N{i:05d}" for i in range(30)}
    month = Population.objects.first().month
    mine = reimport.members_digest(world.org.pk, month, None, "x", people)
    old_keys = list(settings.STAFFWELL_ENCRYPTION_KEYS)
    settings.STAFFWELL_ENCRYPTION_KEYS = [crypto.new_key()]
    assert reimport.members_digest(world.org.pk, month, None, "x", people) != mine  # another key, another digest
    # Rotated: a new key first, the old one still configured. The same month imported again
    # unchanged still matches, and a swap is still refused.
    settings.STAFFWELL_ENCRYPTION_KEYS = [crypto.new_key(), *old_keys]
    before = _stored()
    esr.import_extract(world.org, _ward_with_clerks(), filename="march-again.csv")
    assert _stored() == before
    with pytest.raises(ImportRejected):
        esr.import_extract(world.org, _ward_with_clerks(swapped=True), filename="march-swapped.csv")


def test_the_operator_erases_a_month_from_the_wrong_file_and_it_is_imported_afresh(world):
    from django.core.management import CommandError, call_command

    from staffwell.core.models import AuditEvent

    k = suppression.min_group_size(world.org)
    esr.import_extract(world.org, _extract(), filename="march-wrong.csv")
    with pytest.raises(ImportRejected):
        esr.import_extract(world.org, _extract(extra=k), filename="march-right.csv")
    with pytest.raises(CommandError, match="--reason"):
        call_command("erase_absence_month", world.org.slug, "2025-03", reason=" ")
    with pytest.raises(CommandError, match="no absence stored for April 2025"):
        call_command("erase_absence_month", world.org.slug, "2025-04", reason="wrong file")
    call_command("erase_absence_month", world.org.slug, "2025-03", reason="wrong file uploaded")
    assert not Population.objects.exists() and not ReasonCount.objects.exists()
    event = AuditEvent.objects.get(action="absence.month.erased")
    assert event.data == {"month": "2025-03", "cells": 2, "reason": "wrong file uploaded"}
    esr.import_extract(world.org, _extract(extra=k), filename="march-right.csv")
    assert sum(Population.objects.values_list("headcount", flat=True)) == 50 + k


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_two_different_first_imports_of_a_month_at_once_store_one_version(world):
    """Both would have found the month new and stored in turn: two versions to compare."""
    from tests.concurrency import at_once

    k = suppression.min_group_size(world.org)
    files = [_extract(), _extract(extra=k)]
    results = at_once([lambda f=f: esr.import_extract(world.org, f, filename="march.csv") for f in files])
    assert sum(isinstance(r, ImportRejected) for r in results) == 1, results
    assert not any(isinstance(r, Exception) and not isinstance(r, ImportRejected) for r in results), results
