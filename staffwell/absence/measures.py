"""Absence measures: a series for an organisation, unit or staff group and a reason group,
its Making Data Count analysis and chart. Used by the absence pages and the action page."""

from urllib.parse import urlencode

from django.urls import reverse

from staffwell.absence import charts, spc
from staffwell.absence.rates import Absence, month_label
from staffwell.absence.reasons import group_label

DIRECTION = spc.Direction.DECREASE  # less sickness absence is better


def spc_settings() -> spc.Settings:
    """Local Making Data Count choices (settings ``ABSENCE_SPC_*``), NHS England's defaults
    otherwise."""
    from django.conf import settings

    return spc.Settings(
        run_length=getattr(settings, "ABSENCE_SPC_RUN_LENGTH", 7),
        trend_length=getattr(settings, "ABSENCE_SPC_TREND_LENGTH", 7),
        screen_moving_ranges=getattr(settings, "ABSENCE_SPC_SCREEN_MOVING_RANGES", False),
        conflict=getattr(settings, "ABSENCE_SPC_CONFLICT", "concern"),
    )


def chart_for(data: Absence, key: str, group: str = "all", *, title: str | None = None, marker_month=None):
    """The SPC chart for one series, or None when no month can be shown. Suppressed months
    are left out of the analysis and listed, never guessed."""
    series = data.series(key, group)
    shown = [(m, f) for m, f in series if not f.suppressed]
    gaps = [charts.short_month(m) for m, f in series if f.suppressed]
    if not shown:
        return None
    months = [m for m, _ in shown]
    changes = rebase_points(months, data.changes_for(key, group))
    analysis = spc.analyse(
        [f.value for _, f in shown],
        [charts.short_month(m) for m in months],
        direction=DIRECTION,
        unit="%",
        settings=spc_settings(),
        rebase_at=[i for i, _ in changes],
    )
    what = "Sickness absence rate" if group == "all" else f"Absence rate for {group_label(group)}"
    chart = charts.build(
        analysis,
        title=title or f"{what}, {data.label(key)}, by month",
        months=months,
        marker_month=marker_month,
        gaps=gaps,
        changes=changes if analysis.mode == "xmr" else (),
    )
    if "|sg:" in key:
        staff_group = key.split("|sg:", 1)[1]
        coverage = {charts.short_month(m): data.coverage([m], staff_group) for m in months}
        if any(coverage.values()):
            chart.coverage = coverage
    query = urlencode({"series": key, "reason_group": group})
    chart.changes_url = reverse("absence:changes", kwargs={"org": data.org.slug}) + "?" + query
    return chart


def rebase_points(months, changes) -> list:
    """(index of the first month shown on or after the change, the change), for changes
    that fall after the first month shown; two changes reaching the same month keep the
    first marked."""
    out: dict[int, object] = {}
    for change in sorted(changes, key=lambda c: (c.month, c.pk)):
        index = next((i for i, m in enumerate(months) if m >= change.month), None)
        if index is not None and index > 0 and index not in out:
            out[index] = change
    return sorted(out.items(), key=lambda item: item[0])


__all__ = ["chart_for", "month_label"]
