"""The absence pages: both sides see the same figures, outsiders get 404, uploads on the web."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from staffwell.absence import esr, synthetic
from staffwell.absence.models import AbsenceImport, ActionMeasure, Population
from tests.matrix.assessments import _action

pytestmark = pytest.mark.django_db


@pytest.fixture
def absence(world):
    months = synthetic.months_back(18, today=datetime.date(2026, 7, 1))
    units = [("Medicine > Ward 7", 40), ("Medicine > Ward 8", 40)]
    for month, rows in synthetic.rows(units, months, seed=3).items():
        esr.import_extract(world.org, synthetic.to_csv(rows), filename=f"{month}.csv")
    return months


def _get(client_for, persona, name, **kwargs):
    return client_for(persona).get(reverse(name, kwargs=kwargs))


def test_lead_and_rep_see_the_same_figures_on_every_page(world, client_for, absence):
    org = world.org.slug
    pages = [
        ("absence:overview", {}),
        ("absence:unit", {"unit_id": world.directorate.pk}),
        ("absence:staff_group", {"group": "nursing_midwifery"}),
        ("absence:reason", {"group": "s13"}),
        ("absence:stress", {}),
        ("absence:msk", {}),
    ]
    for name, kwargs in pages:
        lead = _get(client_for, "lead", name, org=org, **kwargs)
        rep = _get(client_for, "rep", name, org=org, **kwargs)
        assert lead.status_code == rep.status_code == 200, name
        strip = lambda html: html.split("<main", 1)[1].split("</main>", 1)[0]  # noqa: E731
        assert strip(lead.content.decode()) == strip(rep.content.decode()), name
    page = _get(client_for, "lead", "absence:overview", org=org).content.decode()
    assert "Sickness absence rate" in page and "<svg" in page and "<table" in page
    assert "Bradford" not in page or "no Bradford factor" in page


def test_the_unit_page_shows_an_spc_chart_with_a_summary_and_data_table(world, client_for, absence):
    page = _get(client_for, "rep", "absence:unit", org=world.org.slug, unit_id=world.directorate.pk).content.decode()
    assert "process limits" in page and "Lower limit" in page
    assert "cause" in page  # the summary sentence names the variation


def test_another_organisations_unit_is_not_found(world, client_for, absence):
    response = _get(client_for, "lead", "absence:unit", org=world.org.slug, unit_id=world.other_org_team.pk)
    assert response.status_code == 404
    assert _get(client_for, "lead", "absence:staff_group", org=world.org.slug, group="wizards").status_code == 404
    assert _get(client_for, "lead", "absence:reason", org=world.org.slug, group="s77").status_code == 404


def test_an_admin_uploads_an_extract_on_the_web_and_a_bad_one_keeps_nothing(world, client_for):
    client = client_for("admin")
    url = reverse("absence:upload", kwargs={"org": world.org.slug})
    rows = synthetic.rows([("Medicine > Ward 7", 12)], [datetime.date(2025, 3, 1)], seed=4)[datetime.date(2025, 3, 1)]
    bad = [*rows, ["2025-03", "X", "X-1", "", "Nowhere", "", "Nursing and Midwifery Registered", "", "", "", "31", "0"]]
    response = client.post(url, {"file": SimpleUploadedFile("bad.csv", synthetic.to_csv(bad))})
    assert response.status_code == 400
    assert "Row 14: unit &#39;Nowhere&#39; is not a unit" in response.content.decode()
    assert not Population.objects.exists() and not AbsenceImport.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("good.csv", synthetic.to_csv(rows))}, follow=True)
    assert "Imported 12 rows for March 2025" in response.content.decode()
    assert Population.objects.filter(organisation=world.org).exists()


def test_an_action_names_its_measure_and_its_page_shows_the_chart_with_the_start_marked(world, client_for, absence):
    kwargs = _action(world)
    client = client_for("rep")
    url = reverse("absence:measure", kwargs={"org": world.org.slug, "action_id": kwargs["action_id"]})
    response = client.post(url, {"unit": world.directorate.pk, "reason_group": "all", "starts_on": "not a date"})
    assert response.status_code == 400 and "Enter a real date, for example 27 3 2027" in response.content.decode()
    start = absence[10]
    response = client.post(url, {"unit": world.directorate.pk, "reason_group": "all", "starts_on": start.isoformat()})
    assert response.status_code == 302
    measure = ActionMeasure.objects.get(action_id=kwargs["action_id"])
    assert measure.unit == world.directorate
    page = client.get(reverse("assessments:action", kwargs=kwargs)).content.decode()
    assert "How the measure is changing" in page and "Action started" in page
    outsider = client_for("outsider").get(url)
    assert outsider.status_code == 404


def test_an_action_from_another_organisation_is_not_found(world, client_for):

    kwargs = _action(world)
    other = reverse("absence:measure", kwargs={"org": world.other_org.slug, "action_id": kwargs["action_id"]})
    assert client_for("outsider").get(other).status_code in {403, 404}


def test_the_board_report_includes_each_actions_measure_in_words_and_figures(world, absence):
    from django.template.loader import render_to_string

    from staffwell.assessments import exports
    from staffwell.assessments.models import Action

    action = Action.objects.get(pk=_action(world)["action_id"])
    ActionMeasure.objects.create(action=action, unit=world.directorate, reason_group="all", starts_on=absence[10])
    html = render_to_string("absence/_board_measures.jinja", {"actions": [action]})
    assert "How the actions&#39; measures are changing" in html or "How the actions' measures are changing" in html
    assert "The action started in" in html
    assert exports.to_pdf(action.cycle)[:4] == b"%PDF"


def test_every_chart_on_every_absence_page_has_its_data_table_and_a_text_summary(world, client_for, absence):
    from staffwell.absence.models import SeriesChange

    SeriesChange.objects.create(organisation=world.org, month=absence[8], reason="Restructure", marked_by_name="Lead")
    org = world.org.slug
    pages = [
        ("absence:overview", {}),
        ("absence:unit", {"unit_id": world.directorate.pk}),
        ("absence:unit", {"unit_id": world.team.pk}),
        ("absence:staff_group", {"group": "nursing_midwifery"}),
        ("absence:reason", {"group": "s13"}),
        ("absence:stress", {}),
        ("absence:msk", {}),
        ("absence:national", {}),
        ("absence:changes", {}),
        ("absence:triggers", {}),
    ]
    charts = 0
    for name, kwargs in pages:
        page = _get(client_for, "rep", name, org=org, **kwargs).content.decode()
        svgs = page.count('class="staffwell-spc__svg"')
        assert page.count(": the figures</caption>") == svgs, name
        assert page.count("<desc id=") == svgs, name  # the summary, read with the chart
        assert "<script>" not in page, name  # nothing inline: the pages work without JavaScript
        charts += svgs
    assert charts >= 4
