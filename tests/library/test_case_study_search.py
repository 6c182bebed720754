"""Case studies are searched like resources: the database's full-text engine finds the
candidates and one shared ranking orders them, so SQLite and PostgreSQL give the same list.
This file runs on each database; the expected lists are the same for both."""

import html
import re

import pytest
from django.db import connection
from django.urls import reverse

from staffwell.library import search, services
from staffwell.library.models import CaseStudy, Status, Topic

JUST = "Implementing a just and learning culture"
MANCHESTER = "Collaborative approach to improve staff health and wellbeing"
PASSPORT = "Reasonable adjustment passport"
FRIDAY = "Feel good Friday"
STRATEGY = "Health and wellbeing strategy for staff"

EXPECTED = {
    "passport": [PASSPORT],
    "midwives": [MANCHESTER],  # the partner, the Royal College of Midwives
    "friday": [FRIDAY],
    "just culture": [JUST],
    "strategy": [STRATEGY],
    "reasonable adjustments": [PASSPORT],
    "culture": [JUST, STRATEGY],  # title before topic ("Culture and leadership")
    "trade unions": [JUST, FRIDAY, STRATEGY, PASSPORT],  # not the Royal College of Midwives
    "partnership": [MANCHESTER, STRATEGY, JUST, PASSPORT],
    "manager": [PASSPORT, STRATEGY, JUST],
}

RESULT = re.compile(
    r'<h3 class="nhsuk-heading-s nhsuk-u-margin-bottom-1"><a href="/case-studies/([^"/]+)/">([^<]+)</a>'
)


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [html.unescape(t) for _slug, t in RESULT.findall(response.content.decode())]


def count(response) -> int:
    return int(re.search(r'id="results">\s*(\d+)', response.content.decode()).group(1))


@pytest.mark.parametrize("q", sorted(EXPECTED))
def test_searches_find_the_expected_case_studies_in_the_same_order_on_every_database(client, db, q):
    found = titles(client.get(reverse("library:case_studies"), {"q": q}))
    assert found == EXPECTED[q], f"{connection.vendor}: {q!r} gave {found}"


def test_without_a_search_every_published_case_study_is_listed_by_title(client, db):
    response = client.get(reverse("library:case_studies"))
    assert titles(response) == sorted([JUST, MANCHESTER, PASSPORT, FRIDAY, STRATEGY], key=str.lower)
    assert count(response) == 5


def test_the_element_filter_combines_with_search(client, db):
    url = reverse("library:case_studies")
    # Fulfilment at work (3): only the passport; Managers and leaders (4): three of them.
    assert titles(client.get(url, {"q": "adjustments", "element": 3})) == [PASSPORT]
    assert titles(client.get(url, {"q": "partnership", "element": 4})) == [STRATEGY, JUST, PASSPORT]
    assert titles(client.get(url, {"q": "passport", "element": 1})) == []
    assert titles(client.get(url, {"element": 6})) == [STRATEGY]
    page = client.get(url, {"q": "passport", "element": 1}).content.decode()
    assert "0 results for" in page and "No case studies match" in page


def test_an_unknown_element_is_ignored_rather_than_hiding_everything(client, db):
    for value in ("99", "0", "abc", "-1"):
        assert len(titles(client.get(reverse("library:case_studies"), {"element": value}))) == 5


def test_stemming_finds_other_forms_of_a_word(db):
    def found(q):
        return [
            CaseStudy.objects.get(pk=pk).title for pk in search.search_case_studies(q, CaseStudy.objects.published())
        ]

    assert found("learning") == found("learn") == [JUST]
    assert found("managers") == found("manager")
    assert found("passports") == [PASSPORT]


def test_the_engine_finds_exactly_the_candidates_the_shared_ranking_accepts(db):
    rows = list(CaseStudy.objects.all())
    assert all(r.search_text for r in rows), "the migration fills search_text for the seeded case studies"
    for q in ["care", "staff wellbeing", "trust", "union", "learn", "adjust", "leaders", "data"]:
        stems = search.query_stems(q)
        by_engine = search.candidate_ids(stems, search.CASE_STUDY_TABLE)
        by_python = {r.pk for r in rows if all(any(w.startswith(s) for w in r.search_text.split()) for s in stems)}
        assert by_engine == by_python, q
        ranked = search.search_case_studies(q, CaseStudy.objects.all())
        assert set(ranked) == by_python, q


def test_the_index_follows_an_editors_changes_and_deletions(db, world, editor_client):
    study = CaseStudy.objects.get(slug="north-staffordshire-feel-good-friday")
    study.theme = "Everyday wellbeing and rota planning"
    services.save_content(item=study, user=world.user("editor"), created=False)
    assert study.pk in search.candidate_ids(["rota"], search.CASE_STUDY_TABLE)

    topic = Topic.objects.create(name="Shift work", slug="shift-work")
    response = editor_client.post(
        reverse("library:editorial_create", kwargs={"kind": "case-studies"}),
        {
            "title": "Night shift rest spaces",
            "slug": "night-shift-rest-spaces",
            "organisation_name": "Northgate Test Hospitals NHS Trust",
            "partners": "UNISON",
            "theme": "Rest at work",
            "what_they_did": "Opened quiet rooms for staff on nights.",
            "what_changed": "Staff took their breaks.",
            "framework_elements": ["5"],
            "topics": [topic.pk],
        },
    )
    assert response.status_code == 302
    new = CaseStudy.objects.get(slug="night-shift-rest-spaces")
    # The topic is added after the first save (save_m2m): the index must still know it.
    assert new.pk in search.candidate_ids(search.query_stems("shift work unison environment"), search.CASE_STUDY_TABLE)
    # A draft is never a public result.
    assert "Night shift rest spaces" not in titles(editor_client.get(reverse("library:case_studies"), {"q": "shift"}))

    study.delete()
    assert search.candidate_ids(["rota"], search.CASE_STUDY_TABLE) == set()


def test_results_paginate_and_keep_the_search_and_filter(client, db):
    for n in range(12):
        c = CaseStudy.objects.create(
            title=f"Rota fairness pilot {n:02d}",
            slug=f"rota-fairness-{n:02d}",
            organisation_name="Test Trust",
            theme="Rotas",
            what_they_did="Fairer rotas.",
            what_changed="Less fatigue.",
            framework_elements=[5],
            status=Status.PUBLISHED,
        )
        search.refresh(c)
    url = reverse("library:case_studies")
    first = client.get(url, {"q": "rota", "element": 5})
    assert count(first) == 12 and len(titles(first)) == 10
    assert "q=rota&amp;element=5&amp;page=2" in first.content.decode()
    second = client.get(url, {"q": "rota", "element": 5, "page": 2})
    assert len(titles(second)) == 2 and not set(titles(first)) & set(titles(second))
    assert titles(first) + titles(second) == [f"Rota fairness pilot {n:02d}" for n in range(12)]


def test_odd_input_is_harmless(client, db):
    for q in ['"', "*", "AND OR NOT", "a:b", "'; drop table", "x" * 500, "ümlaut café", "()", "the and"]:
        assert client.get(reverse("library:case_studies"), {"q": q, "element": "x"}).status_code == 200
