"""Known changes on a series: the lead marks one, the SPC chart rebases there (a new mean and
limits from that month, as the SPC module computes them), both sides see it, and it is audited."""

import datetime
import itertools

import pytest
from django.urls import reverse

from staffwell.absence import esr, spc, synthetic
from staffwell.absence.measures import chart_for
from staffwell.absence.models import SeriesChange
from staffwell.absence.rates import Absence
from staffwell.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def months(world):
    months = synthetic.months_back(18, today=datetime.date(2026, 7, 1))
    units = [("Medicine > Ward 7", 40), ("Medicine > Ward 8", 40)]
    for month, rows in synthetic.rows(units, months, seed=3).items():
        esr.import_extract(world.org, synthetic.to_csv(rows), filename=f"{month}.csv")
    return months


def _mark(client, world, **data):
    url = reverse("absence:changes", kwargs={"org": world.org.slug})
    return client.post(url, {"series": "org", "reason_group": "all", "reason": "New e-rostering system", **data})


def test_a_marked_change_rebases_the_chart_with_the_spc_modules_mean_and_limits_from_that_month(
    world, client_for, months
):
    before = chart_for(Absence(world.org), "org")
    assert {p.segment for p in before.analysis.points} == {0}
    response = _mark(client_for("lead"), world, month=months[6].strftime("%Y-%m"))
    assert response.status_code == 302
    chart = chart_for(Absence(world.org), "org")
    values = [p.value for p in chart.analysis.points]
    assert values == [p.value for p in before.analysis.points]
    # by hand: each segment's own mean and mean moving range, no moving range across the change
    for segment, (a, b) in enumerate(((0, 6), (6, 18))):
        part = values[a:b]
        mean = sum(part) / len(part)
        mr = sum(abs(y - x) for x, y in itertools.pairwise(part)) / (len(part) - 1)
        for p in chart.analysis.points[a:b]:
            assert p.segment == segment
            assert p.mean == pytest.approx(mean)
            assert p.upper == pytest.approx(mean + 2.66 * mr) and p.lower == pytest.approx(mean - 2.66 * mr)
    assert chart.analysis.points[6].moving_range is None
    # and point by point what the SPC module gives for a rebase at that index
    expected = spc.analyse(values, rebase_at=[6], direction=spc.Direction.DECREASE)
    for got, want in zip(chart.analysis.points, expected.points, strict=True):
        assert (got.mean, got.upper, got.lower, got.kind, got.sides) == (
            want.mean, want.upper, want.lower, want.kind, want.sides
        )  # fmt: skip
    assert [r["month"] for r in chart.rebases] == [months[6].strftime("%b %Y")]


def test_both_sides_see_the_change_on_the_chart_its_table_and_its_summary_and_it_is_audited(world, client_for, months):
    _mark(client_for("lead"), world, month=months[6].strftime("%Y-%m"))
    label = months[6].strftime("%b %Y")
    for persona in ("lead", "rep"):
        page = client_for(persona).get(reverse("absence:overview", kwargs={"org": world.org.slug})).content.decode()
        assert f"New baseline from {label}: New e-rostering system (marked by Lead Person)" in page  # summary
        assert ">New baseline</text>" in page  # drawn on the chart
        assert f'{label}<br><span class="nhsuk-body-s">New baseline: New e-rostering system</span>' in page  # table
    listing = client_for("rep").get(reverse("absence:changes", kwargs={"org": world.org.slug})).content.decode()
    assert "New e-rostering system" in listing and "Mark the change" not in listing
    event = AuditEvent.objects.get(action="partnership.absence_baseline.marked")
    assert event.partnership and event.data["reason"] == "New e-rostering system"
    # a unit's chart is not rebased by a change on the organisation's
    assert not chart_for(Absence(world.org), f"unit:{world.team.pk}").rebases


def test_only_the_lead_marks_and_removes_a_change(world, client_for, months):
    assert _mark(client_for("rep"), world, month=months[6].strftime("%Y-%m")).status_code == 403
    assert not SeriesChange.objects.exists()
    _mark(client_for("lead"), world, month=months[6].strftime("%Y-%m"))
    change = SeriesChange.objects.get()
    remove = reverse("absence:change_remove", kwargs={"org": world.org.slug, "change_id": change.pk})
    assert client_for("rep").post(remove).status_code == 403
    assert client_for("lead").post(remove).status_code == 302
    assert not SeriesChange.objects.exists()
    assert AuditEvent.objects.get(action="partnership.absence_baseline.removed").partnership
    assert {p.segment for p in chart_for(Absence(world.org), "org").analysis.points} == {0}


def test_a_bad_change_is_refused_with_a_specific_message_and_what_was_typed_kept(world, client_for, months):
    lead = client_for("lead")
    response = _mark(lead, world, month="2025-13")
    assert response.status_code == 400 and "Enter the month like 2025-04" in response.content.decode()
    response = _mark(lead, world, month=months[0].strftime("%Y-%m"))
    assert "a new baseline needs figures before and after it" in response.content.decode()
    response = _mark(lead, world, month=months[6].strftime("%Y-%m"), reason="")
    page = response.content.decode()
    assert "Say what changed, so both sides can see why the chart starts again" in page
    assert f'value="{months[6]:%Y-%m}"' in page
    assert not SeriesChange.objects.exists()
    _mark(lead, world, month=months[6].strftime("%Y-%m"))
    response = _mark(lead, world, month=months[6].strftime("%Y-%m"))
    assert "This chart already has a change marked from that month" in response.content.decode()
    assert SeriesChange.objects.count() == 1


def test_another_organisations_change_is_not_found(world, client_for, months):
    other = SeriesChange.objects.create(
        organisation=world.other_org, month=months[6], reason="Theirs", marked_by_name="Someone"
    )
    remove = reverse("absence:change_remove", kwargs={"org": world.org.slug, "change_id": other.pk})
    assert client_for("lead").post(remove).status_code == 404
    assert client_for("outsider").post(remove).status_code == 404
    assert SeriesChange.objects.filter(pk=other.pk).exists()
