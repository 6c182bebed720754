"""Organisation insight: suppressed counts only."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from staffwell import suppression
from staffwell.passports import insight
from staffwell.passports.models import Adjustment, Passport, Status
from staffwell.suppression import Figure
from tests.factories import MembershipFactory, UnitFactory, UserFactory


def _people(world, n, unit, prefix):
    users = []
    for i in range(n):
        user = UserFactory(email=f"{prefix}{i}@northgate-test.example")
        MembershipFactory(organisation=world.org, user=user, unit=unit)
        users.append(user)
    return users


def _passports(world, users, kind="adjustments", decided=None, overdue=False):
    now = timezone.now()
    for u in users:
        p = Passport.objects.create(
            owner=u,
            organisation=world.org,
            kind=kind,
            content={"what_is_hard": "secret words"},
            review_due=timezone.localdate() - dt.timedelta(days=3) if overdue else timezone.localdate(),
        )
        if decided:
            Adjustment.objects.create(
                passport=p,
                request="x",
                status=decided,
                requested_at=now - dt.timedelta(days=10),
                decided_at=now,
                decision_due=timezone.localdate(),
            )


def test_the_protected_table_hides_a_second_cell_so_the_first_cannot_be_subtracted(world):
    figures, total = suppression.totalled({"A": 30, "B": 12, "C": 3}, org=world.org)
    assert figures["C"].suppressed
    assert figures["B"].suppressed  # else C = total - A - B
    assert not figures["A"].suppressed and total.value == 45


def test_the_protected_table_hides_the_total_when_no_other_cell_can_cover(world):
    figures, total = suppression.totalled({"A": 30, "C": 3}, org=world.org)
    assert figures["C"].suppressed and not figures["A"].suppressed
    assert total.suppressed  # else C = total - A
    figures, total = suppression.totalled({"A": 30, "B": 2, "C": 3}, org=world.org)
    assert figures["B"].suppressed and figures["C"].suppressed and not figures["A"].suppressed
    assert total.suppressed  # B + C = 5 would be recoverable


def test_hidden_cells_never_add_up_to_a_small_group_recoverable_from_the_total(world):
    import itertools

    for sizes in itertools.product([0, 3, 9, 11, 30], repeat=3):
        cells = dict(zip("ABC", sizes, strict=True))
        figures, total = suppression.totalled(cells, org=world.org)
        hidden = [k for k, f in figures.items() if f.suppressed]
        assert all(cells[k] >= 10 for k in cells if k not in hidden)
        if hidden and not total.suppressed:
            assert len(hidden) > 1 and sum(cells[k] for k in hidden) >= 10, cells


def test_the_page_shows_counts_only_and_suppresses_small_groups(world, client_for):
    cardiology = UnitFactory(organisation=world.org, name="Cardiology Directorate")
    surgery = UnitFactory(organisation=world.org, name="Surgery Directorate")
    _passports(world, _people(world, 12, cardiology, "c"), decided=Status.AGREED)
    _passports(world, _people(world, 11, surgery, "s"), decided=Status.NOT_AGREED, overdue=True)
    _passports(world, _people(world, 3, world.team, "w"), kind="carer")
    data = insight.for_org(world.org)
    assert data.by_kind == {
        "Reasonable adjustments passport": Figure(23, False),
        "Working carer's passport": data.by_kind["Working carer's passport"],
    }
    assert data.by_kind["Working carer's passport"].suppressed
    assert data.kind_total.suppressed  # else carers = total - adjustments
    assert data.median_days == Figure(10, False)
    assert data.agreed_share == Figure(52.2, False)
    assert data.overdue == Figure(11, False)
    rows = {r["name"]: r["figure"] for r in data.by_directorate}
    assert rows["Medicine"].suppressed  # 3 people
    assert rows["Surgery Directorate"].suppressed  # hidden too, so Medicine cannot be worked out
    assert rows["Cardiology Directorate"] == Figure(12, False)
    for persona in ("lead", "rep"):
        page = client_for(persona).get(reverse("passports:insight", kwargs={"org": world.org.slug})).content.decode()
        assert "secret words" not in page and "Not shown" in page and "52.2%" in page


def test_with_few_passports_nothing_is_shown(world):
    _passports(world, _people(world, 4, world.team, "f"), decided=Status.AGREED, overdue=True)
    data = insight.for_org(world.org)
    assert all(f.suppressed for f in data.by_kind.values())
    assert data.median_days.suppressed and data.agreed_share.suppressed and data.overdue.suppressed
    assert all(r["figure"].suppressed for r in data.by_directorate)
