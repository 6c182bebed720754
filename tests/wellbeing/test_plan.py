"""Given the guided questions, when a staff member saves their plan, then it is versioned,
has a review date with a reminder, and suggests library support chosen by the answers."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from staffwell.wellbeing import content
from staffwell.wellbeing.models import Plan, PlanVersion

ANSWERS = {"keeps_well": "Swimming", "early_signs": "Snapping at people", "right_now": "ok", "topics": ["sleep"]}


def test_a_plan_needs_at_least_one_answer_and_keeps_what_was_typed(world, client_for):
    response = client_for("staff").post(
        reverse("wellbeing:plan_edit"),
        {"right_now": "ok", "review_on-day": "31", "review_on-month": "2", "review_on-year": "2027"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Answer at least one question to save your plan." in html or "Enter a real date" in html
    assert "Enter a real date, for example 27 3 2027" in html
    assert 'name="review_on-day" type="text" value="31"' in html.replace("\n", " ") or 'value="31"' in html
    assert not Plan.objects.exists()


def test_a_review_date_in_the_past_is_refused(world, client_for):
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client_for("staff").post(reverse("wellbeing:plan_edit"), {**ANSWERS, "review_on": yesterday})
    assert "Enter a review date in the future." in response.content.decode()


def test_every_save_keeps_a_version_the_owner_can_read_back(world, client_for):
    staff = client_for("staff")
    staff.post(reverse("wellbeing:plan_edit"), ANSWERS)
    staff.post(reverse("wellbeing:plan_edit"), {**ANSWERS, "keeps_well": "Swimming and cycling"})
    plan = Plan.objects.get()
    assert plan.version == 2 and plan.answer("keeps_well") == "Swimming and cycling"
    assert list(PlanVersion.objects.values_list("number", flat=True)) == [2, 1]
    first = staff.get(reverse("wellbeing:plan_version", kwargs={"number": 1})).content.decode()
    assert "Swimming" in first and "cycling" not in first
    assert staff.get(reverse("wellbeing:plan_version", kwargs={"number": 9})).status_code == 404
    assert client_for("manager").get(reverse("wellbeing:plan_version", kwargs={"number": 1})).status_code == 404


def test_choosing_the_need_help_now_wording_shows_urgent_support_at_once(world, client_for):
    response = client_for("staff").post(
        reverse("wellbeing:plan_edit"), {**ANSWERS, "right_now": "need_help_now"}, follow=True
    )
    html = response.content.decode()
    assert "You said you need help now" in html
    assert "116 123" in html and "has not told anyone" in html


def test_the_review_reminder_is_sent_once_a_week_before_and_holds_no_content(world, client_for):
    soon = (timezone.localdate() + dt.timedelta(days=5)).strftime("%d/%m/%Y")
    client_for("staff").post(reverse("wellbeing:plan_edit"), {**ANSWERS, "review_on": soon})
    call_command("send_plan_review_reminders", stdout=__import__("io").StringIO())
    call_command("send_plan_review_reminders", stdout=__import__("io").StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.users["staff"].email]
    assert "Swimming" not in message.body and "Snapping" not in message.body
    assert "/my/wellbeing/plan/" in message.body


def test_a_review_date_far_off_gets_no_reminder_yet(world, client_for):
    later = (timezone.localdate() + dt.timedelta(days=60)).strftime("%d/%m/%Y")
    client_for("staff").post(reverse("wellbeing:plan_edit"), {**ANSWERS, "review_on": later})
    call_command("send_plan_review_reminders", stdout=__import__("io").StringIO())
    assert mail.outbox == []


def test_the_plan_suggests_library_resources_for_the_topics_chosen(world, client_for):
    pytest.importorskip("staffwell.library.services")
    from staffwell.library.models import Resource, Status, Topic

    sleep, _ = Topic.objects.get_or_create(slug="sleep", defaults={"name": "Sleep"})
    money, _ = Topic.objects.get_or_create(slug="money", defaults={"name": "Money"})
    for title, topic in (("Sleeping after night shifts", sleep), ("Help with bills", money)):
        r = Resource.objects.create(
            title=title,
            slug=title.lower().replace(" ", "-"),
            status=Status.PUBLISHED,
            provider="Test provider",
            url="https://example.org/" + title.lower().replace(" ", "-"),
            summary="A summary.",
            kind=Resource.Kind.GUIDE,
        )
        r.topics.add(topic)
    client_for("staff").post(reverse("wellbeing:plan_edit"), ANSWERS)
    html = client_for("staff").get(reverse("wellbeing:plan")).content.decode()
    assert "Sleeping after night shifts" in html
    assert "Help with bills" not in html


def test_every_ticked_topic_gets_its_own_suggestions_and_none_is_an_ended_offer(world, client_for):
    pytest.importorskip("staffwell.library.services")
    answers = {**ANSWERS, "topics": [slug for slug, _label in content.PLAN_TOPICS]}
    client_for("staff").post(reverse("wellbeing:plan_edit"), answers)
    html = client_for("staff").get(reverse("wellbeing:plan")).content.decode()
    for _slug, label in content.PLAN_TOPICS:
        assert f'<h3 class="nhsuk-heading-s">{label}</h3>' in html, label
    assert "Menopause: symptoms and treatment" in html and "Coping with money worries" in html
    assert "Headspace" not in html
