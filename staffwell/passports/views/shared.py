"""Pages for the people a passport is shared with (line managers, staff-side reps), under
shared/passports/. Every page starts from ``shared_or_404``: no live grant, no page."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from staffwell.passports import services
from staffwell.passports.forms import DecisionForm
from staffwell.passports.models import ManagerChange, Passport, Status
from staffwell.records.access import shared_or_404
from staffwell.records.models import Grant

ACCESS_TO_WORK_URL = "https://www.gov.uk/access-to-work"
ADJUSTMENTS_URL = "https://www.gov.uk/reasonable-adjustments-for-disabled-workers"


def _shared(request, passport_id: int, *, log: bool = True):
    return shared_or_404(
        services.KIND_KEY,
        viewer=request.user,
        pk=passport_id,
        queryset=Passport.objects.select_related("owner", "organisation", "confirming_manager"),
        log=log,
    )


@never_cache
def shared_list(request):
    grants = list(Grant.objects.live().granted_to(request.user).filter(kind=services.KIND_KEY).select_related("owner"))
    ids = {g.record_id for g in grants}
    passports = {p.pk: p for p in Passport.objects.filter(pk__in=ids).prefetch_related("adjustments")}
    rows = {}
    for g in grants:
        p = passports.get(g.record_id)
        if p is None:
            continue
        row = rows.setdefault(p.pk, {"passport": p, "grants": [], "awaiting": 0, "overdue": 0})
        row["grants"].append(g)
    for row in rows.values():
        p = row["passport"]
        if any(g.section in ("", "adjustments") for g in row["grants"]):
            waiting = [a for a in p.adjustments.all() if a.status == Status.REQUESTED]
            row["awaiting"] = len(waiting)
            row["overdue"] = sum(1 for a in waiting if a.decision_overdue)
    to_confirm = ManagerChange.objects.filter(
        new_manager=request.user, state=ManagerChange.State.SHARED, passport_id__in=ids
    ).values_list("passport_id", flat=True)
    for pid in to_confirm:
        if pid in rows:
            rows[pid]["to_confirm"] = True
    return render(request, "passports/shared_list.jinja", {"rows": list(rows.values())})


def _context(request, shared):
    passport = shared.obj
    manager = shared.can_see("adjustments") and services.is_current_manager(passport, request.user)
    return {
        "shared": shared,
        "passport": passport,
        "adjustments": passport.adjustments.prefetch_related("steps") if shared.can_see("adjustments") else [],
        "is_manager": manager,
        "confirm_problem": services.can_confirm(passport),
        "change": passport.manager_changes.filter(new_manager=request.user, state=ManagerChange.State.SHARED).first(),
        "access_to_work_url": ACCESS_TO_WORK_URL,
        "adjustments_url": ADJUSTMENTS_URL,
        "Status": Status,
    }


@never_cache
def shared_detail(request, passport_id: int):
    if request.method == "POST":
        shared = _shared(request, passport_id, log=False)
        passport = shared.obj
        action = request.POST.get("action")
        try:
            if not shared.can_see("adjustments"):
                raise services.NotAllowed("The adjustments are not shared with you.")
            if action == "confirm":
                services.confirm(passport=passport, actor=request.user)
                messages.success(request, "You have confirmed the agreed adjustments.")
            elif action == "review":
                services.record_review(passport=passport, actor=request.user)
                messages.success(request, "Review recorded.")
            else:
                messages.error(request, "Choose what you want to do.")
        except services.NotAllowed as exc:
            messages.error(request, str(exc))
        return redirect("passports:shared_detail", passport_id=passport.pk)
    shared = _shared(request, passport_id)
    return render(request, "passports/shared_detail.jinja", _context(request, shared))


@never_cache
def decide(request, passport_id: int, adjustment_id: int):
    shared = _shared(request, passport_id, log=request.method != "POST")
    if not shared.can_see("adjustments"):
        _not_found()
    adjustment = get_object_or_404(shared.obj.adjustments.filter(status=Status.REQUESTED), pk=adjustment_id)
    form = DecisionForm(request.POST or None)
    context = {**_context(request, shared), "adjustment": adjustment, "form": form}
    if not context["is_manager"]:
        messages.error(request, "Only the person's current line manager can decide on an adjustment.")
        return redirect("passports:shared_detail", passport_id=shared.obj.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.move(
                adjustment=adjustment,
                to=form.cleaned_data["decision"],
                actor=request.user,
                agreed_text=form.cleaned_data["agreed_text"],
                reason=form.cleaned_data["reason"],
            )
        except services.NotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Decision recorded: {adjustment.get_status_display().lower()}.")
            return redirect("passports:shared_detail", passport_id=shared.obj.pk)
    return render(request, "passports/decide.jinja", context, status=400 if form.errors else 200)


def _not_found():
    from django.http import Http404

    raise Http404


@require_POST
def shared_step(request, passport_id: int, adjustment_id: int):
    shared = _shared(request, passport_id, log=False)
    if not shared.can_see("adjustments"):
        _not_found()
    adjustment = get_object_or_404(shared.obj.adjustments.all(), pk=adjustment_id)
    try:
        services.move(adjustment=adjustment, to=request.POST.get("to", ""), actor=request.user)
        messages.success(request, f"Marked as {adjustment.get_status_display().lower()}.")
    except (services.NotAllowed, ValueError) as exc:
        messages.error(request, str(exc) if isinstance(exc, services.NotAllowed) else "Choose a valid step.")
    return redirect("passports:shared_detail", passport_id=shared.obj.pk)
