"""Platform admin pages: organisations and integrated care systems. No health data here."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from staffwell.core import audit
from staffwell.organisations.access import platform_view
from staffwell.organisations.forms import OrganisationForm
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
