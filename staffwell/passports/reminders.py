"""Review reminders: both the passport holder and the manager who confirmed it (while it is
still shared with them) are reminded before a review is due. The email says only that a
review is due and where to go: never what is in the passport."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from staffwell.core import audit
from staffwell.passports.models import REMINDER_DAYS, Passport
from staffwell.records.models import Grant


def _link(path: str) -> str:
    return settings.STAFFWELL_BASE_URL.rstrip("/") + path


def due_for_reminder(today: dt.date | None = None):
    today = today or timezone.localdate()
    return (
        Passport.objects.in_use()
        .filter(review_due__lte=today + dt.timedelta(days=REMINDER_DAYS))
        .exclude(review_reminded_for=F("review_due"))
        .select_related("owner", "confirming_manager", "organisation")
    )


def send_review_reminders(*, today: dt.date | None = None, dry_run: bool = False) -> int:
    """Remind once per review date. Returns the number of passports reminded about."""
    today = today or timezone.localdate()
    sent = 0
    for passport in due_for_reminder(today):
        when = "was due" if passport.review_due < today else "is due"
        kind = passport.get_kind_display().lower()
        recipients = [(passport.owner, reverse("passports:detail", kwargs={"passport_id": passport.pk}), "your")]
        manager = passport.confirming_manager
        if (
            manager is not None
            and manager.is_active
            and Grant.objects.live().for_object(passport).filter(grantee=manager).exists()
        ):
            recipients.append(
                (
                    manager,
                    reverse("passports:shared_detail", kwargs={"passport_id": passport.pk}),
                    f"{passport.owner.full_name}'s",
                )
            )
        if dry_run:
            sent += 1
            continue
        for person, path, whose in recipients:
            send_mail(
                subject=f"A passport review {when} on {passport.review_due:%-d %B %Y}",
                message=(
                    f"Hello {person.full_name},\n\n"
                    f"The review of {whose} {kind} {when} on {passport.review_due:%-d %B %Y}. "
                    "Find a time to talk it through together, then record the review in staffwell:\n\n"
                    f"{_link(path)}\n\n"
                    "This email does not contain anything from the passport itself.\n"
                ),
                from_email=None,
                recipient_list=[person.email],
            )
        Passport.objects.filter(pk=passport.pk).update(review_reminded_for=passport.review_due)
        audit.record(
            "passport.review.reminded",
            owner=passport.owner,
            obj=passport,
            organisation=passport.organisation,
            data={"review_due": passport.review_due.isoformat(), "people": len(recipients)},
        )
        sent += 1
    return sent
