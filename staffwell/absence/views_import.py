"""Uploading an ESR extract, the national comparison, and naming an action's measure."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from staffwell.absence import esr
from staffwell.absence import national as national_data
from staffwell.absence.forms import MeasureForm, UploadForm
from staffwell.absence.models import AbsenceImport, ActionMeasure
from staffwell.core import audit
from staffwell.core.permissions import PARTNERSHIP, Perm
from staffwell.organisations.access import org_view
from staffwell.organisations.models import Unit


@org_view(Perm.IMPORT_STAFF)
def upload(request):
    """Organisation admins (who already import the staff list from ESR) upload extracts.
    The file is read in this request and dropped: only counts are kept."""
    form = UploadForm()
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > esr.MAX_BYTES:
                    raise esr.ImportRejected([f"The file is larger than {esr.MAX_BYTES // (1024 * 1024)} MB."])
                record = esr.import_extract(request.org, upload.read(), filename=upload.name, actor=request.user)
            except esr.ImportRejected as exc:
                errors = exc.errors
                audit.record(
                    "absence.import.refused", actor=request.user, organisation=request.org, data={"errors": len(errors)}
                )
                status = 400
            else:
                messages.success(
                    request,
                    f"Imported {record.rows:,} rows for {record.first_month:%B %Y} to {record.last_month:%B %Y}. "
                    "The rows themselves were not kept. "
                    f"Before anything was stored, groups of fewer than {record.min_group_size} people were combined: "
                    f"in a unit, staff groups of fewer than {record.min_group_size} into one group, 'Other staff "
                    f"groups (combined)'; and a unit of fewer than {record.min_group_size} into the unit above. No "
                    f"stored figure is about fewer than {record.min_group_size} people, and totals are unchanged.",
                )
                return redirect("absence:upload", org=request.org.slug)
        else:
            status = 400
    history = AbsenceImport.objects.filter(organisation=request.org)[:24]
    context = {
        "form": form,
        "errors": errors[: esr.MAX_ERRORS_SHOWN],
        "more_errors": max(0, len(errors) - esr.MAX_ERRORS_SHOWN),
        "history": history,
    }
    return render(request, "absence/upload.jinja", context, status=status)


@org_view(Perm.VIEW_ORG_AGGREGATES)
def national(request):
    table = national_data.comparison(org_code=request.org.ods_code)
    return render(request, "absence/national.jinja", {"table": table})


@org_view(PARTNERSHIP)
def measure(request, action_id: int):
    from staffwell.assessments.models import Action

    action = get_object_or_404(Action.objects.filter(cycle__organisation=request.org), pk=action_id)
    units = list(Unit.objects.for_org(request.org))
    current = ActionMeasure.objects.filter(action=action).first()
    initial = (
        {"unit": current.unit_id or 0, "reason_group": current.reason_group, "starts_on": current.starts_on}
        if current
        else {"reason_group": "all"}
    )
    form = MeasureForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        unit = next((u for u in units if u.pk == form.cleaned_data["unit"]), None)
        with transaction.atomic():
            ActionMeasure.objects.update_or_create(
                action=action,
                defaults={
                    "unit": unit,
                    "reason_group": form.cleaned_data["reason_group"],
                    "starts_on": form.cleaned_data["starts_on"],
                },
            )
            audit.record(
                "actionplan.measure.set",
                actor=request.user,
                organisation=request.org,
                obj=action,
                data={"unit": unit.name if unit else "whole organisation", "reason": form.cleaned_data["reason_group"]},
            )
        messages.success(request, "The action's measure is set. Its chart is on the action page.")
        return redirect("assessments:action", org=request.org.slug, cycle_id=action.cycle_id, action_id=action.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "absence/measure.jinja", {"action": action, "form": form}, status=status)
