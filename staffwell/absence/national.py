"""NHS England's published sickness absence CSVs, loaded as comparison data.

Accepts the organisation, benchmarking, reason and staff-group files, in the current shape
(``DATE`` as dd/mm/yyyy month end, ``FTE_DAYS_LOST``...) and the pre-2019 shape (``Date``
like 2014-NOV, ``FTE Days Sick``...). Each load records where the file came from and when
it was published. These are published statistics, but every rate shown is still taken
through the suppression service, whose 330-FTE-day rule is the one the files themselves use.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Sum

from staffwell import suppression
from staffwell.absence.esr_format import header_key as _key
from staffwell.absence.esr_format import parse_month
from staffwell.absence.models import NationalFigure, NationalRelease
from staffwell.organisations.imports import ImportRejected, decode
from staffwell.suppression import MIN_DAYS_AVAILABLE, Figure

COLUMNS = {
    "date": ("date", "month", "period"),
    "org_code": ("orgcode", "organisationcode"),
    "org_name": ("orgname", "organisationname"),
    "org_type": ("orgtype", "organisationtype"),
    "region": ("nhseregionname", "regionname", "region"),
    "benchmark": ("benchmarkgroup", "clustergroup"),
    "staff_group": ("staffgroup",),
    "reason": ("reason", "absencereason"),
    "lost": ("ftedayslost", "ftedayssick", "wtedayslost"),
    "available": ("ftedaysavailable", "wtedaysavailable"),
    "rate": ("sicknessabsenceratepercent", "sarate", "sicknessabsencerate"),
}
MAX_BYTES = 100 * 1024 * 1024


def _number(text: str):
    t = text.strip().replace(",", "")
    if t in {"", "*", "-", ".."}:
        return None
    try:
        value = float(t)
    except ValueError:
        return False
    return value if value >= 0 else False


def _columns(text: str):
    """A reader over the file and where each known column is in it."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [_key(h) for h in next(reader)]
    except StopIteration:
        raise ImportRejected(["The file is empty."]) from None
    index = {}
    for name, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in header:
                index[name] = header.index(alias)
                break
    # The benchmarking file names both CLUSTER_GROUP and BENCHMARK_GROUP: prefer the latter.
    if "benchmarkgroup" in header:
        index["benchmark"] = header.index("benchmarkgroup")
    missing = [n for n in ("date", "lost", "available") if n not in index]
    if missing:
        raise ImportRejected(
            ["This is not an NHS England sickness absence file: it has no DATE, FTE_DAYS_LOST and FTE_DAYS_AVAILABLE."]
        )
    return reader, header, index


def load(content: bytes, *, filename: str, source: str, published_on=None) -> NationalRelease:
    text = decode(content, max_bytes=MAX_BYTES)
    reader, header, index = _columns(text)
    if "reason" in index:
        kind = NationalRelease.Kind.REASON
    elif "benchmark" in index:
        kind = NationalRelease.Kind.BENCHMARKING
    elif "org_code" in index:
        kind = NationalRelease.Kind.ORGANISATION
    else:
        kind = NationalRelease.Kind.STAFF_GROUP
    errors, figures = [], []
    for record in reader:
        if not any(c.strip() for c in record):
            continue
        line = reader.line_num
        if len(record) < len(header):
            errors.append(f"Row {line}: has {len(record)} values but the first row names {len(header)} columns.")
            continue
        month = parse_month(record[index["date"]])
        lost, available = _number(record[index["lost"]]), _number(record[index["available"]])
        if month is None:
            errors.append(f"Row {line}: date '{record[index['date']][:20]}' is not a month.")
        if lost is False or available is False:
            errors.append(f"Row {line}: FTE days must be numbers (or blank where the file withholds them).")
        if len(errors) > 200:
            break
        if errors:
            continue

        def text(name, limit, record=record):
            return record[index[name]].strip()[:limit] if name in index else ""

        figures.append(
            NationalFigure(
                month=month,
                org_code=text("org_code", 10),
                org_name=text("org_name", 200),
                org_type=text("org_type", 100),
                region=text("region", 100),
                benchmark_group=text("benchmark", 100),
                staff_group=text("staff_group", 100),
                reason=text("reason", 200),
                fte_days_lost=lost,
                fte_days_available=available,
            )
        )
    if not errors and not figures:
        errors.append("The file names the columns but has no rows.")
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        release = NationalRelease.objects.create(
            kind=kind, source=source[:500], published_on=published_on, filename=filename[:255], rows=len(figures)
        )
        for f in figures:
            f.release = release
        NationalFigure.objects.bulk_create(figures, batch_size=5000)
    return release


def _rate(lost, available) -> Figure:
    return suppression.rate(lost or 0.0, available or 0.0, gate=Figure(True, False), min_denominator=MIN_DAYS_AVAILABLE)


def comparison(*, org_code: str = "", months: int = 12) -> dict | None:
    """The national comparison table: each organisation's rate over the latest ``months``
    months of the newest organisation or benchmarking release, with England, the peers of
    the same organisation type, and where ``org_code`` stands."""
    release = (
        NationalRelease.objects.filter(kind__in=[NationalRelease.Kind.ORGANISATION, NationalRelease.Kind.BENCHMARKING])
        .order_by("-loaded_at", "-pk")
        .first()
    )
    if release is None:
        return None
    figures = NationalFigure.objects.filter(release=release)
    if release.kind == NationalRelease.Kind.BENCHMARKING:
        figures = figures.filter(staff_group__in=["", "All staff groups", "All Staff Groups", "All staff"])
    recent = list(figures.values_list("month", flat=True).distinct().order_by("-month")[:months])
    if not recent:
        return None
    rows = list(
        figures.filter(month__in=recent)
        .values("org_code", "org_name", "org_type", "benchmark_group")
        .annotate(lost=Sum("fte_days_lost"), available=Sum("fte_days_available"))
        .order_by("org_code")
    )
    lost = sum(r["lost"] or 0 for r in rows)
    available = sum(r["available"] or 0 for r in rows)
    own = next((r for r in rows if r["org_code"].casefold() == org_code.casefold()), None) if org_code else None
    # Peers share the organisation type (organisation file) or the benchmark group
    # (benchmarking file, which has no ORG_TYPE column).
    peers = [r for r in rows if own and _peer_key(r) == _peer_key(own)]
    for r in rows:
        r["rate"] = _rate(r["lost"], r["available"])
        r["own"] = r is own
    shown = sorted((r for r in rows if not r["rate"].suppressed), key=lambda r: r["rate"].value)
    return {
        "release": release,
        "first": min(recent),
        "last": max(recent),
        "england": _rate(lost, available),
        "peers": _rate(sum(r["lost"] or 0 for r in peers), sum(r["available"] or 0 for r in peers)) if peers else None,
        "peer_type": _peer_key(own) if own else "",
        "own": own,
        "position": (shown.index(own) + 1) if own in shown else None,
        "rows": rows,
        "count": len(shown),
    }


def _peer_key(row) -> str:
    return row["org_type"] or row["benchmark_group"]


@dataclass
class Check:
    """A published file's rate column set beside the rate staffwell computes from the same
    file's two counts (``suppression.rate``: sums, 2 dp half to even, blank at 330 FTE days
    available or fewer)."""

    rows: int = 0
    compared: int = 0
    matched: int = 0
    blank: int = 0
    ties: int = 0  # rates exactly halfway between two 2-dp values, where rounding modes differ
    smallest_shown: float | None = None  # the fewest FTE days available with a rate shown
    mismatches: list = field(default_factory=list)

    def add(self, other: "Check") -> None:
        self.rows += other.rows
        self.compared += other.compared
        self.matched += other.matched
        self.blank += other.blank
        self.ties += other.ties
        sizes = [s for s in (self.smallest_shown, other.smallest_shown) if s is not None]
        self.smallest_shown = min(sizes) if sizes else None
        self.mismatches += other.mismatches


def check(content: bytes) -> Check:
    """Compare a published file's own rates with ours, row by row."""
    reader, _header, index = _columns(decode(content, max_bytes=MAX_BYTES))
    if "rate" not in index:
        raise ImportRejected(["This file has no published rate column to compare with."])
    result = Check()
    for record in reader:
        if not any(c.strip() for c in record):
            continue
        result.rows += 1
        lost, available = _number(record[index["lost"]]), _number(record[index["available"]])
        published = _number(record[index["rate"]])
        if published is None:
            result.blank += 1
        if lost is False or available is False or published is False:
            result.mismatches.append((reader.line_num, "not a number", record[index["rate"]]))
            continue
        ours = _rate(lost, available) if available is not None else Figure(None, True)
        shown = None if ours.suppressed else ours.value
        if published is not None:
            result.compared += 1
            if available is not None:
                result.smallest_shown = min(available, result.smallest_shown or available)
            if available and abs(round(10000 * lost / available, 6) % 1 - 0.5) < 1e-6:
                result.ties += 1
        if shown != published:
            result.mismatches.append((reader.line_num, published, shown))
        elif published is not None:
            result.matched += 1
    return result
