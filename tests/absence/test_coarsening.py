"""The import coarsens before it stores: no stored cell (month, unit, staff group) holds fewer
than the organisation's minimum group, so a raw copy of the database cannot be joined to the
staff list to name anyone's absence. Totals are preserved exactly."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from staffwell import suppression
from staffwell.absence import esr
from staffwell.absence.models import AbsenceImport, IncompleteGroup, Population, ReasonCount
from staffwell.absence.rates import COMBINED, Absence
from staffwell.organisations.models import StaffGroup
from tests.absence.helpers import HEADER, row, to_csv
from tests.factories import MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db

JAN, FEB = "2025-01", "2025-02"
NURSE, ADMIN, AHP = "Nursing and Midwifery Registered", "Administrative and Clerical", "Allied Health Professionals"


def _extract(month=JAN, *, prefix="P"):
    """Medicine (9 admin staff of its own) > Ward 7 (12 nurses, 3 admin), Ward 8 (11 nurses and
    one admin, absent S12 for 5 days), Ward 9 (2 nurses, one absent S11); and 10 people not in
    any unit."""
    rows = []

    def add(unit, n, group, tag, absent=()):
        for i in range(n):
            reason, lost = absent[i] if i < len(absent) else ("", 0)
            rows.append(row(month, f"{prefix}{tag}{i:03d}", unit, group=group, reason=reason, lost=lost))

    add("Medicine", 9, ADMIN, "M", absent=[("S13", 2)])
    add("Medicine > Ward 7", 12, NURSE, "A", absent=[("S10", 4), ("S13", 1)])
    add("Medicine > Ward 7", 3, ADMIN, "B", absent=[("S10", 5)])
    add("Medicine > Ward 8", 11, NURSE, "C", absent=[("S11", 2)])
    add("Medicine > Ward 8", 1, ADMIN, "D", absent=[("S12", 5)])
    add("Medicine > Ward 9", 2, NURSE, "E", absent=[("S11", 3)])
    add("", 10, AHP, "F", absent=[("S28", 6)])
    return rows


@pytest.fixture
def ward9(world):
    return UnitFactory(organisation=world.org, parent=world.directorate, name="Ward 9")


def _source_sums(rows, units=None):
    """Days available and lost straight from the extract rows (path -> unit filter)."""
    available = sum(float(r[10]) for r in rows if units is None or r[4] in units)
    lost = sum(float(r[11]) for r in rows if units is None or r[4] in units)
    return available, lost


def test_no_stored_cell_is_smaller_than_the_minimum_group(world, ward9):
    k = suppression.min_group_size(world.org)
    record = esr.import_extract(world.org, to_csv(_extract()), filename="jan.csv")
    assert record.min_group_size == k
    cells = list(Population.objects.filter(organisation=world.org).values_list("headcount", flat=True))
    assert cells and min(cells) >= k
    # Every reason count sits in a stored population cell of at least k people.
    for r in ReasonCount.objects.filter(organisation=world.org):
        pop = Population.objects.get(organisation=world.org, month=r.month, unit=r.unit, staff_group=r.staff_group)
        assert pop.headcount >= k


def test_the_attackers_join_with_the_staff_list_names_no_one(world, ward9):
    """The raw-database attack: cells of one person joined to the staff list's cells of one."""
    MembershipFactory(organisation=world.org, unit=world.other_team, staff_group=StaffGroup.ADMIN_CLERICAL,
                      full_name="Alice Only-Admin", person_id="PD000", user=None)  # fmt: skip
    MembershipFactory(organisation=world.org, unit=ward9, full_name="Bea Ward-Nine", person_id="PE000", user=None)
    esr.import_extract(world.org, to_csv(_extract()), filename="jan.csv")
    sql = """
        with m as (select unit_id, staff_group, count(*) n, min(full_name) names
                   from organisations_membership where organisation_id = %s and is_active group by unit_id, staff_group)
        select r.month, r.unit_id, r.staff_group, r.reason, r.fte_days_lost, r.people, m.names, p.headcount
        from absence_reasoncount r
        join absence_population p on p.unit_id = r.unit_id and p.staff_group = r.staff_group and p.month = r.month
        join m on m.unit_id = r.unit_id and m.staff_group = r.staff_group
        where p.headcount < %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [world.org.pk, suppression.min_group_size(world.org)])
        assert cursor.fetchall() == []
        cursor.execute("select count(*) from absence_population where headcount < %s",
                       [suppression.min_group_size(world.org)])  # fmt: skip
        assert cursor.fetchone()[0] == 0
        # Nothing is stored at the level of Ward 9 (two people) or of Ward 8's one admin.
        cursor.execute("select count(*) from absence_population where unit_id = %s", [ward9.pk])
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "select count(*) from absence_population where unit_id = %s and staff_group = %s",
            [world.other_team.pk, StaffGroup.ADMIN_CLERICAL.value],
        )
        assert cursor.fetchone()[0] == 0


def test_totals_are_preserved_for_the_organisation_and_a_parent_unit(world, ward9):
    rows = _extract()
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    month = datetime.date(2025, 1, 1)
    stored = Population.objects.filter(organisation=world.org)
    available, lost = _source_sums(rows)
    assert sum(p.fte_days_available for p in stored) == pytest.approx(available)
    assert sum(p.fte_days_lost for p in stored) == pytest.approx(lost)
    assert sum(r.fte_days_lost for r in ReasonCount.objects.filter(organisation=world.org)) == pytest.approx(lost)
    data = Absence(world.org)
    rate = data.rate([month], "org")
    assert not rate.suppressed and rate.value == round(lost / available * 100, 2)
    medicine = {"Medicine", "Medicine > Ward 7", "Medicine > Ward 8", "Medicine > Ward 9"}
    m_available, m_lost = _source_sums(rows, medicine)
    key = f"unit:{world.directorate.pk}"
    assert data.pop[(month, key)].available == pytest.approx(m_available)
    assert data.pop[(month, key)].lost == pytest.approx(m_lost)
    assert data.rate([month], key).value == round(m_lost / m_available * 100, 2)
    # Reason totals too: every S11 day (Ward 8 and Ward 9) is still in Medicine's S11 figure.
    assert data.reason[(month, key, "S11")][0] == pytest.approx(5)
    assert data.reason[(month, "org", "S12")][0] == pytest.approx(5)
    # Ward 7 keeps all its people (its small admin group is combined inside it, not moved out).
    _, w7_lost = _source_sums(rows, {"Medicine > Ward 7"})
    assert data.pop[(month, f"unit:{world.team.pk}")].lost == pytest.approx(w7_lost)
    # The small groups show as one combined group, clearly labelled.
    assert COMBINED in data.staff_groups
    assert {r["label"] for r in data.staff_group_rows()} >= {"Other staff groups (combined)"}


def test_a_unit_that_lost_people_to_the_unit_above_shows_no_figures(world, ward9, client_for):
    esr.import_extract(world.org, to_csv(_extract()), filename="jan.csv")
    month = datetime.date(2025, 1, 1)
    data = Absence(world.org)
    assert data.rate([month], f"unit:{ward9.pk}").suppressed
    # A staff group most of whose people were combined is incomplete: withheld, not wrong;
    # one none of whose people were combined is not withheld for that.
    from staffwell.absence.rates import GROUP_INCOMPLETE, INCOMPLETE

    admin = data.rate([month], f"org|sg:{StaffGroup.ADMIN_CLERICAL.value}")
    assert admin.suppressed and admin.reason == GROUP_INCOMPLETE
    assert data.gate([month], f"org|sg:{StaffGroup.ALLIED_HEALTH.value}").reason not in {INCOMPLETE, GROUP_INCOMPLETE}
    assert IncompleteGroup.objects.get(month=month, staff_group=StaffGroup.ADMIN_CLERICAL.value).people == 13
    assert IncompleteGroup.objects.filter(organisation=world.org, month=month, unit=ward9).exists()
    client = client_for("lead")
    for name, kwargs in [
        ("absence:unit", {"unit_id": ward9.pk}),
        ("absence:unit", {"unit_id": world.team.pk}),
        ("absence:unit", {"unit_id": world.directorate.pk}),
        ("absence:overview", {}),
        ("absence:staff_group", {"group": COMBINED}),
        ("absence:staff_group", {"group": StaffGroup.ADMIN_CLERICAL.value}),
        ("absence:stress", {}),
        ("absence:msk", {}),
        ("absence:changes", {}),
        ("absence:triggers", {}),
    ]:
        response = client.get(reverse(name, kwargs={"org": world.org.slug, **kwargs}))
        assert response.status_code == 200, (name, kwargs)
    page = client.get(reverse("absence:unit", kwargs={"org": world.org.slug, "unit_id": ward9.pk})).content.decode()
    assert "Not shown" in page or "No figures" in page or "no figures" in page


def test_reimporting_a_month_replaces_its_cells_and_marks(world, ward9):
    from django.core.management import call_command

    esr.import_extract(world.org, to_csv(_extract()), filename="jan.csv")
    # Other people in January: only once the operator has erased the month (the wrong file).
    call_command("erase_absence_month", world.org.slug, "2025-01", reason="wrong file")
    rows = [row(JAN, f"Q{i:03d}", "Medicine > Ward 9", reason="S13" if i < 2 else "", lost=1 if i < 2 else 0)
            for i in range(15)]  # fmt: skip
    esr.import_extract(world.org, to_csv(rows), filename="jan-again.csv")
    cells = list(Population.objects.filter(organisation=world.org).values_list("unit_id", "staff_group", "headcount"))
    assert cells == [(ward9.pk, StaffGroup.NURSING_MIDWIFERY.value, 15)]
    assert not IncompleteGroup.objects.filter(organisation=world.org).exists()


def test_a_web_upload_of_one_persons_row_stores_nothing_about_them(world, client_for):
    client = client_for("admin")
    url = reverse("absence:upload", kwargs={"org": world.org.slug})
    one = [row("2025-03", "N0001", "Medicine > Ward 7", reason="S10", lost=5)]
    response = client.post(url, {"file": SimpleUploadedFile("one.csv", to_csv(one))}, follow=True)
    assert not Population.objects.exists() and not ReasonCount.objects.exists()
    assert not AbsenceImport.objects.exists()
    assert "fewer than" in response.content.decode()


def test_the_upload_says_small_groups_are_combined_before_storing(world, ward9, client_for):
    client = client_for("admin")
    url = reverse("absence:upload", kwargs={"org": world.org.slug})
    response = client.post(url, {"file": SimpleUploadedFile("jan.csv", to_csv(_extract()))}, follow=True)
    k = suppression.min_group_size(world.org)
    page = response.content.decode().replace("&#39;", "'")
    assert f"Before anything was stored, groups of fewer than {k} people were combined" in page
    assert f"a unit of fewer than {k} into the unit above" in page
    assert "'Other staff groups (combined)'" in page


def test_a_column_named_twice_is_refused_and_named(world):
    header = [*HEADER, "Tm Year Month"]
    rows = [[*r, "2025-02"] for r in _extract()]
    with pytest.raises(esr.ImportRejected) as exc:
        esr.import_extract(world.org, to_csv(rows, header), filename="twice.csv")
    assert "Tm Year Month" in exc.value.errors[0] and "twice" in exc.value.errors[0]
    assert not Population.objects.exists()
    # Differently written, the same column: still refused.
    header = [*HEADER, "staff group"]
    with pytest.raises(esr.ImportRejected) as exc:
        esr.import_extract(world.org, to_csv([[*r, NURSE] for r in _extract()], header), filename="twice.csv")
    assert "Staff Group" in exc.value.errors[0]


def test_trigger_counts_are_stored_only_where_a_cell_of_at_least_k_is_stored(world, ward9):
    from staffwell.absence.models import TriggerCount
    from tests.absence.test_triggers import _agreed

    definition = _agreed(world, spells=1, window_months=1)
    rows = _extract()
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    stored_units = set(Population.objects.filter(organisation=world.org).values_list("unit_id", flat=True))
    counts = list(TriggerCount.objects.filter(definition=definition).values_list("unit_id", "people"))
    assert counts and {u for u, _ in counts} <= stored_units
    assert ward9.pk not in {u for u, _ in counts}  # its one absent person is counted at Medicine
    assert sum(p for _, p in counts) == sum(1 for r in rows if float(r[11]) > 0)  # nobody lost, nobody added


def test_cells_stored_before_coarsening_are_coarsened_by_the_migration(world, ward9):
    """The data migration (0004) runs ``recoarsen_stored`` over what older imports left."""
    from staffwell.absence import recoarsen
    from staffwell.absence.models import TriggerCount
    from staffwell.organisations.models import Unit
    from tests.absence.test_triggers import _agreed

    month = datetime.date(2024, 6, 1)
    old = [(world.team, "nursing_midwifery", 12, 370.0, 4.0), (world.team, "admin_clerical", 1, 31.0, 5.0),
           (ward9, "nursing_midwifery", 2, 62.0, 3.0), (None, "allied_health", 10, 310.0, 0.0)]  # fmt: skip
    for unit, group, n, available, lost in old:
        Population.objects.create(organisation=world.org, month=month, unit=unit, staff_group=group, headcount=n,
                                  fte_days_available=available, fte_days_lost=lost)  # fmt: skip
    ReasonCount.objects.create(organisation=world.org, month=month, unit=world.team, staff_group="admin_clerical",
                               reason="S10", fte_days_lost=5, people=1, spells=1, long_term_spells=0,
                               short_term_spells=1)  # fmt: skip
    definition = _agreed(world, spells=1, window_months=1)
    TriggerCount.objects.create(organisation=world.org, definition=definition, month=month, unit=ward9, people=1,
                                spells=1)  # fmt: skip
    # A month of one person in all (the attacker's one-row upload): deleted.
    Population.objects.create(organisation=world.org, month=datetime.date(2024, 7, 1), unit=world.team,
                              staff_group="nursing_midwifery", headcount=1, fte_days_available=31, fte_days_lost=5)  # fmt: skip
    models = {"Population": Population, "ReasonCount": ReasonCount, "IncompleteGroup": IncompleteGroup,
              "TriggerCount": TriggerCount, "Unit": Unit}  # fmt: skip
    done = recoarsen.recoarsen_stored(world.org.pk, suppression.min_group_size(world.org), models=models)
    assert done == {"months": 1, "deleted_months": 1}
    cells = Population.objects.filter(organisation=world.org)
    assert min(c.headcount for c in cells) >= suppression.min_group_size(world.org)
    assert {c.month for c in cells} == {month}
    assert sum(c.fte_days_lost for c in cells) == 12 and sum(c.fte_days_available for c in cells) == 773
    s10 = ReasonCount.objects.get(organisation=world.org)
    assert Population.objects.get(month=month, unit=s10.unit, staff_group=s10.staff_group).headcount >= 10
    trigger = TriggerCount.objects.get(definition=definition)
    assert trigger.unit_id != ward9.pk and trigger.people == 1
