"""CSV, XLSX and PDF renderings of a report structure (``reports.build``): the same figures
as the page, nothing more. Text that a spreadsheet would run as a formula is neutralised."""

import csv
import io

from staffwell.core.spreadsheets import neutralise
from staffwell.suppression import Figure


def safe_text(value) -> str:
    """Prefix text a spreadsheet would treat as a formula with an apostrophe."""
    return neutralise("" if value is None else str(value))


def cell(figure: Figure):
    """A figure for a spreadsheet: the number, or the words saying why it is not shown."""
    if figure.suppressed or figure.value is None:
        return f"Not shown: {figure.reason}" if figure.reason else "Not shown"
    return figure.value


def rows(report: dict) -> list[list]:
    """The report as rows: one table after another, each with a heading row."""
    out: list[list] = [[safe_text(report["campaign"].name)], [f"Minimum group: {report['threshold']} people"]]
    if report["is_hse"]:
        table = report.get("benchmark")
        if table:
            out.append([safe_text(f"Benchmark: {table} - {table.source}")])
        out.append(["Group", "Respondents", "Scale", "Score", "Benchmark band", "Difference from organisation",
                    "Difference from previous survey"])  # fmt: skip
        for row in report["heatmap"]:
            for c in row["cells"]:
                out.append(
                    [
                        safe_text(row["label"]),
                        cell(row["respondents"]),
                        safe_text(c["scale"]),
                        cell(c["score"]),
                        c["band"].label if c["band"] else "",
                        cell(c["vs_org"]),
                        cell(c["vs_previous"]),
                    ]
                )
    else:
        out.append(["Group", "Respondents", "Question", "Mean score (1-5)", "Percent favourable"])
        for row in report["pulse"]:
            for q, c in zip(report["questions"], row["cells"], strict=True):
                out.append(
                    [
                        safe_text(row["label"]),
                        cell(row["respondents"]),
                        safe_text(f"{q['number']}. {q['text']}"),
                        cell(c["mean"]),
                        cell(c["favourable"]),
                    ]
                )
    out.append([])
    out.append([safe_text(f"Answers to each statement: {report['focus_label']}"), cell(report["focus_respondents"])])
    out.append(["Statement", "Answer", "Percent"])
    for d in report["distribution"]:
        for a in d["answers"]:
            out.append([safe_text(f"{d['number']}. {d['text']}"), safe_text(a["label"]), cell(a["percent"])])
    if report.get("attribution"):
        out.append([])
        out.append([safe_text(report["attribution"])])
    return out


def to_csv(report: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows(report):
        writer.writerow([safe_text(v) if isinstance(v, str) else v for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(report: dict) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    for row in rows(report):
        sheet.append([safe_text(v) if isinstance(v, str) else v for v in row])
    for column, width in zip("ABCDEFG", (40, 14, 50, 12, 40, 16, 16), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_pdf(html: str) -> bytes:
    """The PDF is self-contained (styles inline, system fonts): nothing is fetched."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
