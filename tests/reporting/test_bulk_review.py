"""Reviewing many comments in one pass (issue 15, problem 9): one form with every comment,
one save for all the changes, back to where the reviewer was, and who read or reworded
each comment shown beside it."""

from django.urls import reverse

from staffwell.core.models import AuditEvent
from staffwell.reporting import services
from staffwell.reporting.models import Redaction
from staffwell.surveys.models import FreeTextAnswer


def _urls(world, campaign):
    kw = {"org": world.org.slug, "campaign_id": campaign.pk}
    return reverse("reporting:comments", kwargs=kw), reverse("reporting:comment_redact", kwargs=kw)


def test_a_reviewer_rewords_some_comments_and_marks_others_read_in_one_save(world, closed, client_for):
    page_url, save_url = _urls(world, closed)
    answers = list(FreeTextAnswer.objects.filter(campaign=closed).order_by("pk"))
    assert len(answers) >= 5
    services.agree_release(campaign=closed, membership=world.memberships["rep"])
    lead = client_for("lead")
    page = lead.get(page_url).content.decode()
    assert page.count('name="text-') == len(answers)  # every comment in the one form
    data = {f"text-{a.pk}": a.text for a in answers}
    data[f"text-{answers[0].pk}"] = "My manager [name removed] is great."
    data[f"text-{answers[1].pk}"] = "[removed]"
    data[f"read-{answers[2].pk}"] = "yes"
    data[f"read-{answers[3].pk}"] = "yes"
    data["at"] = "4"
    response = lead.post(save_url, data)
    assert response.status_code == 302
    assert response["Location"] == page_url + "#comment-4"  # back where they were
    saved = {r.answer_id: r for r in Redaction.objects.select_related("redacted_by")}
    assert set(saved) == {a.pk for a in answers[:4]}
    assert saved[answers[0].pk].text == "My manager [name removed] is great."
    assert saved[answers[2].pk].text == answers[2].text  # read, wording kept
    assert all(r.redacted_by == world.users["lead"] for r in saved.values())
    # Rewording means both sides look again: the rep's agreement no longer stands.
    assert not services.review_for(closed).agreement.agreements
    event = AuditEvent.objects.get(action="survey.comments.redacted")
    assert event.data == {"changed": 2, "read": 2}
    # Each comment says who last read or reworded it.
    page = client_for("rep").get(page_url).content.decode()
    name = world.users["lead"].full_name
    assert page.count(f"Reworded by {name}") == 2 and page.count(f"Read by {name}") == 2
    assert f"{len(answers) - 4} of {len(answers)} not yet marked as read" in page


def test_marking_comments_read_keeps_the_other_sides_agreement(world, closed, client_for):
    _, save_url = _urls(world, closed)
    answer = FreeTextAnswer.objects.filter(campaign=closed).first()
    services.agree_release(campaign=closed, membership=world.memberships["lead"])
    response = client_for("rep").post(save_url, {f"read-{answer.pk}": "yes", "at": "end"})
    assert response.status_code == 302
    assert services.review_for(closed).agreement.employer is not None
    assert AuditEvent.objects.filter(action="survey.comments.read").exists()
    answer.refresh_from_db()
    assert answer.redaction.redacted_by == world.users["rep"]


def test_an_emptied_comment_saves_nothing_and_keeps_everything_typed(world, closed, client_for):
    _, save_url = _urls(world, closed)
    first, second = FreeTextAnswer.objects.filter(campaign=closed).order_by("pk")[:2]
    response = client_for("lead").post(
        save_url, {f"text-{first.pk}": "Reworded but not saved", f"text-{second.pk}": "  ", "at": "1"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "To hide it all, write [removed]" in page
    assert "Reworded but not saved" in page  # nothing lost
    assert not Redaction.objects.exists()


def test_someone_from_another_organisation_cannot_review_and_gets_404(world, closed, client_for):
    page_url, save_url = _urls(world, closed)
    answer = FreeTextAnswer.objects.filter(campaign=closed).first()
    outsider = client_for("outsider")
    assert outsider.get(page_url).status_code == 404
    assert outsider.post(save_url, {f"text-{answer.pk}": "[removed]"}).status_code == 404
    assert not Redaction.objects.exists()


def test_an_answer_id_from_another_campaign_is_ignored(world, closed, client_for):
    from staffwell.reporting import synthetic

    other = synthetic.closed_campaign(
        org=world.org, instrument=closed.instrument, name="Another pulse", closes_on=closed.closes_on, rate=1.0, seed=9
    )
    stranger = FreeTextAnswer.objects.filter(campaign=other).first()
    _, save_url = _urls(world, closed)
    client_for("lead").post(save_url, {f"text-{stranger.pk}": "[removed]"})
    assert not Redaction.objects.exists()
