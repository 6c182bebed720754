"""Reviews: both people are reminded before a review is due, once; overdue reviews are flagged."""

import datetime as dt

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from staffwell.passports import services
from staffwell.passports.models import Passport, Status, add_months
from tests.passports.helpers import passport_for, share


def test_a_new_passport_is_reviewed_in_six_months(world):
    passport = passport_for(world.users["staff"])
    assert passport.review_due == add_months(timezone.localdate(), 6)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)


def _agreed(world):
    staff, manager = world.users["staff"], world.users["manager"]
    passport = passport_for(staff, requests=["Written handover notes"])
    share(passport, manager)
    services.move(adjustment=passport.adjustments.get(), to=Status.AGREED, actor=manager)
    services.confirm(passport=passport, actor=staff)
    services.confirm(passport=passport, actor=manager)
    return passport


def test_both_people_are_reminded_before_the_review_and_only_once(world):
    passport = _agreed(world)
    Passport.objects.filter(pk=passport.pk).update(review_due=timezone.localdate() + dt.timedelta(days=10))
    call_command("send_passport_reminders")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.users["staff"].email, world.users["manager"].email])
    assert all("Written handover" not in m.body and "Bright strip" not in m.body for m in mail.outbox)
    assert f"/my/passports/{passport.pk}/" in next(m.body for m in mail.outbox if m.to == [world.users["staff"].email])
    call_command("send_passport_reminders")
    assert len(mail.outbox) == 2


def test_a_manager_who_no_longer_has_it_shared_is_not_reminded(world):
    from staffwell.records import services as records
    from staffwell.records.models import Grant

    passport = _agreed(world)
    for g in Grant.objects.live().for_object(passport):
        records.withdraw(owner=world.users["staff"], grant=g)
    Passport.objects.filter(pk=passport.pk).update(review_due=timezone.localdate())
    call_command("send_passport_reminders")
    assert [m.to for m in mail.outbox] == [[world.users["staff"].email]]


def test_reviews_far_off_are_not_reminded(world):
    _agreed(world)
    call_command("send_passport_reminders")
    assert mail.outbox == []


def test_recording_a_review_moves_the_date_and_allows_the_next_reminder(world, client_for):
    passport = _agreed(world)
    Passport.objects.filter(pk=passport.pk).update(review_due=timezone.localdate() - dt.timedelta(days=3))
    page = client_for("manager").get(reverse("passports:shared")).content.decode()
    assert "Review overdue" in page
    call_command("send_passport_reminders")
    assert "was due" in mail.outbox[0].subject
    client_for("manager").post(
        reverse("passports:shared_detail", kwargs={"passport_id": passport.pk}), {"action": "review"}
    )
    passport.refresh_from_db()
    assert passport.last_reviewed_on == timezone.localdate()
    assert passport.review_due == add_months(timezone.localdate(), 6) and not passport.review_overdue
