"""Names and codes as a reader sees them: the one fold used wherever an issuer (an ODS code or
an organisation's name) is compared with an organisation on this staffwell (ADR 0028, 0029).

``skeleton`` folds a string so that two strings that look the same on screen fold the same:
compatibility forms (full-width letters, a non-breaking space), accents and other combining
marks, case, characters from other scripts that look like Latin letters (Unicode TR39
confusables: Cyrillic o U+043E, Greek O U+039F, Cyrillic T U+0422), invisible characters (zero-width, soft
hyphen, direction marks), spaces and punctuation, and O/0, I/L/1. It is for comparing only;
nothing stores or shows a skeleton.

``resembles`` goes further for organisation names (a second attack): letters that look like
one letter together ("rn" for "m", "vv" for "w", "cl" for "d"), a local name with a word left
off or added ("... Foundation Trust" for "... Foundation Trust (demo)"), or one letter changed
("Hospital" for "Hospitals"). A name from elsewhere that resembles a local organisation's is
treated as imitating it.

``mixed_scripts`` says which scripts a name mixes (Latin with Cyrillic, say): an issuer name that
does is refused wherever it is given, since that is how a look-alike is made.
"""

import difflib
import functools
import unicodedata

from confusable_homoglyphs import categories, confusables

_LOOKALIKE = str.maketrans({"o": "0", "i": "1", "l": "1"})
# Characters common to every script (digits, punctuation, spaces) and combining marks (which
# take the script of the letter they sit on: "ŵ" typed as "w" + U+0302) never make a name mixed.
_NEUTRAL_SCRIPTS = ["COMMON", "INHERITED"]


@functools.lru_cache(maxsize=4096)
def _latin_for(char: str) -> str:
    """The plain ASCII letters or digits ``char`` is confusable with (TR39), or ``char``."""
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=[])
    for entry in found or ():
        for glyph in entry["homoglyphs"]:
            if glyph["c"].isascii():
                return glyph["c"]
    return char


def _strip_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.category(c).startswith("M"))


def skeleton(text) -> str:
    """``text`` folded for comparison: two names or codes with the same skeleton are look-alikes."""
    if not isinstance(text, str) or not text:
        return ""
    return _skeleton(text[:1000])


@functools.lru_cache(maxsize=4096)
def _skeleton(text: str) -> str:
    plain = _strip_marks(text)
    mapped = "".join(c if c.isascii() else _latin_for(c) for c in plain)
    folded = _strip_marks(mapped).casefold()
    return "".join(c for c in folded if c.isalnum()).translate(_LOOKALIKE)


_TOGETHER = (("rn", "m"), ("vv", "w"), ("cl", "d"))
NEAR_LENGTH = 12  # names this long or longer are compared for resemblance, not only equality
NEAR_RATIO = 0.9


def _name_skeleton(text) -> str:
    folded = skeleton(text)
    for pair, single in _TOGETHER:
        folded = folded.replace(pair, single)
    return folded


def resembles(name, other) -> bool:
    """Whether two organisation names would pass for each other: the same skeleton once letters
    that look like one are joined, or (for names of at least ``NEAR_LENGTH`` letters) one
    contained in the other, or all but a letter or two the same."""
    a, b = _name_skeleton(name), _name_skeleton(other)
    if not a or not b:
        return False
    if a == b:
        return True
    if min(len(a), len(b)) < NEAR_LENGTH:
        return False
    return a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= NEAR_RATIO


def mixed_scripts(text) -> list[str]:
    """The scripts ``text`` mixes, in the order they first appear (["Latin", "Cyrillic"]), or an
    empty list when it is written in one script (digits, spaces and punctuation aside)."""
    if not isinstance(text, str) or not confusables.is_mixed_script(
        unicodedata.normalize("NFKC", text), allowed_aliases=_NEUTRAL_SCRIPTS
    ):
        return []
    seen: list[str] = []
    for char in unicodedata.normalize("NFKC", text):
        script = categories.alias(char)
        if script not in _NEUTRAL_SCRIPTS and script not in seen:
            seen.append(script)
    return [s.title() for s in seen]
