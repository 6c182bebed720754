"""A passport belongs to its owner; adjustments are agreed with the line manager, step by step."""

import pytest
from django.db import connection
from django.urls import reverse

from staffwell.core.models import AuditEvent
from staffwell.passports import services
from staffwell.passports.models import Adjustment, AdjustmentStep, Passport, PassportKind, Status
from staffwell.records.models import Relationship
from tests.passports.helpers import passport_for, share

SECRET = "Migraines from the strip lights on Ward 7"


def test_the_staff_member_creates_both_kinds_in_their_own_words(world, client_for):
    staff = client_for("staff")
    r = staff.post(
        reverse("passports:new", kwargs={"kind": "adjustments"}),
        {"what_is_hard": SECRET, "what_helps": "A desk by the window"},
    )
    assert r.status_code == 302
    r = staff.post(
        reverse("passports:new", kwargs={"kind": "carer"}),
        {"caring_situation": "I look after my dad", "flexibility_needed": "Fixed Tuesdays off"},
    )
    assert r.status_code == 302
    kinds = set(Passport.objects.filter(owner=world.users["staff"]).values_list("kind", flat=True))
    assert kinds == {"adjustments", "carer"}
    detail = staff.get(r.url).content.decode()
    assert "I look after my dad" in detail and "Fixed Tuesdays off" in detail


def test_a_passport_without_the_first_answer_is_refused_and_keeps_what_was_typed(world, client_for):
    r = client_for("staff").post(
        reverse("passports:new", kwargs={"kind": "carer"}), {"flexibility_needed": "Fixed Tuesdays off"}
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "Enter who I care for and what that involves, in your own words." in body
    assert "Fixed Tuesdays off" in body
    assert not Passport.objects.exists()


def test_the_raw_database_holds_nothing_readable(world):
    staff = world.users["staff"]
    passport = passport_for(staff, words={"what_is_hard": SECRET, "what_helps": "Quiet handovers please"})
    adj = services.request_adjustment(passport=passport, text="Anti-glare screen for the nursing station", actor=staff)
    share(passport, world.users["manager"])
    services.move(
        adjustment=adj, to=Status.NOT_AGREED, actor=world.users["manager"], reason="Screens are on order until June"
    )
    services.signing.signing_key_for(world.org)
    found = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names()
        assert any(t.startswith("passports_") for t in tables)
        for table in tables:  # every table: passports, grants, the audit log, sessions...
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                for needle in ("Migraines", "Quiet handovers", "Anti-glare", "on order"):
                    if needle in text:
                        found.append((table, needle))
    assert found == []
    # and the content reads back through the ORM
    adj.refresh_from_db()
    assert adj.reason == "Screens are on order until June"


def test_the_signing_private_key_is_encrypted_at_rest(world):
    key = services.signing.signing_key_for(world.org)
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_key FROM passports_signingkey WHERE id = %s", [key.pk])
        stored = cursor.fetchone()[0]
    assert key.private_key not in stored


def test_each_step_records_who_and_when_and_the_person_sees_the_reason(world, client_for):
    staff, manager = world.users["staff"], world.users["manager"]
    passport = passport_for(staff, requests=["Written handover notes", "No more than two nights in a row", "A fan"])
    share(passport, manager)
    first, second, third = passport.adjustments.all()
    assert first.decision_due == first.requested_at.date() + __import__("datetime").timedelta(days=28)
    m = client_for("manager")
    assert (
        m.post(
            reverse("passports:decide", kwargs={"passport_id": passport.pk, "adjustment_id": first.pk}),
            {"decision": "agreed"},
        ).status_code
        == 302
    )
    m.post(
        reverse("passports:decide", kwargs={"passport_id": passport.pk, "adjustment_id": second.pk}),
        {"decision": "agreed_with_changes", "agreed_text": "Three nights at most", "reason": "Cover is short"},
    )
    m.post(
        reverse("passports:decide", kwargs={"passport_id": passport.pk, "adjustment_id": third.pk}),
        {"decision": "not_agreed", "reason": "Fans are not allowed on the ward for infection control"},
    )
    statuses = list(passport.adjustments.values_list("status", flat=True))
    assert statuses == [Status.AGREED, Status.AGREED_WITH_CHANGES, Status.NOT_AGREED]
    step = AdjustmentStep.objects.get(adjustment=third, status=Status.NOT_AGREED)
    assert step.actor == manager and step.actor_role == "line manager" and step.at is not None
    page = client_for("staff").get(reverse("passports:detail", kwargs={"passport_id": passport.pk})).content.decode()
    assert "Fans are not allowed on the ward for infection control" in page
    assert "Three nights at most" in page
    # in place, then reviewed
    m.post(
        reverse("passports:shared_step", kwargs={"passport_id": passport.pk, "adjustment_id": first.pk}),
        {"to": "in_place"},
    )
    m.post(
        reverse("passports:shared_step", kwargs={"passport_id": passport.pk, "adjustment_id": first.pk}),
        {"to": "reviewed"},
    )
    first.refresh_from_db()
    assert first.status == Status.REVIEWED
    assert [s.status for s in first.steps.all()] == ["requested", "agreed", "in_place", "reviewed"]


def test_not_agreed_without_a_reason_is_refused_with_a_specific_message(world, client_for):
    passport = passport_for(world.users["staff"], requests=["A fan"])
    share(passport, world.users["manager"])
    adj = passport.adjustments.get()
    r = client_for("manager").post(
        reverse("passports:decide", kwargs={"passport_id": passport.pk, "adjustment_id": adj.pk}),
        {"decision": "not_agreed"},
    )
    assert r.status_code == 400
    assert "Give the reason: the person will see it" in r.content.decode()
    adj.refresh_from_db()
    assert adj.status == Status.REQUESTED


def test_a_staff_side_rep_sees_the_passport_but_cannot_decide(world, client_for):
    passport = passport_for(world.users["staff"], requests=["A fan"])
    share(passport, world.users["rep"], relationship=Relationship.STAFF_SIDE_REP)
    adj = passport.adjustments.get()
    rep = client_for("rep")
    page = rep.get(reverse("passports:shared_detail", kwargs={"passport_id": passport.pk})).content.decode()
    assert "Bright strip lights" in page and "A fan" in page
    assert "Decide on adjustment" not in page
    r = rep.post(
        reverse("passports:decide", kwargs={"passport_id": passport.pk, "adjustment_id": adj.pk}),
        {"decision": "agreed"},
    )
    assert r.status_code == 302
    adj.refresh_from_db()
    assert adj.status == Status.REQUESTED
    with pytest.raises(services.NotAllowed):
        services.move(adjustment=adj, to=Status.AGREED, actor=world.users["rep"])


def test_the_owner_cannot_agree_their_own_requests(world):
    passport = passport_for(world.users["staff"], requests=["A fan"])
    with pytest.raises(services.NotAllowed):
        services.move(adjustment=passport.adjustments.get(), to=Status.AGREED, actor=world.users["staff"])


def test_both_confirm_and_a_later_decision_undoes_the_confirmation(world, client_for):
    staff, manager = world.users["staff"], world.users["manager"]
    passport = passport_for(staff, requests=["Written handover notes"])
    share(passport, manager)
    with pytest.raises(services.NotAllowed, match="Every request needs a decision"):
        services.confirm(passport=passport, actor=staff)
    services.move(adjustment=passport.adjustments.get(), to=Status.AGREED, actor=manager)
    client_for("staff").post(reverse("passports:detail", kwargs={"passport_id": passport.pk}), {"action": "confirm"})
    client_for("manager").post(
        reverse("passports:shared_detail", kwargs={"passport_id": passport.pk}), {"action": "confirm"}
    )
    passport.refresh_from_db()
    assert passport.is_confirmed and passport.confirming_manager == manager
    assert passport.confirmed_unit_id == world.team.pk
    services.request_adjustment(passport=passport, text="Later start on Mondays", actor=staff)
    passport.refresh_from_db()
    assert not passport.is_confirmed


def test_only_sections_shared_are_shown(world, client_for):
    passport = passport_for(world.users["staff"], requests=["Written handover notes"])
    share(passport, world.users["manager"], section="adjustments")
    page = client_for("manager").get(reverse("passports:shared_detail", kwargs={"passport_id": passport.pk}))
    body = page.content.decode()
    assert "Written handover notes" in body
    assert "Bright strip lights" not in body


def test_every_read_by_someone_else_is_in_the_owners_access_log(world, client_for):
    passport = passport_for(world.users["staff"])
    share(passport, world.users["manager"])
    client_for("manager").get(reverse("passports:shared_detail", kwargs={"passport_id": passport.pk}))
    event = AuditEvent.objects.get(action="records.passport.viewed")
    assert event.owner == world.users["staff"] and event.actor == world.users["manager"]
    log = client_for("staff").get(reverse("records:access_log")).content.decode()
    assert "Manager Person" in log


@pytest.mark.parametrize("persona", ["manager", "lead", "rep", "editor", "admin", "outsider", "platform"])
def test_nobody_without_consent_sees_any_content(world, client_for, persona):
    passport = passport_for(world.users["staff"], requests=["Written handover notes"])
    adj = passport.adjustments.get()
    c = client_for(persona)
    for name, kwargs in [
        ("passports:detail", {"passport_id": passport.pk}),
        ("passports:edit", {"passport_id": passport.pk}),
        ("passports:export_json", {"passport_id": passport.pk}),
        ("passports:export_pdf", {"passport_id": passport.pk}),
        ("passports:shared_detail", {"passport_id": passport.pk}),
        ("passports:decide", {"passport_id": passport.pk, "adjustment_id": adj.pk}),
    ]:
        r = c.get(reverse(name, kwargs=kwargs))
        assert r.status_code == 404, (name, r.status_code)
    for name in ("passports:shared", "passports:mine"):
        body = c.get(reverse(name)).content.decode()
        assert "Bright strip lights" not in body and "Written handover" not in body
    for name, kwargs in [
        ("passports:adjustment_step", {"passport_id": passport.pk, "adjustment_id": adj.pk}),
        ("passports:shared_step", {"passport_id": passport.pk, "adjustment_id": adj.pk}),
    ]:
        assert c.post(reverse(name, kwargs=kwargs), {"to": "agreed"}).status_code == 404
    assert c.post(reverse("passports:delete", kwargs={"passport_id": passport.pk})).status_code == 404
    adj.refresh_from_db()
    assert adj.status == Status.REQUESTED and Passport.objects.filter(pk=passport.pk).exists()


def test_withdrawing_consent_takes_effect_at_once(world, client_for):
    from staffwell.records import services as records

    passport = passport_for(world.users["staff"])
    grant = share(passport, world.users["manager"])
    url = reverse("passports:shared_detail", kwargs={"passport_id": passport.pk})
    assert client_for("manager").get(url).status_code == 200
    records.withdraw(owner=world.users["staff"], grant=grant)
    assert client_for("manager").get(url).status_code == 404


def test_hr_and_admins_see_no_content_in_the_organisation_audit_log(world, client_for):
    passport = passport_for(world.users["staff"], requests=["Written handover notes"])
    share(passport, world.users["manager"])
    body = client_for("admin").get(reverse("organisations:audit", kwargs={"org": world.org.slug})).content.decode()
    assert "Written handover" not in body and "Bright strip" not in body


def test_export_and_erase_through_the_records_registry(world, client_for):
    staff = world.users["staff"]
    passport = passport_for(staff, requests=["Written handover notes"])
    data = client_for("staff").get(reverse("records:export_json")).json()
    exported = data["sections"]["passports"]["data"]
    assert exported[0]["adjustments"][0]["request"] == "Written handover notes"
    r = client_for("staff").post(reverse("records:erase"), {"confirm": "ERASE"})
    assert r.status_code == 302
    assert not Passport.objects.filter(pk=passport.pk).exists()
    assert not Adjustment.objects.exists() and not AdjustmentStep.objects.exists()


def test_deleting_a_passport_withdraws_every_grant(world, client_for):
    from staffwell.records.models import Grant

    passport = passport_for(world.users["staff"])
    share(passport, world.users["manager"])
    assert client_for("staff").post(reverse("passports:delete", kwargs={"passport_id": passport.pk})).status_code == 302
    assert not Passport.objects.exists()
    assert not Grant.objects.live().filter(kind="passport").exists()


def test_a_second_passport_of_the_same_kind_opens_the_first(world, client_for):
    passport = passport_for(world.users["staff"], kind=PassportKind.ADJUSTMENTS)
    r = client_for("staff").get(reverse("passports:new", kwargs={"kind": "adjustments"}))
    assert r.status_code == 302 and r.url == reverse("passports:detail", kwargs={"passport_id": passport.pk})


def test_the_owner_marks_an_agreed_adjustment_in_place_but_not_reviewed(world, client_for):
    passport = passport_for(world.users["staff"], requests=["A fan"])
    share(passport, world.users["manager"])
    adj = passport.adjustments.get()
    services.move(adjustment=adj, to=Status.AGREED, actor=world.users["manager"])
    url = reverse("passports:adjustment_step", kwargs={"passport_id": passport.pk, "adjustment_id": adj.pk})
    client_for("staff").post(url, {"to": "in_place"})
    adj.refresh_from_db()
    assert adj.status == Status.IN_PLACE
    client_for("staff").post(url, {"to": "reviewed"})
    adj.refresh_from_db()
    assert adj.status == Status.IN_PLACE
