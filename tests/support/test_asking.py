"""Given a nurse affected by an incident, when they ask for support, then what they wrote is
theirs: encrypted, seen by the programme only as far as they chose, every read in their
access log, and exported and erased with everything else."""

import datetime as dt
import json

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from staffwell.core.models import AuditEvent
from staffwell.support.models import FollowUp, SupportRequest
from tests.support import helpers

FORM = {
    "about": "myself",
    "event_kind": "patient_safety",
    "what_happened": "A patient on my ward deteriorated quickly overnight.",
    "what_would_help": "Someone to talk to who understands.",
    "contact": "Call me after 4pm on 07700 900123.",
    "incident_reference": "DATIX-55821",
    "to_programme": "on",
    "programme_sections": ["what_would_help", "contact"],
    "trigger_label": "",
    "trigger_date": "",
}


def test_a_nurse_asks_for_support_and_it_goes_to_the_programme_with_follow_ups_planned(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    peer = helpers.make_peer(world.memberships["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(reverse("support:new"), FORM)
    req = SupportRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("support:detail", kwargs={"request_id": req.pk})
    assert req.owner == world.users["staff"] and req.tier == 2 and req.to_programme
    assert req.programme_sections == ["what_would_help", "contact"]
    assert FollowUp.objects.filter(request=req, is_trigger=False).count() == 3  # 3, 14 and 42 days by default
    # The peer supporters are told a request is waiting, with nothing of what was written.
    assert mailoutbox[0].to == [peer.membership.user.email]
    assert "deteriorated" not in mailoutbox[0].body and "DATIX" not in mailoutbox[0].body


def test_a_date_the_person_names_gets_a_check_in_shortly_before_it(world, client_for):
    inquest = timezone.localdate() + dt.timedelta(days=60)
    client_for("staff").post(
        reverse("support:new"), {**FORM, "trigger_label": "The inquest", "trigger_date": inquest.strftime("%d/%m/%Y")}
    )
    trigger = FollowUp.objects.get(is_trigger=True)
    assert trigger.label == "The inquest" and trigger.due_on == inquest - dt.timedelta(days=3)


def test_mistakes_get_specific_messages_and_keep_what_was_typed(world, client_for):
    response = client_for("staff").post(
        reverse("support:new"),
        {**FORM, "event_kind": "", "programme_sections": ["what_would_help"], "trigger_label": "Anniversary"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose what kind of thing happened." in body
    assert "Tick &#39;How and when to get in touch&#39;" in body or "Tick 'How and when to get in touch'" in body
    assert "Enter the date of the day you named." in body
    assert "A patient on my ward deteriorated quickly overnight." in body
    assert not SupportRequest.objects.exists()


def test_a_manager_asking_for_a_colleague_gets_the_tier_1_checklist_at_once(world, client_for):
    response = client_for("manager").post(
        reverse("support:new"), {**FORM, "about": "colleague", "colleague": "Sam on Ward 7"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("support:guidance")
    assert "Do not ask for a written statement straight away." in response.content.decode()
    assert SupportRequest.objects.get().owner == world.users["manager"]


def test_what_the_person_wrote_is_not_readable_in_the_database(world):
    helpers.ask(world, triggers=[(dt.date(2099, 1, 1), "Anniversary of the death")])
    with connection.cursor() as cursor:
        dump = ""
        for table in ("support_supportrequest", "support_followup"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            dump += " ".join(str(v) for row in cursor.fetchall() for v in row)
    for secret in ("deteriorated", "understands", "07700", "DATIX-55821", "Anniversary"):
        assert secret not in dump


def test_another_person_cannot_open_a_request_and_the_owner_can(world, client_for):
    req = helpers.ask(world)
    url = reverse("support:detail", kwargs={"request_id": req.pk})
    assert client_for("staff").get(url).status_code == 200
    for persona in ("manager", "lead", "rep", "admin", "outsider"):
        assert client_for(persona).get(url).status_code == 404, persona


def test_a_peer_supporter_sees_only_the_sections_shared_with_the_programme_and_the_owner_sees_the_read(
    world, client_for
):
    helpers.make_peer(world.memberships["editor"])
    req = helpers.ask(world)
    body = (
        client_for("editor")
        .get(reverse("support:peer_request", kwargs={"org": world.org.slug, "request_id": req.pk}))
        .content.decode()
    )
    assert "Someone to talk to who understands." in body and "07700 900123" in body
    assert "deteriorated" not in body  # not shared with the programme
    assert "DATIX-55821" not in body  # the incident reference is never shown to anyone else
    assert "Staff Person" not in body  # who asked is shown only once accepted
    log = client_for("staff").get(reverse("records:access_log")).content.decode()
    assert "Editor Person" in log


def test_the_owner_can_share_through_the_generic_sharing_page_and_the_incident_reference_stays_private(
    world, client_for
):
    from staffwell.records import services as records

    req = helpers.ask(world)
    manager = next(c for c in records.share_candidates(world.users["staff"]) if c.relationship == "line_manager")
    records.grant(owner=world.users["staff"], candidate=manager, obj=req, kind_key="support")
    body = client_for("manager").get(reverse("support:shared", kwargs={"request_id": req.pk})).content.decode()
    assert "deteriorated" in body and "DATIX-55821" not in body


def test_export_has_the_request_and_erase_removes_it_and_its_follow_ups(world, client_for):
    helpers.ask(world)
    data = json.loads(client_for("staff").get(reverse("records:export_json")).content)
    mine = data["sections"]["support"]["data"]["requests_for_support"]
    assert (
        mine[0]["What happened"].startswith("A patient on my ward") and mine[0]["incident_reference"] == "DATIX-55821"
    )
    client_for("staff").post(reverse("records:erase"), {"confirm": "ERASE"})
    assert not SupportRequest.objects.exists() and not FollowUp.objects.exists()
    assert [e.action for e in AuditEvent.objects.filter(owner=world.users["staff"])] == ["records.erasure.completed"]


def test_tier_3_referral_points_to_the_organisations_contacts(world, client_for):
    from staffwell.support import services

    programme = services.programme_for(world.org)
    programme.chaplaincy = "Chaplaincy team, extension 4455, any time"
    programme.save()
    req = helpers.ask(world)
    url = reverse("support:refer", kwargs={"request_id": req.pk})
    assert "extension 4455" in client_for("staff").get(url).content.decode()
    assert client_for("staff").post(url, {}).status_code == 400
    client_for("staff").post(url, {"service": "chaplaincy"})
    req.refresh_from_db()
    assert req.tier == 3 and req.referred_to == "chaplaincy"


def test_deleting_a_request_removes_it(world, client_for):
    req = helpers.ask(world)
    client_for("staff").post(reverse("support:delete", kwargs={"request_id": req.pk}))
    assert not SupportRequest.objects.exists()


def test_every_page_offers_the_way_in(world, client_for):
    body = client_for("lead").get(reverse("core:home")).content.decode()
    assert (
        "Something happened at work and I&#39;m affected" in body
        or "Something happened at work and I'm affected" in body
    )


def test_the_generic_sharing_page_offers_the_requests_sections(world, client_for):
    req = helpers.ask(world)
    body = (
        client_for("staff")
        .get(reverse("records:share", kwargs={"kind": "support", "record_id": req.pk}))
        .content.decode()
    )
    assert "What would help" in body and "Incident reference" not in body
    assert (
        client_for("manager").get(reverse("records:share", kwargs={"kind": "support", "record_id": req.pk})).status_code
        == 404
    )
