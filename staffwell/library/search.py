"""Ranked full-text search that gives the same results, in the same order, on SQLite and PostgreSQL.

Resources and case studies are searched the same way (docs/library.md explains why):

1. Every resource and case study keeps ``search_text``: the words of its title, provider or
   organisation, summary, topics and so on, lower-cased and split by ``words()`` below. Both
   databases index that column: an FTS5 table on SQLite (kept in step by triggers), a GIN ``tsvector`` index with
   the ``simple`` configuration (no database stemming) on PostgreSQL.
2. ``search_text`` also holds each word's stem (Snowball's English stemmer, after a short
   list of irregular plurals: "midwives" is stemmed as "midwife"). A query is split the same
   way and each word stemmed. A resource matches when, for every query word, one of its words
   or stems starts with that word's stem ("carer" finds "carers", "midwife" finds "midwives",
   "menopause" finds "menopausal").
3. Everyday words and phrases ("tired", "night shift", "hot flushes") also find the topics
   they are mapped to in ``synonyms.txt`` (editable data, see ``staffwell.library.synonyms``):
   each query word becomes a group of alternatives, any of which may match.
4. The database's own engine finds the candidates with a prefix query (``stem*`` in FTS5,
   ``stem:*`` in PostgreSQL), so the heavy lifting uses the index.
5. ``score()``, one Python function, ranks the candidates: a word in the title counts more
   than one in the topics, provider or summary, and an exact word more than a longer one.
   An offer that has ended is never ranked above anything else. Ties are broken by title, then id. Because both engines answer the same prefix question
   over the same words, and the order comes from one function, the results are identical.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.db import connection

WORD = re.compile(r"[a-z0-9]+")

# Words too common to help; dropped from queries (never from the index).
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)

# Plurals Snowball does not bring back to their singular ("midwives" -> "midwiv", but
# "midwife" -> "midwif"): stemmed as their singular instead.
IRREGULAR = {
    "midwives": "midwife",
    "wives": "wife",
    "lives": "life",
    "knives": "knife",
    "halves": "half",
    "selves": "self",
    "shelves": "shelf",
    "women": "woman",
    "men": "man",
    "children": "child",
    "feet": "foot",
    "teeth": "tooth",
}

# Words Snowball cuts too far ("mindfulness" -> "mind" would find every page about the Mind
# charity): their stem is given here instead.
STEMS = {"mindfulness": "mindful", "mindful": "mindful"}

_STEMMER = snowballstemmer.stemmer("english")

# A group: alternatives, any of which may match; each alternative is stems that must all match.
Group = tuple[tuple[str, ...], ...]


def words(text: str) -> list[str]:
    """Lower-case words with accents removed: the one tokeniser both databases see."""
    normalised = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return WORD.findall(normalised)


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """A word's stem: Snowball's English stemmer, after the irregular plurals above."""
    if word.isdigit():
        return word
    if word in STEMS:
        return STEMS[word]
    return _STEMMER.stemWord(IRREGULAR.get(word, word))


def query_stems(q: str) -> list[str]:
    """The query's words as stems (common words dropped), without synonyms."""
    seen: list[str] = []
    for w in words(q):
        if w in STOP_WORDS:
            continue
        s = stem(w)
        if s not in seen:
            seen.append(s)
    return seen[:8]


def query_groups(q: str) -> list[Group]:
    """The query as groups: each word (or everyday phrase) with the topics it stands for."""
    from staffwell.library import synonyms

    groups: list[Group] = []
    for phrase, topic_names in synonyms.expand(words(q)):
        own = tuple(dict.fromkeys(stem(w) for w in phrase if w not in STOP_WORDS))
        alternatives = [own] if own else []
        for name in topic_names:
            alt = tuple(dict.fromkeys(stem(w) for w in words(name) if w not in STOP_WORDS))
            if alt and alt not in alternatives:
                alternatives.append(alt)
        group = tuple(alternatives)
        if group and group not in groups:
            groups.append(group)
    return groups[:8]


def _as_groups(terms) -> list[Group]:
    return [((t,),) if isinstance(t, str) else t for t in terms]


def index_text(*parts: str) -> str:
    """The indexed column: every word, then each stem that is not already one of the words."""
    found = [w for p in parts if p for w in words(p)]
    present = set(found)
    stems = [s for s in dict.fromkeys(stem(w) for w in found) if s not in present]
    return " ".join(found + stems)


# --- Candidates from each database's full-text engine --------------------------------------

RESOURCE_TABLE = "library_resource"
CASE_STUDY_TABLE = "library_casestudy"
TABLES = (RESOURCE_TABLE, CASE_STUDY_TABLE)


def _engine_query(groups: list[Group], *, any_of: str, all_of: str, prefix) -> str:
    return f" {all_of} ".join(
        "(" + f" {any_of} ".join("(" + f" {all_of} ".join(prefix(s) for s in alt) + ")" for alt in g) + ")"
        for g in groups
    )


def candidate_ids(terms, table: str = RESOURCE_TABLE) -> set[int]:
    """Ids of rows in ``table`` matching every term, found by the database's engine. A term is
    a stem, or a group of alternatives (from ``query_groups``)."""
    groups = _as_groups(terms)
    if not groups:
        return set()
    if table not in TABLES:  # never interpolate anything but our own table names
        raise ValueError(table)
    # Stems are [a-z0-9] only (words() guarantees it), so nothing a person types reaches the syntax.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery = _engine_query(groups, any_of="|", all_of="&", prefix=lambda s: f"{s}:*")
            cursor.execute(
                f"SELECT id FROM {table} WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', %s)",  # noqa: S608
                [tsquery],
            )
        elif connection.vendor == "sqlite":
            match = _engine_query(groups, any_of="OR", all_of="AND", prefix=lambda s: f'"{s}"*')
            cursor.execute(f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s", [match])  # noqa: S608
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            raise NotImplementedError(connection.vendor)
        return {row[0] for row in cursor.fetchall()}


# --- One shared ranking ----------------------------------------------------------------------


@dataclass(frozen=True)
class Fields:
    id: int
    title: str
    topics: str
    provider: str
    body: str  # summary, audiences, kind
    ended: bool = False  # an offer that has ended: never ranked above anything else


WEIGHTS = (("title", 10), ("topics", 6), ("provider", 4), ("body", 1))


SYNONYM_WEIGHT = 0.8  # a match through a mapped topic counts a little less than the word itself


def _term(s: str, fields: Fields) -> float:
    term = 0.0
    for name, weight in WEIGHTS:
        for w in words(getattr(fields, name)):
            st = stem(w)
            if w.startswith(s) or st.startswith(s):
                term += weight * (1.0 if st == s else 0.6)
    return min(term, 30.0)


def score(terms, fields: Fields) -> float:
    """Rank one resource for a query. Returns 0 if some term matches nothing. The match rule
    (a word or its stem starts with the stem) is the one the engines apply to ``search_text``."""
    total = 0.0
    for group in _as_groups(terms):
        best = 0.0
        for i, alt in enumerate(group):
            parts = [_term(s, fields) for s in alt]
            if all(parts):
                best = max(best, sum(parts) / len(parts) * (1.0 if i == 0 else SYNONYM_WEIGHT))
        if best == 0:
            return 0.0
        total += best
    return total


def rank(terms, rows: list[Fields]) -> list[int]:
    scored = [(f.ended, score(terms, f), f.title.lower(), f.id) for f in rows]
    scored = [t for t in scored if t[1] > 0]
    scored.sort(key=lambda t: (t[0], -t[1], t[2], t[3]))
    return [t[3] for t in scored]


def _search(q: str, queryset, table: str, fields) -> list[int]:
    groups = query_groups(q)
    if not groups:
        return []
    ids = candidate_ids(groups, table)
    if not ids:
        return []
    return rank(groups, [fields(obj) for obj in queryset.filter(pk__in=ids)])


def _resource_fields(r) -> Fields:
    return Fields(
        id=r.pk,
        title=r.title,
        topics=" ".join(t.name for t in r.topics.all()),
        provider=r.provider,
        body=" ".join([r.summary, " ".join(a.name for a in r.audiences.all()), r.get_kind_display()]),
        ended=r.offer_state() == "ended",
    )


def _case_study_fields(c) -> Fields:
    # The theme weighs like a topic; the organisation and its partners like a provider.
    return Fields(
        id=c.pk,
        title=c.title,
        topics=" ".join([c.theme, *(t.name for t in c.topics.all())]),
        provider=" ".join([c.organisation_name, c.partners]),
        body=" ".join([c.what_they_did, c.what_changed, *c.element_labels()]),
    )


def search_resources(q: str, queryset) -> list[int]:
    """Ids of the resources in ``queryset`` that match ``q``, best first."""
    return _search(q, queryset.prefetch_related("topics", "audiences"), RESOURCE_TABLE, _resource_fields)


def search_case_studies(q: str, queryset) -> list[int]:
    """Ids of the case studies in ``queryset`` that match ``q``, best first."""
    return _search(q, queryset.prefetch_related("topics"), CASE_STUDY_TABLE, _case_study_fields)


def refresh(item) -> None:
    """Rebuild one resource's or case study's ``search_text`` (after its fields or topics change)."""
    f = _resource_fields(item) if item._meta.db_table == RESOURCE_TABLE else _case_study_fields(item)
    text = index_text(f.title, f.provider, f.body, f.topics)
    type(item).objects.filter(pk=item.pk).update(search_text=text)
    item.search_text = text


# --- Index set-up, run from migrations ------------------------------------------------------


# Templates: <table> and <fts> are replaced by one of our own table names (never by input).
SQLITE_TEMPLATES = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS <fts> USING fts5("
    "search_text, content='<table>', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS <fts>_ai AFTER INSERT ON <table> BEGIN "
    "INSERT INTO <fts>(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS <fts>_ad AFTER DELETE ON <table> BEGIN "
    "INSERT INTO <fts>(<fts>, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS <fts>_au AFTER UPDATE ON <table> BEGIN "
    "INSERT INTO <fts>(<fts>, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO <fts>(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO <fts>(<fts>) VALUES ('rebuild')",
]


def sqlite_sql(table: str) -> list[str]:
    if table not in TABLES:  # only our own table names are ever put into SQL
        raise ValueError(table)
    return [t.replace("<fts>", f"{table}_fts").replace("<table>", table) for t in SQLITE_TEMPLATES]


def sqlite_drop(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"DROP TRIGGER IF EXISTS {fts}_ai",
        f"DROP TRIGGER IF EXISTS {fts}_ad",
        f"DROP TRIGGER IF EXISTS {fts}_au",
        f"DROP TABLE IF EXISTS {fts}",
    ]


def postgres_sql(table: str) -> list[str]:
    return [f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} USING GIN (to_tsvector('simple', search_text))"]


def postgres_drop(table: str) -> list[str]:
    return [f"DROP INDEX IF EXISTS {table}_search_gin"]


def _run(schema_editor, table: str, *, create: bool) -> None:
    vendor = schema_editor.connection.vendor
    builders = {"sqlite": (sqlite_sql, sqlite_drop), "postgresql": (postgres_sql, postgres_drop)}
    if vendor in builders:
        for sql in builders[vendor][0 if create else 1](table):
            schema_editor.execute(sql)


def create_index(apps, schema_editor) -> None:
    """Migration 0002: the resources' index."""
    _run(schema_editor, RESOURCE_TABLE, create=True)


def drop_index(apps, schema_editor) -> None:
    _run(schema_editor, RESOURCE_TABLE, create=False)


def create_case_study_index(apps, schema_editor) -> None:
    """Migration 0004: the case studies' index."""
    _run(schema_editor, CASE_STUDY_TABLE, create=True)


def drop_case_study_index(apps, schema_editor) -> None:
    _run(schema_editor, CASE_STUDY_TABLE, create=False)
