"""Everyday words find their topics, plurals find their singulars, and the engine and the
shared ranking still agree on every candidate (so SQLite and PostgreSQL give the same)."""

import pytest

from staffwell.library import search, synonyms
from staffwell.library.models import CaseStudy, Resource, Topic


def test_every_line_of_the_synonym_list_reads_and_names_a_real_topic(db):
    known = set(Topic.objects.values_list("slug", flat=True))
    mapping = synonyms.mapping()
    assert ("night", "shift") in mapping and ("tired",) in mapping and ("hot", "flushes") in mapping
    unknown = {slug for slugs in mapping.values() for slug in slugs} - known
    assert not unknown, f"synonyms.txt names topics that do not exist: {unknown}"


def test_a_malformed_synonym_line_is_named():
    with pytest.raises(synonyms.SynonymError, match="Line 2"):
        synonyms.parse("tired = sleep\nthis line has no equals sign\n")


def test_midwife_finds_midwives_and_the_other_way_round(db):
    for q in ("midwife", "midwives"):
        titles = [CaseStudy.objects.get(pk=pk).title for pk in search.search_case_studies(q, CaseStudy.objects.all())]
        assert titles == ["Collaborative approach to improve staff health and wellbeing"], q


@pytest.mark.parametrize("q", ["tired", "insomnia", "night shift", "burnout", "hot flushes", "worn out nurses"])
def test_the_engine_and_the_ranking_agree_on_synonym_searches(db, q):
    groups = search.query_groups(q)
    by_engine = search.candidate_ids(groups)
    rows = Resource.objects.published().prefetch_related("topics", "audiences")
    by_python = {r.pk for r in rows if search.score(groups, search._resource_fields(r)) > 0}
    assert by_engine & set(rows.values_list("pk", flat=True)) == by_python, q
    assert by_python or q == "worn out nurses"
