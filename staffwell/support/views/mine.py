"""The person's own requests for support (staff-owned: /my/support/)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from staffwell.organisations.access import public
from staffwell.organisations.models import Membership
from staffwell.records.access import owned_or_404, shared_or_404
from staffwell.records.models import Grant
from staffwell.support import content, services
from staffwell.support.forms import AskForm, ReferForm
from staffwell.support.models import SupportRequest


def _membership(user):
    return Membership.objects.active().select_related("organisation").filter(user=user).first()


@never_cache
def home(request):
    membership = _membership(request.user)
    return render(
        request,
        "support/home.jinja",
        {
            "requests": SupportRequest.objects.owned_by(request.user),
            "membership": membership,
            "is_peer_supporter": services.peer_supporter_for(membership) is not None,
        },
    )


@never_cache
def new(request):
    membership = _membership(request.user)
    if membership is None:
        return render(request, "support/no_organisation.jinja")
    form = AskForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        req = services.ask(
            owner=request.user,
            membership=membership,
            about=d["about"],
            event_kind=d["event_kind"],
            details=form.details(),
            incident_reference=d["incident_reference"],
            to_programme=d["to_programme"],
            programme_sections=d["programme_sections"],
            triggers=form.triggers(),
        )
        messages.success(
            request,
            "Your request has gone to the peer support programme. A peer supporter will be in touch."
            if req.to_programme
            else "Your request is saved. Only you can see it.",
        )
        if req.about != content.About.MYSELF:
            return redirect("support:guidance")
        return redirect("support:detail", request_id=req.pk)
    return render(request, "support/new.jinja", {"form": form}, status=400 if form.errors else 200)


@never_cache
def guidance(request):
    return render(request, "support/guidance.jinja", {"checklist": content.MANAGER_CHECKLIST})


def _contacts(req):
    return services.programme_for(req.organisation).contacts()


@never_cache
def detail(request, request_id: int):
    req = owned_or_404(
        SupportRequest.objects.select_related("accepted_by", "organisation"), user=request.user, pk=request_id
    )
    return render(
        request,
        "support/detail.jinja",
        {
            "req": req,
            "followups": req.followups.all(),
            "contacts": _contacts(req),
            "form": ReferForm(),
            "referred_label": content.REFERRAL_LABELS.get(req.referred_to, ""),
            "grants": list(Grant.objects.live().for_object(req).select_related("grantee")),
        },
    )


@never_cache
def refer(request, request_id: int):
    req = owned_or_404(SupportRequest.objects.all(), user=request.user, pk=request_id)
    form = ReferForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.refer(req=req, service=form.cleaned_data["service"], actor=request.user)
        messages.success(request, "Noted. The contact details are below.")
        return redirect("support:detail", request_id=req.pk)
    return render(
        request,
        "support/refer.jinja",
        {"req": req, "form": form, "contacts": _contacts(req)},
        status=400 if form.errors else 200,
    )


@require_POST
def close(request, request_id: int):
    req = owned_or_404(SupportRequest.objects.all(), user=request.user, pk=request_id)
    services.close(req=req, actor=request.user)
    messages.success(request, "Request closed. No more check-ins will be sent for it.")
    return redirect("support:detail", request_id=req.pk)


@never_cache
def delete(request, request_id: int):
    req = owned_or_404(SupportRequest.objects.all(), user=request.user, pk=request_id)
    if request.method == "POST":
        services.delete_request(req=req, owner=request.user)
        messages.success(request, "Your request for support has been deleted.")
        return redirect("support:home")
    return render(request, "support/delete.jinja", {"req": req})


@never_cache
def shared(request, request_id: int):
    """A request its owner shared with someone (through the generic sharing page)."""
    s = shared_or_404(services.KIND_KEY, viewer=request.user, pk=request_id)
    return render(request, "support/shared.jinja", {"shared": s, "req": s.obj, "sections": content.REQUEST_SECTIONS})


@public
def case_study(request):
    return render(request, "support/case_study.jinja", {"guide_url": content.GUIDE_URL})
