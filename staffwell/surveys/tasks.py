"""Background sending of invitations and reminders.

Each task takes only a campaign id and returns nothing, so the task result rows the
database queue keeps say nothing about anyone. (A reminder round's count was the number of
people who had not answered yet: with the number invited, the count who had, on each day
a round went, outside the suppression plan. Found by an attack on anonymity.)
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from staffwell.surveys import services
from staffwell.surveys.models import Campaign, Invitation


def _link(invitation: Invitation) -> str:
    token = services.invitation_token(invitation.secret)
    return settings.STAFFWELL_BASE_URL.rstrip("/") + reverse("surveys:respond_start", kwargs={"token": token})


def _message(campaign: Campaign, invitation: Invitation, text: str, *, reminder: bool) -> EmailMessage:
    subject = f"{'Reminder: ' if reminder else ''}{campaign.name}"
    body = (
        f"{text.strip()}\n\n"
        f"Your personal link:\n{_link(invitation)}\n\n"
        f"The survey is open until {campaign.closes_on:%-d %B %Y}. Your answers are anonymous: they are "
        "stored without your name, your link or the time you answered, and nobody (not your manager, not HR, "
        "not the people who run staffwell) can see how you answered. Results are only shown for groups of "
        "people large enough that nobody can be picked out.\n\n"
        "This link is just for you. Please do not forward it. On a shared computer, open it in a private "
        "window, so that it is not kept in the browser's history.\n"
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.membership.email])


def _send(campaign: Campaign, invitations, text: str, *, reminder: bool) -> int:
    sent = 0
    today = timezone.localdate()
    connection = get_connection()
    for invitation in invitations.select_related("membership").iterator(chunk_size=500):
        if not invitation.membership.email or not invitation.membership.is_active:
            continue
        connection.send_messages([_message(campaign, invitation, text, reminder=reminder)])
        if not reminder:
            # A reminder is recorded as a round on the campaign, never per person: a
            # per-person record would split respondents into classes by when they answered.
            Invitation.objects.filter(pk=invitation.pk).update(emailed_on=today)
        sent += 1
    return sent


@task()
def send_invitations(campaign_id: int) -> None:
    """Email every invited person who has not been emailed yet."""
    campaign = Campaign.objects.get(pk=campaign_id)
    if not campaign.is_open:
        return
    sent = _send(
        campaign, campaign.invitations.filter(emailed_on__isnull=True), campaign.invitation_message, reminder=False
    )
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(invitations_sent_on=timezone.localdate())
    from staffwell.core import audit

    audit.record("survey.invitations.sent", organisation=campaign.organisation, obj=campaign, data={"emails": sent})


@task()
def send_reminders(campaign_id: int) -> None:
    """Email a reminder to invited people who have not responded: one round a day at most,
    recorded on the campaign (its date) and in the audit log as a round, with no count and
    no one named. Returns nothing: how many were sent is how many have not answered."""
    today = timezone.localdate()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if not campaign.is_open or campaign.last_reminder_on == today:
            return
        Campaign.objects.filter(pk=campaign.pk).update(last_reminder_on=today)
    pending = services.non_responders(campaign).filter(emailed_on__isnull=False)
    _send(campaign, pending, campaign.reminder_message, reminder=True)
    from staffwell.core import audit

    audit.record("survey.reminders.sent", organisation=campaign.organisation, obj=campaign, data={"round": str(today)})
