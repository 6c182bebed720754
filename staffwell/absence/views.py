"""The absence pages: organisation, unit, staff group, reason, stress and MSK.

Employer side and staff side see exactly the same figures (one permission, one
publication). No page computes anything about an individual: there is no Bradford factor
or trigger score anywhere in staffwell (docs/absence.md says why)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from staffwell.absence.measures import chart_for
from staffwell.absence.models import AbsenceImport
from staffwell.absence.rates import COMBINED, Absence, month_label, staff_group_label
from staffwell.absence.reasons import GROUPS, GUIDANCE, group_label
from staffwell.core.permissions import Perm
from staffwell.organisations.access import org_view
from staffwell.organisations.models import StaffGroup, Unit
from staffwell.suppression import publication

VIEW = Perm.VIEW_ORG_AGGREGATES


def _period(data: Absence) -> str:
    months = data.last_year()
    if not months:
        return ""
    return f"{month_label(months[0])} to {month_label(months[-1])}"


def _common(request, data: Absence, **extra) -> dict:
    latest = AbsenceImport.objects.filter(organisation=request.org).first()
    return {"data": data, "period": _period(data), "latest_import": latest, "guidance": GUIDANCE, **extra}


@org_view(VIEW)
def overview(request):
    data = Absence(request.org)
    months = data.last_year()
    context = _common(
        request,
        data,
        chart=chart_for(data, "org"),
        rate=data.rate(months, "org") if months else None,
        spells=data.spells(months, "org") if months else None,
        units=data.unit_rows(None),
        staff_groups=data.staff_group_rows(),
        groups=[
            ("stress", data.share(months, "org", "stress") if months else None),
            ("msk", data.share(months, "org", "msk") if months else None),
        ],
        reasons=data.reason_rows("org") if months else [],
        group_label=group_label,
    )
    return render(request, "absence/overview.jinja", context)


@org_view(VIEW)
def unit(request, unit_id: int):
    unit = get_object_or_404(Unit.objects.for_org(request.org), pk=unit_id)
    data = Absence(request.org)
    key = publication.unit_key(unit.pk)
    months = data.last_year()
    context = _common(
        request,
        data,
        unit=unit,
        ancestors=list(
            Unit.objects.for_org(request.org).filter(pk__in=data.tree.chain(unit.parent_id)).order_by("depth")
        ),
        chart=chart_for(data, key),
        rate=data.rate(months, key) if months else None,
        spells=data.spells(months, key) if months else None,
        units=data.unit_rows(unit.pk),
        groups=[(g, data.rate(months, key, g) if months else None) for g in ("stress", "msk")],
        group_label=group_label,
    )
    return render(request, "absence/unit.jinja", context)


@org_view(VIEW)
def staff_group(request, group: str):
    if group not in StaffGroup.values and group != COMBINED:
        raise Http404
    data = Absence(request.org)
    key = publication.filter_key(None, group)
    months = data.last_year()
    context = _common(
        request,
        data,
        label=staff_group_label(group),
        coverage=data.coverage(months, group),
        chart=chart_for(data, key),
        rate=data.rate(months, key) if months else None,
        groups=[(g, data.rate(months, key, g) if months else None) for g in ("stress", "msk")],
        group_label=group_label,
    )
    return render(request, "absence/staff_group.jinja", context)


def _reason_context(request, group: str) -> dict:
    if group not in GROUPS or group == "all":
        raise Http404
    data = Absence(request.org)
    months = data.last_year()
    return _common(
        request,
        data,
        group=group,
        label=group_label(group),
        chart=chart_for(data, "org", group),
        share=data.share(months, "org", group) if months else None,
        rate=data.rate(months, "org", group) if months else None,
        units=data.unit_rows(None, group),
        staff_groups=data.staff_group_rows(group),
    )


@org_view(VIEW)
def reason(request, group: str):
    return render(request, "absence/reason.jinja", _reason_context(request, group))


@org_view(VIEW)
def stress(request):
    from staffwell.absence.stress import survey_scales

    context = _reason_context(request, "stress")
    context["survey"] = survey_scales(request.org, [row["unit"] for row in context["units"]])
    context["guide"] = GUIDANCE["stress"]
    return render(request, "absence/stress.jinja", context)


@org_view(VIEW)
def msk(request):
    context = _reason_context(request, "msk")
    context["guide"] = GUIDANCE["msk"]
    context["parts"] = [
        (code, context["data"].share(context["data"].last_year(), "org", code) if context["data"].months else None)
        for code in ("s11", "s12")
    ]
    context["group_label"] = group_label
    return render(request, "absence/msk.jinja", context)
