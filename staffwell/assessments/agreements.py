"""What happens when both sides have agreed, for each kind in ``kinds.py``.

Registered once from ``AssessmentsConfig.ready()``. Each hook runs inside the agreeing
transaction, with the thing agreed locked, exactly once: when the second side agrees.
"""

from django.utils import timezone

from staffwell.assessments import kinds
from staffwell.assessments.models import AgreedRating, Amendment, Cycle, Rating, SharingSetting, Side
from staffwell.core import audit
from staffwell.partnership import services as partnership


def _last(state):
    return max(state.agreements, key=lambda a: (a.agreed_at, a.pk))


def ratings_submitted(cycle: Cycle, version: str, state) -> None:
    """Both sides have submitted: the ratings are compared, starting from where they agree."""
    from staffwell.assessments.notify import tell, url

    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.RECONCILING)
    employer = dict(Rating.objects.filter(cycle=cycle, side=Side.EMPLOYER).values_list("statement_id", "level"))
    staff = dict(Rating.objects.filter(cycle=cycle, side=Side.STAFF).values_list("statement_id", "level"))
    same = [s for s, level in employer.items() if level is not None and staff.get(s) == level]
    for agreed in AgreedRating.objects.filter(cycle=cycle, statement_id__in=same):
        agreed.level = employer[agreed.statement_id]
        agreed.rationale = "Both sides gave the same rating."
        agreed.save(update_fields=["level", "rationale", "updated_at"])
    cycle = Cycle.objects.select_related("organisation").get(pk=cycle.pk)
    others = [p.membership for p in cycle.participants.active().select_related("membership__user")]
    tell(
        cycle,
        others,
        "Both sides have submitted their ratings",
        f"Both sides have rated '{cycle.title}'. You can now compare and agree ratings: "
        f"{url('assessments:reconcile', cycle)}\n",
    )


def signed_by_both(cycle: Cycle, version: str, state) -> None:
    """Both sides have signed the cycle or an amendment: it is locked."""
    now = timezone.now()
    actor = _last(state).agreed_by
    if version == kinds.FIRST_SIGNOFF:
        Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.SIGNED_OFF, signed_off_at=now)
        audit.record("assessment.cycle.locked", actor=actor, organisation=cycle.organisation, obj=cycle, data={})
    else:
        Amendment.objects.filter(cycle=cycle, number=int(version)).update(completed_at=now)
        Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.SIGNED_OFF)
        audit.record(
            "assessment.amendment.completed",
            actor=actor,
            organisation=cycle.organisation,
            obj=cycle,
            data={"amendment": int(version)},
        )


def sharing_agreed(setting: SharingSetting, version: str, state) -> None:
    """The side that did not propose has agreed: the profile is shared from now on."""
    SharingSetting.objects.filter(pk=setting.pk).update(
        share_with_ics=True, changed_by=_last(state).agreed_by, changed_at=timezone.now()
    )


def register() -> None:
    partnership.register(kinds.RATINGS, label="submission of a side's assessment ratings", on_agreed=ratings_submitted)
    partnership.register(kinds.SIGNOFF, label="sign-off of an assessment or amendment", on_agreed=signed_by_both)
    partnership.register(kinds.PLAN, label="revision of an assessment action plan")
    partnership.register(
        kinds.SHARING, label="sharing the element profile with the integrated care system", on_agreed=sharing_agreed
    )
