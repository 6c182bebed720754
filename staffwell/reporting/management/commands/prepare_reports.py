"""Prepare the reports of every closed survey whose plan is missing or out of date (answer
counts per unit and staff group, and the publication plan). Closing a survey queues this
for that survey (``reporting.tasks``); run it daily from the scheduler as well, for
surveys that closed by date and any the task worker missed.

    manage.py prepare_reports
"""

from django.core.management.base import BaseCommand

from staffwell.reporting.data import prepared
from staffwell.surveys.models import Campaign


class Command(BaseCommand):
    help = "Prepare the aggregates and publication plans of closed surveys."

    def handle(self, *args, **options):
        done = 0
        for campaign in Campaign.objects.select_related("instrument", "organisation").order_by("pk"):
            if campaign.phase == "Closed":
                prepared(campaign)  # reuses a stored plan that is still current
                done += 1
        self.stdout.write(f"{done} closed surveys ready.")
