"""Background preparation of survey reports.

The task takes only a campaign id and returns only whether it prepared anything, so task
result rows (which the database queue keeps) say nothing about anyone's answers.
"""

from django_tasks import task

from staffwell.reporting.data import prepared
from staffwell.surveys.models import Campaign


@task()
def prepare_closed_campaign(campaign_id: int) -> bool:
    """Count the answers and make the publication plan of a survey that has just closed,
    so its first reader does not wait for them (``prepare_reports`` catches any missed)."""
    campaign = Campaign.objects.select_related("instrument", "organisation").filter(pk=campaign_id).first()
    if campaign is None or campaign.phase != "Closed":
        return False
    prepared(campaign)
    return True
