from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from staffwell.assessments import services
from staffwell.assessments.forms import ActionForm, ProgressForm
from staffwell.assessments.models import Action, Side
from staffwell.assessments.views.common import get_cycle, require_participant
from staffwell.core.permissions import PARTNERSHIP
from staffwell.organisations.access import org_view


@org_view(PARTNERSHIP)
def actions(request, cycle_id: int):
    cycle = get_cycle(request, cycle_id)
    agreed = cycle.plan_agreement()
    is_agreed = agreed.complete
    items = cycle.actions.select_related("element", "statement", "employer_owner", "staff_owner").prefetch_related(
        "updates"
    )
    context = {
        "cycle": cycle,
        "actions": items,
        "agreed": agreed,
        "is_agreed": is_agreed,
        "participant": request.participant,
        "Side": Side,
        "can_plan": cycle.both_submitted and request.participant is not None,
    }
    return render(request, "assessments/actions.jinja", context)


@org_view(PARTNERSHIP)
@require_POST
def plan_agree(request, cycle_id: int):
    cycle = get_cycle(request, cycle_id)
    participant = require_participant(request)
    try:
        services.agree_plan(cycle=cycle, side=Side(participant.side), actor=request.user)
    except services.NotReady as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Both sides have agreed the action plan."
            if services.plan_is_agreed(cycle)
            else "Your side has agreed the action plan. It needs the other side's agreement too.",
        )
    return redirect("assessments:actions", org=request.org.slug, cycle_id=cycle.pk)


@org_view(PARTNERSHIP)
def action_new(request, cycle_id: int):
    cycle = get_cycle(request, cycle_id)
    require_participant(request)
    if not cycle.both_submitted:
        messages.info(request, "Actions can be planned once both sides have submitted their ratings.")
        return redirect("assessments:actions", org=request.org.slug, cycle_id=cycle.pk)
    if request.method == "POST":
        form = ActionForm(request.POST, cycle=cycle)
        if form.is_valid():
            action = services.save_action(
                action=Action(cycle=cycle), data=form.action_data(), expected_version=None, actor=request.user
            )
            messages.success(request, f"Action '{action.title}' added. The plan needs both sides to agree it again.")
            return redirect("assessments:actions", org=request.org.slug, cycle_id=cycle.pk)
    else:
        # A report can start an action: "Start an action" on a survey's weakest scale
        # arrives with a title, evidence with its link. Both stay editable.
        initial = {
            field: request.GET[field].strip() for field in ("title", "link") if request.GET.get(field, "").strip()
        }
        form = ActionForm(cycle=cycle, initial=initial)
    return render(request, "assessments/action_form.jinja", {"cycle": cycle, "form": form, "action": None})


@org_view(PARTNERSHIP)
def action_detail(request, cycle_id: int, action_id: int):
    cycle = get_cycle(request, cycle_id)
    action = get_object_or_404(
        cycle.actions.select_related("element", "statement", "employer_owner", "staff_owner"), pk=action_id
    )
    form = ActionForm(cycle=cycle, initial=ActionForm.initial_for(action))
    progress = ProgressForm(initial={"status": action.status})
    conflict = None
    status = 200
    if request.method == "POST":
        require_participant(request)
        if request.POST.get("form") == "progress":
            progress = ProgressForm(request.POST)
            if progress.is_valid():
                services.add_progress(
                    action=action,
                    text=progress.cleaned_data["text"].strip(),
                    status=progress.cleaned_data["status"],
                    actor=request.user,
                )
                messages.success(request, "Progress update added.")
                return redirect("assessments:action", org=request.org.slug, cycle_id=cycle.pk, action_id=action.pk)
            status = 400
        else:
            form = ActionForm(request.POST, cycle=cycle)
            if form.is_valid():
                try:
                    services.save_action(
                        action=action,
                        data=form.action_data(),
                        expected_version=form.cleaned_data.get("version"),
                        actor=request.user,
                    )
                except services.Conflict as exc:
                    conflict = exc.current
                    status = 409
                else:
                    messages.success(request, "Action changed. The plan needs both sides to agree it again.")
                    return redirect("assessments:actions", org=request.org.slug, cycle_id=cycle.pk)
            else:
                status = 400
    context = {
        "cycle": cycle,
        "action": action,
        "form": form,
        "progress": progress,
        "updates": action.updates.all(),
        "conflict": conflict,
        "participant": request.participant,
    }
    return render(request, "assessments/action.jinja", context, status=status)
