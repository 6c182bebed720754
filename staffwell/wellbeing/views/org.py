"""The organisation's side: suppressed counts only, and its own support contacts."""

from django.contrib import messages
from django.shortcuts import redirect, render

from staffwell.core import audit
from staffwell.core.permissions import Perm
from staffwell.organisations.access import org_view
from staffwell.wellbeing import manager_home, services
from staffwell.wellbeing.forms import SupportContactsForm
from staffwell.wellbeing.models import SupportContacts

EDIT_CONTACTS = (Perm.LEAD_PARTNERSHIP_WORK, Perm.MANAGE_STRUCTURE)


@org_view(Perm.VIEW_ORG_AGGREGATES)
def figures(request):
    return render(
        request,
        "wellbeing/org_figures.jinja",
        {"figures": services.conversation_figures(request.org)},
    )


@org_view(EDIT_CONTACTS)
def support_contacts(request):
    contacts, _ = SupportContacts.objects.get_or_create(organisation=request.org)
    if request.method == "POST":
        form = SupportContactsForm(request.POST, instance=contacts)
        if form.is_valid():
            saved = form.save(commit=False)
            saved.updated_by = request.user
            saved.save()
            audit.record(
                "wellbeing.support_contacts.changed",
                actor=request.user,
                organisation=request.org,
                obj=saved,
                data={"fields": sorted(form.changed_data)},
            )
            messages.success(request, "Support contacts saved. Staff see them with the urgent support panel.")
            return redirect("wellbeing:support_contacts", org=request.org.slug)
    else:
        form = SupportContactsForm(instance=contacts)
    return render(
        request,
        "wellbeing/support_contacts.jinja",
        {"form": form, "contacts": contacts},
        status=400 if form.errors else 200,
    )


@org_view(Perm.MANAGE_TEAM)
def my_teams(request):
    """A line manager's home: their teams' latest figures, what their staff shared with them
    and what waits for their decision."""
    shared = manager_home.shared_with_me(request.user)
    context = {
        "teams": manager_home.team_members(request.membership, shared),
        "results": manager_home.team_results(request.membership),
        "shared": shared,
        "waiting": manager_home.waiting_for_decision(request.user),
    }
    return render(request, "wellbeing/my_teams.jinja", context)
