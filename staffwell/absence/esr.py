"""The ESR sickness absence import: an extract in, counts out, no individual kept.

The whole file is checked before anything changes; if any row is wrong nothing is imported
and every problem is reported by row, as the staff import does. Accepted rows are reduced in
memory to counts per month, unit, staff group and reason (``Population`` and
``ReasonCount``) and the rows themselves are dropped: no person, assignment or individual
absence is ever written to the database. The format (columns, values) is in
``esr_format``; finding units and writing counts in ``esr_store``; docs/absence.md.
"""

import calendar
import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from staffwell import suppression
from staffwell.absence import coarsen, reimport, triggers
from staffwell.absence.esr_format import (
    EXCLUDED_GROUPS,
    FORMULA_FIRST,
    GROUPS_BY_NAME,
    MAX_BYTES,
    MAX_FIELD_CHARS,
    days_of,
    group_of,
    header_index,
    header_key,
    long_term_days,
    parse_date,
    parse_month,
    reason_of,
)
from staffwell.absence.esr_store import store, unit_mapper
from staffwell.absence.models import AbsenceImport, IncompleteGroup, Population, ReasonCount
from staffwell.absence.reasons import code_of
from staffwell.core import audit
from staffwell.organisations.imports import MAX_ERRORS_SHOWN, ImportRejected, decode
from staffwell.organisations.models import Organisation, Unit

__all__ = ["MAX_BYTES", "MAX_ERRORS_SHOWN", "ImportRejected", "check", "header_key", "import_extract", "parse_month"]

BAD = object()


EARLIEST_MONTH = datetime.date(2000, 1, 1)  # ESR went live from 2004: nothing is older
DAYS_TOLERANCE = 0.01  # FTE days lost may exceed days available on a row by rounding, no more


@dataclass
class Counts:
    """The extract reduced to counts. Person keys live only here, in memory."""

    population: dict = field(default_factory=dict)  # (month, unit, group) -> [people set, available, lost]
    reasons: dict = field(
        default_factory=dict
    )  # (month, unit, group, reason, covid) -> [lost, people, spells, long, short]
    # (month, unit, group) -> person -> [available, lost, sickness rows (reason, covid, lost,
    # long term) or None]: what each person adds to the cell, so coarsening can move a few
    # people rather than a whole cell (``coarsen``). In memory only, never stored.
    persons: dict = field(default_factory=dict)
    months: set = field(default_factory=set)
    rows: int = 0
    unmapped: int = 0


def check(org, text: str, *, tally=None) -> Counts:
    """Check every row and reduce the file to counts, or raise ImportRejected with every
    problem found. Nothing is written. ``tally`` (``triggers.Tally``, only when both sides
    have agreed a trigger definition) is given every sickness row, in memory."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    this_month = timezone.localdate().replace(day=1)  # a later month has not happened
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportRejected(["The file is empty or is not a CSV file."]) from None
    index = header_index(header)
    units = unit_mapper(org, by_path="unit_path" in index)
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
    ods = org.ods_code.casefold()

    def _problems(record, line) -> list[str]:
        """Why a row is wrong, in words (only for rows the fast path refused)."""
        row_errors = []
        raw_month = record[i_month]
        month = month_c.get(raw_month, False)
        if month is False:
            month = month_c[raw_month] = parse_month(raw_month)
        if month is None:
            row_errors.append(
                f"Row {line}: month '{raw_month.strip()[:20]}' is not a month like 2024-01 or 31/01/2024."
            )
        elif month > this_month:
            row_errors.append(f"Row {line}: month {month.year:04d}-{month.month:02d} has not happened yet.")
        elif month < EARLIEST_MONTH:
            row_errors.append(
                f"Row {line}: month {month.year:04d}-{month.month:02d} is before {EARLIEST_MONTH.year}, "
                "earlier than any ESR record."
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
        group = "" if group_text in EXCLUDED_GROUPS else GROUPS_BY_NAME.get(group_text)
        if group is None:
            row_errors.append(f"Row {line}: staff group '{record[i_group].strip()[:40]}' is not an ESR staff group.")
        available, lost = days_of(record[i_avail].strip()), days_of(record[i_lost].strip())
        if available is None:
            row_errors.append(
                f"Row {line}: FTE days available '{record[i_avail].strip()[:20]}' is not a number of days."
            )
        if lost is None:
            row_errors.append(f"Row {line}: FTE days lost '{record[i_lost].strip()[:20]}' is not a number of days.")
        elif available is not None and lost > available + DAYS_TOLERANCE:
            row_errors.append(
                f"Row {line}: FTE days lost ({lost:g}) are more than the FTE days available ({available:g}) "
                "for the assignment that month."
            )
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
        units(record[i_unit].strip() if i_unit is not None else person, line, row_errors)
        if i_start is not None and record[i_start].strip() and parse_date(record[i_start]) is None:
            row_errors.append(f"Row {line}: absence start date '{record[i_start].strip()[:20]}' is not a date.")
        return row_errors or [f"Row {line}: could not be read."]

    month_c: dict = {}
    group_c: dict = {}
    days_c: dict = {}
    reason_c: dict = {}
    unit_c: dict = {}
    try:
        for record in reader:
            line = reader.line_num
            if len(record) != width:
                if not any(c.strip() for c in record):
                    continue
                errors.append(f"Row {line}: has {len(record)} values but the first row names {width} columns.")
                continue
            if sum(map(len, record)) > MAX_FIELD_CHARS and any(len(c) > MAX_FIELD_CHARS for c in record):
                errors.append(f"Row {line}: a value is longer than {MAX_FIELD_CHARS} characters.")
                continue
            starts = {c[:1] for c in record}
            if not starts.isdisjoint(FORMULA_FIRST) or (
                "-" in starts and any(c[:1] == "-" and not c[1:2].isdigit() and c[1:2] != "." for c in record)
            ):
                errors.append(
                    f"Row {line}: a value starts with a character a spreadsheet would treat as a formula "
                    "(=, +, -, @). Remove it."
                )
                continue
            # Fast path: every value looked up in a cache of what it parsed to before.
            raw_month, raw_group, raw_avail, raw_lost = (
                record[i_month],
                record[i_group],
                record[i_avail],
                record[i_lost],
            )
            raw_reason = record[i_reason]
            raw_unit = record[i_unit] if i_unit is not None else record[i_person]
            person = record[i_person].strip()
            month = (
                month_c[raw_month] if raw_month in month_c else month_c.setdefault(raw_month, parse_month(raw_month))
            )
            group = group_c[raw_group] if raw_group in group_c else group_c.setdefault(raw_group, group_of(raw_group))
            available = (
                days_c[raw_avail] if raw_avail in days_c else days_c.setdefault(raw_avail, days_of(raw_avail.strip()))
            )
            lost = days_c[raw_lost] if raw_lost in days_c else days_c.setdefault(raw_lost, days_of(raw_lost.strip()))
            reason = (
                reason_c[raw_reason]
                if raw_reason in reason_c
                else reason_c.setdefault(raw_reason, reason_of(raw_reason))
            )
            sickness = True if i_cat is None else record[i_cat].strip().casefold() in {"", "sickness"}
            mapped = unit_c.get(raw_unit)
            if mapped is None:
                problems: list[str] = []
                unit_id, found = units(raw_unit.strip(), 0, problems)
                mapped = unit_c[raw_unit] = (unit_id, BAD if problems else found)
            unit, ok = mapped
            start = None
            if i_start is not None and record[i_start].strip():
                start = parse_date(record[i_start])
            org_ok = i_org is None or record[i_org].strip().casefold() in ("", ods)
            if (
                month is None
                or month > this_month
                or month < EARLIEST_MONTH
                or (lost is not None and available is not None and lost > available + DAYS_TOLERANCE)
                or not person
                or group is None
                or available is None
                or lost is None
                or reason is None
                or (lost and sickness and not reason)
                or ok is BAD
                or not org_ok
                or (i_start is not None and record[i_start].strip() and start is None)
            ):
                errors.extend(_problems(record, line))
                if len(errors) > 5 * MAX_ERRORS_SHOWN:
                    break
                continue
            if not ok:
                counts.unmapped += 1
            counts.rows += 1
            counts.months.add(month)
            assignment = record[i_asg].strip() if i_asg is not None else ""
            cell = (month, unit, group)
            pop = counts.population.get(cell)
            if pop is None:
                pop = counts.population[cell] = [set(), 0.0, 0.0]
            pop[0].add(person)
            in_cell = counts.persons.get(cell)
            if in_cell is None:
                in_cell = counts.persons[cell] = {}
            share = in_cell.get(person)
            if share is None:
                share = in_cell[person] = [0.0, 0.0, None]
            seat = (person, assignment, month)
            if seat not in seen:  # a second row for the same assignment and month is a second reason
                seen.add(seat)
                pop[1] += available
                share[0] += available
            if not (lost and sickness):
                continue
            pop[2] += lost
            share[1] += lost
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
            if share[2] is None:
                share[2] = []
            share[2].append((reason, covid, lost, long_term))
            if tally is not None:
                tally.add(person, assignment, month, unit, start, lost, reason)
    except csv.Error as exc:
        errors.append(f"Row {reader.line_num}: the file could not be read as CSV ({exc}).")
    if not errors and not counts.rows:
        errors.append("The file names the columns but has no rows.")
    if errors:
        raise ImportRejected(errors)
    return counts


def _small_change_errors(org, changes, k: int) -> list[str]:
    names = dict(Unit.objects.for_org(org).values_list("pk", "name"))
    errors, told = [], set()
    order = {"cell": 0, "members": 1, "unit": 2, "org": 3}
    for kind, month, unit, group, change in sorted(changes, key=lambda c: (c[1], order[c[0]])):
        if month in told or len(told) >= MAX_ERRORS_SHOWN:
            continue
        told.add(month)
        where = {
            "org": "the whole organisation",
            "unit": f"{names.get(unit, 'a unit')} (with everything below it)",
        }.get(kind, f"{names.get(unit, 'the organisation level')}, {group.replace('_', ' ')}")
        if kind == "members":
            errors.append(
                f"{month:%B %Y} is already imported, and this file would change who is counted in {where}. "
                "Once a month is imported, importing it again may correct days and reasons but not who is in "
                "each group: comparing the two versions would give one person's absence, so nothing was kept. "
                "If people have moved since, give each row its unit for that month (a Unit Path column) rather "
                "than relying on the staff list as it is now. If the month was first imported from the wrong "
                "file, the platform operator can erase it (manage.py erase_absence_month) so it can be imported "
                "afresh."
            )
            continue
        people = "person" if abs(change) == 1 else "people"
        errors.append(
            f"{month:%B %Y} is already imported, and this file would change {where} by {abs(change)} {people}. "
            f"Comparing the figures before and after would give that {people}'s absence, so nothing was kept. "
            "A month can be imported again only unchanged, or with every group changing by at least "
            f"{k} people. If people have moved since, give each row its unit for that month (a Unit Path "
            "column) rather than relying on the staff list as it is now."
        )
    return errors


def import_extract(org, content: bytes, *, filename: str, actor=None) -> AbsenceImport:
    """Check, reduce, coarsen and store. Replaces the counts for every month the file covers.

    Before anything is written, every month's cells are coarsened (``coarsen``) so no stored
    cell holds fewer than the organisation's minimum group: a raw copy of the database joined
    to the staff list cannot name anyone's absence. A month of fewer people than that is
    refused."""
    text = decode(content, max_bytes=MAX_BYTES)
    definition = triggers.current(org)  # none agreed by both sides: nothing is counted
    tally = triggers.Tally(definition) if definition is not None else None
    counts = check(org, text, tally=tally)
    del text
    k = suppression.min_group_size(org)
    parents = dict(Unit.objects.for_org(org).values_list("pk", "parent_id"))
    try:
        population, reasons, incomplete = coarsen.coarsen(
            counts.population, counts.reasons, parents=parents, k=k, persons=counts.persons
        )
    except coarsen.TooFewPeople as exc:
        raise ImportRejected(
            [
                f"{exc.month:%B %Y} has {exc.people} {'person' if exc.people == 1 else 'people'} in the extract, "
                f"fewer than {k}, this organisation's minimum group. staffwell stores sickness absence only for "
                f"groups of at least {k} people, so nothing from the file was kept. Upload the extract for "
                "the whole organisation."
            ]
        ) from None
    counts.persons = {}  # what each person added: not needed once the cells are coarsened
    members = {(m, u, g): reimport.members_digest(org.pk, m, u, g, cell[0]) for (m, u, g), cell in population.items()}
    trigger_counts = tally.counts(counts.months) if tally is not None else None
    counted = tally.counted_months(counts.months) if tally is not None else []
    del tally  # the last person-level data: gone before anything is written
    if trigger_counts is not None:
        trigger_counts = coarsen.trigger_units(trigger_counts, population, parents=parents)
    with transaction.atomic():
        # One import per organisation at a time, compared with what is stored under the same
        # lock: two uploads of a new month at once must not both pass as "new".
        Organisation.objects.select_for_update().only("pk").get(pk=org.pk)
        changes = reimport.small_changes(
            org, {key: len(cell[0]) for key, cell in population.items()}, parents=parents, k=k, members=members
        )
        if changes:
            raise ImportRejected(_small_change_errors(org, changes, k))
        months = sorted(counts.months)
        Population.objects.filter(organisation=org, month__in=months).delete()
        ReasonCount.objects.filter(organisation=org, month__in=months).delete()
        IncompleteGroup.objects.filter(organisation=org, month__in=months).delete()
        store(
            Population,
            [
                "organisation_id",
                "month",
                "unit_id",
                "staff_group",
                "headcount",
                "fte_days_available",
                "fte_days_lost",
                "members",
            ],
            [(org.pk, m, u, g, len(p[0]), p[1], p[2], members[(m, u, g)][0]) for (m, u, g), p in population.items()],
        )
        store(
            ReasonCount,
            ["organisation_id", "month", "unit_id", "staff_group", "reason", "covid", "fte_days_lost", "people",
             "spells", "long_term_spells", "short_term_spells"],
            [(org.pk, m, u, g, r, c, e[0], len(e[1]), e[2], e[3], e[4]) for (m, u, g, r, c), e in reasons.items()],
        )  # fmt: skip
        IncompleteGroup.objects.bulk_create(
            IncompleteGroup(organisation=org, month=m, unit_id=u, staff_group=g, people=n)
            for (m, u, g), n in sorted(incomplete.items(), key=lambda x: (x[0][0], x[0][1] or 0, x[0][2]))
        )
        triggers.store_counts(org, definition, months, counted, trigger_counts)
        record = AbsenceImport.objects.create(
            organisation=org,
            filename=filename[:255],
            rows=counts.rows,
            first_month=months[0],
            last_month=months[-1],
            unmapped_rows=counts.unmapped,
            min_group_size=k,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            "absence.import.accepted",
            actor=actor,
            organisation=org,
            obj=record,
            data={
                "rows": counts.rows,
                "months": [m.isoformat()[:7] for m in months],
                "trigger_months": [m.isoformat()[:7] for m in counted],
                "min_group_size": k,
            },
        )
    record.trigger_months = counted  # for the upload's message
    return record
