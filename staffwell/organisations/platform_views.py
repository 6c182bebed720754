"""Platform admin pages: organisations and integrated care systems. No health data here."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render

from staffwell.core import audit
from staffwell.organisations import staff_side
from staffwell.organisations.access import platform_view
from staffwell.organisations.forms import AppointRepForm, OrganisationForm
from staffwell.organisations.models import Organisation


@platform_view
def organisations(request):
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        if form.is_valid():
            org = form.save()
            audit.record("platform.organisation.created", actor=request.user, organisation=org, obj=org)
            messages.success(request, f"{org.name} added.")
            return redirect("platform:organisations")
    else:
        form = OrganisationForm()
    orgs = Organisation.objects.select_related("ics").annotate(
        people=Count("memberships", filter=Q(memberships__is_active=True))
    )
    return render(request, "platform/organisations.jinja", {"organisations": orgs, "form": form})


@platform_view
def first_rep(request, slug: str):
    """The one staff-side appointment the platform admin makes: the first rep of an
    organisation that has none. After that the staff side appoints its own."""
    org = get_object_or_404(Organisation, slug=slug)
    reps = staff_side.reps(org)
    form = AppointRepForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["who"]
        try:
            staff_side.appoint(org, member, actor=request.user, platform=True)
        except staff_side.NotAllowed as exc:
            form.add_error("who", str(exc))
        else:
            messages.success(request, f"{member.full_name} is now the first staff-side rep at {org.name}.")
            return redirect("platform:first_rep", slug=org.slug)
    context = {"org": org, "reps": reps, "form": form}
    return render(request, "platform/first_rep.jinja", context, status=400 if form.errors else 200)
