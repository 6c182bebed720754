"""When the line manager changes, the passport follows only with the owner's consent."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from staffwell.core.models import AuditEvent
from staffwell.core.permissions import Role
from staffwell.passports import services
from staffwell.passports.models import ManagerChange, Passport, Status
from staffwell.records.models import Grant
from tests.factories import MembershipFactory, RoleAssignmentFactory, UserFactory
from tests.passports.helpers import passport_for, share


@pytest.fixture
def confirmed(world):
    staff, manager = world.users["staff"], world.users["manager"]
    passport = passport_for(staff, requests=["Written handover notes"])
    share(passport, manager)
    services.move(adjustment=passport.adjustments.get(), to=Status.AGREED, actor=manager)
    services.confirm(passport=passport, actor=staff)
    services.confirm(passport=passport, actor=manager)
    return passport


@pytest.fixture
def ward8_manager(world):
    user = UserFactory(email="newmanager@northgate-test.example", full_name="Nadia New")
    membership = MembershipFactory(organisation=world.org, user=user, unit=world.other_team)
    RoleAssignmentFactory(membership=membership, role=Role.LINE_MANAGER, unit=world.other_team)
    return user


def _move_staff_to_ward_8(world, client_for):
    member = world.memberships["staff"]
    r = client_for("admin").post(f"/o/{world.org.slug}/people/{member.pk}/", {"unit": world.other_team.pk})
    assert r.status_code == 302


def test_a_new_manager_sees_nothing_until_the_person_chooses_to_share(world, confirmed, ward8_manager, client_for):
    _move_staff_to_ward_8(world, client_for)
    change = ManagerChange.objects.get(passport=confirmed)
    assert change.state == ManagerChange.State.ASKING_OWNER
    assert change.previous_manager == world.users["manager"] and change.new_manager == ward8_manager
    confirmed.refresh_from_db()
    assert confirmed.review_due == timezone.localdate()  # due on a change of manager
    assert not Grant.objects.live().for_object(confirmed).filter(grantee=ward8_manager).exists()

    from django.test import Client

    new_manager = Client()
    new_manager.force_login(ward8_manager)
    shared_url = reverse("passports:shared_detail", kwargs={"passport_id": confirmed.pk})
    assert new_manager.get(shared_url).status_code == 404

    staff = client_for("staff")
    mine = staff.get(reverse("passports:mine")).content.decode()
    assert "Your line manager has changed" in mine
    url = reverse("passports:manager_change", kwargs={"passport_id": confirmed.pk, "change_id": change.pk})
    assert "Nadia New" in staff.get(url).content.decode()
    r = staff.post(url, {})
    assert r.status_code == 400 and "Choose whether to share" in r.content.decode()
    assert staff.post(url, {"choice": "share", "stop_previous": "on"}).status_code == 302

    assert new_manager.get(shared_url).status_code == 200
    assert client_for("manager").get(shared_url).status_code == 404  # the old manager no longer sees it
    page = new_manager.get(shared_url).content.decode()
    assert "Please read the adjustments agreed with their previous manager" in page
    assert new_manager.post(shared_url, {"action": "confirm"}).status_code == 302
    confirmed.refresh_from_db()
    change.refresh_from_db()
    assert confirmed.confirming_manager == ward8_manager and change.state == ManagerChange.State.CONFIRMED
    # the agreed adjustment is still agreed, with its history from the previous manager
    adj = confirmed.adjustments.get()
    assert adj.status == Status.AGREED and adj.steps.filter(actor=world.users["manager"]).exists()


def test_the_person_may_decline_and_nothing_is_shared(world, confirmed, ward8_manager, client_for):
    _move_staff_to_ward_8(world, client_for)
    change = ManagerChange.objects.get(passport=confirmed)
    url = reverse("passports:manager_change", kwargs={"passport_id": confirmed.pk, "change_id": change.pk})
    assert client_for("staff").post(url, {"choice": "decline"}).status_code == 302
    change.refresh_from_db()
    assert change.state == ManagerChange.State.DECLINED
    assert not Grant.objects.live().for_object(confirmed).filter(grantee=ward8_manager).exists()
    # a later import does not ask again about the same manager
    services.review_manager_changes(org=world.org)
    assert ManagerChange.objects.filter(passport=confirmed).count() == 1


def test_running_the_hook_again_does_not_ask_twice(world, confirmed, ward8_manager, client_for):
    _move_staff_to_ward_8(world, client_for)
    services.review_manager_changes(org=world.org)
    services.review_manager_changes(org=world.org)
    assert ManagerChange.objects.filter(passport=confirmed).count() == 1


def test_the_staff_import_changing_the_manager_prompts_the_person(world, confirmed, ward8_manager):
    from staffwell.organisations import imports

    staff = world.memberships["staff"]
    rows = imports.parse(
        "person_id,name,email,unit_path,staff_group,fte,manager_of\n"
        f"{staff.person_id},{staff.full_name},{world.users['staff'].email},Medicine > Ward 7,Medical and Dental,1,\n"
        f"{world.memberships['manager'].person_id},Manager Person,{world.users['manager'].email},"
        "Medicine > Ward 8,Medical and Dental,1,Medicine > Ward 7\n"
    )
    imports.apply(world.org, rows, allow_many_leavers=True)
    assert not ManagerChange.objects.exists()  # same manager, still managing Ward 7
    rows = imports.parse(
        "person_id,name,email,unit_path,staff_group,fte,manager_of\n"
        f"{staff.person_id},{staff.full_name},{world.users['staff'].email},Medicine > Ward 8,Medical and Dental,1,\n"
        f"{world.memberships['manager'].person_id},Manager Person,{world.users['manager'].email},"
        "Medicine > Ward 7,Medical and Dental,1,Medicine > Ward 7\n"
        f"{ward8_manager.memberships.get().person_id},Nadia New,{ward8_manager.email},Medicine > Ward 8,"
        "Medical and Dental,1,Medicine > Ward 8\n"
    )
    imports.apply(world.org, rows, allow_many_leavers=True)
    change = ManagerChange.objects.get()
    assert change.new_manager == ward8_manager


def test_a_move_under_the_same_manager_makes_the_review_due(world, confirmed, client_for):
    confirmed.review_due = timezone.localdate() + dt.timedelta(days=100)
    confirmed.save()
    world.memberships["staff"].unit = world.directorate
    world.memberships["staff"].save()
    RoleAssignmentFactory(membership=world.memberships["manager"], role=Role.LINE_MANAGER, unit=world.directorate)
    services.review_manager_changes(org=world.org)
    confirmed.refresh_from_db()
    assert not ManagerChange.objects.exists()
    assert confirmed.review_due == timezone.localdate()
    # once reviewed, the next structure change does not make it due again
    services.record_review(passport=confirmed, actor=world.users["staff"])
    services.review_manager_changes(org=world.org)
    confirmed.refresh_from_db()
    assert confirmed.review_due > timezone.localdate()


def test_the_listener_queries_passports_not_people(world, django_assert_max_num_queries):
    """Thirty people with confirmed passports, nothing changed: a handful of queries in all."""
    manager = world.users["manager"]
    for i in range(30):
        user = UserFactory(email=f"p{i}@northgate-test.example")
        MembershipFactory(organisation=world.org, user=user, unit=world.team)
        Passport.objects.create(
            owner=user,
            organisation=world.org,
            kind="adjustments",
            confirming_manager=manager,
            manager_confirmed_at=timezone.now(),
            confirmed_unit_id=world.team.pk,
        )
    with django_assert_max_num_queries(5):
        assert services.review_manager_changes(org=world.org) == 0


def _confirmed_through_the_pages(world, client_for):
    """The nurse writes a passport and shares all of it with her line manager; the manager
    decides the request and confirms; the nurse confirms."""
    from django.test import Client

    staff = client_for("staff")
    r = staff.post(
        reverse("passports:new", kwargs={"kind": "adjustments"}),
        {"what_is_hard": "Bright strip lights", "what_helps": "A desk by the window", "if_unwell": ""},
    )
    assert r.status_code == 302, r.content.decode()[:1500]
    passport = Passport.objects.get(owner=world.users["staff"])
    services.request_adjustment(passport=passport, text="Written handover notes", actor=world.users["staff"])
    manager_key = f"line_manager:{world.users['manager'].pk}"
    share_url = reverse("records:share", kwargs={"kind": "passport", "record_id": passport.pk})
    assert staff.post(share_url, {"section": "all", "person": manager_key}).status_code == 302
    manager = Client()
    manager.force_login(world.users["manager"])
    adjustment = passport.adjustments.get()
    decide_url = reverse("passports:decide", kwargs={"passport_id": passport.pk, "adjustment_id": adjustment.pk})
    assert manager.post(decide_url, {"decision": Status.AGREED}).status_code == 302
    shared_url = reverse("passports:shared_detail", kwargs={"passport_id": passport.pk})
    assert manager.post(shared_url, {"action": "confirm"}).status_code == 302
    assert (
        staff.post(reverse("passports:detail", kwargs={"passport_id": passport.pk}), {"action": "confirm"}).status_code
        == 302
    )
    passport.refresh_from_db()
    assert passport.confirming_manager == world.users["manager"] and passport.owner_confirmed_at
    assert manager.get(shared_url).status_code == 200
    return passport, manager, shared_url


@pytest.mark.parametrize("answer", ["decline", "share"])
def test_a_former_manager_loses_a_confirmed_passport_when_the_owner_moves_and_the_new_one_waits_for_consent(
    world, ward8_manager, client_for, answer
):
    # Found by an attack (session 5): the manager who had confirmed a passport kept reading it
    # after the nurse moved to another unit, and still did after she declined to share it with
    # her new manager, indefinitely. A passport's line-manager grant lapses like every record's.
    from django.test import Client

    passport, old_manager, shared_url = _confirmed_through_the_pages(world, client_for)
    _move_staff_to_ward_8(world, client_for)

    assert old_manager.get(shared_url).status_code == 404
    assert not Grant.objects.live().for_object(passport).exists()
    lapsed = AuditEvent.objects.get(action="records.grant.lapsed")
    assert lapsed.owner == world.users["staff"] and lapsed.data["why"] == "no longer your line manager"
    staff = client_for("staff")
    sharing = staff.get(reverse("records:sharing")).content.decode()
    stopped = sharing[sharing.index("No longer shared") :]
    assert "Reasonable adjustments passport with Manager Person" in stopped
    assert "Manager Person is no longer your line manager" in stopped

    # The confirmation stays in the passport and travels with it.
    passport.refresh_from_db()
    assert passport.confirming_manager == world.users["manager"] and passport.manager_confirmed_at
    document = services.passport_data(passport)
    assert document["confirmed"]["by_manager"] == "Manager Person"

    new_manager = Client()
    new_manager.force_login(ward8_manager)
    assert new_manager.get(shared_url).status_code == 404  # nothing shared until she chooses
    change = ManagerChange.objects.get(passport=passport)
    url = reverse("passports:manager_change", kwargs={"passport_id": passport.pk, "change_id": change.pk})
    page = staff.get(url).content.decode()
    assert "they no longer see it as your line manager" in page
    assert staff.post(url, {"choice": answer}).status_code == 302

    assert old_manager.get(shared_url).status_code == 404
    services.review_manager_changes(org=world.org)  # a later structure change gives nothing back
    assert old_manager.get(shared_url).status_code == 404
    if answer == "decline":
        assert new_manager.get(shared_url).status_code == 404
        assert not Grant.objects.live().for_object(passport).exists()
    else:
        assert new_manager.get(shared_url).status_code == 200
        assert set(Grant.objects.live().for_object(passport).values_list("grantee", flat=True)) == {ward8_manager.pk}


def test_a_passport_not_yet_confirmed_stops_being_shared_with_a_manager_who_no_longer_manages_the_owner(
    world, ward8_manager, client_for
):
    # Found by an attacker: nobody asks the owner about a passport their manager has not
    # confirmed yet, so the former manager went on reading it indefinitely.
    passport = passport_for(world.users["staff"], requests=["Time to take medication"])
    share(passport, world.users["manager"])
    shared_url = reverse("passports:shared_detail", kwargs={"passport_id": passport.pk})
    assert client_for("manager").get(shared_url).status_code == 200
    _move_staff_to_ward_8(world, client_for)
    assert not ManagerChange.objects.filter(passport=passport).exists()
    assert not Grant.objects.live().for_object(passport).exists()
    assert client_for("manager").get(shared_url).status_code == 404
    lapsed = AuditEvent.objects.get(action="records.grant.lapsed")
    assert lapsed.owner == world.users["staff"]
