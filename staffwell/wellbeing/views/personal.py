"""The person's own pages: my wellbeing, check-ins, the support page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from staffwell.records.access import owned_or_404
from staffwell.records.models import Grant
from staffwell.surveys import contributions
from staffwell.wellbeing import content, services
from staffwell.wellbeing.charts import mood_chart
from staffwell.wellbeing.forms import CheckInForm
from staffwell.wellbeing.models import CheckIn, Conversation, Plan


def _posted(request):
    return request.POST if request.method == "POST" else None


@never_cache
def home(request):
    checkins = list(CheckIn.objects.owned_by(request.user)[:60])
    points = services.trend(checkins)
    return render(
        request,
        "wellbeing/home.jinja",
        {
            "latest": checkins[0] if checkins else None,
            "plan": Plan.objects.filter(owner=request.user).first(),
            "conversations": Conversation.objects.owned_by(request.user).select_related("with_user")[:3],
            "chart": mood_chart(points),
            "points": points,
            "shared_with_me": Grant.objects.live()
            .granted_to(request.user)
            .filter(kind__in=["plan", "checkin", "conversation"])
            .count(),
        },
    )


@never_cache
def checkin_new(request):
    can_contribute = contributions.can_contribute(request.user)
    form = CheckInForm(_posted(request), can_contribute=can_contribute)
    if request.method == "POST" and form.is_valid():
        # The mood goes to the sealed weekly pool only if chosen, and the choice is not
        # recorded on the check-in; the pools are written the same way either way
        # (staffwell/surveys/contributions.py, ``checked_in``).
        contributed = can_contribute and bool(form.cleaned_data.get("contribute"))
        checkin = services.record_checkin(
            owner=request.user,
            mood=form.cleaned_data["mood"],
            factors=form.factors(),
            help_now=form.cleaned_data["help_now"],
            note=form.cleaned_data["note"],
            contribute=contributed,
        )
        if not checkin.suggests_crisis:
            text = "Check-in saved. Only you can see it."
            if contributed:
                text += " Your mood was also added, without your name, to your team's anonymous pulse."
            messages.success(request, text)
        return redirect("wellbeing:checkin", checkin_id=checkin.pk)
    return render(
        request,
        "wellbeing/checkin_form.jinja",
        {"form": form, "moods": content.MOODS, "min_group": contributions.min_group_for(request.user)},
        status=400 if form.errors else 200,
    )


@never_cache
def checkins(request):
    items = list(CheckIn.objects.owned_by(request.user)[:200])
    points = services.trend(items, days=90)
    return render(
        request,
        "wellbeing/checkins.jinja",
        {"checkins": items, "chart": mood_chart(points), "points": points},
    )


@never_cache
def checkin_detail(request, checkin_id: int):
    checkin = owned_or_404(CheckIn.objects.all(), user=request.user, pk=checkin_id)
    return render(
        request,
        "wellbeing/checkin.jinja",
        {
            "checkin": checkin,
            "crisis": checkin.suggests_crisis,
            "urgent": services.urgent_contacts() if checkin.suggests_crisis else [],
            "org_contacts": services.support_contacts_for(request.user) if checkin.suggests_crisis else [],
            "resources": services.suggested_resources(checkin.suggested_topics(), limit=3),
            "grants": Grant.objects.live().for_object(checkin).select_related("grantee"),
        },
    )


@never_cache
def checkin_delete(request, checkin_id: int):
    checkin = owned_or_404(CheckIn.objects.all(), user=request.user, pk=checkin_id)
    if request.method == "POST":
        services.delete_checkin(owner=request.user, checkin=checkin)
        messages.success(request, "Check-in deleted.")
        return redirect("wellbeing:checkins")
    return render(request, "wellbeing/delete.jinja", {"what": "this check-in", "back": checkin.pk, "kind": "checkin"})


@never_cache
def get_help(request):
    return render(
        request,
        "wellbeing/get_help.jinja",
        {"urgent": services.urgent_contacts(), "org_contacts": services.support_contacts_for(request.user)},
    )
