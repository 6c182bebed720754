"""Spreadsheet formula injection: one definition for imports and exports.

A cell that starts with one of these characters may be run as a formula by Excel or
LibreOffice (including the full-width forms some programs also accept). Imports refuse such
text; exports prefix it with an apostrophe so it shows as text.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise(value):
    """Text a spreadsheet would run as a formula gets an apostrophe in front; anything else
    (numbers, dates, None, ordinary text) is returned unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value
