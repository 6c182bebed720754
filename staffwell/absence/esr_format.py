"""The ESR extract's format: which columns, under which names, and how each value is read.

Column names differ between older and newer extracts; they are compared with every
character that is not a letter or digit removed, case ignored. docs/absence.md lists them.
"""

import calendar
import datetime
import re

from django.conf import settings

from staffwell.absence.reasons import code_of
from staffwell.core.spreadsheets import FORMULA_STARTS
from staffwell.organisations.imports import ImportRejected
from staffwell.organisations.models import StaffGroup

MAX_BYTES = 200 * 1024 * 1024
MAX_FIELD_CHARS = 1000
MAX_DAYS = 31 * 3  # a person may hold more than one assignment, but never this much

# Canonical column -> the header names older and newer extracts use (compared with every
# character that is not a letter or digit removed, case ignored).
ALIASES = {
    "month": ("tmyearmonth", "tmenddate", "yearmonth", "month", "period", "date"),
    "person": ("uniquenhsidentifier", "personnumber", "employeenumber", "personid", "nhsidentifier"),
    "assignment": ("asgnumber", "assignmentnumber", "assignment"),
    "org_code": ("odscode", "organisationcode", "orgcode", "tmorgcode"),
    "unit_path": ("unitpath", "unit"),
    "staff_group": ("staffgroup", "asgstaffgroup"),
    "occupation": ("occupationcode", "occupation"),
    "category": ("absencecategory", "category"),
    "reason": ("attendancereason", "absencereason", "sicknessreason", "reason"),
    "related": ("relatedreason",),
    "available": ("wtedaysavailable", "ftedaysavailable", "daysavailable"),
    "lost": (
        "wtedayslostthismonth",
        "wtedayssickthismonth",
        "wtedayslost",
        "ftedayslost",
        "ftedayssick",
        "dayslost",
    ),
    "start": ("absencestartdate", "spellstartdate", "absencestart"),
}
REQUIRED = ("month", "person", "staff_group", "reason", "available", "lost")
EXCLUDED_GROUPS = {"general payments", "unknown", "non-funded staff", "non funded staff", ""}
GROUPS_BY_NAME = {label.casefold(): value for value, label in StaffGroup.choices}
GROUPS_BY_NAME.update({value.casefold(): value for value, _ in StaffGroup.choices})
GROUPS_BY_NAME["nursing and midwifery"] = StaffGroup.NURSING_MIDWIFERY
GROUPS_BY_NAME["add prof scientific and technical"] = StaffGroup.ADD_PROF_SCIENTIFIC
_MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
_NORMALISE = re.compile(r"[^a-z0-9]")
# A cell that starts like a formula (staffwell.core.spreadsheets.FORMULA_STARTS); "-" only
# when no number follows (days are checked as numbers anyway).
FORMULA_FIRST = frozenset(FORMULA_STARTS) - {"-"}


def group_of(text: str) -> str | None:
    t = text.strip().casefold()
    return "" if t in EXCLUDED_GROUPS else GROUPS_BY_NAME.get(t)


def reason_of(text: str) -> str | None:
    """'' for no reason, the code, or None when the text names no ESR reason."""
    t = text.strip()
    return code_of(t) if t else ""


def long_term_days() -> int:
    return int(getattr(settings, "ABSENCE_LONG_TERM_DAYS", 28))


def header_key(header: str) -> str:
    return _NORMALISE.sub("", header.casefold())


def parse_month(text: str) -> datetime.date | None:
    """The month an extract row is for: '2024-01', '202401', '2024-JAN', 'JAN-2024',
    '31/01/2024' (the month end) or '2024-01-31'. Returns the first of the month."""
    t = text.strip().upper()
    try:
        if m := re.fullmatch(r"(\d{4})-?(\d{2})", t):
            return datetime.date(int(m[1]), int(m[2]), 1)
        if m := re.fullmatch(r"(\d{4})-([A-Z]{3})", t):
            return datetime.date(int(m[1]), _MONTHS[m[2]], 1)
        if m := re.fullmatch(r"([A-Z]{3})-(\d{2}|\d{4})", t):
            year = int(m[2]) if len(m[2]) == 4 else 2000 + int(m[2])
            return datetime.date(year, _MONTHS[m[1]], 1)
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t):
            return datetime.date(int(m[3]), int(m[2]), int(m[1])).replace(day=1)
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t):
            return datetime.date(int(m[1]), int(m[2]), int(m[3])).replace(day=1)
    except (ValueError, KeyError):
        return None
    return None


def parse_date(text: str) -> datetime.date | None:
    t = text.strip()
    try:
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t):
            return datetime.date(int(m[3]), int(m[2]), int(m[1]))
        return datetime.date.fromisoformat(t)
    except ValueError:
        return None


def days_of(text: str) -> float | None:
    try:
        value = float(text) if text else 0.0
    except ValueError:
        return None
    return value if 0 <= value <= MAX_DAYS else None


def header_index(header: list[str]) -> dict[str, int]:
    keys = [header_key(h) for h in header]
    known = {alias for aliases in ALIASES.values() for alias in aliases}
    twice = [key for n, key in enumerate(keys) if key in known and key in keys[:n]]
    if twice:
        key = twice[0]
        at = [str(n + 1) for n, k in enumerate(keys) if k == key]
        names = " and ".join(f"'{header[int(n) - 1].strip()[:60]}'" for n in at)
        raise ImportRejected(
            [
                f"The first row names the column '{header[int(at[0]) - 1].strip()[:60]}' twice (columns "
                f"{' and '.join(at)}: {names}). staffwell cannot tell which one to use, so nothing was imported. "
                "Remove one of them and upload the file again."
            ]
        )
    index: dict[str, int] = {}
    for name, aliases in ALIASES.items():
        for alias in aliases:
            if alias in keys:
                index[name] = keys.index(alias)
                break
    missing = [n for n in REQUIRED if n not in index]
    if missing:
        names = {
            "month": "Tm Year Month",
            "person": "Unique Nhs Identifier",
            "staff_group": "Staff Group",
            "reason": "Attendance Reason",
            "available": "Wte Days Available",
            "lost": "Wte Days Lost This Month",
        }
        raise ImportRejected(
            [
                "The file is missing these columns: "
                + ", ".join(names[n] for n in missing)
                + ". An ESR sickness absence extract names them in its first row (older extracts' names, "
                "like 'Wte Days Sick This Month', are accepted too)."
            ]
        )
    return index
