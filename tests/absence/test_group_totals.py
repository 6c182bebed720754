"""Exact organisation-wide staff-group totals: counted before coarsening, stored only where the
raw database (every stored cell and every stored total) isolates no set of fewer than the
minimum group, and shown on the pages in place of the group's incomplete cells."""

import datetime
import random

import pytest
from django.db import connection
from django.urls import reverse

from staffwell import suppression
from staffwell.absence import coarsen, esr, totals
from staffwell.absence.models import Population, StaffGroupReasonTotal, StaffGroupTotal
from staffwell.absence.rates import INCOMPLETE, Absence
from staffwell.organisations.imports import ImportRejected
from staffwell.organisations.models import StaffGroup, Unit
from staffwell.suppression.disclosure import find_leak
from tests.absence.helpers import row, to_csv
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

JAN = "2025-01"
MONTH = datetime.date(2025, 1, 1)
NURSE, ADMIN, AHP = "Nursing and Midwifery Registered", "Administrative and Clerical", "Allied Health Professionals"
LABELS = {NURSE: StaffGroup.NURSING_MIDWIFERY.value, ADMIN: StaffGroup.ADMIN_CLERICAL.value,
          AHP: StaffGroup.ALLIED_HEALTH.value}  # fmt: skip
ADMIN_KEY = f"org|sg:{StaffGroup.ADMIN_CLERICAL.value}"


@pytest.fixture
def wards(world):
    """Medicine > Ward 1 .. Ward 8 (the world's Ward 7 and Ward 8 among them)."""
    out = {7: world.team, 8: world.other_team}
    for n in range(1, 7):
        out[n] = UnitFactory(organisation=world.org, parent=world.directorate, name=f"Ward {n}")
    return out


def _thin(month=JAN, *, admin_stress=False, moved=0):
    """The demo's shape: eight wards, each of 15 nurses, 6 clerks and 5 allied health
    professionals. The clerks and AHPs of each ward are too few to store on their own and are
    combined, so none of them is in a cell of their own group. Some clerks are absent (S13,
    or S10 with ``admin_stress``). ``moved`` of Ward 1's clerks are recorded as AHPs."""
    rows = []
    for n in range(1, 9):
        unit = f"Medicine > Ward {n}"
        for i in range(15):
            rows.append(row(month, f"N{n}{i:02d}", unit, group=NURSE, reason="S13" if i < 2 else "",
                            lost=2 if i < 2 else 0))  # fmt: skip
        for i in range(6):
            group = AHP if (n == 1 and i < moved) else ADMIN
            reason = ("S10" if admin_stress else "S13") if i == 0 else ""
            rows.append(row(month, f"A{n}{i:02d}", unit, group=group, reason=reason, lost=n if i == 0 else 0,
                            available=20 + i))  # fmt: skip
        for i in range(5):
            rows.append(row(month, f"H{n}{i:02d}", unit, group=AHP, reason="S28" if i == 0 else "",
                            lost=1 if i == 0 else 0))  # fmt: skip
    return rows


def _small_part(month=JAN):
    """Medicine's own 15 clerks; Ward 7: 12 nurses and 3 clerks (combined with the nurses);
    Ward 8: 20 nurses. The clerks' total less Medicine's clerks' cell would be Ward 7's three."""
    rows = [row(month, f"M{i:02d}", "Medicine", group=ADMIN) for i in range(15)]
    rows += [row(month, f"S{i:02d}", "Medicine > Ward 7", group=NURSE) for i in range(12)]
    rows += [row(month, f"T{i:02d}", "Medicine > Ward 7", group=ADMIN, reason="S10" if i == 0 else "",
                 lost=7 if i == 0 else 0) for i in range(3)]  # fmt: skip
    rows += [row(month, f"U{i:02d}", "Medicine > Ward 8", group=NURSE, reason="S13" if i == 0 else "",
                 lost=1 if i == 0 else 0) for i in range(20)]  # fmt: skip
    return rows


def _sums(rows, group):
    return (sum(float(r[10]) for r in rows if r[6] == group), sum(float(r[11]) for r in rows if r[6] == group))


# The attacker with the raw database -------------------------------------------------------


def _where_people_are(org, rows):
    """Ground truth for the attacker's test: which stored cell holds each person, from the same
    coarsening the import ran (checked against the stored cells' days below)."""
    counts = esr.check(org, to_csv(rows).decode())
    by_source = {key: set(v[0]) for key, v in counts.population.items()}
    where: dict = {}
    parents = dict(Unit.objects.for_org(org).values_list("pk", "parent_id"))
    coarsen.coarsen(counts.population, counts.reasons, parents=parents, k=suppression.min_group_size(org), where=where)
    cells: dict = {}
    for source, (u, g) in where.items():
        cells.setdefault((source[0], u, g), set()).update(by_source[source])
    return cells


def _stored_family(org, rows):
    """Every stored row of the month as the set of people it sums over: each Population cell
    and each StaffGroupTotal, as an attacker holding the raw database would read them."""
    cells = _where_people_are(org, rows)
    by_person = {r[1]: r for r in rows}
    groups = {}
    for p in Population.objects.filter(organisation=org):
        people = cells[(p.month, p.unit_id, p.staff_group)]
        assert len(people) == p.headcount
        assert sum(float(by_person[x][11]) for x in people) == pytest.approx(p.fte_days_lost)
        groups[("cell", p.unit_id, p.staff_group)] = frozenset(people)
    for t in StaffGroupTotal.objects.filter(organisation=org):
        groups[f"org|sg:{t.staff_group}"] = frozenset(
            x for x, r in by_person.items() if LABELS.get(r[6]) == t.staff_group
        )
    return groups


def test_the_demo_shape_gets_exact_organisation_wide_rates_for_thinly_spread_groups(world, wards):
    rows = _thin()
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    data = Absence(world.org)
    available, lost = _sums(rows, ADMIN)
    admin = data.rate([MONTH], ADMIN_KEY)
    assert not admin.suppressed and admin.reason != INCOMPLETE
    assert admin.value == round(lost / available * 100, 2)
    total = StaffGroupTotal.objects.get(organisation=world.org, staff_group=StaffGroup.ADMIN_CLERICAL.value)
    assert (total.headcount, total.fte_days_available, total.fte_days_lost) == (48, available, lost)
    ahp_available, ahp_lost = _sums(rows, AHP)
    assert data.rate([MONTH], f"org|sg:{StaffGroup.ALLIED_HEALTH.value}").value == round(
        ahp_lost / ahp_available * 100, 2
    )
    # No clerk is in a cell of their own group: the cells alone would have said nothing.
    assert not Population.objects.filter(staff_group=StaffGroup.ADMIN_CLERICAL.value).exists()
    # Reasons: S13 is exact for the clerks too (the only clerks' reason), and the organisation's
    # figure for it is unchanged.
    assert data.reason[(MONTH, ADMIN_KEY, "S13")][0] == pytest.approx(lost)
    assert StaffGroupReasonTotal.objects.filter(organisation=world.org).exists()
    # Every row shown at organisation level, with its figure.
    shown = {r["code"] for r in data.staff_group_rows() if not r["rate"].suppressed}
    assert {
        StaffGroup.ADMIN_CLERICAL.value,
        StaffGroup.ALLIED_HEALTH.value,
        StaffGroup.NURSING_MIDWIFERY.value,
    } <= shown


def test_an_attacker_with_the_raw_database_isolates_no_small_group(world, wards):
    rows = _thin()
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    groups = _stored_family(world.org, rows)
    assert any("|" in str(key) for key in groups)  # totals are stored and attacked too
    assert find_leak(groups, suppression.min_group_size(world.org)) is None


def test_a_total_that_would_give_away_a_few_people_in_a_combined_cell_is_not_stored(world):
    """The differencing attack: the clerks' total less Medicine's clerks' cell is Ward 7's three
    clerks; Ward 7's combined cell less the nurses' total (less Ward 8's nurses) is too."""
    k = suppression.min_group_size(world.org)
    rows = _small_part()
    # With every total stored (no guard), the attack works: exact days of three people.
    counts = esr.check(world.org, to_csv(rows).decode())
    exact = totals.measure(counts.population, counts.reasons)
    naive = {g: t[2] for (_m, g), t in exact.population.items()}
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    stored = {(p.unit_id, p.staff_group): p.fte_days_lost for p in Population.objects.filter(organisation=world.org)}
    admin = StaffGroup.ADMIN_CLERICAL.value
    admin_cells = sum(v for (u, g), v in stored.items() if g == admin)
    assert naive[admin] - admin_cells == 7  # the one absent clerk of Ward 7's three: their days
    family = _stored_family(world.org, rows)
    naive_family = {**family, **{f"org|sg:{g}": frozenset(r[1] for r in rows if LABELS[r[6]] == g) for g in naive}}
    leak = find_leak(naive_family, k)
    assert leak is not None and leak.size < k
    # With the guard, neither the clerks' nor the nurses' total is stored, and the attacker
    # finds nothing in what is.
    assert not StaffGroupTotal.objects.filter(organisation=world.org).exists()
    assert find_leak(family, k) is None
    with connection.cursor() as cursor:
        cursor.execute("select count(*) from absence_staffgrouptotal where headcount < %s", [k])
        assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize("seed", range(6))
def test_random_trusts_the_raw_database_isolates_no_small_group_and_stored_totals_are_exact(world, wards, seed):
    rnd = random.Random(seed)
    rows = []
    for n, _unit in sorted(wards.items()):
        for group in (NURSE, ADMIN, AHP):
            for i in range(rnd.choice((0, 1, 2, 3, 5, 8, 12, 16))):
                absent = rnd.random() < 0.3
                rows.append(row(JAN, f"{group[:2]}{n}{i:02d}", f"Medicine > Ward {n}", group=group,
                                reason=rnd.choice(("S10", "S13")) if absent else "",
                                lost=rnd.randint(1, 9) if absent else 0))  # fmt: skip
    rows += [row(JAN, f"D{i:02d}", "Medicine", group=ADMIN) for i in range(rnd.choice((0, 4, 11)))]
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    k = suppression.min_group_size(world.org)
    assert find_leak(_stored_family(world.org, rows), k) is None
    for t in StaffGroupTotal.objects.filter(organisation=world.org):
        group = next(name for name, code in LABELS.items() if code == t.staff_group)
        assert t.headcount >= k
        assert (t.fte_days_available, t.fte_days_lost) == pytest.approx(_sums(rows, group))


def test_a_staff_group_of_fewer_than_k_in_the_whole_organisation_gets_no_total(world, wards):
    rows = _thin()
    rows += [row(JAN, f"X{i}", "Medicine > Ward 3", group="Healthcare Scientists") for i in range(4)]
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    groups = set(StaffGroupTotal.objects.filter(organisation=world.org).values_list("staff_group", flat=True))
    assert StaffGroup.HEALTHCARE_SCIENTISTS.value not in groups and StaffGroup.ADMIN_CLERICAL.value in groups
    assert not StaffGroupReasonTotal.objects.filter(staff_group=StaffGroup.HEALTHCARE_SCIENTISTS.value).exists()


# Re-imports --------------------------------------------------------------------------------


def test_a_reimport_that_moves_one_person_between_staff_groups_inside_a_combined_cell_is_refused(world, wards):
    """Every cell keeps its headcount (the clerk and the AHP share Ward 1's combined cell), but
    the two groups' totals each change by one person: their days would be the difference."""
    esr.import_extract(world.org, to_csv(_thin()), filename="jan.csv")
    before = sorted(StaffGroupTotal.objects.values_list("staff_group", "headcount", "fte_days_lost"))
    with pytest.raises(ImportRejected) as refused:
        esr.import_extract(world.org, to_csv(_thin(moved=1)), filename="jan-again.csv")
    message = " ".join(refused.value.errors)
    assert "January 2025 is already imported" in message and "by 1 person" in message
    assert "Administrative and Clerical across the whole organisation" in message or "Allied Health" in message
    assert sorted(StaffGroupTotal.objects.values_list("staff_group", "headcount", "fte_days_lost")) == before


def test_a_reimport_replaces_the_months_totals(world, wards):
    esr.import_extract(world.org, to_csv(_thin()), filename="jan.csv")
    esr.import_extract(world.org, to_csv(_thin(admin_stress=True)), filename="jan-again.csv")  # same people
    reasons = set(
        StaffGroupReasonTotal.objects.filter(staff_group=StaffGroup.ADMIN_CLERICAL.value).values_list(
            "reason", flat=True
        )
    )
    assert reasons == {"S10"}
    assert StaffGroupTotal.objects.filter(staff_group=StaffGroup.ADMIN_CLERICAL.value).count() == 1


# Pages -------------------------------------------------------------------------------------


def test_a_reason_figure_comes_from_the_groups_cells_when_its_combined_people_had_that_reason(world, wards):
    """The plans for reasons cannot see inside a combined cell, so a reason figure is exact only
    where the group's combined people had none of that reason; otherwise it is the figure of
    the people stored under the group, as before, and withheld when too many are missing."""
    rows = _thin(admin_stress=True)
    esr.import_extract(world.org, to_csv(rows), filename="jan.csv")
    data = Absence(world.org)
    assert not data.rate([MONTH], ADMIN_KEY).suppressed  # all reasons: exact
    stress = data.rate([MONTH], ADMIN_KEY, "stress")
    assert stress.suppressed and stress.reason == INCOMPLETE  # every clerk is in a combined cell
    assert data.spells([MONTH], ADMIN_KEY)["spells"].reason == INCOMPLETE
    # The nurses are all in cells of their own: their stress figure is theirs, exactly, and
    # goes to the reason plan as before.
    nurses = f"org|sg:{StaffGroup.NURSING_MIDWIFERY.value}"
    assert data.rate([MONTH], nurses, "stress").reason != INCOMPLETE
    assert not data._from_cells([MONTH], nurses, ("S10", "S13"))
    assert data._from_cells([MONTH], ADMIN_KEY, ("S10",)) and not data._from_cells([MONTH], ADMIN_KEY, ("S13",))


def test_lead_and_rep_see_the_same_exact_staff_group_figures(world, wards, client_for):
    esr.import_extract(world.org, to_csv(_thin()), filename="jan.csv")
    org = world.org.slug
    strip = lambda html: html.split("<main", 1)[1].split("</main>", 1)[0]  # noqa: E731
    admin = StaffGroup.ADMIN_CLERICAL.value
    rate = str(Absence(world.org).rate([MONTH], ADMIN_KEY))
    for name, kwargs in [("absence:overview", {}), ("absence:staff_group", {"group": admin}),
                         ("absence:stress", {}), ("absence:reason", {"group": "s13"})]:  # fmt: skip
        lead = client_for("lead").get(reverse(name, kwargs={"org": org, **kwargs}))
        rep = client_for("rep").get(reverse(name, kwargs={"org": org, **kwargs}))
        assert lead.status_code == rep.status_code == 200, name
        assert strip(lead.content.decode()) == strip(rep.content.decode()), name
    page = client_for("rep").get(reverse("absence:overview", kwargs={"org": org})).content.decode()
    assert "Administrative and Clerical" in page and rate in page
