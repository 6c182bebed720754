import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from staffwell.surveys.models import Campaign
from tests.surveys.helpers import add_people, answer_as, make_campaign


def test_the_daily_schedule_invites_on_opening_day_reminds_non_responders_and_closes_late_surveys(
    world, django_capture_on_commit_callbacks
):
    people = add_people(world.org, world.team, 12)
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    campaign = make_campaign(world, units=[world.team], opens_on=tomorrow, closes_on=tomorrow, remind_every_days=3)
    assert not mail.outbox  # launched before opening: nothing sent yet
    Campaign.objects.filter(pk=campaign.pk).update(opens_on=today)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_survey_schedule", stdout=io.StringIO())
    invited = len(mail.outbox)
    assert invited == campaign.invitations.count()
    answer_as(people[0], campaign)
    mail.outbox.clear()
    Campaign.objects.filter(pk=campaign.pk).update(invitations_sent_on=today - datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_survey_schedule", stdout=io.StringIO())
    assert len(mail.outbox) == invited - 1
    assert people[0].email not in {m.to[0] for m in mail.outbox}
    Campaign.objects.filter(pk=campaign.pk).update(
        closes_on=today - datetime.timedelta(days=1), opens_on=today - datetime.timedelta(days=2)
    )
    call_command("run_survey_schedule", stdout=io.StringIO())
    campaign.refresh_from_db()
    assert campaign.status == "closed"
