"""Spell counts and reason figures per unit go through complementary suppression: a hidden
unit's figure is never a shown parent's less its shown siblings'."""

import datetime
import re

import pytest
from django.urls import reverse

from staffwell.absence import esr
from staffwell.absence.models import ActionMeasure
from staffwell.absence.rates import Absence
from staffwell.suppression.disclosure import find_leak
from tests.absence.helpers import month_rows, to_csv
from tests.matrix.assessments import _action

pytestmark = pytest.mark.django_db
MONTHS = [datetime.date(2025, m, 1) for m in (1, 2, 3)]


def _import(world, ward7_absent, ward8_absent):
    """Medicine has no people of its own; Ward 7 and Ward 8 have 20 each (both shown by
    headcount), with the absences given for the first few of each, every month."""
    rows = []
    for month in MONTHS:
        label = f"{month:%Y-%m}"
        rows += month_rows(label, "Medicine > Ward 7", 20, absent=ward7_absent)
        rows += month_rows(label, "Medicine > Ward 8", 20, prefix="Q", absent=ward8_absent)
    esr.import_extract(world.org, to_csv(rows), filename="x.csv")
    return Absence(world.org)


def _keys(world):
    return {
        "medicine": f"unit:{world.directorate.pk}",
        "ward7": f"unit:{world.team.pk}",
        "ward8": f"unit:{world.other_team.pk}",
    }


def _long_term(page: str) -> str:
    match = re.search(r"Long-term spells</dt><dd[^>]*>(.*?)</dd>", page)
    assert match, "the page shows long-term spells"
    return match.group(1)


def test_a_small_units_long_term_spells_cannot_be_worked_out_from_its_parent_and_sibling(world, client_for):
    # Ward 7: 12 people off the whole month (long-term); Ward 8: 3. Headcounts are all 20.
    data = _import(world, [("S13", 31)] * 12, [("S13", 31)] * 3)
    keys = _keys(world)
    figures = {name: data.spells(MONTHS, key)["long_term"] for name, key in keys.items()}
    assert figures["ward8"].suppressed
    assert figures["medicine"].suppressed or figures["ward7"].suppressed
    # The same through the attacker, over what is shown (cells weighted by long-term spells)
    cells = {"w7": 36, "w8": 9}
    groups = {"medicine": frozenset(cells), "ward7": frozenset({"w7"}), "ward8": frozenset({"w8"})}
    shown = {name: groups[name] for name, figure in figures.items() if not figure.suppressed}
    assert find_leak(shown, data.threshold, cells) is None
    # And on the unit pages themselves
    client = client_for("lead")
    pages = {
        name: client.get(reverse("absence:unit", kwargs={"org": world.org.slug, "unit_id": unit.pk})).content.decode()
        for name, unit in (("medicine", world.directorate), ("ward7", world.team), ("ward8", world.other_team))
    }
    assert _long_term(pages["ward8"]).startswith("Not shown")
    assert _long_term(pages["medicine"]).startswith("Not shown") or _long_term(pages["ward7"]).startswith("Not shown")


def test_short_term_spells_are_protected_the_same_way(world):
    data = _import(world, [("S13", 2)] * 15, [("S13", 2)] * 2)
    keys = _keys(world)
    figures = {name: data.spells(MONTHS, key)["short_term"] for name, key in keys.items()}
    assert figures["ward8"].suppressed
    assert figures["medicine"].suppressed or figures["ward7"].suppressed


def _stress(world):
    # Ward 7: 12 people off with stress each month; Ward 8: 3 (fewer than 10).
    return _import(world, [("S10", 5)] * 12 + [("S13", 1)] * 2, [("S10", 4)] * 3 + [("S13", 2)] * 12)


def test_a_small_units_stress_series_cannot_be_worked_out_from_its_parent_and_sibling(world):
    data = _stress(world)
    keys = _keys(world)
    for month in MONTHS:
        figures = {name: data.rate([month], key, "stress") for name, key in keys.items()}
        assert figures["ward8"].suppressed, month
        assert figures["medicine"].suppressed or figures["ward7"].suppressed, month
    period = {name: data.rate(MONTHS, key, "stress") for name, key in keys.items()}
    assert period["ward8"].suppressed
    assert period["medicine"].suppressed or period["ward7"].suppressed
    shares = {name: data.share(MONTHS, key, "stress") for name, key in keys.items()}
    assert shares["ward8"].suppressed
    assert shares["medicine"].suppressed or shares["ward7"].suppressed
    # All reasons together are still shown for every unit (headcount 20 each)
    assert not any(data.rate(MONTHS, key).suppressed for key in keys.values())


def test_the_action_measure_chart_cannot_give_a_small_units_stress_series_away(world, client_for):
    data = _stress(world)
    kwargs = _action(world)
    client = client_for("rep")
    url = reverse("absence:measure", kwargs={"org": world.org.slug, "action_id": kwargs["action_id"]})
    charts = {}
    for name, unit in (("medicine", world.directorate), ("ward7", world.team), ("ward8", world.other_team)):
        response = client.post(url, {"unit": unit.pk, "reason_group": "stress", "starts_on": MONTHS[1].isoformat()})
        assert response.status_code == 302
        page = client.get(reverse("assessments:action", kwargs=kwargs)).content.decode()
        charts[name] = "There are no absence figures to show for this measure yet." not in page
        measure = ActionMeasure.objects.get(action_id=kwargs["action_id"])
        assert (measure.chart() is not None) == charts[name]
    assert not charts["ward8"]
    assert not (charts["medicine"] and charts["ward7"])
    assert data.threshold == 10


def test_a_hidden_reasons_share_is_not_all_reasons_less_the_others(world):
    # 40 people: 12 off with stress, 12 with a cold, 3 with back problems (fewer than 10).
    absent = [("S10", 3)] * 12 + [("S13", 1)] * 12 + [("S11", 2)] * 3
    esr.import_extract(
        world.org, to_csv(month_rows("2025-01", "Medicine > Ward 7", 40, absent=absent)), filename="j.csv"
    )
    data = Absence(world.org)
    shares = {r["code"]: r["share"] for r in data.reason_rows("org")}
    assert shares["s11"].suppressed
    # The shares add up to 100%: with stress and colds both shown, back problems would be
    # 100% less the two.
    assert shares["s10"].suppressed or shares["s13"].suppressed
    assert data.share(MONTHS[:1], "org", "stress").suppressed == shares["s10"].suppressed
