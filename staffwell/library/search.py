"""Ranked full-text search that gives the same results, in the same order, on SQLite and PostgreSQL.

Resources and case studies are searched the same way (docs/library.md explains why):

1. Every resource and case study keeps ``search_text``: the words of its title, provider or
   organisation, summary, topics and so on, lower-cased and split by ``words()`` below. Both
   databases index that column: an FTS5 table on SQLite (kept in step by triggers), a GIN ``tsvector`` index with
   the ``simple`` configuration (no database stemming) on PostgreSQL.
2. A query is split into words the same way, and each word cut to its stem by ``stem()``, a
   small suffix-stripping stemmer that only ever removes letters. A resource matches when,
   for every query word, one of its words starts with that stem ("carer" finds "carers",
   "menopause" finds "menopausal", "suicide" finds "suicidal").
3. The database's own engine finds the candidates with a prefix query (``stem*`` in FTS5,
   ``stem:*`` in PostgreSQL), so the heavy lifting uses the index.
4. ``score()``, one Python function, ranks the candidates: a word in the title counts more
   than one in the topics, provider or summary, and an exact word more than a longer one.
   Ties are broken by title, then id. Because both engines answer the same prefix question
   over the same words, and the order comes from one function, the results are identical.
"""

import re
import unicodedata
from dataclasses import dataclass

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

# Longest first, each with the fewest letters that must remain for it to be removed.
SUFFIXES = (
    ("ational", 4),
    ("ations", 4),
    ("ation", 4),
    ("ness", 4),
    ("ings", 4),
    ("ment", 4),
    ("ing", 4),
    ("ies", 4),
    ("ied", 4),
    ("al", 5),
    ("ed", 4),
    ("es", 4),
    ("s", 3),
    ("e", 4),
    ("y", 4),
)


def words(text: str) -> list[str]:
    """Lower-case words with accents removed: the one tokeniser both databases see."""
    normalised = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return WORD.findall(normalised)


def stem(word: str) -> str:
    """Strip one common English suffix. Only ever removes letters, so a stem is a prefix of
    its word: that is what lets a prefix query on the raw indexed words find every match."""
    if word.isdigit() or word.endswith("ss"):
        return word
    for suffix, keep in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            return word[: -len(suffix)]
    return word


def query_stems(q: str) -> list[str]:
    seen: list[str] = []
    for w in words(q):
        if w in STOP_WORDS:
            continue
        s = stem(w)
        if s not in seen:
            seen.append(s)
    return seen[:8]


def index_text(*parts: str) -> str:
    return " ".join(" ".join(words(p)) for p in parts if p)


# --- Candidates from each database's full-text engine --------------------------------------

RESOURCE_TABLE = "library_resource"
CASE_STUDY_TABLE = "library_casestudy"
TABLES = (RESOURCE_TABLE, CASE_STUDY_TABLE)


def candidate_ids(stems: list[str], table: str = RESOURCE_TABLE) -> set[int]:
    """Ids of rows in ``table`` whose words start with every stem, found by the database's engine."""
    if not stems:
        return set()
    if table not in TABLES:  # never interpolate anything but our own table names
        raise ValueError(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery = " & ".join(f"{s}:*" for s in stems)
            cursor.execute(
                f"SELECT id FROM {table} WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', %s)",  # noqa: S608
                [tsquery],
            )
        elif connection.vendor == "sqlite":
            match = " AND ".join(f'"{s}"*' for s in stems)
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


WEIGHTS = (("title", 10), ("topics", 6), ("provider", 4), ("body", 1))


def score(stems: list[str], fields: Fields) -> float:
    """Rank one resource for a query. Returns 0 if some stem matches nothing."""
    total = 0.0
    for s in stems:
        term = 0.0
        for name, weight in WEIGHTS:
            for w in words(getattr(fields, name)):
                if w.startswith(s):
                    exact = stem(w) == s
                    term += weight * (1.0 if exact else 0.6)
        if term == 0:
            return 0.0
        total += min(term, 30.0)
    return total


def rank(stems: list[str], rows: list[Fields]) -> list[int]:
    scored = [(score(stems, f), f.title.lower(), f.id) for f in rows]
    scored = [t for t in scored if t[0] > 0]
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    return [t[2] for t in scored]


def _search(q: str, queryset, table: str, fields) -> list[int]:
    stems = query_stems(q)
    if not stems:
        return []
    ids = candidate_ids(stems, table)
    if not ids:
        return []
    return rank(stems, [fields(obj) for obj in queryset.filter(pk__in=ids)])


def _resource_fields(r) -> Fields:
    return Fields(
        id=r.pk,
        title=r.title,
        topics=" ".join(t.name for t in r.topics.all()),
        provider=r.provider,
        body=" ".join([r.summary, " ".join(a.name for a in r.audiences.all()), r.get_kind_display()]),
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
