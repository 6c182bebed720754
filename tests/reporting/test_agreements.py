"""Threshold changes and the release of comments are agreed through the one partnership
mechanism: once per side, a repeat refused with a clear message, a changed wording needs
both sides again, and the history shows who agreed (issue 13)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from staffwell.core.models import AuditEvent
from staffwell.partnership.models import Agreement
from staffwell.reporting import services
from staffwell.reporting.models import PolicyProposal
from staffwell.suppression import min_group_size
from staffwell.surveys.models import FreeTextAnswer


def _told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_side_agreeing_to_release_twice_is_told_so_and_a_changed_wording_needs_both_again(world, closed):
    lead, rep = world.memberships["lead"], world.memberships["rep"]
    assert services.agree_release(campaign=closed, membership=lead) is False
    with pytest.raises(Exception, match="employer side has already agreed"):
        services.agree_release(campaign=closed, membership=lead)
    answer = FreeTextAnswer.objects.filter(campaign=closed).first()
    services.redact(campaign=closed, answer=answer, text="[removed]", membership=rep)
    assert not services.review_for(closed).agreement.agreements  # the lead must look again
    assert services.agree_release(campaign=closed, membership=lead) is False
    assert services.agree_release(campaign=closed, membership=rep) is True
    review = services.review_for(closed)
    assert review.is_released and review.agreement.complete
    answer.refresh_from_db()
    assert answer.text == "[removed]"
    with pytest.raises(services.ReportingError, match="already been released"):
        services.agree_release(campaign=closed, membership=rep)
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("survey.comments.released") == 1
    assert "survey.comments.agreed" not in actions
    assert "partnership.reporting.comment_release.agreed" in actions


def test_the_review_page_shows_the_agreement_through_the_one_macro(world, closed, client_for):
    services.agree_release(campaign=closed, membership=world.memberships["rep"])
    url = reverse("reporting:comments", kwargs={"org": world.org.slug, "campaign_id": closed.pk})
    lead_page = client_for("lead").get(url).content.decode()
    rep_page = client_for("rep").get(url).content.decode()
    assert "Waiting for the employer side" in lead_page
    assert "Staff side: agreed by" in lead_page
    assert "Agree these comments are ready to release" in lead_page
    assert "Agree these comments are ready to release" not in rep_page


def test_a_repeat_agreement_to_a_threshold_change_is_refused_and_a_withdrawal_stays_in_the_history(world, client_for):
    url = reverse("reporting:policy", kwargs={"org": world.org.slug})
    lead = client_for("lead")
    lead.post(url, {"min_group": "12", "free_text_min_group": "20", "reason": "Small teams asked for it"}, follow=True)
    proposal = PolicyProposal.objects.get()
    decide = reverse("reporting:policy_decide", kwargs={"org": world.org.slug, "proposal_id": proposal.pk})
    assert _told(lead.post(decide, {"decision": "agree"}, follow=True)) == [
        "The employer side has already agreed to this."
    ]
    assert Agreement.objects.filter(kind="reporting.thresholds").count() == 1
    assert min_group_size(world.org) == 10
    page = lead.get(url).content.decode()
    assert "Waiting for the staff side" in page and "Withdraw this change" in page
    assert "Decline this change" in client_for("rep").get(url).content.decode()
    lead.post(decide, {"decision": "close"}, follow=True)
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert Agreement.objects.get(kind="reporting.thresholds").ended == "withdrawn"
    page = lead.get(url).content.decode()
    assert "Employer side: agreed by" in page and "(withdrawn)" in page
    assert _told(client_for("rep").post(decide, {"decision": "agree"})) == ["This proposal is no longer open."]
