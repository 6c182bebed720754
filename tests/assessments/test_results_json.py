"""The results as JSON for analysts (``?format=json``): exactly what the results page shows,
under the same rules (nothing before both sides have submitted)."""

import datetime
import json

from django.urls import reverse

from staffwell.assessments import results, services
from staffwell.assessments.models import Cycle, Side
from staffwell.core.models import AuditEvent
from tests.assessments import helpers


def results_url(cycle, fmt="json"):
    base = reverse("assessments:results", kwargs={"org": cycle.organisation.slug, "cycle_id": cycle.pk})
    return f"{base}?format={fmt}" if fmt else base


def test_before_both_sides_submit_the_json_holds_no_results_and_no_ratings(world, client_for):
    cycle = helpers.open_cycle(world)
    helpers.rate_all(cycle, Side.EMPLOYER, lambda s: 4, world.users["lead"])
    services.submit_side(cycle=cycle, side=Side.EMPLOYER, actor=world.users["lead"])
    response = client_for("rep").get(results_url(cycle))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["results_available"] is False
    assert set(data) == {"cycle", "results_available", "message"}
    assert data["cycle"]["title"] == cycle.title
    assert not AuditEvent.objects.filter(action="assessment.report.downloaded").exists()


def test_after_sign_off_the_json_matches_the_page(world, client_for):
    cycle = helpers.signed_cycle(world, elements=2)
    client = client_for("rep")
    response = client.get(results_url(cycle))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    data = response.json()
    page = client.get(results_url(cycle, fmt=None)).content.decode()

    assert data["results_available"] is True
    assert [lv["label"] for lv in data["scale"]["levels"]] == [
        "Not started",
        "Developing",
        "Established",
        "Embedded and improving",
    ]
    assert len(data["elements"]) == 2
    for element in data["elements"]:
        assert f"{element['code']}. {element['title']}" in page
        assert f">{element['agreed_score']:.1f}<" in page
        for sub in element["sub_elements"]:
            assert f"{sub['code']} {sub['title']}" in page
    # The helper's staff side rated the first statement 2 where the employer side rated 3.
    [disagreement] = data["disagreements"]
    assert disagreement["employer_side"] == {"value": 3, "label": "Established"}
    assert disagreement["staff_side"] == {"value": 2, "label": "Developing"}
    assert disagreement["agreed"] == {"value": 2, "label": "Developing"}
    assert disagreement["code"] in page
    assert data["elements"][0]["disagreements"] == 1
    # Strengths are the top quarter of the scale, gaps the bottom half, listed as on the page.
    subs = [s for e in data["elements"] for s in e["sub_elements"]]
    assert data["strengths"] and {g["code"] for g in data["strengths"]} == {
        s["code"] for s in subs if s["agreed_score"] >= 3
    }
    assert {g["code"] for g in data["gaps"]} == {s["code"] for s in subs if s["agreed_score"] <= 2}
    for g in data["strengths"] + data["gaps"]:
        assert f"{g['code']} {g['title']} ({g['agreed_score']:.1f})" in page
    # One cycle only: the page shows no change over cycles, and neither does the JSON.
    assert data["history"] == [] and data["compared_with"] is None and "Change over cycles" not in page
    # Rationales are not on the page, so they are not in the data either.
    assert "Agreed in the workshop" not in json.dumps(data)
    assert AuditEvent.objects.filter(action="assessment.report.downloaded", data__format="json").count() == 1


def test_the_json_compares_with_the_previous_cycle_as_the_page_does(world, client_for):
    first = helpers.signed_cycle(world, title="Diagnostic 2025")
    Cycle.objects.filter(pk=first.pk).update(created_at=first.created_at - datetime.timedelta(days=365))
    before = results.build(first).elements[0].score
    # Both sides rate everything 4 this time, so every statement is agreed at 4 straight away.
    second = helpers.submitted_cycle(world, title="Diagnostic 2026", employer=4, staff=4)
    data = client_for("lead").get(results_url(second)).json()
    assert data["compared_with"] == {"id": first.pk, "title": "Diagnostic 2025"}
    element = data["elements"][0]
    assert before < 4
    assert element["previous_score"] == before and element["agreed_score"] == 4.0
    assert element["change"] == round(4.0 - before, 1)
    assert [h["cycle"]["title"] for h in data["history"]] == ["Diagnostic 2025", "Diagnostic 2026"]
    assert [h["scores"][element["code"]] for h in data["history"]] == [before, 4.0]
    page = client_for("lead").get(results_url(second, fmt=None)).content.decode()
    assert "Change over cycles" in page and f"+{4.0 - before:.1f}" in page


def test_an_unknown_format_is_refused_clearly(world, client_for):
    cycle = helpers.signed_cycle(world)
    response = client_for("lead").get(results_url(cycle, fmt="xml"))
    assert response.status_code == 400
    assert "Unknown format 'xml'" in response.content.decode()


def test_only_the_partnership_of_the_organisation_gets_the_json(world, client_for):
    cycle = helpers.signed_cycle(world)
    assert client_for("outsider").get(results_url(cycle)).status_code == 404
    assert client_for("admin").get(results_url(cycle)).status_code == 403
    assert client_for("staff").get(results_url(cycle)).status_code == 403
