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
from staffwell.support import content
from staffwell.support.models import RestorativeConversation, Walkthrough
from staffwell.support.services import SupportError, _link, _mail, programme_for


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
        audit.record(
            "support.walkthrough.started",
            actor=actor,
            organisation=org,
            obj=w,
            data={"participants": [m.full_name for m in (manager, hr, rep) if m is not None]},
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
    audit.record(
        "support.walkthrough.answered",
        actor=actor,
        organisation=walkthrough.organisation,
        obj=walkthrough,
        data={"test": content.TEST_LABELS[expected.test]},
    )
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
    audit.record(
        "support.walkthrough.answer_undone", actor=actor, organisation=walkthrough.organisation, obj=walkthrough
    )
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
        audit.record(
            "support.walkthrough.finished",
            actor=actor,
            organisation=walkthrough.organisation,
            obj=walkthrough,
            data={"learning_action": action.pk},
        )
    return action


def record_outcome(*, walkthrough: Walkthrough, data: dict, actor) -> Walkthrough:
    """What happened next, for the board's suppressed figures."""
    for field in ("investigation", "suspended", "days_suspended", "no_case_to_answer", "ethnic_group"):
        setattr(walkthrough, field, data[field])
    walkthrough.save()
    audit.record(
        "support.walkthrough.outcome_recorded", actor=actor, organisation=walkthrough.organisation, obj=walkthrough
    )
    return walkthrough


def add_restorative(*, walkthrough: Walkthrough, held_on: dt.date, details: dict, actor) -> RestorativeConversation:
    r = RestorativeConversation.objects.create(
        walkthrough=walkthrough,
        held_on=held_on,
        details={k: (details.get(k) or "").strip() for k, _ in content.RESTORATIVE_SECTIONS},
        created_by=actor,
    )
    audit.record("support.restorative.recorded", actor=actor, organisation=walkthrough.organisation, obj=r)
    return r
