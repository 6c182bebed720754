"""A line manager's home (My teams): what waits for their decision, what was shared with them,
their teams' latest figures with the reason when one is withheld, and emails that say so."""

import datetime as dt

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from staffwell.passports.models import Adjustment
from tests.passports.helpers import passport_for, share


def test_sharing_a_passport_and_asking_for_an_adjustment_email_the_manager(
    world, client_for, django_capture_on_commit_callbacks
):
    staff, manager = world.users["staff"], world.users["manager"]
    passport = passport_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        share(passport, manager)
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "shared a passport with you" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        from staffwell.passports import services

        services.request_adjustment(passport=passport, text="A quiet room for breaks", actor=staff)
    assert len(mail.outbox) == 2 and "waits for your decision" in mail.outbox[1].subject
    assert "A quiet room" not in mail.outbox[1].body  # never what the passport says

    html = client_for("manager").get(reverse("wellbeing:my_teams", kwargs={"org": world.org.slug})).content.decode()
    assert "Staff Person: adjustment request" in html and "Decide by" in html
    assert "Shared with you" in html
    assert f'href="{reverse("passports:shared_detail", kwargs={"passport_id": passport.pk})}"' in html
    assert "No staff survey has closed yet." in html


def test_a_decision_near_due_reminds_the_manager_once_on_each_reminder_day(world, django_capture_on_commit_callbacks):
    staff, manager = world.users["staff"], world.users["manager"]
    passport = passport_for(staff, requests=["Later starts"])
    share(passport, manager)
    adj = Adjustment.objects.get(passport=passport)
    for days, expected in ((7, 1), (5, 0), (1, 1)):
        Adjustment.objects.filter(pk=adj.pk).update(decision_due=timezone.localdate() + dt.timedelta(days=days))
        mail.outbox.clear()
        call_command("send_decision_reminders", stdout=__import__("io").StringIO())
        assert len(mail.outbox) == expected, days
        assert all(m.to == [manager.email] for m in mail.outbox)


def test_each_name_in_the_managers_teams_links_to_what_that_person_shares_or_says_why_not(world, client_for):
    from tests.factories import MembershipFactory

    staff = world.users["staff"]
    MembershipFactory(organisation=world.org, unit=world.team, user=None, full_name="Nadia Noaccount")
    colleague = MembershipFactory(organisation=world.org, unit=world.team, full_name="Colin Colleague")
    passport = passport_for(staff)
    share(passport, world.users["manager"])
    url = reverse("wellbeing:my_teams", kwargs={"org": world.org.slug})
    html = client_for("manager").get(url).content.decode()
    teams = html[html.index("Who is in your teams") :]
    # Her name leads to her entry under "Shared with you", which links to the passport itself
    assert f'<a href="#shared-{staff.pk}">Staff Person' in teams
    entry = html[html.index(f'id="shared-{staff.pk}"') : html.index("Who is in your teams")]
    assert reverse("passports:shared_detail", kwargs={"passport_id": passport.pk}) in entry
    # Nothing shared, or no account: plain text that says why
    assert "Colin Colleague <span" in teams and "has not shared anything with you" in teams
    assert colleague.user_id is not None
    assert "Nadia Noaccount <span" in teams and "not using staffwell yet" in teams
    # Another manager's share never shows here
    share(passport_for(world.users["lead"]), world.users["admin"])
    assert "Lead Person" not in client_for("manager").get(url).content.decode()


def test_nobody_but_a_manager_opens_the_manager_home(world, client_for):
    url = reverse("wellbeing:my_teams", kwargs={"org": world.org.slug})
    assert client_for("staff").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404


def test_only_one_navigation_item_is_current(world, client_for):
    import re

    html = client_for("lead").get(reverse("reporting:index", kwargs={"org": world.org.slug})).content.decode()
    assert len(re.findall(r"aria-current=", html)) == 1
