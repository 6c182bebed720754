"""Organisation-wide staff-group figures when the import combined some of a group's people
(docs/absence.md, "Staff-group figures"; ADR 0030): the figure is of the people stored under
the group, it says what share of the group that is, and it is withheld when that is under
half. It is never a figure for the whole group worked out from anything else stored."""

import datetime

import pytest
from django.urls import reverse

from staffwell import suppression
from staffwell.absence import esr
from staffwell.absence.models import IncompleteGroup
from staffwell.absence.rates import GROUP_INCOMPLETE, MIN_STORED_SHARE, Absence, Coverage
from staffwell.organisations.models import StaffGroup
from tests.absence.helpers import row, to_csv
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

JAN = "2025-01"
MONTH = datetime.date(2025, 1, 1)
NURSE, ADMIN, AHP = "Nursing and Midwifery Registered", "Administrative and Clerical", "Allied Health Professionals"


@pytest.fixture
def ward9(world):
    return UnitFactory(organisation=world.org, parent=world.directorate, name="Ward 9")


def _extract(k: int) -> list:
    """Ward 7: 2k nurses, k-3 AHPs and 3 admin (the last two combined); Ward 8: 2k nurses and
    2k admin; Ward 9: 2k nurses, k-1 AHPs and 1 admin (combined); k AHPs in no unit. So 20 of
    24 admin are stored under their group (k = 10), and 10 of 26 AHPs."""
    rows = []

    def add(unit, n, group, tag, absent=()):
        for i in range(n):
            reason, lost = absent[i] if i < len(absent) else ("", 0)
            rows.append(row(JAN, f"{tag}{i:03d}", unit, group=group, reason=reason, lost=lost))

    add("Medicine > Ward 7", 2 * k, NURSE, "A", absent=[("S13", 3)])
    add("Medicine > Ward 7", k - 3, AHP, "B")
    add("Medicine > Ward 7", 3, ADMIN, "C", absent=[("S10", 31), ("S10", 31), ("S10", 31)])
    add("Medicine > Ward 8", 2 * k, NURSE, "D", absent=[("S11", 4)])
    add("Medicine > Ward 8", 2 * k, ADMIN, "E", absent=[("S10", 6), ("S13", 2)])
    add("Medicine > Ward 9", 2 * k, NURSE, "F")
    add("Medicine > Ward 9", k - 1, AHP, "G", absent=[("S12", 5)])
    add("Medicine > Ward 9", 1, ADMIN, "H", absent=[("S13", 1)])
    add("", k, AHP, "J", absent=[("S28", 2)])
    return rows


def _imported(world) -> tuple[int, Absence]:
    k = suppression.min_group_size(world.org)
    esr.import_extract(world.org, to_csv(_extract(k)), filename="jan.csv")
    return k, Absence(world.org)


def test_a_partly_combined_group_is_shown_for_the_people_stored_under_it(world, ward9):
    k, data = _imported(world)
    admin = data.rate([MONTH], f"org|sg:{StaffGroup.ADMIN_CLERICAL.value}")
    # Ward 8's admin only: 8 days of 2k x 31. The three admin on Ward 7 who were off all month
    # (and Ward 9's one) are in Ward 7's and Ward 9's combined cells, not in this figure.
    assert not admin.suppressed
    assert admin.value == round(8 / (2 * k * 31) * 100, 2)
    coverage = data.coverage([MONTH], StaffGroup.ADMIN_CLERICAL.value)
    assert (coverage.people, coverage.of) == (2 * k, 2 * k + 4)
    assert coverage.percent == (2 * k) * 100 // (2 * k + 4)
    # A group none of whose people were combined covers all of itself.
    assert data.coverage([MONTH], StaffGroup.NURSING_MIDWIFERY.value) is None
    assert IncompleteGroup.objects.get(month=MONTH, staff_group=StaffGroup.ADMIN_CLERICAL.value).people == 4


def test_a_group_mostly_combined_is_withheld(world, ward9):
    _, data = _imported(world)
    coverage = data.coverage([MONTH], StaffGroup.ALLIED_HEALTH.value)
    assert coverage.stored < MIN_STORED_SHARE * coverage.total
    ahp = data.rate([MONTH], f"org|sg:{StaffGroup.ALLIED_HEALTH.value}")
    assert ahp.suppressed and ahp.reason == GROUP_INCOMPLETE
    for group in ("stress", "msk"):
        assert data.rate([MONTH], f"org|sg:{StaffGroup.ALLIED_HEALTH.value}", group).suppressed


def test_the_share_is_rounded_down_so_100_means_nobody_is_missing():
    assert Coverage(199, 200, 1).percent == 99
    assert Coverage(200, 200, 1).percent == 100
    assert (Coverage(30, 36, 3).people, Coverage(30, 36, 3).of) == (10, 12)


def test_the_pages_say_how_much_of_the_group_a_figure_covers(world, ward9, client_for):
    k, _ = _imported(world)
    client = client_for("rep")
    share = f"{(2 * k) * 100 // (2 * k + 4)}%"
    page = client.get(reverse("absence:overview", kwargs={"org": world.org.slug})).content.decode()
    assert "Share of the group in the figure" in page
    assert share in page
    assert "Not a group" in page  # "Other staff groups (combined)" has no share of itself
    group = reverse("absence:staff_group", kwargs={"org": world.org.slug, "group": StaffGroup.ADMIN_CLERICAL.value})
    page = client.get(group).content.decode()
    assert f"This figure is for {2 * k} of the {2 * k + 4} people in the group" in page
    assert f"units with fewer than {k} of them" in page
    assert "Share of the group in the figure" in page  # the chart's data table, month by month
    nursing = reverse(
        "absence:staff_group", kwargs={"org": world.org.slug, "group": StaffGroup.NURSING_MIDWIFERY.value}
    )
    page = client.get(nursing).content.decode()
    assert "This figure is for" not in page and "Share of the group in the figure" not in page
    # A withheld group's page gives no headcounts: the share goes only with a figure shown.
    ahp = reverse("absence:staff_group", kwargs={"org": world.org.slug, "group": StaffGroup.ALLIED_HEALTH.value})
    page = client.get(ahp).content.decode()
    assert "This figure is for" not in page and "Not shown" in page
    stress = client.get(reverse("absence:stress", kwargs={"org": world.org.slug})).content.decode()
    assert "Share of the group in the figure" in stress
    # The admin's stress figure is about fewer than k people absent, so withheld: its share too.
    admin_stress = Absence(world.org).rate([MONTH], f"org|sg:{StaffGroup.ADMIN_CLERICAL.value}", "stress")
    assert admin_stress.suppressed and share not in stress


# Lending: a combined cell still under k is made up with a few people of a larger cell ------


def _ward(k: int) -> list:
    """Ward 7: 2k + 5 nurses (the first k of them off sick, for several reasons, one with two
    spells) and 3 admin; one nurse also works on Ward 8 (never lent: their rows would split).
    Ward 8: 2k nurses."""
    rows = []
    reasons = ["S10", "S11", "S12", "S13"]
    for i in range(2 * k + 5):
        if i < k:
            rows.append(row(JAN, f"N{i:03d}", "Medicine > Ward 7", reason=reasons[i % 4], lost=1 + i))
            if i == 0:
                rows.append(row(JAN, f"N{i:03d}", "Medicine > Ward 7", reason="S28", lost=3))
        else:
            rows.append(row(JAN, f"N{i:03d}", "Medicine > Ward 7"))
    for i in range(3):
        rows.append(row(JAN, f"C{i:03d}", "Medicine > Ward 7", group=ADMIN, reason="S10", lost=4))
    for i in range(2 * k):
        rows.append(row(JAN, f"W{i:03d}", "Medicine > Ward 8", reason="S13" if i < 3 else "", lost=2 if i < 3 else 0))
    shared = row(JAN, "N005", "Medicine > Ward 8", reason="S25", lost=1)
    shared[2] = "N005-2"
    rows.append(shared)
    return rows


def _cells(org) -> dict:
    from staffwell.absence.models import Population

    return {
        (p.unit.name if p.unit else "", p.staff_group): (p.headcount, p.fte_days_available, p.fte_days_lost)
        for p in Population.objects.filter(organisation=org).select_related("unit")
    }


def test_a_combined_cell_is_made_up_with_a_few_people_not_a_whole_group(world):
    k = suppression.min_group_size(world.org)
    rows = _ward(k)
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    cells = _cells(world.org)
    nurse = StaffGroup.NURSING_MIDWIFERY.value
    # Ward 7's 3 admin and k - 3 of its nurses make one combined cell of k; the rest of its
    # nurses are still stored as nurses (before, the whole nursing cell was combined).
    assert cells[("Ward 7", "combined")][0] == k
    assert cells[("Ward 7", nurse)][0] == 2 * k + 5 - (k - 3)
    assert min(n for n, _, _ in cells.values()) >= k
    # Both cells are exact: together they are the ward, to the day.
    seats = {(r[1], r[2]): float(r[10]) for r in rows if r[4] == "Medicine > Ward 7"}  # a second row: a second reason
    ward_available = sum(seats.values())
    ward_lost = sum(float(r[11]) for r in rows if r[4] == "Medicine > Ward 7")
    got = [cells[("Ward 7", g)] for g in (nurse, "combined")]
    assert sum(c[1] for c in got) == pytest.approx(ward_available)
    assert sum(c[2] for c in got) == pytest.approx(ward_lost)
    assert IncompleteGroup.objects.get(month=MONTH, staff_group=nurse).people == k - 3
    assert IncompleteGroup.objects.get(month=MONTH, staff_group=StaffGroup.ADMIN_CLERICAL.value).people == 3


def test_a_lent_persons_sickness_goes_with_them(world):
    """Every stored cell's reasons add up to its own days lost, spells and people: nobody's
    rows are left behind in the cell they were lent from."""
    from django.db.models import Sum

    from staffwell.absence.models import Population, ReasonCount

    k = suppression.min_group_size(world.org)
    esr.import_extract(world.org, to_csv(_ward(k)), filename="jan.csv")
    for p in Population.objects.filter(organisation=world.org):
        reasons = ReasonCount.objects.filter(
            organisation=world.org, month=p.month, unit=p.unit, staff_group=p.staff_group
        )
        totals = reasons.aggregate(lost=Sum("fte_days_lost"), spells=Sum("spells"))
        assert (totals["lost"] or 0) == pytest.approx(p.fte_days_lost), p
        assert all(0 < r.people <= p.headcount and r.spells >= r.people for r in reasons), p
        assert all(r.long_term_spells + r.short_term_spells == r.spells for r in reasons), p
    total = ReasonCount.objects.filter(organisation=world.org).aggregate(s=Sum("spells"))["s"]
    assert total == k + 1 + 3 + 3 + 1  # every sickness row of the extract, once


def test_who_is_lent_does_not_depend_on_their_absence_and_a_re_import_changes_nothing(world):
    k = suppression.min_group_size(world.org)
    rows = _ward(k)
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    before = _cells(world.org)
    esr.import_extract(world.org, to_csv(rows), filename="jan-again.csv")
    assert _cells(world.org) == before
    # The same people with nobody off sick: the same people are lent, so the cells hold the
    # same headcount and days available.
    world.org.refresh_from_db()
    from staffwell.absence.models import Population

    Population.objects.filter(organisation=world.org).delete()
    for r in rows:
        r[7], r[8], r[11] = "", "", "0"
    esr.import_extract(world.org, to_csv(rows), filename="jan-no-absence.csv")
    after = _cells(world.org)
    assert {c: v[:2] for c, v in after.items()} == {c: v[:2] for c, v in before.items()}
