"""The action plan: actions, progress, the plan agreement (kind ``assessment.plan``) and reminders."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from staffwell.assessments import kinds
from staffwell.assessments.models import (
    Action,
    ActionUpdate,
    Cycle,
    Side,
)
from staffwell.assessments.services.common import (
    Conflict,
    NotReady,
    membership_of,
)
from staffwell.core import audit
from staffwell.partnership import services as partnership

# Action plan ------------------------------------------------------------------------


def plan_is_agreed(cycle: Cycle) -> bool:
    return cycle.plan_agreement().complete


def _plan_changed(cycle: Cycle) -> None:
    """A change to the plan's content needs both sides to agree it again."""
    Cycle.objects.filter(pk=cycle.pk).update(plan_revision=F("plan_revision") + 1)
    cycle.refresh_from_db(fields=["plan_revision"])


def save_action(*, action: Action, data: dict, expected_version: int | None, actor) -> Action:
    cycle = action.cycle
    fields = ["title", "description", "measure", "element", "statement", "employer_owner", "staff_owner", "due_date"]
    with transaction.atomic():
        if action.pk is None:
            for f in fields:
                setattr(action, f, data.get(f))
            action.created_by = actor
            action.save()
            audit.record(
                "actionplan.action.created",
                actor=actor,
                organisation=cycle.organisation,
                obj=action,
                data={"title": action.title, "due": str(action.due_date)},
            )
        else:
            changes = {f: data.get(f) for f in fields}
            updated = Action.objects.filter(pk=action.pk, version=expected_version).update(
                **changes, version=F("version") + 1
            )
            if not updated:
                action.refresh_from_db()
                raise Conflict(action)
            action.refresh_from_db()
            audit.record(
                "actionplan.action.changed",
                actor=actor,
                organisation=cycle.organisation,
                obj=action,
                data={"title": action.title, "due": str(action.due_date)},
            )
        _plan_changed(cycle)
    return action


def add_progress(*, action: Action, text: str, status: str, actor) -> ActionUpdate:
    with transaction.atomic():
        update = ActionUpdate.objects.create(
            action=action, text=text, status=status, author=actor, author_name=actor.full_name
        )
        if status != action.status:
            Action.objects.filter(pk=action.pk).update(status=status, version=F("version") + 1)
            action.refresh_from_db()
        audit.record(
            "actionplan.progress.added",
            actor=actor,
            organisation=action.cycle.organisation,
            obj=action,
            data={"status": status},
        )
    return update


def agree_plan(*, cycle: Cycle, side: Side, actor):
    """One side agrees the plan's current revision (kind ``assessment.plan``); any change to
    an action makes a new revision that needs both sides again."""
    side = Side(side)
    if not cycle.actions.exists():
        raise NotReady("Add at least one action before agreeing the plan.")
    cycle.refresh_from_db(fields=["plan_revision"])
    try:
        state = partnership.agree(
            obj=cycle,
            kind=kinds.PLAN,
            version=cycle.plan_revision,
            membership=membership_of(cycle.organisation, actor),
            side=side,
            terms={"actions": cycle.actions.count()},
        )
    except partnership.AlreadyAgreed:
        raise NotReady(f"The {side.label.lower()} has already agreed this version of the plan.") from None
    return state.for_side(side)


def notify_overdue(*, today=None) -> int:
    """Tell the owners of each overdue action, at most once a week per action. Returns how many were told."""
    today = today or timezone.localdate()
    told = 0
    overdue = Action.objects.overdue(today).select_related(
        "cycle__organisation", "employer_owner__user", "staff_owner__user"
    )
    for action in overdue:
        if action.last_reminded_on and (today - action.last_reminded_on).days < 7:
            continue
        owners = [m for m in (action.employer_owner, action.staff_owner) if m and m.is_active and m.user_id]
        emails = sorted({m.user.email for m in owners if m.user.email})
        if emails:
            link = settings.STAFFWELL_BASE_URL + reverse(
                "assessments:action",
                kwargs={"org": action.cycle.organisation.slug, "cycle_id": action.cycle_id, "action_id": action.pk},
            )
            send_mail(
                f"Overdue wellbeing action: {action.title}",
                f"The action '{action.title}' was due on {action.due_date:%d %B %Y} and is not marked done.\n\n"
                f"Add a progress update or agree a new date: {link}\n",
                None,
                emails,
                fail_silently=True,
            )
            told += 1
        Action.objects.filter(pk=action.pk).update(last_reminded_on=today)
        audit.record(
            "actionplan.action.overdue_notified",
            organisation=action.cycle.organisation,
            obj=action,
            data={"owners": [m.full_name for m in owners], "due": str(action.due_date)},
        )
    return told
