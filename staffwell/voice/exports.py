"""The "you said, we did" summary for the board report as a PDF: the same figures as the
summary page (every one through the suppression service), as a data table, and what was
raised, answered and done by area and month. Self-contained: styles inline, system fonts,
nothing fetched; tagged, so a screen reader reads its headings and tables."""

from django.template.loader import render_to_string
from django.utils import timezone

from staffwell import suppression
from staffwell.voice import metrics, triage


def summary_context(org) -> dict:
    return {
        "figures": metrics.figures(org),
        "overdue": suppression.count(len(triage.overdue(org)), org=org),
        "areas": metrics.by_area_and_month(org),
        "threshold": suppression.min_group_size(org),
    }


def _fetch_nothing(url, *args, **kwargs):
    raise ValueError(f"The board summary loads nothing ({url})")


def summary_html(org) -> str:
    return render_to_string(
        "voice/summary_pdf.jinja", {"org": org, "now": timezone.localtime(), **summary_context(org)}
    )


def summary_pdf(org) -> bytes:
    from weasyprint import HTML

    return HTML(string=summary_html(org), url_fetcher=_fetch_nothing).write_pdf(pdf_tags=True)
