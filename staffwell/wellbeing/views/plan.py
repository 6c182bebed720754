from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from staffwell.records.models import Grant
from staffwell.wellbeing import content, services
from staffwell.wellbeing.forms import PlanForm
from staffwell.wellbeing.models import Plan


def _plan(user) -> Plan | None:
    return Plan.objects.filter(owner=user).first()


@never_cache
def plan(request):
    p = _plan(request.user)
    if p is None:
        return render(request, "wellbeing/plan_start.jinja", {"questions": content.PLAN_QUESTIONS})
    grants = list(Grant.objects.live().for_object(p).select_related("grantee"))
    shared_by_section: dict[str, list] = {}
    for g in grants:
        shared_by_section.setdefault(g.section, []).append(g)
    return render(
        request,
        "wellbeing/plan.jinja",
        {
            "plan": p,
            "crisis": p.suggests_crisis,
            "urgent": services.urgent_contacts() if p.suggests_crisis else [],
            "org_contacts": services.support_contacts_for(request.user) if p.suggests_crisis else [],
            "suggestions": services.suggestions_by_topic(p.topics),
            "topic_labels": content.PLAN_TOPIC_LABELS,
            "shared_by_section": shared_by_section,
        },
    )


@never_cache
def plan_edit(request):
    p = _plan(request.user)
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            saved = services.save_plan(
                owner=request.user, answers=form.answers(), review_on=form.cleaned_data["review_on"]
            )
            if not saved.suggests_crisis:
                messages.success(
                    request, f"Your wellbeing plan is saved (version {saved.version}). Only you can see it."
                )
            return redirect("wellbeing:plan")
    else:
        initial = {}
        if p:
            initial = {**p.answers, "review_on": p.review_on.strftime("%d/%m/%Y") if p.review_on else ""}
        form = PlanForm(initial=initial)
    return render(request, "wellbeing/plan_form.jinja", {"form": form, "plan": p}, status=400 if form.errors else 200)


@never_cache
def plan_versions(request):
    p = _plan(request.user)
    if p is None:
        raise Http404
    return render(request, "wellbeing/plan_versions.jinja", {"plan": p, "versions": p.versions.all()})


@never_cache
def plan_version(request, number: int):
    p = _plan(request.user)
    if p is None:
        raise Http404
    version = get_object_or_404(p.versions, number=number)
    sections = [(q.heading, (version.answers.get(q.key) or "").strip()) for q in content.PLAN_QUESTIONS]
    return render(request, "wellbeing/plan_version.jinja", {"plan": p, "version": version, "sections": sections})
