"""Daily survey jobs (run once a day by cron or a scheduler):

* email the invitations of campaigns that open today (or opened and have not been sent),
* email reminders to people who have not answered, every ``remind_every_days``,
* close campaigns whose closing date has passed, deleting unfinished answers.

The sending happens in background tasks (``manage.py db_worker``).
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from staffwell.surveys import services
from staffwell.surveys.models import Campaign
from staffwell.surveys.tasks import send_invitations, send_reminders


class Command(BaseCommand):
    help = "Send due survey invitations and reminders, and close surveys past their closing date."

    def handle(self, *args, **options):
        today = timezone.localdate()
        invited = reminded = closed = 0
        for campaign in Campaign.objects.filter(status=Campaign.Status.LAUNCHED):
            if campaign.closes_on < today:
                services.close(campaign=campaign, actor=None)
                closed += 1
                continue
            if not campaign.is_open:
                continue
            if campaign.invitations_sent_on is None:
                transaction.on_commit(lambda pk=campaign.pk: send_invitations.enqueue(pk))
                invited += 1
                continue
            every = campaign.remind_every_days
            last = campaign.last_reminder_on or campaign.invitations_sent_on
            if every and today >= last + datetime.timedelta(days=every):
                transaction.on_commit(lambda pk=campaign.pk: send_reminders.enqueue(pk))
                reminded += 1
        self.stdout.write(
            f"Surveys: invitations queued for {invited}, reminders queued for {reminded}, closed {closed}."
        )
