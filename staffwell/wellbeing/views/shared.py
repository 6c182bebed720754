"""Pages for someone a record was shared with: only what the owner shared, every read logged."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from staffwell.records import registry
from staffwell.records.access import shared_or_404
from staffwell.records.models import Grant
from staffwell.wellbeing import content


@never_cache
def shared_with_me(request):
    grants = (
        Grant.objects.live()
        .granted_to(request.user)
        .filter(kind__in=["plan", "checkin", "conversation"])
        .select_related("owner")
    )
    items: dict[tuple[str, int], dict] = {}
    for g in grants:
        key = (g.kind, g.record_id)
        if key not in items:
            obj = registry.kind(g.kind).model._default_manager.filter(pk=g.record_id).first()
            if obj is None:
                continue
            items[key] = {"owner": g.owner, "href": registry.kind(g.kind).shared_url(obj), "labels": []}
        items[key]["labels"].append(g.label)
    return render(request, "wellbeing/shared_with_me.jinja", {"items": list(items.values())})


@never_cache
def shared_plan(request, plan_id: int):
    shared = shared_or_404("plan", viewer=request.user, pk=plan_id)
    plan = shared.obj
    sections = [(key, heading, plan.answer(key)) for key, heading, _ in plan.sections() if shared.can_see(key)]
    return render(request, "wellbeing/shared_plan.jinja", {"shared": shared, "plan": plan, "sections": sections})


@never_cache
def shared_checkin(request, checkin_id: int):
    shared = shared_or_404("checkin", viewer=request.user, pk=checkin_id)
    return render(request, "wellbeing/shared_checkin.jinja", {"shared": shared, "checkin": shared.obj})


@never_cache
def shared_conversation(request, conversation_id: int):
    shared = shared_or_404("conversation", viewer=request.user, pk=conversation_id)
    c = shared.obj
    return render(
        request,
        "wellbeing/shared_conversation.jinja",
        {
            "shared": shared,
            "c": c,
            "section_labels": dict(content.CONVERSATION_SECTIONS),
            "mine": c.actions_for("mine"),
            "theirs": c.actions_for("theirs"),
        },
    )
