"""'You said, we did' for every member of staff, and the summary for the board report (a page
and a PDF)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from staffwell.voice import exports, metrics
from staffwell.voice.views.common import TRIAGERS, is_triager, voice_view


@voice_view()
def board(request):
    context = {"areas": metrics.by_area_and_month(request.org), "triager": is_triager(request)}
    return render(request, "voice/board.jinja", context)


@voice_view(TRIAGERS)
def summary(request):
    return render(request, "voice/summary.jinja", exports.summary_context(request.org))


@voice_view(TRIAGERS)
def summary_pdf(request):
    response = HttpResponse(exports.summary_pdf(request.org), content_type="application/pdf")
    name = f"staff-voice-board-summary-{request.org.slug}-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
