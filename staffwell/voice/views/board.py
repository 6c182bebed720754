"""'You said, we did' for every member of staff, and the summary for the board report."""

from django.shortcuts import render

from staffwell import suppression
from staffwell.voice import metrics, triage
from staffwell.voice.views.common import TRIAGERS, is_triager, voice_view


@voice_view()
def board(request):
    context = {"areas": metrics.by_area_and_month(request.org), "triager": is_triager(request)}
    return render(request, "voice/board.jinja", context)


@voice_view(TRIAGERS)
def summary(request):
    context = {
        "figures": metrics.figures(request.org),
        "overdue": suppression.count(len(triage.overdue(request.org)), org=request.org),
        "areas": metrics.by_area_and_month(request.org),
    }
    return render(request, "voice/summary.jinja", context)
