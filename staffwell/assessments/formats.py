"""The framework file format (docs/framework-format.md): parse and check, no database.

A framework file is a UTF-8 CSV with the header ``type,code,text,description``. Rows are
read top to bottom: a ``sub_element`` belongs to the ``element`` above it and a
``statement`` to the ``sub_element`` above it. Every problem is reported with the line it is
on, and a file with any problem loads nothing.
"""

import csv
import io
import re
from dataclasses import dataclass, field

HEADER = ["type", "code", "text", "description"]
TYPES = ("framework", "level", "element", "sub_element", "statement")
MAX_BYTES = 1024 * 1024
MAX_TEXT = 500
MAX_DESCRIPTION = 2000
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,59}$")


@dataclass
class ParsedLevel:
    value: int
    label: str
    description: str = ""


@dataclass
class ParsedStatement:
    code: str
    text: str
    description: str = ""


@dataclass
class ParsedSubElement:
    code: str
    title: str
    description: str = ""
    line: int = 0
    statements: list[ParsedStatement] = field(default_factory=list)


@dataclass
class ParsedElement:
    code: str
    title: str
    description: str = ""
    line: int = 0
    sub_elements: list[ParsedSubElement] = field(default_factory=list)


@dataclass
class ParsedFramework:
    slug: str = ""
    name: str = ""
    description: str = ""
    levels: list[ParsedLevel] = field(default_factory=list)
    elements: list[ParsedElement] = field(default_factory=list)

    @property
    def statement_count(self) -> int:
        return sum(len(s.statements) for e in self.elements for s in e.sub_elements)


class FrameworkFileError(Exception):
    """The file could not be loaded. ``errors`` lists (line, message); line 0 is the whole file."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("; ".join(f"line {line}: {msg}" if line else msg for line, msg in errors))

    @property
    def messages(self) -> list[str]:
        return [f"Line {line}: {msg}" if line else msg for line, msg in self.errors]


def parse(content: bytes) -> ParsedFramework:
    """Parse a framework file, or raise FrameworkFileError listing every problem found."""
    if len(content) > MAX_BYTES:
        raise FrameworkFileError([(0, f"The file is larger than {MAX_BYTES // 1024} KB.")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise FrameworkFileError([(line, "This line is not UTF-8 text. Save the file as 'CSV UTF-8'.")]) from None
    if not text.strip():
        raise FrameworkFileError([(0, "The file is empty.")])
    errors: list[tuple[int, str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    fw = ParsedFramework()
    codes: dict[str, int] = {}
    level_values: dict[int, int] = {}
    element: ParsedElement | None = None
    sub: ParsedSubElement | None = None
    framework_line = 0
    missing_reported = False
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise FrameworkFileError([(reader.line_num, f"The CSV is malformed ({exc}).")]) from None
    # csv.reader's line_num counts physical lines; track the line each record starts on.
    starts = _record_start_lines(text)
    header = [c.strip().lower() for c in rows[0]]
    if header != HEADER:
        raise FrameworkFileError([(1, f"The first line must be the header '{','.join(HEADER)}'.")])
    for index, row in enumerate(rows[1:], start=1):
        line = starts[index] if index < len(starts) else index + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER):
            errors.append((line, f"Expected {len(HEADER)} columns ({', '.join(HEADER)}), found {len(row)}."))
            continue
        kind, code, label, description = (cell.strip() for cell in row)
        kind = kind.lower()
        if kind not in TYPES:
            errors.append((line, f"Unknown type '{kind}'. Use one of: {', '.join(TYPES)}."))
            continue
        if not label:
            errors.append((line, f"The text column is empty: a {kind.replace('_', '-')} needs a name or wording."))
            continue
        if len(label) > MAX_TEXT:
            errors.append((line, f"The text is {len(label)} characters long; the most allowed is {MAX_TEXT}."))
            continue
        if len(description) > MAX_DESCRIPTION:
            errors.append((line, f"The description is too long (the most allowed is {MAX_DESCRIPTION} characters)."))
            continue
        if kind == "framework":
            if framework_line:
                errors.append((line, f"There is more than one framework row (the first is on line {framework_line})."))
            elif not SLUG_RE.match(code):
                errors.append(
                    (line, "The framework code must be 2-60 lower-case letters, digits or hyphens, like 'hswpg-2024'.")
                )
            else:
                framework_line = line
                fw.slug, fw.name, fw.description = code, label, description
            continue
        if not framework_line and not missing_reported:
            errors.append((line, "The framework row must come first, before any level, element or statement."))
            missing_reported = True
        if kind == "level":
            if not code.isdigit() or not 1 <= int(code) <= 10:
                errors.append((line, f"A level's code must be a whole number from 1 to 10, not '{code}'."))
            elif int(code) in level_values:
                errors.append((line, f"Level {code} is given twice (first on line {level_values[int(code)]})."))
            else:
                level_values[int(code)] = line
                fw.levels.append(ParsedLevel(int(code), label, description))
            continue
        if not CODE_RE.match(code):
            errors.append(
                (line, f"The code '{code}' is not valid: use up to 30 letters, digits, dots or hyphens, like '1.2.3'.")
            )
            continue
        if code in codes:
            errors.append((line, f"The code '{code}' is used twice (first on line {codes[code]})."))
            continue
        codes[code] = line
        if kind == "element":
            element = ParsedElement(code, label, description, line)
            sub = None
            fw.elements.append(element)
        elif kind == "sub_element":
            if element is None:
                errors.append((line, "A sub_element must come after the element it belongs to."))
                continue
            sub = ParsedSubElement(code, label, description, line)
            element.sub_elements.append(sub)
        else:
            if sub is None:
                errors.append((line, "A statement must come after the sub_element it belongs to."))
                continue
            sub.statements.append(ParsedStatement(code, label, description))
    if not framework_line and not missing_reported:
        errors.append((0, "The file has no framework row (type 'framework', with its code and name)."))
    if len(fw.levels) < 2 and not any("level" in m.lower() for _, m in errors):
        errors.append((0, "The file needs at least two rating levels (rows of type 'level')."))
    values = sorted(level.value for level in fw.levels)
    if len(values) >= 2 and values != list(range(1, len(values) + 1)):
        errors.append((0, f"Levels must be numbered 1, 2, 3 ... without gaps; the file has {values}."))
    if not fw.elements and not errors:
        errors.append((0, "The file has no elements."))
    for el in fw.elements:
        if not el.sub_elements:
            errors.append((el.line, f"Element '{el.code}' has no sub-elements under it."))
        for s in el.sub_elements:
            if not s.statements:
                errors.append((s.line, f"Sub-element '{s.code}' has no statements under it."))
    if errors:
        raise FrameworkFileError(sorted(errors, key=lambda e: e[0]))
    fw.levels.sort(key=lambda level: level.value)
    return fw


def _record_start_lines(text: str) -> list[int]:
    """The physical line each CSV record starts on (quoted fields may span lines)."""
    starts = []
    line = 1
    in_quotes = False
    at_start = True
    for ch in text:
        if at_start:
            starts.append(line)
            at_start = False
        if ch == '"':
            in_quotes = not in_quotes
        elif ch == "\n":
            line += 1
            if not in_quotes:
                at_start = True
    return starts


def example() -> str:
    """A small, valid example file (also in docs/framework-format.md)."""
    return (
        "type,code,text,description\r\n"
        "framework,hswpg-standards,Workplace health and safety standards (our version),"
        "Loaded to check ourselves against the partnership standards.\r\n"
        "level,1,Not met,\r\n"
        "level,2,Partly met,\r\n"
        "level,3,Met,\r\n"
        "level,4,Met and reviewed,\r\n"
        "element,A,Leadership and partnership,\r\n"
        "sub_element,A.1,Joint commitment,\r\n"
        "statement,A.1.1,The board and the staff side agree health and safety priorities every year.,\r\n"
        'statement,A.1.2,"Safety representatives get the time, training and facilities they need.",\r\n'
        "sub_element,A.2,Risk assessment,\r\n"
        "statement,A.2.1,Risk assessments are carried out with the staff who do the work.,\r\n"
    )
