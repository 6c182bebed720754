"""The organisation's side: peer supporters (the admin), the programme settings (agreed by
both sides) and suppressed figures (employer and staff side see the same)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from staffwell.core import audit
from staffwell.core.permissions import PARTNERSHIP, Perm
from staffwell.organisations.access import org_view
from staffwell.partnership import services as partnership
from staffwell.partnership import side_of
from staffwell.support import figures as support_figures
from staffwell.support import services
from staffwell.support.forms import PeerSupporterForm, ProgrammeForm
from staffwell.support.models import PeerSupporter


@org_view(Perm.MANAGE_PEOPLE)
def supporters(request):
    form = PeerSupporterForm(
        request.POST if request.method == "POST" else None, org=request.org, appointer=request.membership
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        supporter, _ = PeerSupporter.objects.update_or_create(
            membership=d["membership"],
            defaults={"trained_on": d["trained_on"], "refresher_due": d["refresher_due"], "is_active": True},
        )
        audit.record(
            "support.peer_supporter.granted",
            actor=request.user,
            organisation=request.org,
            obj=supporter,
            data={"person": d["membership"].full_name},
        )
        messages.success(request, f"{d['membership'].full_name} is now a peer supporter.")
        return redirect("support:supporters", org=request.org.slug)
    people = PeerSupporter.objects.filter(membership__organisation=request.org, is_active=True).select_related(
        "membership__unit"
    )
    return render(
        request, "support/supporters.jinja", {"form": form, "supporters": people}, status=400 if form.errors else 200
    )


@org_view(Perm.MANAGE_PEOPLE)
@require_POST
def supporter_remove(request, supporter_id: int):
    supporter = get_object_or_404(PeerSupporter, pk=supporter_id, membership__organisation=request.org)
    PeerSupporter.objects.filter(pk=supporter.pk).update(is_active=False)
    audit.record(
        "support.peer_supporter.removed",
        actor=request.user,
        organisation=request.org,
        obj=supporter,
        data={"person": supporter.membership.full_name},
    )
    messages.success(request, f"{supporter.membership.full_name} is no longer a peer supporter.")
    return redirect("support:supporters", org=request.org.slug)


def _state(programme):
    return partnership.state(obj=programme, kind=services.AGREEMENT_KIND, version=programme.version)


@org_view(PARTNERSHIP)
def programme(request):
    programme = services.programme_for(request.org)
    can_edit = request.membership.has_perm(Perm.LEAD_PARTNERSHIP_WORK)
    before = programme.terms()  # is_valid() changes the instance
    form = ProgrammeForm(request.POST if request.method == "POST" else None, instance=programme)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            saved = form.save(commit=False)
            if saved.terms() != before:
                saved.version += 1  # a change needs both sides to agree again
            saved.save()
            audit.record(
                "partnership.support_programme.changed",
                actor=request.user,
                organisation=request.org,
                obj=saved,
                data={"version": saved.version},
            )
            messages.success(request, "Settings saved. Both sides need to agree this version.")
            return redirect("support:programme", org=request.org.slug)
    return render(
        request,
        "support/programme.jinja",
        {
            "form": form,
            "programme": programme,
            "can_edit": can_edit,
            "state": _state(programme),
            "my_side": side_of(request.membership),
        },
        status=400 if form.errors else 200,
    )


@org_view(PARTNERSHIP)
@require_POST
def programme_agree(request):
    programme = services.programme_for(request.org)
    try:
        partnership.agree(
            obj=programme,
            kind=services.AGREEMENT_KIND,
            version=str(programme.version),
            membership=request.membership,
            terms=programme.terms(),
        )
    except partnership.PartnershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your side has agreed this version.")
    return redirect("support:programme", org=request.org.slug)


@org_view(Perm.VIEW_ORG_AGGREGATES)
def figures(request):
    return render(
        request,
        "support/figures.jinja",
        {
            "support": support_figures.support_figures(request.org),
            "board": support_figures.board_figures(request.org),
        },
    )
