from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.text import slugify

from staffwell.assessments import exports, results
from staffwell.assessments.models import Cycle, SharingSetting
from staffwell.assessments.views.common import get_cycle
from staffwell.core import audit
from staffwell.core.permissions import PARTNERSHIP, Perm
from staffwell.organisations.access import org_view
from staffwell.organisations.models import Organisation


@org_view(PARTNERSHIP)
def results_view(request, cycle_id: int):
    cycle = get_cycle(request, cycle_id)
    wanted = request.GET.get("format", "")
    if wanted not in ("", "html", "json"):
        return HttpResponseBadRequest(
            f"Unknown format {wanted!r}: use ?format=json for the data, or leave format out for the page.",
            content_type="text/plain; charset=utf-8",
        )
    res = results.build(cycle)
    hist = results.history(cycle)
    if wanted == "json":
        if res.show_sides:
            audit.record(
                "assessment.report.downloaded",
                actor=request.user,
                organisation=request.org,
                obj=cycle,
                data={"format": "json"},
            )
        response = JsonResponse(results.as_json(res, hist), json_dumps_params={"indent": 2})
        response["Cache-Control"] = "private, no-store"
        return response
    codes = [e.code for e in res.elements]
    context = {
        "cycle": cycle,
        "res": res,
        "history": hist,
        "codes": codes,
        "profile_chart": results.profile_svg(
            [(e.code, e.score) for e in res.elements], res.max_level, "Agreed score by element", "profile"
        ),
        "change_chart": results.change_svg(
            [(c.title, [scores.get(code, (None, None))[1] for code in codes]) for c, scores in hist],
            codes,
            res.max_level,
            "Agreed score by element, cycle by cycle",
            "change",
        )
        if len(hist) > 1
        else None,
    }
    return render(request, "assessments/results.jinja", context)


def _download(request, cycle: Cycle, content, content_type: str, ext: str) -> HttpResponse:
    audit.record(
        "assessment.report.downloaded", actor=request.user, organisation=request.org, obj=cycle, data={"format": ext}
    )
    response = HttpResponse(content, content_type=content_type)
    name = slugify(f"{cycle.title}-{cycle.pk}") or f"assessment-{cycle.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    response["Cache-Control"] = "private, no-store"
    return response


@org_view(PARTNERSHIP)
def report_pdf(request, cycle_id: int):
    cycle = get_cycle(request, cycle_id)
    return _download(request, cycle, exports.to_pdf(cycle), "application/pdf", "pdf")


@org_view(PARTNERSHIP)
def report_csv(request, cycle_id: int):
    cycle = get_cycle(request, cycle_id)
    return _download(request, cycle, exports.to_csv(cycle), "text/csv; charset=utf-8", "csv")


@org_view(PARTNERSHIP)
def report_xlsx(request, cycle_id: int):
    cycle = get_cycle(request, cycle_id)
    return _download(
        request,
        cycle,
        exports.to_xlsx(cycle),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )


@org_view(Perm.LEAD_PARTNERSHIP_WORK)
def system(request):
    """An integrated care board's employer-side lead sees the element profiles members chose to share."""
    org = request.org
    if org.kind != Organisation.Kind.INTEGRATED_CARE_BOARD or org.ics_id is None:
        raise PermissionDenied("The system view is for the integrated care board of an integrated care system.")
    shared_ids = SharingSetting.objects.filter(share_with_ics=True, organisation__ics=org.ics).values("organisation_id")
    members = Organisation.objects.filter(ics=org.ics, pk__in=shared_ids).order_by("name")
    columns = []
    for member in members:
        latest = (
            Cycle.objects.for_org(member)
            .filter(status__in=[Cycle.Status.SIGNED_OFF, Cycle.Status.AMENDING], signed_off_at__isnull=False)
            .select_related("framework")
            .order_by("-signed_off_at")
            .first()
        )
        if latest:
            columns.append((member, latest, results.element_scores(latest)))
    not_sharing = Organisation.objects.filter(ics=org.ics).exclude(pk__in=shared_ids).exclude(pk=org.pk).count()
    codes: dict[str, str] = {}
    for _, _, scores in columns:
        for code, (title, _) in scores.items():
            codes.setdefault(code, title)
    ordered = sorted(codes, key=results._order_key)
    max_level = max((c.framework.max_level for _, c, _ in columns), default=4)
    chart = (
        results.change_svg(
            [(m.name, [scores.get(code, (None, None))[1] for code in ordered]) for m, _, scores in columns],
            ordered,
            max_level,
            "Agreed score by element for each organisation that shares",
            "system",
        )
        if columns
        else None
    )
    audit.record(
        "assessment.system_view.viewed", actor=request.user, organisation=org, data={"organisations": len(columns)}
    )
    context = {"columns": columns, "codes": ordered, "titles": codes, "chart": chart, "not_sharing": not_sharing}
    return render(request, "assessments/system.jinja", context)
