"""Given peer supporters with training dates, when requests arrive they see them and accept
one; requests past the organisation's target are escalated; follow-ups are emailed."""

import datetime as dt

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from staffwell.support import services
from staffwell.support.models import FollowUp, PeerSupporter, SupportRequest
from tests.support import helpers


def _queue(world):
    return reverse("support:queue", kwargs={"org": world.org.slug})


def test_the_admin_grants_the_peer_supporter_role_with_training_dates(world, client_for):
    url = reverse("support:supporters", kwargs={"org": world.org.slug})
    bad = client_for("admin").post(
        url, {"membership": world.memberships["editor"].pk, "trained_on": "1/1/2026", "refresher_due": "1/1/2025"}
    )
    assert bad.status_code == 400 and "The refresher must be due after the training date." in bad.content.decode()
    client_for("admin").post(
        url, {"membership": world.memberships["editor"].pk, "trained_on": "1/1/2026", "refresher_due": "1/1/2027"}
    )
    peer = PeerSupporter.objects.get()
    assert peer.membership == world.memberships["editor"] and peer.refresher_due == dt.date(2027, 1, 1)
    assert client_for("lead").get(url).status_code == 403


def test_an_admin_cannot_appoint_themselves_a_peer_supporter(world, client_for):
    """Found by an attack: the admin made themselves a peer supporter and read the queue."""
    url = reverse("support:supporters", kwargs={"org": world.org.slug})
    admin = client_for("admin")
    me = world.memberships["admin"]
    assert f'value="{me.pk}"' not in admin.get(url).content.decode()
    refused = admin.post(url, {"membership": me.pk, "trained_on": "1/1/2026", "refresher_due": "1/1/2027"})
    assert refused.status_code == 400 and "Choose a person from the list." in refused.content.decode()
    assert not PeerSupporter.objects.exists()
    assert admin.get(_queue(world)).status_code == 403


def test_only_peer_supporters_see_the_queue(world, client_for):
    helpers.make_peer(world.memberships["editor"])
    helpers.ask(world)
    assert "A patient safety incident" in client_for("editor").get(_queue(world)).content.decode()
    for persona in ("staff", "manager", "lead", "rep", "admin"):
        assert client_for(persona).get(_queue(world)).status_code == 403
    assert client_for("outsider").get(_queue(world)).status_code == 404


def test_requests_not_sent_to_the_programme_are_not_in_the_queue(world, client_for):
    helpers.make_peer(world.memberships["editor"])
    req = helpers.ask(world, to_programme=False)
    assert req.tier == 1
    url = reverse("support:peer_request", kwargs={"org": world.org.slug, "request_id": req.pk})
    assert client_for("editor").get(url).status_code == 404


def test_a_peer_supporter_accepts_a_request_and_a_second_cannot(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    helpers.make_peer(world.memberships["editor"])
    helpers.make_peer(world.memberships["admin"])
    req = helpers.ask(world)
    url = reverse("support:accept", kwargs={"org": world.org.slug, "request_id": req.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client_for("editor").post(url)
    req.refresh_from_db()
    assert req.accepted_by == world.users["editor"] and req.response_hours() is not None
    assert any("will be in touch" in m.subject for m in mailoutbox if m.to == [world.users["staff"].email])
    # The other supporter no longer sees it: it is someone else's now.
    assert client_for("admin").post(url).status_code == 404
    detail = client_for("editor").get(
        reverse("support:peer_request", kwargs={"org": world.org.slug, "request_id": req.pk})
    )
    assert "Staff Person" in detail.content.decode()


def test_the_accepting_supporter_marks_a_follow_up_done(world, client_for):
    helpers.make_peer(world.memberships["editor"])
    req = helpers.ask(world)
    services.accept(req=req, supporter=PeerSupporter.objects.get(), actor=world.users["editor"])
    f = req.followups.first()
    client_for("editor").post(
        reverse("support:followup_done", kwargs={"org": world.org.slug, "request_id": req.pk, "followup_id": f.pk})
    )
    f.refresh_from_db()
    assert f.done_at is not None


def test_a_request_past_the_target_is_escalated_once_by_the_scheduled_command(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    programme = services.programme_for(world.org)
    programme.response_target_hours = 2
    programme.escalate_to = "peer.support.lead@northgate.example"
    programme.save()
    helpers.make_peer(world.memberships["editor"])
    req = helpers.ask(world)
    SupportRequest.objects.filter(pk=req.pk).update(created_at=timezone.now() - dt.timedelta(hours=3))
    fresh = helpers.ask(world, persona="rep")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("escalate_support_requests", stdout=__import__("io").StringIO())
    req.refresh_from_db()
    fresh.refresh_from_db()
    assert req.escalated_at is not None and fresh.escalated_at is None
    assert len(mailoutbox) == 1 and "peer.support.lead@northgate.example" in mailoutbox[0].to
    assert "1 request(s)" in mailoutbox[0].body and "deteriorated" not in mailoutbox[0].body
    # The organisation's audit log, which its admin reads, shows no count of fewer than k.
    from staffwell.core.models import AuditEvent

    event = AuditEvent.objects.get(action="support.request.escalated")
    assert event.organisation == world.org and event.data == {"requests": "Not shown"}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("escalate_support_requests", stdout=__import__("io").StringIO())
    assert len(mailoutbox) == 1


def test_follow_ups_are_emailed_on_their_day_once_with_no_content(world, mailoutbox):
    req = helpers.ask(world)
    FollowUp.objects.filter(request=req).update(due_on=timezone.localdate())
    mailoutbox.clear()
    call_command("send_support_followups", stdout=__import__("io").StringIO())
    assert len(mailoutbox) == 3 and all(m.to == [world.users["staff"].email] for m in mailoutbox)
    assert "deteriorated" not in mailoutbox[0].body
    call_command("send_support_followups", stdout=__import__("io").StringIO())
    assert len(mailoutbox) == 3


def test_closing_a_request_stops_its_follow_ups(world, client_for, mailoutbox):
    req = helpers.ask(world)
    client_for("staff").post(reverse("support:close", kwargs={"request_id": req.pk}))
    FollowUp.objects.filter(request=req).update(due_on=timezone.localdate())
    mailoutbox.clear()
    assert services.send_due_followups() == 0
