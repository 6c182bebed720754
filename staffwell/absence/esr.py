"""The ESR sickness absence import: an extract in, counts out, no individual kept.

The whole file is checked before anything changes; if any row is wrong nothing is imported
and every problem is reported by row, as the staff import does. Accepted rows are reduced in
memory to counts per month, unit, staff group and reason (``Population`` and
``ReasonCount``) and the rows themselves are dropped: no person, assignment or individual
absence is ever written to the database. The format is in docs/absence.md.
"""

import calendar
import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from staffwell.absence.models import AbsenceImport, Population, ReasonCount
from staffwell.absence.reasons import code_of
from staffwell.core import audit
from staffwell.core.spreadsheets import looks_like_formula
from staffwell.organisations.imports import MAX_ERRORS_SHOWN, ImportRejected, _UnitTree, decode
from staffwell.organisations.models import Membership, StaffGroup

__all__ = ["MAX_ERRORS_SHOWN", "ImportRejected", "check", "import_extract"]

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
_GROUPS = {label.casefold(): value for value, label in StaffGroup.choices}
_GROUPS.update({value.casefold(): value for value, _ in StaffGroup.choices})
_GROUPS["nursing and midwifery"] = StaffGroup.NURSING_MIDWIFERY
_GROUPS["add prof scientific and technical"] = StaffGroup.ADD_PROF_SCIENTIFIC
_MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
_NORMALISE = re.compile(r"[^a-z0-9]")


def long_term_days() -> int:
    return int(getattr(settings, "ABSENCE_LONG_TERM_DAYS", 28))


def _key(header: str) -> str:
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


def _parse_date(text: str) -> datetime.date | None:
    t = text.strip()
    try:
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t):
            return datetime.date(int(m[3]), int(m[2]), int(m[1]))
        return datetime.date.fromisoformat(t)
    except ValueError:
        return None


def _days(text: str) -> float | None:
    try:
        value = float(text) if text else 0.0
    except ValueError:
        return None
    return value if 0 <= value <= MAX_DAYS else None


@dataclass
class Counts:
    """The extract reduced to counts. Person keys live only here, in memory."""

    population: dict = field(default_factory=dict)  # (month, unit, group) -> [people set, available, lost]
    reasons: dict = field(
        default_factory=dict
    )  # (month, unit, group, reason, covid) -> [lost, people, spells, long, short]
    months: set = field(default_factory=set)
    rows: int = 0
    unmapped: int = 0


def _header_index(header: list[str]) -> dict[str, int]:
    keys = [_key(h) for h in header]
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


def check(org, text: str) -> Counts:
    """Check every row and reduce the file to counts, or raise ImportRejected with every
    problem found. Nothing is written."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportRejected(["The file is empty or is not a CSV file."]) from None
    index = _header_index(header)
    units = _unit_mapper(org, by_path="unit_path" in index)
    threshold = long_term_days()
    counts = Counts()
    errors: list[str] = []
    seen: set = set()
    get = index.get
    i_month, i_person, i_group, i_reason = index["month"], index["person"], index["staff_group"], index["reason"]
    i_avail, i_lost = index["available"], index["lost"]
    i_asg, i_org, i_unit, i_cat, i_rel, i_start = (
        get("assignment"),
        get("org_code"),
        get("unit_path"),
        get("category"),
        get("related"),
        get("start"),
    )
    width = len(header)
    month_cache: dict[str, datetime.date | None] = {}
    ods = org.ods_code.casefold()
    try:
        for record in reader:
            line = reader.line_num
            if len(record) != width:
                if not any(c.strip() for c in record):
                    continue
                errors.append(f"Row {line}: has {len(record)} values but the first row names {width} columns.")
                continue
            bad = next((c for c in record if c[:1] in "=+@\t\r\n\uff1d\uff0b\uff20" and looks_like_formula(c)), None)
            if bad is not None or any(len(c) > MAX_FIELD_CHARS for c in record):
                errors.append(
                    f"Row {line}: a value starts with a character a spreadsheet would treat as a formula, "
                    f"or is longer than {MAX_FIELD_CHARS} characters. Remove it."
                )
                continue
            row_errors = []
            raw_month = record[i_month]
            month = month_cache.get(raw_month, False)
            if month is False:
                month = month_cache[raw_month] = parse_month(raw_month)
            if month is None:
                row_errors.append(
                    f"Row {line}: month '{raw_month.strip()[:20]}' is not a month like 2024-01 or 31/01/2024."
                )
            person = record[i_person].strip()
            if not person:
                row_errors.append(f"Row {line}: the person identifier is empty.")
            if i_org is not None and record[i_org].strip() and record[i_org].strip().casefold() != ods:
                row_errors.append(
                    f"Row {line}: organisation code '{record[i_org].strip()[:10]}' is not {org.ods_code} "
                    f"({org.name}). Upload each organisation's extract to its own organisation."
                )
            group_text = record[i_group].strip().casefold()
            group = "" if group_text in EXCLUDED_GROUPS else _GROUPS.get(group_text)
            if group is None:
                row_errors.append(
                    f"Row {line}: staff group '{record[i_group].strip()[:40]}' is not an ESR staff group."
                )
            available, lost = _days(record[i_avail].strip()), _days(record[i_lost].strip())
            if available is None:
                row_errors.append(
                    f"Row {line}: FTE days available '{record[i_avail].strip()[:20]}' is not a number of days."
                )
            if lost is None:
                row_errors.append(f"Row {line}: FTE days lost '{record[i_lost].strip()[:20]}' is not a number of days.")
            sickness = i_cat is None or record[i_cat].strip().casefold() in {"", "sickness"}
            reason_text = record[i_reason].strip()
            reason = code_of(reason_text) if reason_text else None
            if reason_text and reason is None:
                row_errors.append(
                    f"Row {line}: attendance reason '{reason_text[:40]}' does not start with an ESR sickness code "
                    "S10 to S99."
                )
            elif lost and sickness and reason is None:
                row_errors.append(f"Row {line}: has FTE days lost but no attendance reason.")
            unit = None
            if not row_errors:
                unit, ok = units(record[i_unit].strip() if i_unit is not None else person, line, row_errors)
                if not ok:
                    counts.unmapped += 1
            start = None
            if i_start is not None and record[i_start].strip() and not row_errors:
                start = _parse_date(record[i_start])
                if start is None:
                    row_errors.append(f"Row {line}: absence start date '{record[i_start].strip()[:20]}' is not a date.")
            if row_errors:
                errors.extend(row_errors)
                if len(errors) > 5 * MAX_ERRORS_SHOWN:
                    break
                continue
            counts.rows += 1
            counts.months.add(month)
            assignment = record[i_asg].strip() if i_asg is not None else ""
            cell = (month, unit, group)
            pop = counts.population.get(cell)
            if pop is None:
                pop = counts.population[cell] = [set(), 0.0, 0.0]
            pop[0].add(person)
            seat = (person, assignment, month)
            if seat not in seen:  # a second row for the same assignment and month is a second reason
                seen.add(seat)
                pop[1] += available
            if not (lost and sickness):
                continue
            pop[2] += lost
            related = record[i_rel].casefold() if i_rel is not None else ""
            covid = "covid" in related or "coronavirus" in related
            key = (month, unit, group, reason, covid)
            entry = counts.reasons.get(key)
            if entry is None:
                entry = counts.reasons[key] = [0.0, set(), 0, 0, 0]
            entry[0] += lost
            entry[1].add(person)
            entry[2] += 1
            if start is not None:
                days = calendar.monthrange(month.year, month.month)[1]
                long_term = (month.replace(day=days) - start).days + 1 > threshold
            else:
                long_term = available > 0 and lost >= available
            entry[3 if long_term else 4] += 1
    except csv.Error as exc:
        errors.append(f"Row {reader.line_num}: the file could not be read as CSV ({exc}).")
    if not errors and not counts.rows:
        errors.append("The file names the columns but has no rows.")
    if errors:
        raise ImportRejected(errors)
    return counts


def _unit_mapper(org, *, by_path: bool):
    """Units are mapped as the staff import maps them: by the unit path ('Medicine > Ward 7')
    when the extract has one, otherwise through the person's membership from the staff list.
    An unknown path is an error; a person not in the staff list counts at organisation level."""
    if by_path:
        tree = _UnitTree(org)
        cache: dict[str, int | None] = {}

        def by_unit(text, line, errors):
            if text not in cache:
                path = tuple(p.strip() for p in text.split(">")) if text else ()
                unit = tree.get(path, create=False) if path and all(path) else None
                cache[text] = unit.pk if unit else None
            if cache[text] is None and text:
                errors.append(
                    f"Row {line}: unit '{text[:80]}' is not a unit in staffwell. Import the staff list first, "
                    "or correct the unit path."
                )
            return cache[text], cache[text] is not None

        return by_unit
    people = dict(Membership.objects.for_org(org).values_list("person_id", "unit_id"))

    def by_person(person, line, errors):
        unit = people.get(person)
        return unit, unit is not None

    return by_person


def import_extract(org, content: bytes, *, filename: str, actor=None) -> AbsenceImport:
    """Check, reduce and store. Replaces the counts for every month the file covers."""
    text = decode(content, max_bytes=MAX_BYTES)
    counts = check(org, text)
    del text
    with transaction.atomic():
        months = sorted(counts.months)
        Population.objects.filter(organisation=org, month__in=months).delete()
        ReasonCount.objects.filter(organisation=org, month__in=months).delete()
        Population.objects.bulk_create(
            [
                Population(
                    organisation=org,
                    month=m,
                    unit_id=u,
                    staff_group=g,
                    headcount=len(p[0]),
                    fte_days_available=p[1],
                    fte_days_lost=p[2],
                )
                for (m, u, g), p in counts.population.items()
            ],
            batch_size=1000,
        )
        ReasonCount.objects.bulk_create(
            [
                ReasonCount(
                    organisation=org,
                    month=m,
                    unit_id=u,
                    staff_group=g,
                    reason=r,
                    covid=c,
                    fte_days_lost=e[0],
                    people=len(e[1]),
                    spells=e[2],
                    long_term_spells=e[3],
                    short_term_spells=e[4],
                )
                for (m, u, g, r, c), e in counts.reasons.items()
            ],
            batch_size=1000,
        )
        record = AbsenceImport.objects.create(
            organisation=org,
            filename=filename[:255],
            rows=counts.rows,
            first_month=months[0],
            last_month=months[-1],
            unmapped_rows=counts.unmapped,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            "absence.import.accepted",
            actor=actor,
            organisation=org,
            obj=record,
            data={"rows": counts.rows, "months": [m.isoformat()[:7] for m in months]},
        )
    return record
