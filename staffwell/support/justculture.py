"""The just culture guide as a guided conversation, and restorative conversations.

A walk-through is an organisational record: only its participants (manager, HR, the
person's rep where they wish), the person concerned and that rep see it. It ends only in
one of the guide's own kinds of recommendation, never a label or a score, and always with
a system-learning action in the organisation's action plan (through the assessments app's
own ``save_action``).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from staffwell.assessments import services as assessments
from staffwell.assessments.models import Action, Cycle
from staffwell.core import audit
from staffwell.core.models import AuditEvent
from staffwell.support import content
from staffwell.support.models import RestorativeConversation, Walkthrough
from staffwell.support.services import SupportError, _link, _mail, programme_for

# The audit trail ---------------------------------------------------------------------------

AUDIT_PREFIX = "support.walkthrough."
EVENT_LABELS = {
    "viewed": "Read the record",
    "started": "Started the walk-through",
    "answered": "Answered a question",
    "answer_undone": "Undid the last answer",
    "finished": "Added the learning action and finished",
    "outcome_recorded": "Recorded what happened next",
    "restorative_recorded": "Recorded a restorative conversation",
}


def log(event: str, *, walkthrough: Walkthrough, actor, data: dict | None = None) -> None:
    """Audit a walk-through event where only the walk-through's own people see it.

    The organisation's audit log lists the organisation's events, and its admin is not one
    of these people: an event there ("X read walk-through 5") would say who was walked
    through. So the event is kept with the walk-through (its object) and no organisation,
    and the walk-through's page shows it to its participants, the person concerned and
    their rep (``history``)."""
    if event not in EVENT_LABELS:
        raise ValueError(f"Unknown walk-through event {event!r}.")
    audit.record(AUDIT_PREFIX + event, actor=actor, obj=walkthrough, data=data)


def history(walkthrough: Walkthrough) -> list[tuple]:
    """(when, who, what) for every event of the walk-through, oldest first."""
    events = AuditEvent.objects.filter(
        object_type=Walkthrough._meta.label_lower, object_id=str(walkthrough.pk), action__startswith=AUDIT_PREFIX
    ).order_by("created_at", "id")
    return [
        (e.created_at, e.actor_label.split(" <", 1)[0], EVENT_LABELS.get(e.action.removeprefix(AUDIT_PREFIX), e.action))
        for e in events
    ]


def start(*, org, person, manager, hr, rep, event: str, actor) -> Walkthrough:
    if person.pk in {m.pk for m in (manager, hr, rep) if m is not None}:
        raise SupportError("The person concerned cannot also take part as manager, HR or rep.")
    with transaction.atomic():
        w = Walkthrough.objects.create(
            organisation=org,
            person=person,
            manager=manager,
            hr=hr,
            rep=rep,
            event=event.strip(),
            questions_version=programme_for(org).version,
            created_by=actor,
            support_offered_at=timezone.now(),
        )
        log(
            "started", walkthrough=w, actor=actor, data={"participants": [m.full_name for m in (manager, hr, rep) if m]}
        )
        # The person concerned is told at once, and offered support.
        if person.user_id:
            _mail(
                "The just culture guide has been used about something you were involved in",
                f"Hello {person.user.get_short_name()},\n\n"
                f"{actor.full_name} has started working through the just culture guide about something that "
                "happened at work that you were involved in. You can read the record, and who takes part, here:\n\n"
                f"{_link('support:walkthrough', org=org.slug, walkthrough_id=w.pk)}\n\n"
                "Being involved in an incident can affect anyone. You can ask for support now, in confidence; "
                "nothing you ask for is shared with this record:\n\n"
                f"{_link('support:new')}",
                [person.user.email],
            )
    return w


def answer(*, walkthrough: Walkthrough, key: str, value: str, rationale: str, actor) -> Walkthrough:
    expected = walkthrough.next_question
    if expected is None or expected.key != key:
        raise SupportError("This question has already been answered. Check the record and carry on from there.")
    if value not in {"yes", "no"}:
        raise SupportError("Choose yes or no.")
    if not rationale.strip():
        raise SupportError("Say why you chose this answer.")
    answers = dict(walkthrough.answers)
    answers[key] = {"answer": value, "rationale": rationale.strip(), "by": actor.full_name}
    walkthrough.answers = answers
    walkthrough.recommendation = content.outcome(answers) or ""
    walkthrough.save(update_fields=["answers", "recommendation"])
    log("answered", walkthrough=walkthrough, actor=actor, data={"test": content.TEST_LABELS[expected.test]})
    return walkthrough


def step_back(*, walkthrough: Walkthrough, actor) -> Walkthrough:
    """Undo the last answer (the conversation changed its mind)."""
    path = content.answered(walkthrough.answers)
    if not path:
        return walkthrough
    answers = dict(walkthrough.answers)
    answers.pop(path[-1].key, None)
    walkthrough.answers = answers
    walkthrough.recommendation = content.outcome(answers) or ""
    walkthrough.save(update_fields=["answers", "recommendation"])
    log("answer_undone", walkthrough=walkthrough, actor=actor)
    return walkthrough


def finish(
    *, walkthrough: Walkthrough, cycle: Cycle, title: str, description: str, measure: str, due_date: dt.date, actor
) -> Action:
    """End with a system-learning action in the organisation's action plan."""
    if walkthrough.completed_at:
        raise SupportError("This walk-through is already finished.")
    if walkthrough.reached is None:
        raise SupportError("Work through the guide's questions first.")
    if cycle.organisation_id != walkthrough.organisation_id:
        raise SupportError("Choose one of your organisation's action plans.")
    with transaction.atomic():
        action = assessments.save_action(
            action=Action(cycle=cycle),
            data={
                "title": title.strip(),
                "description": description.strip(),
                "measure": measure.strip(),
                "element": None,
                "statement": None,
                "employer_owner": walkthrough.hr or walkthrough.manager,
                "staff_owner": walkthrough.rep,
                "due_date": due_date,
            },
            expected_version=None,
            actor=actor,
        )
        Walkthrough.objects.filter(pk=walkthrough.pk).update(learning_action=action, completed_at=timezone.now())
        walkthrough.refresh_from_db()
        log("finished", walkthrough=walkthrough, actor=actor, data={"learning_action": action.pk})
    return action


def record_outcome(*, walkthrough: Walkthrough, data: dict, actor) -> Walkthrough:
    """What happened next, for the board's suppressed figures."""
    for field in ("investigation", "suspended", "days_suspended", "no_case_to_answer", "ethnic_group"):
        setattr(walkthrough, field, data[field])
    walkthrough.save()
    log("outcome_recorded", walkthrough=walkthrough, actor=actor)
    return walkthrough


def add_restorative(*, walkthrough: Walkthrough, held_on: dt.date, details: dict, actor) -> RestorativeConversation:
    r = RestorativeConversation.objects.create(
        walkthrough=walkthrough,
        held_on=held_on,
        details={k: (details.get(k) or "").strip() for k, _ in content.RESTORATIVE_SECTIONS},
        created_by=actor,
    )
    log("restorative_recorded", walkthrough=walkthrough, actor=actor, data={"restorative_conversation": r.pk})
    return r
