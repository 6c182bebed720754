"""Reading and checking a staff list file: every row is checked before anything changes.

If any row is wrong, ``parse`` raises ImportRejected with every problem, by row ("Row 14:
FTE '1,2' is not a number between 0 and 1"). Nothing here touches the database; applying
the checked rows is ``staffwell.organisations.imports``. The format is in docs/staff-import.md.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from staffwell.core.spreadsheets import looks_like_formula
from staffwell.organisations.models import StaffGroup

COLUMNS = ("person_id", "name", "email", "unit_path", "staff_group", "fte", "manager_of")
REQUIRED_COLUMNS = ("person_id", "name", "unit_path", "staff_group", "fte")
UNIT_SEPARATOR = ">"
LIST_SEPARATOR = ";"
MAX_DEPTH = 12
MAX_FIELD_CHARS = 1000
MAX_ERRORS_SHOWN = 200
# Never quoted back in an error: a refused file keeps no personal data.
PERSONAL_COLUMNS = frozenset({"name", "email"})
PERSON_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,29}$")

_STAFF_GROUPS = {label.casefold(): value for value, label in StaffGroup.choices}
_STAFF_GROUPS.update({value.casefold(): value for value, _ in StaffGroup.choices})


class ImportRejected(Exception):
    """The file cannot be imported. ``errors`` says why, row by row where it can."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


@dataclass
class StaffRow:
    line: int
    person_id: str
    name: str
    email: str
    unit_path: tuple[str, ...]
    staff_group: str
    fte: Decimal
    manager_of: list[tuple[str, ...]] = field(default_factory=list)


def describe_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def decode(content: bytes, *, max_bytes: int) -> str:
    if len(content) > max_bytes:
        raise ImportRejected(
            [
                f"The file is {describe_size(len(content))}. The largest staff list staffwell accepts is "
                f"{describe_size(max_bytes)}. Check you chose the right file."
            ]
        )
    if not content.strip():
        raise ImportRejected(["The file is empty."])
    if b"\x00" in content[:65536]:
        raise ImportRejected(
            ["The file is not a CSV text file. Save the staff list as 'CSV UTF-8 (comma delimited)' and upload that."]
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            [
                f"The file is not in UTF-8 text encoding (the first problem is on line {line}). "
                "In Excel, use 'Save as' and choose 'CSV UTF-8 (comma delimited)'."
            ]
        ) from None
    return text


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _split_path(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(UNIT_SEPARATOR))


def _check_path(row: int, column: str, path: tuple[str, ...], errors: list[str]) -> bool:
    if any(not part for part in path):
        errors.append(
            f"Row {row}: {column} '{' > '.join(path)}' has an empty level. "
            f"Separate levels with '{UNIT_SEPARATOR}', like 'Medicine > Cardiology > Ward 7'."
        )
        return False
    if len(path) > MAX_DEPTH:
        errors.append(f"Row {row}: {column} has {len(path)} levels; staffwell allows up to {MAX_DEPTH}.")
        return False
    if any(len(part) > 200 for part in path):
        errors.append(f"Row {row}: {column} has a unit name longer than 200 characters.")
        return False
    return True


def is_plain_email(email: str) -> bool:
    """Whether an address has no look-alike characters: unchanged by Unicode compatibility
    folding (NFKC turns full-width letters and the long s, U+017F, into plain ones) and by case folding beyond
    lower case. Look-alikes would make a second account whose failed sign-ins lock the real
    person out (found by an attack)."""
    folded = unicodedata.normalize("NFKC", email)
    return folded == email and folded.casefold() == folded.lower()


def normalise_email(email: str) -> str:
    """One spelling of an address: the local part in lower case (as staffwell has always
    matched it), the domain NFKC-folded and case-folded."""
    local, _, domain = email.strip().rpartition("@")
    domain = unicodedata.normalize("NFKC", domain).casefold()
    return f"{local.lower()}@{domain}" if local else email.strip().lower()


def parse(text: str, *, on_progress: Callable[[int, int], None] | None = None) -> list[StaffRow]:
    """Check every row. Returns the rows, or raises ImportRejected with every problem found."""
    lines = text.splitlines()
    total = max(0, len([line for line in lines if line.strip()]) - 1)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportRejected(["The file is empty or is not a CSV file."]) from None
    header = [_clean(h).lower().replace(" ", "_") for h in header]
    if len(set(header)) != len(header):
        repeated = sorted({h for h in header if header.count(h) > 1})
        raise ImportRejected([f"The first row names these columns more than once: {', '.join(repeated)}."])
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportRejected(
            [
                f"The file is missing these columns: {', '.join(missing)}. The first row must name the columns "
                f"{', '.join(COLUMNS)} (email and manager_of may be left empty)."
            ]
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}

    errors: list[str] = []
    rows: list[StaffRow] = []
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    row_number = 1
    try:
        for record in reader:
            row_number = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if on_progress and len(rows) % 500 == 0:
                on_progress(len(rows), total)
            if len(record) != len(header):
                errors.append(
                    f"Row {row_number}: has {len(record)} values but the first row names {len(header)} columns."
                )
                continue
            values = {name: _clean(record[i]) for name, i in index.items()}
            row_errors: list[str] = []
            for name, value in values.items():
                if len(value) > MAX_FIELD_CHARS:
                    row_errors.append(f"Row {row_number}: {name} is longer than {MAX_FIELD_CHARS} characters.")
                elif looks_like_formula(value) and not (name == "fte" and value.startswith("-")):
                    shown = "" if name in PERSONAL_COLUMNS else f" '{value[:40]}'"
                    row_errors.append(
                        f"Row {row_number}: {name}{shown} starts with '{value[0]}', which a spreadsheet "
                        "would treat as a formula. Remove that character."
                    )
            if row_errors:
                errors.extend(row_errors)
                continue

            person_id = values["person_id"]
            if not person_id:
                row_errors.append(f"Row {row_number}: person_id is empty.")
            elif not PERSON_ID.match(person_id):
                row_errors.append(
                    f"Row {row_number}: person_id '{person_id}' should be up to 30 letters, numbers, '-', '/', '.' or '_'."
                )
            elif person_id in seen_ids:
                row_errors.append(f"Row {row_number}: person_id '{person_id}' is also on row {seen_ids[person_id]}.")
            name = values["name"]
            if not name:
                row_errors.append(f"Row {row_number}: name is empty.")
            elif len(name) > 200:
                row_errors.append(f"Row {row_number}: name is longer than 200 characters.")
            email = values.get("email", "").strip()
            if email and not is_plain_email(email):
                row_errors.append(
                    f"Row {row_number}: the email address has look-alike characters (such as full-width letters "
                    "or a long s, \u017f). Type it again in plain letters."
                )
            elif email:
                email = normalise_email(email)
                try:
                    validate_email(email)
                except ValidationError:
                    row_errors.append(
                        f"Row {row_number}: the email address is not a valid email address (like name@nhs.net)."
                    )
                else:
                    if email in seen_emails:
                        row_errors.append(f"Row {row_number}: the email address is also on row {seen_emails[email]}.")
            unit_path: tuple[str, ...] = ()
            if not values["unit_path"]:
                row_errors.append(f"Row {row_number}: unit_path is empty.")
            else:
                unit_path = _split_path(values["unit_path"])
                _check_path(row_number, "unit_path", unit_path, row_errors)
            staff_group = _STAFF_GROUPS.get(values["staff_group"].casefold())
            if staff_group is None:
                row_errors.append(
                    f"Row {row_number}: staff_group '{values['staff_group']}' is not an ESR staff group. "
                    f"Use one of: {', '.join(label for _, label in StaffGroup.choices)}."
                )
            fte = None
            try:
                fte = Decimal(values["fte"])
                if not fte.is_finite() or not (Decimal(0) <= fte <= Decimal(1)) or fte.as_tuple().exponent < -3:
                    fte = None
            except InvalidOperation:
                fte = None
            if fte is None:
                row_errors.append(
                    f"Row {row_number}: FTE '{values['fte']}' is not a number between 0 and 1 "
                    "(use a point for decimals, like 0.6)."
                )
            manager_of: list[tuple[str, ...]] = []
            for item in values.get("manager_of", "").split(LIST_SEPARATOR):
                if item.strip():
                    path = _split_path(item)
                    if _check_path(row_number, "manager_of", path, row_errors):
                        manager_of.append(path)
            if row_errors:
                errors.extend(row_errors)
                continue
            seen_ids[person_id] = row_number
            if email:
                seen_emails[email] = row_number
            rows.append(
                StaffRow(
                    line=row_number,
                    person_id=person_id,
                    name=name,
                    email=email,
                    unit_path=unit_path,
                    staff_group=staff_group,
                    fte=fte,
                    manager_of=manager_of,
                )
            )
    except csv.Error as exc:
        errors.append(f"Row {reader.line_num}: the file could not be read as CSV ({exc}).")
    if on_progress:
        on_progress(len(rows), total)
    if not errors and not rows:
        errors.append("The file names the columns but has no rows of staff.")
    if errors:
        raise ImportRejected(errors)
    return rows
