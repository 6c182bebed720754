"""Given a manager, HR and a rep, when they walk through the just culture guide for one
event, then the person concerned is told and offered support, each answer has a rationale,
only the guide's own recommendations appear (never a label or score), and the walk-through
ends with a learning action in the organisation's action plan."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from staffwell.assessments.models import Action
from staffwell.core.models import AuditEvent
from staffwell.support import content
from staffwell.support.models import RestorativeConversation, Walkthrough
from tests.assessments.helpers import open_cycle
from tests.support import helpers

LABELS = ("culpable", "culpability", "blameworthy", "guilty", "score", "reckless", "negligent")


def _url(name, world, w, **kw):
    return reverse(f"support:{name}", kwargs={"org": world.org.slug, "walkthrough_id": w.pk, **kw})


def test_starting_tells_the_person_concerned_and_offers_support(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager").post(
            reverse("support:walkthrough_new", kwargs={"org": world.org.slug}),
            {
                "person": world.memberships["staff"].pk,
                "event": "Gave a second dose of a medicine",
                "hr": world.memberships["lead"].pk,
                "rep": world.memberships["rep"].pk,
            },
        )
    w = Walkthrough.objects.get()
    assert response.url == _url("walkthrough_answer", world, w)
    assert w.support_offered_at is not None
    told = [m for m in mailoutbox if m.to == [world.users["staff"].email]]
    assert told and reverse("support:new") in told[0].body
    assert "second dose" not in told[0].body
    # The person can read it, and is offered support on the page.
    page = client_for("staff").get(_url("walkthrough", world, w)).content.decode()
    assert "Gave a second dose of a medicine" in page and reverse("support:new") in page


def test_the_event_is_required_and_the_person_cannot_be_a_participant(world, client_for):
    url = reverse("support:walkthrough_new", kwargs={"org": world.org.slug})
    response = client_for("lead").post(url, {"person": world.memberships["rep"].pk, "rep": world.memberships["rep"].pk})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter the one action or omission" in body
    assert not Walkthrough.objects.exists()


def test_the_tests_come_in_the_guides_order_and_each_answer_needs_a_rationale(world, client_for):
    w = helpers.walkthrough(world)
    url = _url("walkthrough_answer", world, w)
    first = client_for("manager").get(url).content.decode()
    assert "Test 1 of 5: Deliberate harm" in first
    missing = client_for("manager").post(url, {"question": "harm_intended", "answer": "no", "rationale": ""})
    assert missing.status_code == 400 and "Say why you chose this answer." in missing.content.decode()
    client_for("manager").post(url, {"question": "harm_intended", "answer": "no", "rationale": "No sign at all."})
    assert "Test 2 of 5: Health" in client_for("lead").get(url).content.decode()
    # A stale form for an answered question changes nothing.
    client_for("rep").post(url, {"question": "harm_intended", "answer": "yes", "rationale": "Stale"})
    w.refresh_from_db()
    assert w.answer("harm_intended")["answer"] == "no"


@pytest.mark.parametrize(
    ("answers", "reached"),
    [
        ([("harm_intended", "yes")], content.Recommendation.HARM),
        (
            [("harm_intended", "no"), ("health_substance", "no"), ("health_physical", "yes")],
            content.Recommendation.HEALTH,
        ),
        (
            [
                ("harm_intended", "no"),
                ("health_substance", "no"),
                ("health_physical", "no"),
                ("health_mental", "no"),
                ("protocols_exist", "yes"),
                ("protocols_workable", "no"),
            ],
            content.Recommendation.SYSTEM,
        ),
        (
            [
                ("harm_intended", "no"),
                ("health_substance", "no"),
                ("health_physical", "no"),
                ("health_mental", "no"),
                ("protocols_exist", "yes"),
                ("protocols_workable", "yes"),
                ("knowingly_departed", "yes"),
                ("peers_differ", "yes"),
                ("missed_training", "no"),
                ("missed_supervision", "no"),
                ("mitigating", "yes"),
            ],
            content.Recommendation.MITIGATED,
        ),
        (
            [
                ("harm_intended", "no"),
                ("health_substance", "no"),
                ("health_physical", "no"),
                ("health_mental", "no"),
                ("protocols_exist", "yes"),
                ("protocols_workable", "yes"),
                ("knowingly_departed", "yes"),
                ("peers_differ", "yes"),
                ("missed_training", "no"),
                ("missed_supervision", "no"),
                ("mitigating", "no"),
            ],
            content.Recommendation.GUIDANCE,
        ),
    ],
)
def test_every_path_ends_in_one_of_the_guides_own_recommendations_and_never_a_label(
    world, client_for, answers, reached
):
    w = helpers.walkthrough(world, answers=answers)
    assert w.reached == reached and w.next_question is None
    body = client_for("staff").get(_url("walkthrough", world, w)).content.decode().lower()
    assert content.Recommendation(reached).label.lower().replace("'", "&#39;") in body
    for word in LABELS:
        assert word not in body, word


def test_the_walk_through_ends_with_a_learning_action_in_the_action_plan(world, client_for):
    cycle = open_cycle(world)
    w = helpers.reached_walkthrough(world)
    url = _url("walkthrough_finish", world, w)
    due = (timezone.localdate() + dt.timedelta(days=60)).strftime("%d/%m/%Y")
    bad = client_for("lead").post(url, {"cycle": cycle.pk, "title": "", "measure": "", "due_date": "1/1/2020"})
    assert bad.status_code == 400 and "Enter a date in the future." in bad.content.decode()
    client_for("lead").post(
        url,
        {
            "cycle": cycle.pk,
            "title": "Make the early warning escalation route work on night shifts",
            "measure": "Escalations within 30 minutes on nights, audited monthly",
            "due_date": due,
        },
    )
    w.refresh_from_db()
    action = Action.objects.get(cycle=cycle)
    assert w.learning_action == action and w.completed_at is not None
    assert action.employer_owner == world.memberships["lead"] and action.staff_owner == world.memberships["rep"]
    assert AuditEvent.objects.filter(action="actionplan.action.created", object_id=str(action.pk)).exists()
    plan = client_for("rep").get(reverse("assessments:actions", kwargs={"org": world.org.slug, "cycle_id": cycle.pk}))
    assert "Make the early warning escalation route work on night shifts" in plan.content.decode()
    # Finished: no more changes.
    assert client_for("manager").get(_url("walkthrough_answer", world, w)).status_code == 403


def test_only_participants_the_person_and_their_rep_see_it_and_every_read_is_audited(world, client_for):
    w = helpers.walkthrough(world)
    url = _url("walkthrough", world, w)
    for persona in ("manager", "lead", "rep", "staff"):
        assert client_for(persona).get(url).status_code == 200, persona
    for persona in ("editor", "admin", "outsider"):
        assert client_for(persona).get(url).status_code == 404, persona
    assert AuditEvent.objects.filter(action="support.walkthrough.viewed", object_id=str(w.pk)).count() == 4
    listing = client_for("admin").get(reverse("support:walkthroughs", kwargs={"org": world.org.slug}))
    assert "Staff Person" not in listing.content.decode()


def test_the_person_concerned_can_read_but_not_answer(world, client_for):
    w = helpers.walkthrough(world)
    assert client_for("staff").get(_url("walkthrough_answer", world, w)).status_code == 403


def test_a_restorative_conversation_is_recorded_and_shown_to_the_same_people(world, client_for):
    w = helpers.walkthrough(world)
    url = _url("restorative_new", world, w)
    bad = client_for("manager").post(url, {"held_on": "1/1/2026", "who_hurt": "The patient's family"})
    assert bad.status_code == 400 and "Enter what they need." in bad.content.decode()
    assert "The patient&#39;s family" in bad.content.decode()
    client_for("manager").post(
        url,
        {
            "held_on": "1/11/2026",
            "who_hurt": "The patient's family, and the nurse",
            "needs": "An honest account; time to recover",
            "obligation": "The ward manager and the patient safety team",
            "agreed": "A meeting with the family; two weeks of lighter duties",
        },
    )
    r = RestorativeConversation.objects.get()
    assert r.detail("agreed").startswith("A meeting with the family")
    assert "two weeks of lighter duties" in client_for("staff").get(_url("walkthrough", world, w)).content.decode()
    assert client_for("editor").get(_url("walkthrough", world, w)).status_code == 404


def test_what_happened_next_is_recorded_with_clear_errors(world, client_for):
    w = helpers.walkthrough(world)
    url = _url("walkthrough_outcome", world, w)
    bad = client_for("lead").post(url, {"days_suspended": "4"})
    assert bad.status_code == 400 and "Tick &#39;The person was suspended&#39;" in bad.content.decode()
    client_for("lead").post(
        url, {"investigation": "on", "suspended": "on", "days_suspended": "4", "ethnic_group": "black"}
    )
    w.refresh_from_db()
    assert w.suspended and w.days_suspended == 4 and w.ethnic_group == "black"
