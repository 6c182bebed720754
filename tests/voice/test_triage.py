"""Joint triage: both sides agree status and answer; targets, reminders, actions, figures."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from staffwell.assessments import services as assessments
from staffwell.assessments.models import Action
from staffwell.partnership.models import Agreement
from staffwell.voice import services, triage
from staffwell.voice.models import Post
from tests.assessments.helpers import submitted_cycle
from tests.voice.helpers import anonymous_post, backdate, named_post


def _url(name, world, **kw):
    return reverse(f"voice:{name}", kwargs={"org": world.org.slug, **kw})


ANSWER = {"status": "doing", "answer": "Estates will fit one by March.", "pointer": ""}


def test_a_status_and_answer_show_only_once_both_sides_agree_the_same_terms(world, client_for):
    post = named_post(world)
    lead, rep = client_for("lead"), client_for("rep")
    lead.post(_url("answer", world, post_id=post.pk), ANSWER)
    post.refresh_from_db()
    assert post.status == Post.Status.NEW and post.answer == ""
    page = rep.get(_url("triage_post", world, post_id=post.pk)).content.decode()
    assert "Estates will fit one by March." in page and "Agree this answer for the staff side" in page
    # The lead cannot agree twice for the same side.
    lead.post(_url("answer", world, post_id=post.pk), {"agree": "1", "version": str(post.answer_version)})
    assert Agreement.objects.filter(kind="voice.answer").count() == 1
    rep.post(_url("answer", world, post_id=post.pk), {"agree": "1", "version": str(post.answer_version)})
    post.refresh_from_db()
    assert post.status == Post.Status.DOING and post.answer == ANSWER["answer"]
    assert post.first_answered_on == timezone.localdate()
    assert (
        "Answer agreed by both sides" in client_for("staff").get(_url("post", world, post_id=post.pk)).content.decode()
    )


def test_a_changed_proposal_needs_the_first_side_again(world, client_for):
    post = named_post(world)
    client_for("lead").post(_url("answer", world, post_id=post.pk), ANSWER)
    client_for("rep").post(_url("answer", world, post_id=post.pk), {**ANSWER, "status": "cant", "answer": "No budget"})
    post.refresh_from_db()
    assert post.status == Post.Status.NEW
    state = triage.answer_state(post)
    assert state.staff and not state.employer
    # An agreement to an old version is refused, not applied.
    client_for("lead").post(_url("answer", world, post_id=post.pk), {"agree": "1", "version": "1"})
    post.refresh_from_db()
    assert post.status == Post.Status.NEW


def test_not_for_this_forum_needs_a_pointer(world, client_for):
    post = named_post(world)
    page = client_for("lead").post(_url("answer", world, post_id=post.pk), {**ANSWER, "status": "not_here"})
    assert page.status_code == 400 and "Say where to raise this instead" in page.content.decode()


def test_a_held_post_is_published_only_when_both_sides_choose_to(world, client_for):
    post, code = anonymous_post(world.org, body="Dr Smith keeps changing the rota.")
    assert post.status == Post.Status.HELD
    decision = {"decision": "decline", "reason": "It names a person. Please raise it with your FTSU guardian."}
    client_for("lead").post(_url("moderate", world, post_id=post.pk), decision)
    post.refresh_from_db()
    assert post.status == Post.Status.HELD
    client_for("rep").post(_url("moderate", world, post_id=post.pk), decision)
    post.refresh_from_db()
    assert post.status == Post.Status.DECLINED
    page = client_for("staff").post(_url("follow", world), {"code": code}).content.decode()
    assert "Please raise it with your FTSU guardian" in page


def test_overdue_posts_show_to_both_sides_and_reminders_go_once_before_the_target(world, client_for, settings):
    settings.STAFFWELL_BASE_URL = "https://staffwell.example"
    conf = services.settings_for(world.org)
    conf.response_days, conf.remind_days_before = 14, 3
    conf.save()
    late = backdate(named_post(world, title="Late one"), 20)
    near = backdate(named_post(world, title="Near one"), 12)
    fresh = named_post(world, title="Fresh one")
    for persona in ("lead", "rep"):
        page = client_for(persona).get(_url("triage", world)).content.decode()
        assert "1 post has passed the response-time target" in page
    assert triage.remind() == 2
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {world.users["lead"].email, world.users["rep"].email}
    assert "Late one" in mail.outbox[0].body and "Near one" in mail.outbox[0].body
    assert "Fresh one" not in mail.outbox[0].body
    assert triage.remind() == 0  # once per post
    fresh.refresh_from_db()
    assert fresh.reminded_on is None and late.pk != near.pk


def test_an_idea_becomes_an_action_and_its_status_follows_the_action(world, client_for):
    cycle = submitted_cycle(world)
    post = named_post(world)
    data = {"cycle": str(cycle.pk), "title": "Fit bike racks", "measure": "Racks in use", "due_date": "31/12/2099"}
    page = client_for("rep").post(_url("action", world, post_id=post.pk), data)
    assert page.status_code == 400 and "Enter a due date within three years" in page.content.decode()
    due = (timezone.localdate() + dt.timedelta(days=60)).strftime("%d/%m/%Y")
    client_for("rep").post(_url("action", world, post_id=post.pk), {**data, "due_date": due})
    post.refresh_from_db()
    action = Action.objects.get(title="Fit bike racks")
    assert post.action == action and post.status == Post.Status.DOING
    assessments.add_progress(action=action, text="Fitted", status=Action.Status.DONE, actor=world.users["lead"])
    post.refresh_from_db()
    assert post.status == Post.Status.DONE


def test_figures_pass_the_suppression_service(world, client_for):
    for n in range(3):
        named_post(world, title=f"Idea {n}")
    page = client_for("rep").get(_url("summary", world)).content.decode()
    assert "Not shown" in page
    for n in range(3, 12):
        named_post(world, title=f"Idea {n}")
    page = client_for("lead").get(_url("summary", world)).content.decode()
    assert '<td class="nhsuk-table__cell">12</td>' in page


def test_settings_are_checked_and_audited(world, client_for):
    client = client_for("lead")
    bad = client.post(_url("settings", world), {"response_days": "0", "remind_days_before": "3"})
    assert bad.status_code == 400 and "Enter a target between 1 and 90 days" in bad.content.decode()
    good = {"response_days": "10", "remind_days_before": "2", "guardian_contacts": "Gita, ext 4455"}
    assert client.post(_url("settings", world), good).status_code == 302
    assert services.settings_for(world.org).response_days == 10
