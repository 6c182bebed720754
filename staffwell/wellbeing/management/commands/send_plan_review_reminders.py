"""Email people whose wellbeing plan review date is a week away (or has passed without a
reminder). Run daily from the scheduler. The email says only that a review is due: never
any content, since email is not encrypted."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from staffwell.wellbeing.models import Plan

NOTICE_DAYS = 7


class Command(BaseCommand):
    help = "Send wellbeing plan review reminders (run daily)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        due = (
            Plan.objects.filter(review_on__isnull=False, review_on__lte=today + dt.timedelta(days=NOTICE_DAYS))
            .filter(Q(reminder_sent_for__isnull=True) | ~Q(reminder_sent_for=F("review_on")))
            .filter(owner__is_active=True)
            .select_related("owner")
        )
        sent = 0
        link = settings.STAFFWELL_BASE_URL.rstrip("/") + reverse("wellbeing:plan")
        for plan in due:
            when = date_format(plan.review_on, "j F Y")
            send_mail(
                "Time to look at your wellbeing plan",
                f"Hello {plan.owner.get_short_name()},\n\n"
                f"You asked to look at your wellbeing plan again on {when}. "
                f"It only takes a few minutes, and you can change as much or as little as you like:\n\n{link}\n\n"
                "Your plan is private to you. This email is the only reminder we will send for this date.\n\n"
                f"{settings.STAFFWELL_SERVICE_NAME}",
                None,
                [plan.owner.email],
            )
            Plan.objects.filter(pk=plan.pk).update(reminder_sent_for=plan.review_on)
            sent += 1
        self.stdout.write(f"{sent} wellbeing plan review reminder(s) sent.")
