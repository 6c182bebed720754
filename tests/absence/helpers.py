"""ESR-shaped absence extracts for tests."""

import csv
import io

HEADER = [
    "Tm Year Month",
    "Unique Nhs Identifier",
    "Asg Number",
    "ODS code",
    "Unit Path",
    "Occupation Code",
    "Staff Group",
    "Absence Category",
    "Attendance Reason",
    "Related Reason",
    "Wte Days Available",
    "Wte Days Lost This Month",
]
REASON = {"S10": "S10 Anxiety/stress/depression/other psychiatric illnesses", "S11": "S11 Back problems",
          "S12": "S12 Other musculoskeletal problems", "S13": "S13 Cold, cough, flu - influenza"}  # fmt: skip


def row(
    month,
    person,
    unit,
    *,
    group="Nursing and Midwifery Registered",
    reason="",
    lost=0,
    available=31,
    ods="",
    related="",
):
    return [month, person, f"{person}-1", ods, unit, "N0A", group, "Sickness" if reason else "",
            REASON.get(reason, reason), related, str(available), str(lost)]  # fmt: skip


def to_csv(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def month_rows(month, unit, people, *, prefix="P", absent=(), group="Nursing and Midwifery Registered", available=31):
    """``people`` staff in ``unit`` for ``month``; ``absent`` is a list of (reason, days lost)
    for the first few of them."""
    rows = []
    for i in range(people):
        reason, lost = absent[i] if i < len(absent) else ("", 0)
        rows.append(row(month, f"{prefix}{i:05d}", unit, group=group, reason=reason, lost=lost, available=available))
    return rows
