import datetime

from django.utils import timezone

from staffwell.reporting.models import CommentReview, PolicyProposal
from tests.matrix import ORG_MEMBERS, org_page


def _campaign(w):
    from staffwell.reporting import synthetic

    campaign = synthetic.closed_campaign(
        org=w.org,
        instrument=synthetic.instrument("wellbeing-pulse"),
        name="Matrix pulse",
        closes_on=timezone.localdate() - datetime.timedelta(days=2),
        rate=1.0,
    )
    CommentReview.objects.create(campaign=campaign, released_at=timezone.now())
    return {"org": w.org.slug, "campaign_id": campaign.pk}


def _export(w):
    return {**_campaign(w), "fmt": "csv"}


def _proposal(w):
    proposal = PolicyProposal.objects.create(
        organisation=w.org,
        min_group=12,
        free_text_min_group=15,
        previous_min_group=10,
        previous_free_text_min_group=15,
        reason="Matrix",
    )
    return {"org": w.org.slug, "proposal_id": proposal.pk}


EVERYONE = set(ORG_MEMBERS)
PARTNERSHIP = {"lead", "rep"}

ENTRIES = {
    "reporting:index": org_page(EVERYONE),
    "reporting:report": org_page(EVERYONE, kwargs=_campaign),
    "reporting:export": org_page(EVERYONE, kwargs=_export),
    "reporting:comments": org_page({"manager", "lead", "rep"}, kwargs=_campaign),
    "reporting:comment_redact": org_page(PARTNERSHIP, kwargs=_campaign, ok=405),
    "reporting:comment_release": org_page(PARTNERSHIP, kwargs=_campaign, ok=405),
    "reporting:suggest_action": org_page(PARTNERSHIP, kwargs=_campaign, ok=405),
    "reporting:policy": org_page(PARTNERSHIP),
    "reporting:policy_decide": org_page(PARTNERSHIP, kwargs=_proposal, ok=405),
    "reporting:benchmarks": org_page(PARTNERSHIP),
}
