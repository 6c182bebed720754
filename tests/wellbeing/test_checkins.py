"""Given a staff member checking in, when they save, then it is private, and the lowest
mood or "I need help now" shows urgent support at once without telling anyone."""

from django.core import mail
from django.urls import reverse

from staffwell.core.models import AuditEvent
from staffwell.wellbeing.models import CheckIn, SupportContacts


def test_a_check_in_needs_a_mood_and_keeps_what_was_typed(world, client_for):
    response = client_for("staff").post(reverse("wellbeing:checkin_new"), {"note": "long day", "factor_sleep": "worse"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose how you are doing today." in html
    assert "long day" in html
    assert not CheckIn.objects.exists()


def test_the_mood_scale_is_words_not_colours_or_bare_numbers(world, client_for):
    html = client_for("staff").get(reverse("wellbeing:checkin_new")).content.decode()
    for words in ("Good: I feel well and able to cope.", "Struggling: I am finding it very hard to cope right now."):
        assert words in html


def test_an_ordinary_check_in_is_saved_privately_with_its_factors(world, client_for):
    response = client_for("staff").post(
        reverse("wellbeing:checkin_new"),
        {"mood": "4", "factor_sleep": "worse", "factor_workload": "usual", "note": "ok"},
    )
    checkin = CheckIn.objects.get()
    assert response.url == reverse("wellbeing:checkin", kwargs={"checkin_id": checkin.pk})
    assert (checkin.owner, checkin.mood, checkin.factors) == (
        world.users["staff"],
        4,
        {"sleep": "worse", "workload": "usual"},
    )
    page = client_for("staff").get(response.url).content.decode()
    assert "Get help now" not in page and "do not have to cope with this alone" not in page


def test_the_lowest_mood_shows_the_urgent_panel_and_the_organisations_own_contacts_and_alerts_nobody(world, client_for):
    SupportContacts.objects.create(organisation=world.org, oh_name="Test OH", oh_phone="0161 496 0001")
    before = AuditEvent.objects.count()
    response = client_for("staff").post(reverse("wellbeing:checkin_new"), {"mood": "1"}, follow=True)
    html = response.content.decode()
    assert "You do not have to cope with this alone" in html
    for contact in ("999", "111", "116 123", "85258", "Test OH", "0161 496 0001"):
        assert contact in html
    assert "does not diagnose anything, and it has not told anyone" in html
    assert AuditEvent.objects.count() == before
    assert mail.outbox == []


def test_choosing_i_need_help_now_shows_the_panel_whatever_the_mood(world, client_for):
    response = client_for("staff").post(reverse("wellbeing:checkin_new"), {"mood": "3", "help_now": "on"}, follow=True)
    assert "You do not have to cope with this alone" in response.content.decode()


def test_the_history_has_a_trend_chart_with_a_data_table(world, client_for):
    import datetime as dt

    from django.utils import timezone

    from staffwell.wellbeing import services

    for days_ago, mood in ((3, 2), (1, 4)):
        c = services.record_checkin(owner=world.users["staff"], mood=mood, factors={}, help_now=False, note="")
        CheckIn.objects.filter(pk=c.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    html = client_for("staff").get(reverse("wellbeing:checkins")).content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "Low (2.0 out of 5)" in html and "Fairly good (4.0 out of 5)" in html


def test_a_check_in_is_deleted_with_what_was_shared(world, client_for, manager_candidate):
    from staffwell.records import services as records
    from staffwell.records.models import Grant
    from staffwell.wellbeing import services

    c = services.record_checkin(owner=world.users["staff"], mood=3, factors={}, help_now=False, note="x")
    records.grant(owner=world.users["staff"], candidate=manager_candidate, obj=c, kind_key="checkin")
    assert (
        client_for("manager").post(reverse("wellbeing:checkin_delete", kwargs={"checkin_id": c.pk})).status_code == 404
    )
    client_for("staff").post(reverse("wellbeing:checkin_delete", kwargs={"checkin_id": c.pk}))
    assert not CheckIn.objects.exists() and not Grant.objects.exists()
