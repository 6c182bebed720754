"""Ranked full-text search that gives the same results, in the same order, on SQLite and PostgreSQL.

How it works (docs/library.md explains why):

1. Every resource keeps ``search_text``: the words of its title, provider, summary, topics,
   audiences and kind, lower-cased and split by ``words()`` below. Both databases index that
   column: an FTS5 table on SQLite (kept in step by triggers), a GIN ``tsvector`` index with
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


def candidate_ids(stems: list[str]) -> set[int]:
    """Ids of resources whose words start with every stem, found by the database's engine."""
    if not stems:
        return set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery = " & ".join(f"{s}:*" for s in stems)
            cursor.execute(
                "SELECT id FROM library_resource WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', %s)",
                [tsquery],
            )
        elif connection.vendor == "sqlite":
            match = " AND ".join(f'"{s}"*' for s in stems)
            cursor.execute("SELECT rowid FROM library_resource_fts WHERE library_resource_fts MATCH %s", [match])
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


def search_resources(q: str, queryset) -> list[int]:
    """Ids of the resources in ``queryset`` that match ``q``, best first."""
    stems = query_stems(q)
    if not stems:
        return []
    ids = candidate_ids(stems)
    if not ids:
        return []
    rows = []
    for r in queryset.filter(pk__in=ids).prefetch_related("topics", "audiences"):
        rows.append(
            Fields(
                id=r.pk,
                title=r.title,
                topics=" ".join(t.name for t in r.topics.all()),
                provider=r.provider,
                body=" ".join([r.summary, " ".join(a.name for a in r.audiences.all()), r.get_kind_display()]),
            )
        )
    return rank(stems, rows)


def refresh(resource) -> None:
    """Rebuild one resource's ``search_text`` (after its fields or topics change)."""
    text = index_text(
        resource.title,
        resource.provider,
        resource.summary,
        " ".join(t.name for t in resource.topics.all()),
        " ".join(a.name for a in resource.audiences.all()),
        resource.get_kind_display(),
    )
    type(resource).objects.filter(pk=resource.pk).update(search_text=text)
    resource.search_text = text


# --- Index set-up, run from a migration -----------------------------------------------------

SQLITE_SQL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS library_resource_fts USING fts5("
    "search_text, content='library_resource', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS library_resource_fts_ai AFTER INSERT ON library_resource BEGIN "
    "INSERT INTO library_resource_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS library_resource_fts_ad AFTER DELETE ON library_resource BEGIN "
    "INSERT INTO library_resource_fts(library_resource_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS library_resource_fts_au AFTER UPDATE ON library_resource BEGIN "
    "INSERT INTO library_resource_fts(library_resource_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO library_resource_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO library_resource_fts(library_resource_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS library_resource_fts_ai",
    "DROP TRIGGER IF EXISTS library_resource_fts_ad",
    "DROP TRIGGER IF EXISTS library_resource_fts_au",
    "DROP TABLE IF EXISTS library_resource_fts",
]
POSTGRES_SQL = [
    "CREATE INDEX IF NOT EXISTS library_resource_search_gin ON library_resource "
    "USING GIN (to_tsvector('simple', search_text))"
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS library_resource_search_gin"]


def create_index(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_SQL, "postgresql": POSTGRES_SQL}.get(vendor, []):
        schema_editor.execute(sql)


def drop_index(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)
