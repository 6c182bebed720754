"""Search finds what a person expects, ranks it the same way on SQLite and PostgreSQL, and combines with filters."""

import html
import re

import pytest
from django.db import connection
from django.urls import reverse

from staffwell.library import search, services
from staffwell.library.models import Resource, Topic

# The expected ranked titles are the same on both databases: this file runs on each.
EXPECTED = {
    "menopause": ["Menopause and the workplace", "Menopause: symptoms and treatment"],
    "carer": ["Support and benefits for carers", "Working Carer's Passport"],
    "carers": ["Support and benefits for carers", "Working Carer's Passport"],
    "suicide": ["Suicide prevention training", "Help for suicidal thoughts"],
    # Headspace's free offer ended in 2021: it comes after everything else, never first.
    "sleep": [
        "Every Mind Matters: sleep",
        "Insomnia: what helps",
        "Liberate",
        "Working shifts and nights safely",
        "Your Mind Plan",
        "Menopause: symptoms and treatment",
        "Headspace",
    ],
    "mindfulness": [
        "Every Mind Matters: sleep",
        "Insomnia: what helps",
        "Liberate",
        "Working shifts and nights safely",
        "Your Mind Plan",
        "Headspace",
    ],
    # Everyday words find their topics (synonyms.txt)
    "tired": [
        "Every Mind Matters: sleep",
        "Insomnia: what helps",
        "Liberate",
        "Working shifts and nights safely",
        "Your Mind Plan",
        "Headspace",
    ],
    "hot flushes": ["Menopause and the workplace", "Menopause: symptoms and treatment"],
    "debt": ["Coping with money worries", "MoneyHelper", "Support and benefits for carers"],
}


RESULT = re.compile(
    r'<h3 class="nhsuk-heading-s nhsuk-u-margin-bottom-1"><a href="/library/([^"/]+)/">([^<]+)</a></h3>'
)


def result_titles(response) -> list[str]:
    return [html.unescape(title) for _slug, title in RESULT.findall(response.content.decode())]


def result_count(response) -> int:
    return int(re.search(r'id="results">\s*(\d+)', response.content.decode()).group(1))


@pytest.mark.parametrize("q", sorted(EXPECTED))
def test_common_searches_find_what_a_person_expects_in_the_same_order_on_every_database(client, db, q):
    response = client.get(reverse("library:index"), {"q": q})
    titles = result_titles(response)
    assert titles == EXPECTED[q], f"{connection.vendor}: {q!r} gave {titles}"


def test_stemming_finds_other_forms_of_a_word(db):
    def titles(q):
        return [Resource.objects.get(pk=pk).title for pk in search.search_resources(q, Resource.objects.published())]

    assert "Suicide prevention training" in titles("suicidal")
    assert "Menopause and the workplace" in titles("menopausal")
    assert "Headspace" in titles("sleeping")
    assert titles("insomnia")[0] == "Insomnia: what helps"
    assert titles("night shift")[0] == "Working shifts and nights safely"
    assert titles("burnout")[0] == "Preventing and managing stress at work"
    assert titles("doctors") == titles("doctor")


def test_an_ended_offer_is_never_first_even_when_it_matches_best(client, db):
    ids = search.search_resources("headspace", Resource.objects.published())
    assert ids == [Resource.objects.get(slug="headspace").pk]  # alone, it is still found
    sleep = search.search_resources("sleep", Resource.objects.published())
    assert sleep[-1] == Resource.objects.get(slug="headspace").pk
    # nor first in the list without a search
    listed = result_titles(client.get(reverse("library:index"), {"kind": "app"}))
    assert listed[-1] == "Headspace" and len(listed) > 1


def test_a_title_match_ranks_above_a_summary_match(db):
    ids = search.search_resources("liberate", Resource.objects.published())
    assert Resource.objects.get(pk=ids[0]).slug == "liberate"


def test_every_word_must_match(db):
    assert search.search_resources("menopause suicide", Resource.objects.published()) == []


def test_the_engine_finds_exactly_the_candidates_the_shared_ranking_accepts(db):
    """The database's full-text engine and the Python ranking agree, so neither hides a result."""
    rows = Resource.objects.published()
    for q in ["care", "mental health", "nhs", "doctor", "stress", "wellbe", "arts"]:
        stems = search.query_stems(q)
        by_engine = search.candidate_ids(stems)
        by_python = set()
        for r in rows:
            words = set(r.search_text.split())  # the words and their stems
            if all(any(w.startswith(s) for w in words) for s in stems):
                by_python.add(r.pk)
        assert by_engine == by_python, q


def test_the_index_follows_edits_and_deletions(db, world):
    resource = Resource.objects.get(slug="liberate")
    resource.title = "Liberate meditation for shift workers"
    services.save_content(item=resource, user=world.user("editor"), created=False)
    assert resource.pk in search.candidate_ids(["shift"])
    resource.delete()
    assert search.candidate_ids(["liberate"]) == set()


def test_filters_combine_with_search(client, db):
    url = reverse("library:index")
    titles = result_titles(client.get(url, {"q": "mental", "audience": "doctors"}))
    assert titles and all(Resource.objects.get(title=t).audiences.filter(slug="doctors").exists() for t in titles)
    apps = result_titles(client.get(url, {"q": "sleep", "kind": "app"}))
    assert apps == ["Liberate", "Headspace"]
    carers = result_titles(client.get(url, {"topic": "carers"}))
    assert carers == ["Support and benefits for carers", "Working Carer's Passport"]


def test_results_paginate_and_keep_the_search(client, db):
    url = reverse("library:index")
    first = client.get(url, {"q": "mental"})
    assert result_count(first) > 10
    assert len(result_titles(first)) == 10
    assert "q=mental&amp;page=2" in first.content.decode()
    second = client.get(url, {"q": "mental", "page": 2})
    assert result_titles(second) and not set(result_titles(first)) & set(result_titles(second))
    assert len(result_titles(first)) + len(result_titles(second)) == result_count(first)


def test_a_search_with_no_results_says_so_and_points_to_urgent_support(client, db):
    page = client.get(reverse("library:index"), {"q": "zzzzqqq"}).content.decode()
    assert "0 results for" in page and "Nothing matched" in page


def test_odd_input_is_harmless(client, db):
    for q in ['"', "*", "AND OR NOT", "a:b", "'; drop table", "x" * 500, "ümlaut café", "()"]:
        assert client.get(reverse("library:index"), {"q": q}).status_code == 200


def test_a_new_topic_is_searchable_once_a_resource_uses_it(db, world):
    topic = Topic.objects.create(name="Shift work", slug="shift-work")
    resource = Resource.objects.get(slug="headspace")
    resource.topics.add(topic)
    search.refresh(resource)
    assert resource.pk in search.search_resources("shift work", Resource.objects.published())
