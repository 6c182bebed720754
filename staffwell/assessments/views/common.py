"""Access helpers shared by the assessment screens."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from staffwell.assessments import services
from staffwell.assessments.models import Cycle


def get_cycle(request, cycle_id: int) -> Cycle:
    cycle = get_object_or_404(
        Cycle.objects.for_org(request.org).select_related("framework", "organisation", "opened_by"), pk=cycle_id
    )
    request.side = services.side_of(request.membership)
    request.participant = services.participant_for(cycle, request.membership)
    return cycle


def require_participant(request):
    """Only people invited to the cycle rate, agree, sign or change it."""
    if request.participant is None:
        raise PermissionDenied("You are not taking part in this assessment.")
    return request.participant
