"""Realistic synthetic ESR absence extracts, for the demo, tests and benchmarks.

Monthly rows per assignment with a winter peak, a reason mix close to the national one
(S10 about a quarter of days lost, S11 and S12 next), and optional changes to one reason
in some units over some months, to make a real special cause."""

import calendar
import csv
import datetime
import io
import math
import random
from collections.abc import Iterable, Iterator

HEADER = [
    "Tm Year Month", "Unique Nhs Identifier", "Asg Number", "ODS code", "Unit Path", "Occupation Code",
    "Staff Group", "Absence Category", "Attendance Reason", "Related Reason", "Wte Days Available",
    "Wte Days Lost This Month",
]  # fmt: skip
REASON_TEXT = {
    "S10": "S10 Anxiety/stress/depression/other psychiatric illnesses",
    "S11": "S11 Back problems",
    "S12": "S12 Other musculoskeletal problems",
    "S13": "S13 Cold, cough, flu - influenza",
    "S15": "S15 Chest and respiratory problems",
    "S25": "S25 Gastrointestinal problems",
    "S28": "S28 Injury, fracture",
    "S98": "S98 Other known causes - not elsewhere classified",
}
MIX = [("S10", 0.20), ("S11", 0.08), ("S12", 0.10), ("S13", 0.20), ("S15", 0.08), ("S25", 0.14), ("S28", 0.06),
       ("S98", 0.14)]  # fmt: skip
GROUPS = [
    ("Nursing and Midwifery Registered", 0.45), ("Additional Clinical Services", 0.2),
    ("Administrative and Clerical", 0.17), ("Medical and Dental", 0.1), ("Allied Health Professionals", 0.08),
]  # fmt: skip


def months_back(n: int, *, today: datetime.date | None = None) -> list[datetime.date]:
    """The ``n`` complete months before this one, oldest first."""
    today = today or datetime.date.today()
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(datetime.date(y, m, 1))
    return out[::-1]


def rows(units, months, **kwargs) -> dict[datetime.date, list[list[str]]]:
    """Extract rows by month, all in memory (small trusts: demo and tests)."""
    return dict(by_month(units, months, **kwargs))


def by_month(
    units: Iterable[tuple[str, int]],
    months: list[datetime.date],
    *,
    seed: int = 1,
    ods: str = "",
    changes: dict | None = None,
    spell_chance: float = 0.17,
    people: list[tuple[str, str, str, float]] | None = None,
    mix: list[tuple[str, float]] | None = None,
) -> Iterator[tuple[datetime.date, list[list[str]]]]:
    """One month's extract rows at a time. ``changes``: {unit path: [(first index, last index,
    reason, factor)]}. ``people``: (person id, unit path, ESR staff group, FTE) for a real
    staff list (the demo trust's own people); otherwise people are made up for ``units``
    ((unit path, size) pairs)."""
    rnd = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    codes, weights = zip(*(mix or MIX), strict=True)
    group_names, group_weights = zip(*GROUPS, strict=True)
    if people is None:
        people = []
        n = 0
        for path, size in units:
            for _ in range(size):
                n += 1
                group = rnd.choices(group_names, group_weights)[0]
                fte = rnd.choice((1.0, 1.0, 1.0, 0.8, 0.6))
                people.append((f"{seed:02d}{n:07d}", path, group, fte))
    changes = changes or {}
    for i, month in enumerate(months):
        days = calendar.monthrange(month.year, month.month)[1]
        winter = 1 + 0.22 * math.cos(2 * math.pi * (month.month - 1) / 12)
        label = month.strftime("%Y-%m")
        month_rows = []
        for pid, path, group, fte in people:
            available = round(days * fte, 2)
            factors = {r: f for a, b, r, f in changes.get(path, ()) if a <= i <= b}
            chance = spell_chance * winter
            if factors:
                chance *= 1 + sum(
                    (f - 1) * w for r, f in factors.items() for c, w in zip(codes, weights, strict=True) if c == r
                )
            if rnd.random() < chance:
                reason_weights = [w * factors.get(c, 1) for c, w in zip(codes, weights, strict=True)]
                reason = rnd.choices(codes, reason_weights)[0]
                lost = rnd.randint(1, 5) if rnd.random() < 0.72 else rnd.randint(10, days)
                lost = round(min(lost, days) * fte, 2)
                related = "Coronavirus (COVID-19) - positive test" if reason == "S13" and rnd.random() < 0.1 else ""
                month_rows.append([label, pid, f"{pid}-1", ods, path, "N0A", group, "Sickness",
                                   REASON_TEXT[reason], related, str(available), str(lost)])  # fmt: skip
            else:
                month_rows.append([label, pid, f"{pid}-1", ods, path, "N0A", group, "", "", "", str(available), "0"])
        yield month, month_rows


UNIT_PATH = HEADER.index("Unit Path")


def to_csv(month_rows: list[list[str]], *, unit_path: bool = True) -> bytes:
    """The rows as an extract. Without ``unit_path`` the file has no Unit Path column, as
    many ESR extracts do: the import then finds each person's unit in the staff list."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if unit_path:
        writer.writerow(HEADER)
        writer.writerows(month_rows)
    else:
        writer.writerow([h for i, h in enumerate(HEADER) if i != UNIT_PATH])
        writer.writerows([v for i, v in enumerate(r) if i != UNIT_PATH] for r in month_rows)
    return buffer.getvalue().encode()
