"""Emails to the people taking part in an assessment, sent once the change is committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse


def url(name: str, cycle) -> str:
    return settings.STAFFWELL_BASE_URL + reverse(name, kwargs={"org": cycle.organisation.slug, "cycle_id": cycle.pk})


def tell(cycle, memberships, subject: str, body: str) -> None:
    emails = sorted({m.user.email for m in memberships if m.user_id and m.user.email})
    if emails:
        transaction.on_commit(
            lambda: send_mail(f"{subject} – {cycle.organisation.name}", body, None, emails, fail_silently=True)
        )
