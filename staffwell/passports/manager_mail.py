"""Emails to a line manager: when a passport is shared with them, when an adjustment request
waits for their decision, and when that decision is near due (``send_decision_reminders``,
run daily). Each says only who and where to go, never what the passport says."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from staffwell.passports import services
from staffwell.passports.models import Adjustment, Passport, Status
from staffwell.records.models import Grant

# Days before the decision is due on which the manager is reminded (run daily: no state kept).
REMIND_BEFORE = (7, 1)


def _link(path: str) -> str:
    return settings.STAFFWELL_BASE_URL.rstrip("/") + path


def _managers_shared(passport: Passport) -> list:
    """Current line managers the passport (or its adjustments) is shared with."""
    ids = services.current_manager_ids(passport)
    grants = (
        Grant.objects.live()
        .filter(kind=services.KIND_KEY, record_id=passport.pk, grantee_id__in=ids, section__in=["", "adjustments"])
        .select_related("grantee")
    )
    return [g.grantee for g in grants if g.grantee.email]


def shared_with_you(grant: Grant) -> None:
    if grant.kind != services.KIND_KEY or not grant.grantee.email:
        return
    send_mail(
        f"{grant.owner.full_name} has shared a passport with you",
        f"{grant.owner.full_name} has shared {grant.label} with you on staffwell.\n\n"
        f"See it here: {_link(reverse('passports:shared_detail', kwargs={'passport_id': grant.record_id}))}\n\n"
        "If it includes adjustment requests, you have 28 days from each request to decide.",
        None,
        [grant.grantee.email],
        fail_silently=True,
    )


def request_waiting(adjustment: Adjustment) -> int:
    passport = adjustment.passport
    due = date_format(adjustment.decision_due, "j F Y")
    sent = 0
    for manager in _managers_shared(passport):
        send_mail(
            f"An adjustment request from {passport.owner.full_name} waits for your decision",
            f"{passport.owner.full_name} has asked for an adjustment in their passport on staffwell.\n\n"
            f"Please decide by {due}: {_link(reverse('passports:shared_detail', kwargs={'passport_id': passport.pk}))}",
            None,
            [manager.email],
            fail_silently=True,
        )
        sent += 1
    return sent


def send_decision_reminders(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    due_dates = [today + dt.timedelta(days=n) for n in REMIND_BEFORE]
    sent = 0
    for adj in Adjustment.objects.filter(status=Status.REQUESTED, decision_due__in=due_dates).select_related(
        "passport__owner", "passport__organisation"
    ):
        sent += request_waiting(adj)
    return sent
