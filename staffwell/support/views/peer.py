"""Tier 2: peer supporters see new requests addressed to the programme (only what the
requester chose to share with it) and accept one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from staffwell.organisations.access import org_view
from staffwell.support import content, services
from staffwell.support.models import FollowUp, SupportRequest


def _supporter(request):
    supporter = services.peer_supporter_for(request.membership)
    if supporter is None:
        raise PermissionDenied
    return supporter


def _visible_request(request, request_id: int) -> SupportRequest:
    """A waiting request addressed to the programme, or one this supporter accepted."""
    req = get_object_or_404(
        SupportRequest.objects.for_org(request.org).to_programme().select_related("owner"), pk=request_id
    )
    waiting = req.accepted_at is None and req.closed_at is None
    if not waiting and req.accepted_by_id != request.user.pk:
        raise Http404
    if req.owner_id == request.user.pk:
        raise Http404  # their own request: they use their own pages
    return req


@never_cache
@org_view()
def queue(request):
    supporter = _supporter(request)
    programme = services.programme_for(request.org)
    waiting = SupportRequest.objects.for_org(request.org).waiting().exclude(owner=request.user)
    mine = SupportRequest.objects.for_org(request.org).filter(accepted_by=request.user, closed_at__isnull=True)
    now = timezone.now()
    return render(
        request,
        "support/queue.jinja",
        {
            "supporter": supporter,
            "programme": programme,
            "waiting": [
                (r, (now - r.created_at).total_seconds() / 3600 > programme.response_target_hours) for r in waiting
            ],
            "mine": mine,
        },
    )


@never_cache
@org_view()
def peer_request(request, request_id: int):
    _supporter(request)
    req = _visible_request(request, request_id)
    services.log_programme_read(req, viewer=request.user)
    return render(
        request,
        "support/peer_request.jinja",
        {
            "req": req,
            "sections": [
                (k, label, req.detail(k)) for k, label in content.REQUEST_SECTIONS if services.programme_can_see(req, k)
            ],
            "followups": req.followups.all() if req.accepted_by_id == request.user.pk else [],
            "contacts": services.programme_for(request.org).contacts(),
        },
    )


@org_view()
@require_POST
def accept(request, request_id: int):
    supporter = _supporter(request)
    req = _visible_request(request, request_id)
    try:
        services.accept(req=req, supporter=supporter, actor=request.user)
    except services.SupportError as exc:
        messages.error(request, str(exc))
        return redirect("support:queue", org=request.org.slug)
    messages.success(request, "You have accepted this request. Get in touch the way they asked.")
    return redirect("support:peer_request", org=request.org.slug, request_id=req.pk)


@org_view()
@require_POST
def followup_done(request, request_id: int, followup_id: int):
    _supporter(request)
    req = _visible_request(request, request_id)
    if req.accepted_by_id != request.user.pk:
        raise Http404
    followup = get_object_or_404(FollowUp, pk=followup_id, request=req)
    services.mark_followup_done(followup=followup, actor=request.user)
    messages.success(request, "Follow-up marked as done.")
    return redirect("support:peer_request", org=request.org.slug, request_id=req.pk)
