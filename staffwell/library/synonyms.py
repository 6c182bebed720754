"""Everyday words mapped to library topics, read from ``synonyms.txt`` (editable data).

``expand(words)`` walks a query's words, longest phrase first, and says for each word or
phrase which topic names it also stands for. Topic names come from the ``Topic`` table, so a
renamed topic keeps working; an unknown slug is ignored.
"""

from functools import cache
from pathlib import Path

from staffwell.library.search import words

SOURCE = Path(__file__).with_name("synonyms.txt")


class SynonymError(ValueError):
    """A line of synonyms.txt that cannot be read; the message names the line."""


def parse(text: str) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Phrase (as words) -> topic slugs. Raises SynonymError for a malformed line."""
    mapping: dict[tuple[str, ...], list[str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.count("=") != 1:
            raise SynonymError(f"Line {number}: write the words, then one '=', then the topic slugs.")
        left, right = (part.strip() for part in line.split("="))
        slugs = [s.strip() for s in right.split(",") if s.strip()]
        phrases = [tuple(words(p)) for p in left.split(",") if words(p)]
        if not phrases or not slugs:
            raise SynonymError(f"Line {number}: give at least one word and one topic slug.")
        for phrase in phrases:
            mapping.setdefault(phrase, [])
            mapping[phrase] += [s for s in slugs if s not in mapping[phrase]]
    return {phrase: tuple(slugs) for phrase, slugs in mapping.items()}


@cache
def mapping() -> dict[tuple[str, ...], tuple[str, ...]]:
    return parse(SOURCE.read_text(encoding="utf-8"))


def _topic_names() -> dict[str, str]:
    from staffwell.library.models import Topic

    return dict(Topic.objects.values_list("slug", "name"))


def expand(query_words: list[str]) -> list[tuple[tuple[str, ...], list[str]]]:
    """Each word or mapped phrase of the query, with the names of the topics it stands for."""
    known = mapping()
    longest = max((len(p) for p in known), default=1)
    names: dict[str, str] | None = None
    out: list[tuple[tuple[str, ...], list[str]]] = []
    i = 0
    while i < len(query_words):
        for size in range(min(longest, len(query_words) - i), 0, -1):
            phrase = tuple(query_words[i : i + size])
            if phrase in known:
                if names is None:
                    names = _topic_names()
                out.append((phrase, [names[s] for s in known[phrase] if s in names]))
                i += size
                break
        else:
            out.append(((query_words[i],), []))
            i += 1
    return out
