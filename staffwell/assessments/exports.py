"""The board report (PDF) and the data (CSV, XLSX) for one cycle.

Spreadsheet cells that begin with a formula character are prefixed with an apostrophe so a
spreadsheet program shows them as text instead of running them.
"""

import csv
import io
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from staffwell.assessments import kinds, results, services
from staffwell.assessments.models import Cycle
from staffwell.core.spreadsheets import neutralise
from staffwell.partnership import services as partnership

REPORT_CSS = Path(__file__).resolve().parent / "static" / "assessments" / "report.css"


def _level(levels: dict, value) -> str:
    return f"{value}. {levels[value]}" if value in levels else ""


def signatories(cycle: Cycle) -> list[str]:
    out = []
    signed = partnership.history(obj=cycle, kind=kinds.SIGNOFF).filter(ended="")
    for s in sorted(signed, key=lambda a: (int(a.version), a.agreed_at)):
        label = f"amendment {s.version}" if s.version != kinds.FIRST_SIGNOFF else "sign-off"
        name, role = s.terms.get("name", s.agreed_by_name), s.terms.get("role", "")
        out.append(f"{s.get_side_display()}: {name}, {role} ({label}, {timezone.localtime(s.agreed_at):%d %B %Y})")
    return out


def sheets(cycle: Cycle) -> dict[str, list[list]]:
    """The report data as named tables (one CSV section or XLSX sheet each)."""
    res = results.build(cycle)
    levels = res.levels
    about = [
        ["Organisation", cycle.organisation.name],
        ["Assessment", cycle.title],
        ["Framework", str(cycle.framework)],
        ["Status", cycle.get_status_display()],
        ["Signed off", f"{timezone.localtime(cycle.signed_off_at):%d %B %Y}" if cycle.signed_off_at else "Not yet"],
        ["Exported", f"{timezone.localtime():%d %B %Y %H:%M}"],
        *[["Signatory", s] for s in signatories(cycle)],
    ]
    profile = [["Element", "Sub-element", "Agreed score", "Previous score", "Change", "Disagreements"]]
    for e in res.elements:
        profile.append([f"{e.code}. {e.title}", "", e.score, e.previous, e.change, e.disagreements])
        for s in e.sub_elements:
            profile.append(["", f"{s.code} {s.title}", s.score, s.previous, s.change, s.disagreements])
    statements = [["Statement", "Wording", "Employer side", "Staff side", "Agreed", "Rationale"]]
    for s in res.statements:
        statements.append(
            [
                s.statement.code,
                s.statement.text,
                _level(levels, s.employer) if res.show_sides else "Hidden until both sides submit",
                _level(levels, s.staff) if res.show_sides else "Hidden until both sides submit",
                _level(levels, s.agreed),
                s.rationale,
            ]
        )
    disagreements = [["Statement", "Wording", "Employer side", "Staff side", "Agreed"]]
    for s in res.disagreements:
        disagreements.append(
            [
                s.statement.code,
                s.statement.text,
                _level(levels, s.employer),
                _level(levels, s.staff),
                _level(levels, s.agreed),
            ]
        )
    plan = [
        [
            "Action",
            "Linked to",
            "Employer-side owner",
            "Staff-side owner",
            "Due",
            "Status",
            "Overdue",
            "Measure",
            "Latest progress",
        ]
    ]
    for a in cycle.actions.select_related("element", "statement", "employer_owner", "staff_owner").prefetch_related(
        "updates"
    ):
        latest = a.updates.all()[:1]
        plan.append(
            [
                a.title,
                a.linked_to,
                a.employer_owner.full_name if a.employer_owner else "",
                a.staff_owner.full_name if a.staff_owner else "",
                a.due_date.isoformat(),
                a.get_status_display(),
                "Yes" if a.is_overdue else "No",
                a.measure,
                f"{latest[0].created_at:%d %B %Y}: {latest[0].text}" if latest else "",
            ]
        )
    plan_state = "Agreed by both sides" if services.plan_is_agreed(cycle) else "Not yet agreed by both sides"
    about.append(["Action plan", plan_state])
    return {
        "About": about,
        "Profile": profile,
        "Statements": statements,
        "Disagreements": disagreements,
        "Action plan": plan,
    }


def to_csv(cycle: Cycle) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for name, rows in sheets(cycle).items():
        writer.writerow([f"# {name}"])
        for row in rows:
            writer.writerow(["" if v is None else neutralise(v) for v in row])
        writer.writerow([])
    return buffer.getvalue()


def to_xlsx(cycle: Cycle) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets(cycle).items():
        ws = wb.create_sheet(title=name[:31])
        for row in rows:
            ws.append([neutralise(v) for v in row])
        if name != "About":
            for cell in ws[1]:
                cell.font = Font(bold=True)
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(max(width, 10), 60)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _local_only(url: str, timeout=10, ssl_context=None):
    """WeasyPrint fetches nothing from the network: only our own report stylesheet."""
    from weasyprint.urls import default_url_fetcher

    if url.startswith("file://") and Path(url[7:]).resolve() == REPORT_CSS.resolve():
        return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)
    raise ValueError(f"The board report does not load {url}")


def to_pdf(cycle: Cycle) -> bytes:
    from weasyprint import CSS, HTML

    res = results.build(cycle)
    hist = results.history(cycle)
    codes = [e.code for e in res.elements]
    html = render_to_string(
        "assessments/report_pdf.jinja",
        {
            "cycle": cycle,
            "res": res,
            "signatories": signatories(cycle),
            "actions": cycle.actions.select_related(
                "employer_owner", "staff_owner", "element", "statement"
            ).prefetch_related("updates"),
            "plan_agreed": services.plan_is_agreed(cycle),
            "profile_chart": results.profile_svg(
                [(e.code, e.score) for e in res.elements], res.max_level, "Agreed score by element", "pdf-profile"
            ),
            "change_chart": results.change_svg(
                [(c.title, [scores.get(code, (None, None))[1] for code in codes]) for c, scores in hist],
                codes,
                res.max_level,
                "Agreed score by element, cycle by cycle",
                "pdf-change",
            )
            if len(hist) > 1
            else None,
            "history": hist,
            "codes": codes,
            "now": timezone.localtime(),
        },
    )
    return HTML(string=html, base_url=str(REPORT_CSS.parent), url_fetcher=_local_only).write_pdf(
        stylesheets=[CSS(filename=str(REPORT_CSS), url_fetcher=_local_only)]
    )
