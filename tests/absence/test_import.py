"""The ESR absence import: all-or-nothing, tolerant of column names, and no person kept."""

import pytest
from django.db import connection

from staffwell.absence import esr
from staffwell.absence.models import AbsenceImport, Population, ReasonCount
from staffwell.core.models import AuditEvent
from tests.absence.helpers import HEADER, month_rows, row, to_csv

pytestmark = pytest.mark.django_db

WARD7 = "Medicine > Ward 7"


def test_an_extract_becomes_counts_per_month_unit_staff_group_and_reason(world):
    rows = month_rows("2025-01", WARD7, 12, absent=[("S10", 10), ("S10", 5), ("S11", 31)])
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    pop = Population.objects.get(organisation=world.org)
    assert (pop.unit_id, pop.staff_group, pop.headcount) == (world.team.pk, "nursing_midwifery", 12)
    assert pop.fte_days_available == 12 * 31 and pop.fte_days_lost == 46
    s10 = ReasonCount.objects.get(reason="S10")
    assert (s10.fte_days_lost, s10.people, s10.spells, s10.long_term_spells, s10.short_term_spells) == (15, 2, 2, 0, 2)
    s11 = ReasonCount.objects.get(reason="S11")
    assert s11.long_term_spells == 1  # absent for the whole month


def test_the_raw_database_holds_no_person_or_assignment_after_an_import(world):
    rows = month_rows("2025-01", WARD7, 12, prefix="ZQX", absent=[("S10", 10)])
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for record in cursor.fetchall():
                if any("ZQX" in str(value) for value in record):
                    found.append(table)
    assert found == []
    assert Population.objects.exists()


def test_a_refused_upload_keeps_nothing_and_reports_every_bad_row(world):
    rows = month_rows("2025-01", WARD7, 3)
    rows.append(row("2025-13", "X1", WARD7))
    rows.append(row("2025-01", "X2", WARD7, reason="S77 Made up", lost=2))
    rows.append(row("2025-01", "X3", "Nowhere > Ward 99"))
    rows.append(row("2025-01", "X4", WARD7, available="lots"))
    rows.append(row("2025-01", "X5", WARD7, group="Wizards"))
    rows.append(row("2025-01", "X6", WARD7, reason="=HYPERLINK()", lost=1))
    with pytest.raises(esr.ImportRejected) as exc:
        esr.import_extract(world.org, to_csv(rows), filename="bad.csv")
    text = "\n".join(exc.value.errors)
    assert "Row 5: month '2025-13'" in text
    assert "Row 6: attendance reason 'S77 Made up'" in text
    assert "Row 7: unit 'Nowhere > Ward 99' is not a unit" in text
    assert "Row 8: FTE days available 'lots'" in text
    assert "Row 9: staff group 'Wizards'" in text
    assert "Row 10:" in text and "formula" in text
    assert not Population.objects.exists() and not ReasonCount.objects.exists()
    assert not AbsenceImport.objects.exists()


def test_older_extracts_column_names_and_month_formats_are_accepted(world):
    header = [h.replace("Wte Days Lost This Month", "Wte Days Sick This Month").replace("Tm Year Month", "Tm End Date")
              for h in HEADER]  # fmt: skip
    rows = [row("31/01/2025", "P1", WARD7, reason="S13", lost=2), row("31/01/2025", "P2", WARD7)]
    rows += [row("31/01/2025", f"Q{i}", WARD7) for i in range(10)]
    esr.import_extract(world.org, to_csv(rows, header), filename="old.csv")
    assert Population.objects.get().month.isoformat() == "2025-01-01"
    assert esr.parse_month("2014-NOV").isoformat() == "2014-11-01"
    assert esr.parse_month("202402").isoformat() == "2024-02-01"


def test_a_missing_column_is_named_in_the_error(world):
    header = [h for h in HEADER if h != "Wte Days Available"]
    with pytest.raises(esr.ImportRejected) as exc:
        esr.import_extract(world.org, to_csv([], header), filename="x.csv")
    assert "Wte Days Available" in exc.value.errors[0]


def test_another_organisations_extract_is_refused(world):
    rows = [row("2025-01", "P1", WARD7, ods="ZZZ99")]
    with pytest.raises(esr.ImportRejected) as exc:
        esr.import_extract(world.org, to_csv(rows), filename="x.csv")
    assert "organisation code 'ZZZ99'" in exc.value.errors[0]


def test_without_a_unit_column_people_are_mapped_through_the_staff_list(world):
    header = [h for h in HEADER if h != "Unit Path"]
    from tests.factories import MembershipFactory

    staff_id = world.memberships["staff"].person_id
    listed = [staff_id] + [MembershipFactory(organisation=world.org, unit=world.team).person_id for _ in range(9)]
    people = [*listed, *(f"NOT-IN-LIST-{i}" for i in range(10))]  # ten of each: cells of the minimum group
    rows = [r[:4] + r[5:] for r in [row("2025-01", p, "") for p in people]]
    record = esr.import_extract(world.org, to_csv(rows, header), filename="x.csv")
    assert record.unmapped_rows == 10
    assert set(Population.objects.values_list("unit_id", flat=True)) == {world.team.pk, None}


def test_reimporting_a_month_replaces_it_and_the_import_is_audited(world):
    esr.import_extract(world.org, to_csv(month_rows("2025-01", WARD7, 12)), filename="a.csv")
    # The same people, with days corrected: the month's people are fixed once imported
    # (tests/absence/test_reimport.py), its days and reasons are not.
    corrected = month_rows("2025-01", WARD7, 12, absent=[("S10", 4)])
    esr.import_extract(world.org, to_csv(corrected), filename="b.csv")
    assert (Population.objects.get().headcount, Population.objects.get().fte_days_lost) == (12, 4)
    assert ReasonCount.objects.get().reason == "S10"
    assert AuditEvent.objects.filter(action="absence.import.accepted").count() == 2


def test_a_second_reason_for_the_same_assignment_does_not_double_its_days_available(world):
    rows = [row("2025-01", "P1", WARD7, reason="S10", lost=10), row("2025-01", "P1", WARD7, reason="S11", lost=5)]
    rows += month_rows("2025-01", WARD7, 11, prefix="Q")  # the rest of the ward: a cell of the minimum group
    esr.import_extract(world.org, to_csv(rows), filename="x.csv")
    pop = Population.objects.get()
    assert (pop.headcount, pop.fte_days_available, pop.fte_days_lost) == (12, 12 * 31, 15)


def test_the_management_command_imports_files_and_reports_a_refused_one(world, tmp_path):
    from django.core.management import CommandError, call_command

    good = tmp_path / "good.csv"
    good.write_bytes(to_csv(month_rows("2025-01", WARD7, 12)))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv([row("2025-01", "P1", "Nowhere")]))
    call_command("import_absence", world.org.slug, str(good))
    assert Population.objects.filter(organisation=world.org).count() == 1
    with pytest.raises(CommandError, match=r"bad\.csv was not imported"):
        call_command("import_absence", world.org.slug, str(bad))


def test_a_month_not_yet_happened_and_more_days_lost_than_available_are_refused_by_row(world):
    """Found by an attack: 9999-12 and 35 days lost of 31 available were stored as data."""
    import datetime

    next_month = (datetime.date.today().replace(day=1) + datetime.timedelta(days=32)).strftime("%Y-%m")
    rows = month_rows("2025-01", "Medicine > Ward 7", 12)
    rows.append(row(next_month, "Z00001", "Medicine > Ward 7"))
    rows.append(row("9999-12", "Z00002", "Medicine > Ward 7"))
    rows.append(row("2025-01", "Z00003", "Medicine > Ward 7", reason="S10", lost=35, available=31))
    rows.append(row("0001-01", "Z00004", "Medicine > Ward 7"))  # gave a 500 (year 0) in the trigger window
    with pytest.raises(esr.ImportRejected) as exc:
        esr.import_extract(world.org, to_csv(rows), filename="bad.csv")
    assert f"Row 14: month {next_month} has not happened yet." in exc.value.errors
    assert "Row 15: month 9999-12 has not happened yet." in exc.value.errors
    assert (
        "Row 16: FTE days lost (35) are more than the FTE days available (31) for the assignment that month."
        in exc.value.errors
    )
    assert "Row 17: month 0001-01 is before 2000, earlier than any ESR record." in exc.value.errors
    assert not Population.objects.exists()
    # This month (still going on) and days lost equal to days available are fine.
    this_month = datetime.date.today().strftime("%Y-%m")
    ok = month_rows(this_month, "Medicine > Ward 7", 12, absent=[("S10", 31)])
    esr.import_extract(world.org, to_csv(ok), filename="ok.csv")
    assert Population.objects.exists()
