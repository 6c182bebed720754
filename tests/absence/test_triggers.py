"""Trigger definitions: agreed by both sides, counted at import, shown only as suppressed
counts, and no individual kept."""

import datetime
import re

import pytest
from django.db import connection
from django.urls import reverse

from staffwell.absence import esr, triggers
from staffwell.absence.models import TriggerCount, TriggerDefinition
from staffwell.absence.rates import Absence
from staffwell.core.models import AuditEvent
from staffwell.partnership import Side
from staffwell.partnership import services as partnership
from tests.absence.helpers import HEADER, row, to_csv

pytestmark = pytest.mark.django_db

MONTHS = ["2025-01", "2025-02", "2025-03"]
MAR = datetime.date(2025, 3, 1)


def _quarter(prefix="P", ward7_meeting=12, ward8_meeting=4):
    """Three months. In Ward 7 (30 people) ``ward7_meeting`` people have a spell every month
    and three more have two spells; in Ward 8 (30 people) ``ward8_meeting`` have one every month."""
    rows = []
    for n, month in enumerate(MONTHS):
        for i in range(30):
            absent = i < ward7_meeting or (i < ward7_meeting + 3 and n < 2)
            rows.append(row(month, f"{prefix}7{i:04d}", "Medicine > Ward 7", reason="S13" if absent else "",
                            lost=2 if absent else 0))  # fmt: skip
            absent = i < ward8_meeting
            rows.append(row(month, f"{prefix}8{i:04d}", "Medicine > Ward 8", reason="S10" if absent else "",
                            lost=3 if absent else 0))  # fmt: skip
    return to_csv(rows)


def _agreed(world, *, spells=3, window_months=3, days=None) -> TriggerDefinition:
    definition = triggers.propose(
        membership=world.memberships["lead"], spells=spells, window_months=window_months, days=days
    )
    triggers.agree(definition=definition, membership=world.memberships["rep"])
    definition.refresh_from_db()
    return definition


def test_nothing_is_counted_until_both_sides_have_agreed_the_definition(world):
    definition = triggers.propose(membership=world.memberships["rep"], spells=3, window_months=3)
    assert triggers.state(definition).waiting_for == Side.EMPLOYER  # proposing agrees it for one side
    esr.import_extract(world.org, _quarter(), filename="q1.csv")
    assert not TriggerCount.objects.exists() and triggers.current(world.org) is None
    state = triggers.agree(definition=definition, membership=world.memberships["lead"])
    assert state.complete and triggers.current(world.org) == definition
    record = esr.import_extract(world.org, _quarter(), filename="q1.csv")
    assert record.trigger_months == [MAR]
    counts = {c.unit_id: (c.people, c.spells) for c in TriggerCount.objects.filter(definition=definition, month=MAR)}
    assert counts == {world.team.pk: (12, 36), world.other_team.pk: (4, 12)}
    events = AuditEvent.objects.filter(action="partnership.absence.trigger.agreed")
    assert events.count() == 2 and all(e.partnership for e in events)


def test_the_same_side_cannot_agree_twice_and_someone_on_neither_side_cannot_agree(world):
    definition = triggers.propose(membership=world.memberships["lead"], spells=3, window_months=6)
    with pytest.raises(partnership.AlreadyAgreed):
        triggers.agree(definition=definition, membership=world.memberships["lead"])
    with pytest.raises(partnership.NotPartner):
        triggers.agree(definition=definition, membership=world.memberships["manager"])
    with pytest.raises(partnership.NotPartner):
        triggers.propose(membership=world.memberships["staff"], spells=3, window_months=6)
    assert not triggers.state(definition).complete


def test_a_new_proposal_replaces_one_not_yet_agreed_and_the_agreed_one_stays_until_both_agree(world):
    first = _agreed(world)
    second = triggers.propose(membership=world.memberships["rep"], spells=4, window_months=3)
    assert triggers.current(world.org) == first
    third = triggers.propose(membership=world.memberships["lead"], spells=2, window_months=3)
    second.refresh_from_db()
    assert second.superseded_at is not None and triggers.pending(world.org) == third
    with pytest.raises(partnership.PartnershipError):
        triggers.agree(definition=second, membership=world.memberships["lead"])
    triggers.agree(definition=third, membership=world.memberships["rep"])
    assert triggers.current(world.org) == third


def test_counts_are_suppressed_and_a_small_count_cannot_be_worked_out_from_its_parent(world):
    definition = _agreed(world)
    esr.import_extract(world.org, _quarter(), filename="q1.csv")
    figures = triggers.Figures(Absence(world.org), definition)
    org_people, org_spells = figures.figure(MAR, "org")
    assert (org_people.value, org_spells.value) == (16, 48)
    ward7, _ = figures.figure(MAR, f"unit:{world.team.pk}")
    ward8, ward8_spells = figures.figure(MAR, f"unit:{world.other_team.pk}")
    medicine, _ = figures.figure(MAR, f"unit:{world.directorate.pk}")
    assert ward8.suppressed and ward8_spells.suppressed and "Fewer than 10 people" in ward8.reason
    # Medicine (16) minus Ward 7 (12) would give Ward 8's 4: one of them is hidden too
    assert ward7.suppressed or medicine.suppressed


def test_a_month_is_counted_only_when_the_extract_covers_its_whole_window(world):
    definition = _agreed(world, spells=2, window_months=2)
    record = esr.import_extract(world.org, _quarter(), filename="q1.csv")
    assert record.trigger_months == [datetime.date(2025, 2, 1), MAR]
    # The same people in March (a month's people are fixed once imported: test_reimport.py),
    # nobody off sick this time: a correction.
    march = [row("2025-03", f"P{w}{i:04d}", f"Medicine > Ward {w}") for w in (7, 8) for i in range(30)]
    esr.import_extract(world.org, to_csv(march), filename="mar.csv")
    # March imported again on its own: its window reaches outside the file, so its count goes
    assert list(TriggerCount.objects.filter(definition=definition).values_list("month", flat=True).distinct()) == [
        datetime.date(2025, 2, 1)
    ]
    six = _agreed(world, spells=3, window_months=6)
    assert esr.import_extract(world.org, _quarter(), filename="q1.csv").trigger_months == []
    assert not TriggerCount.objects.filter(definition=six).exists()


def test_with_absence_start_dates_a_spell_across_a_month_end_counts_once_and_days_can_meet_it(world):
    definition = _agreed(world, spells=2, window_months=2, days=20)
    header = [*HEADER, "Absence Start Date"]
    rows = []
    for i in range(30):
        if i < 10:  # one spell from 25 January to 3 February: one spell, 10 days
            spells = [("2025-01", 7, "2025-01-25"), ("2025-02", 3, "2025-01-25")]
        elif i < 20:  # two spells: meets the definition
            spells = [("2025-01", 2, "2025-01-05"), ("2025-02", 2, "2025-02-10")]
        else:  # one long spell of 21 days: meets it by days
            spells = [("2025-02", 21, "2025-02-01")]
        for month in ("2025-01", "2025-02"):
            spell = next((s for s in spells if s[0] == month), None)
            r = row(
                month, f"S{i:04d}", "Medicine > Ward 7", reason="S13" if spell else "", lost=spell[1] if spell else 0
            )
            rows.append([*r, spell[2] if spell else ""])
    esr.import_extract(world.org, to_csv(rows, header), filename="x.csv")
    count = TriggerCount.objects.get(definition=definition)
    assert (count.month, count.people, count.spells) == (datetime.date(2025, 2, 1), 20, 30)


def test_the_raw_database_holds_no_person_after_an_import_counted_against_a_definition(world):
    _agreed(world, spells=1, window_months=3)
    esr.import_extract(world.org, _quarter(prefix="ZQX"), filename="q1.csv")
    assert TriggerCount.objects.exists()
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for record in cursor.fetchall():
                if any("ZQX" in str(value) for value in record):
                    found.append(table)
    assert found == []


def test_both_sides_propose_and_agree_on_the_web_and_see_the_same_counts(world, client_for):
    url = reverse("absence:triggers", kwargs={"org": world.org.slug})
    lead, rep = client_for("lead"), client_for("rep")
    propose = reverse("absence:trigger_propose", kwargs={"org": world.org.slug})
    response = lead.post(propose, {"spells": "three", "window_months": "3"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the number of spells as a whole number, like 3" in page and 'value="three"' in page
    assert not TriggerDefinition.objects.exists()
    assert lead.post(propose, {"spells": "3", "window_months": "3", "days": ""}).status_code == 302
    definition = TriggerDefinition.objects.get()
    agree = reverse("absence:trigger_agree", kwargs={"org": world.org.slug, "definition_id": definition.pk})
    again = lead.post(agree, follow=True).content.decode()  # proposing agreed it for the employer side
    assert "The employer side has already agreed to this." in again
    assert "Waiting for the staff side" in rep.get(url).content.decode()
    rep.post(agree, follow=True)
    esr.import_extract(world.org, _quarter(prefix="ZQX"), filename="q1.csv")

    def strip(html):  # the main content, without the form's CSRF token
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.split("<main", 1)[1].split("</main>", 1)[0])

    lead_page, rep_page = strip(lead.get(url).content.decode()), strip(rep.get(url).content.decode())
    assert lead_page.replace("employer side", "staff side") == rep_page.replace("employer side", "staff side")
    assert "Agreed by both sides" in rep_page and "3 or more spells of sickness absence in 3 months" in rep_page
    assert ">16<" in rep_page and ">48<" in rep_page  # the organisation's count and spells
    assert "ZQX" not in rep_page and "Bradford factor" in rep_page  # only in "no Bradford factor"


def test_another_organisations_definition_is_not_found(world, client_for):
    other = TriggerDefinition.objects.create(
        organisation=world.other_org, spells=3, window_months=6, proposed_by_name="X", proposed_side="employer"
    )
    url = reverse("absence:trigger_agree", kwargs={"org": world.org.slug, "definition_id": other.pk})
    assert client_for("lead").post(url).status_code == 404
    assert client_for("outsider").post(url).status_code == 404
    assert not partnership.state(obj=other, kind=triggers.KIND, version=triggers.VERSION).agreements
