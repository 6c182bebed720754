"""Known changes on absence charts (baselines and rebasing) and the agreed trigger definition.

Both sides see every change marked and every count; the employer-side lead marks and removes
changes (audited in the partnership namespace, which staff-side reps read). A trigger
definition is proposed by either side and agreed by both through ``staffwell.partnership``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from staffwell.absence import triggers
from staffwell.absence.forms import SeriesChangeForm, TriggerForm
from staffwell.absence.models import SeriesChange, TriggerDefinition
from staffwell.absence.rates import Absence, staff_group_label
from staffwell.absence.reasons import group_label
from staffwell.core import audit
from staffwell.core.permissions import Perm
from staffwell.organisations.access import org_view
from staffwell.partnership import services as partnership
from staffwell.partnership import side_of

VIEW = Perm.VIEW_ORG_AGGREGATES
LEAD = Perm.LEAD_PARTNERSHIP_WORK
PARTNERSHIP = (Perm.LEAD_PARTNERSHIP_WORK, Perm.TAKE_PART_AS_STAFF_SIDE)


def _series(data: Absence) -> list[tuple[str, str]]:
    """Every series a chart is drawn for: the organisation, each unit, each staff group."""
    choices = [("org", f"{data.org.name} (the whole organisation)")]
    units = sorted(data.units.values(), key=lambda u: (u.depth, u.name.casefold()))
    choices += [(f"unit:{u.pk}", str(u.name)) for u in units]
    choices += [(f"org|sg:{g}", f"Staff group: {staff_group_label(g)}") for g in data.staff_groups]
    return choices


@org_view(VIEW)
def changes(request):
    """The list of known changes both sides see, and (for the lead) the form to mark one."""
    data = Absence(request.org)
    can_mark = request.membership.has_perm(LEAD)
    series = _series(data)
    initial = {k: request.GET[k] for k in ("series", "reason_group") if k in request.GET}
    form = SeriesChangeForm(
        request.POST if request.method == "POST" else None, series=series, months=data.months, initial=initial
    )
    if request.method == "POST":
        if not can_mark:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            key = d["series"]
            unit = data.units.get(int(key[5:])) if key.startswith("unit:") else None
            staff_group = key.split("|sg:", 1)[1] if "|sg:" in key else ""
            exists = SeriesChange.objects.filter(
                organisation=request.org,
                unit=unit,
                staff_group=staff_group,
                reason_group=d["reason_group"],
                month=d["month"],
            ).exists()
            if exists:
                form.add_error("month", "This chart already has a change marked from that month")
            else:
                change = SeriesChange.objects.create(
                    organisation=request.org,
                    unit=unit,
                    staff_group=staff_group,
                    reason_group=d["reason_group"],
                    month=d["month"],
                    reason=d["reason"],
                    marked_by=request.user,
                    marked_by_name=request.user.full_name,
                )
                audit.record(
                    "partnership.absence_baseline.marked",
                    actor=request.user,
                    organisation=request.org,
                    obj=change,
                    data={
                        "series": data.label(key),
                        "reason_group": d["reason_group"],
                        "month": d["month"].isoformat()[:7],
                        "reason": d["reason"],
                    },
                )
                messages.success(
                    request,
                    f"Marked. The chart for {data.label(key)} starts a new mean and limits from {d['month']:%B %Y}.",
                )
                return redirect("absence:changes", org=request.org.slug)
    rows = [
        {
            "change": c,
            "series": data.label(c.key) if _known(data, c) else "A removed series",
            "group": group_label(c.reason_group),
        }
        for c in sorted(data.changes, key=lambda c: (c.month, c.pk), reverse=True)
    ]
    return render(
        request,
        "absence/changes.jinja",
        {"form": form, "rows": rows, "can_mark": can_mark, "data": data},
        status=400 if form.errors else 200,
    )


def _known(data: Absence, change: SeriesChange) -> bool:
    return change.unit_id is None or change.unit_id in data.units


@org_view(LEAD)
@require_POST
def change_remove(request, change_id: int):
    change = get_object_or_404(SeriesChange, organisation=request.org, pk=change_id)
    data = Absence(request.org)
    audit.record(
        "partnership.absence_baseline.removed",
        actor=request.user,
        organisation=request.org,
        obj=change,
        data={
            "series": data.label(change.key) if _known(data, change) else "",
            "reason_group": change.reason_group,
            "month": change.month.isoformat()[:7],
            "reason": change.reason,
        },
    )
    change.delete()
    messages.success(request, "The change is removed: the chart works out one mean and limits across it again.")
    return redirect("absence:changes", org=request.org.slug)


# Triggers ----------------------------------------------------------------------------------


@org_view(VIEW)
def trigger_page(request):
    data = Absence(request.org)
    agreed = triggers.current(request.org)
    proposal = triggers.pending(request.org)
    figures = triggers.Figures(data, agreed) if agreed else None
    latest = figures.months[-1] if figures and figures.months else None
    my_side = side_of(request.membership)
    form = TriggerForm(request.POST or None) if my_side else None
    return render(
        request,
        "absence/triggers.jinja",
        {
            "data": data,
            "agreed": agreed,
            "agreed_state": triggers.state(agreed) if agreed else None,
            "proposal": proposal,
            "proposal_state": triggers.state(proposal) if proposal else None,
            "figures": figures,
            "latest": latest,
            "by_unit": figures.by_unit(latest) if latest else [],
            "my_side": my_side,
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@org_view(PARTNERSHIP)
@require_POST
def trigger_propose(request):
    form = TriggerForm(request.POST)
    if not form.is_valid():
        return trigger_page(request, org=request.org.slug)
    d = form.cleaned_data
    definition = triggers.propose(
        membership=request.membership, spells=d["spells"], window_months=d["window_months"], days=d["days"]
    )
    messages.success(request, f"Proposed: {definition.describe()}. The other side needs to agree it too.")
    return redirect("absence:triggers", org=request.org.slug)


@org_view(PARTNERSHIP)
@require_POST
def trigger_agree(request, definition_id: int):
    definition = get_object_or_404(TriggerDefinition, organisation=request.org, pk=definition_id)
    try:
        state = triggers.agree(definition=definition, membership=request.membership)
    except partnership.PartnershipError as exc:
        messages.error(request, str(exc))
    else:
        if state.complete:
            messages.success(request, "Both sides have agreed. Extracts imported from now on are counted against it.")
        else:
            messages.success(request, "Your side has agreed. It is counted once the other side agrees too.")
    return redirect("absence:triggers", org=request.org.slug)
