"""Given a record the owner has shared (or not), when someone else opens it, then only a
live grant lets them in, and every read shows in the owner's access log."""

import pytest
from django.http import Http404
from django.urls import reverse

from staffwell.core.models import AuditEvent
from staffwell.records import services
from staffwell.records.access import shared_or_404
from staffwell.records.models import Grant, Relationship


def _share_with_manager(world, section=""):
    staff = world.users["staff"]
    candidate = next(c for c in services.share_candidates(staff) if c.relationship == Relationship.LINE_MANAGER)
    return services.grant(
        owner=staff, candidate=candidate, obj=world.memberships["staff"], kind_key="testrecord", section=section
    )


def test_the_staff_members_choices_are_their_line_manager_and_their_organisations_reps(world):
    choices = {(c.user, c.relationship) for c in services.share_candidates(world.users["staff"])}
    assert choices == {
        (world.users["manager"], Relationship.LINE_MANAGER),
        (world.users["rep"], Relationship.STAFF_SIDE_REP),
    }


def test_a_colleague_can_be_found_by_email_only_in_the_owners_own_organisation(world):
    staff = world.users["staff"]
    assert services.find_colleague(staff, "LEAD@northgate-test.example").user == world.users["lead"]
    assert services.find_colleague(staff, world.users["outsider"].email) is None
    assert services.find_colleague(staff, staff.email) is None


def test_without_a_grant_nobody_else_can_open_the_record(world, membership_kind):
    for persona in ("manager", "lead", "admin", "rep", "outsider", "platform"):
        with pytest.raises(Http404):
            shared_or_404("testrecord", viewer=world.users[persona], pk=world.memberships["staff"].pk)
    assert not AuditEvent.objects.filter(action="records.testrecord.viewed").exists()


def test_a_shared_section_is_visible_to_that_person_only_and_the_read_is_logged_for_the_owner(world, membership_kind):
    _share_with_manager(world, section="first")
    shared = shared_or_404("testrecord", viewer=world.users["manager"], pk=world.memberships["staff"].pk)
    assert shared.can_see("first") and not shared.can_see("second")
    event = AuditEvent.objects.get(action="records.testrecord.viewed")
    assert event.owner == world.users["staff"] and event.actor == world.users["manager"]
    assert event.data["relationship"] == "your line manager"
    assert list(services.access_log(world.users["staff"])) == [event]
    with pytest.raises(Http404):
        shared_or_404("testrecord", viewer=world.users["lead"], pk=world.memberships["staff"].pk)


def test_withdrawing_takes_effect_immediately(world, membership_kind):
    grant = _share_with_manager(world)
    shared_or_404("testrecord", viewer=world.users["manager"], pk=world.memberships["staff"].pk)
    services.withdraw(owner=world.users["staff"], grant=grant)
    with pytest.raises(Http404):
        shared_or_404("testrecord", viewer=world.users["manager"], pk=world.memberships["staff"].pk)


def test_only_the_owner_can_share_or_withdraw(world, membership_kind):
    grant = _share_with_manager(world)
    with pytest.raises(PermissionError):
        services.withdraw(owner=world.users["manager"], grant=grant)
    manager_view = next(iter(services.share_candidates(world.users["manager"])), None)
    with pytest.raises(PermissionError):
        services.grant(
            owner=world.users["manager"],
            candidate=manager_view or services.find_colleague(world.users["manager"], world.users["lead"].email),
            obj=world.memberships["staff"],
            kind_key="testrecord",
        )


def test_sharing_the_same_thing_twice_with_the_same_person_is_refused_clearly(world, membership_kind):
    _share_with_manager(world, section="first")
    with pytest.raises(services.AlreadyShared, match="already share this with Manager Person"):
        _share_with_manager(world, section="first")


def test_the_owner_shares_through_the_sharing_page_and_sees_the_read_in_their_access_log(
    world, membership_kind, client_for
):
    staff = client_for("staff")
    record = world.memberships["staff"]
    url = reverse("records:share", kwargs={"kind": "testrecord", "record_id": record.pk})
    manager_key = f"{Relationship.LINE_MANAGER}:{world.users['manager'].pk}"
    response = staff.post(url, {"section": "second", "person": manager_key})
    assert response.status_code == 302
    grant = Grant.objects.get()
    assert (grant.grantee, grant.section, grant.label) == (
        world.users["manager"],
        "second",
        "Test record: Second section",
    )
    shared_or_404("testrecord", viewer=world.users["manager"], pk=record.pk)
    page = staff.get(reverse("records:access_log")).content.decode()
    assert "Manager Person</strong> (your line manager)" in page
    assert "viewed your test record on" in page


def test_the_sharing_page_explains_what_is_missing_and_keeps_the_choices(world, membership_kind, client_for):
    staff = client_for("staff")
    url = reverse("records:share", kwargs={"kind": "testrecord", "record_id": world.memberships["staff"].pk})
    response = staff.post(url, {"section": "first", "person": "someone_else", "email": "nobody@northgate-test.example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nobody with a staffwell account in your organisation has that email address" in html
    assert 'value="nobody@northgate-test.example"' in html
    response = staff.post(url, {})
    assert "Choose what you want to share." in response.content.decode()
    assert not Grant.objects.exists()


def test_another_persons_record_or_grant_is_a_404(world, membership_kind, client_for):
    grant = _share_with_manager(world)
    for persona in ("manager", "lead", "admin", "outsider"):
        c = client_for(persona)
        assert (
            c.get(
                reverse("records:share", kwargs={"kind": "testrecord", "record_id": world.memberships["staff"].pk})
            ).status_code
            == 404
        )
        assert c.get(reverse("records:withdraw", kwargs={"grant_id": grant.pk})).status_code == 404
        assert c.post(reverse("records:withdraw", kwargs={"grant_id": grant.pk})).status_code == 404
    assert Grant.objects.get().is_live
    assert (
        client_for("staff").get(reverse("records:share", kwargs={"kind": "nosuchkind", "record_id": 1})).status_code
        == 404
    )


def test_the_owner_withdraws_from_the_confirmation_page(world, membership_kind, client_for):
    grant = _share_with_manager(world)
    staff = client_for("staff")
    assert (
        "Stop sharing with Manager Person?"
        in staff.get(reverse("records:withdraw", kwargs={"grant_id": grant.pk})).content.decode()
    )
    assert staff.post(reverse("records:withdraw", kwargs={"grant_id": grant.pk})).status_code == 302
    grant.refresh_from_db()
    assert not grant.is_live
    assert AuditEvent.objects.filter(action="records.grant.withdrawn", owner=world.users["staff"]).exists()


def test_withdrawing_returns_only_to_the_owners_own_pages(world, membership_kind, client_for):
    staff = client_for("staff")
    grant = _share_with_manager(world, section="first")
    url = reverse("records:withdraw", kwargs={"grant_id": grant.pk})
    assert staff.post(url, {"next": "//evil.example/my/"}).url == reverse("records:sharing")
    grant = _share_with_manager(world, section="second")
    url = reverse("records:withdraw", kwargs={"grant_id": grant.pk})
    assert staff.post(url, {"next": "/my/wellbeing/"}).url == "/my/wellbeing/"


def _rep_grant(world):
    staff = world.users["staff"]
    candidate = next(c for c in services.share_candidates(staff) if c.relationship == Relationship.STAFF_SIDE_REP)
    return services.grant(owner=staff, candidate=candidate, obj=world.memberships["staff"], kind_key="testrecord")


def test_sharing_with_a_line_manager_lapses_when_they_stop_managing_the_owner(world, membership_kind, client_for):
    to_manager, to_rep = _share_with_manager(world), _rep_grant(world)
    # The admin moves the member of staff to Ward 8, which the manager does not manage.
    person = world.memberships["staff"]
    assert (
        client_for("admin").post(f"/o/{world.org.slug}/people/{person.pk}/", {"unit": world.other_team.pk}).status_code
        == 302
    )
    to_manager.refresh_from_db()
    to_rep.refresh_from_db()
    assert not to_manager.is_live
    assert to_rep.is_live  # a rep is chosen as a rep, not as a manager
    with pytest.raises(Http404):
        shared_or_404("testrecord", viewer=world.users["manager"], pk=person.pk)
    lapsed = AuditEvent.objects.get(action="records.grant.lapsed")
    assert lapsed.owner == world.users["staff"] and lapsed.actor is None
    # Nothing is shared with Ward 8's managers on the owner's behalf.
    assert not Grant.objects.live().filter(relationship=Relationship.LINE_MANAGER).exists()


def test_sharing_with_a_line_manager_stays_while_they_still_manage_the_owner(world, membership_kind, client_for):
    to_manager = _share_with_manager(world)
    person = world.memberships["staff"]
    # A change that keeps the same manager (the admin saves the person's own unit again).
    assert (
        client_for("admin").post(f"/o/{world.org.slug}/people/{person.pk}/", {"unit": world.team.pk}).status_code == 302
    )
    to_manager.refresh_from_db()
    assert to_manager.is_live
    assert shared_or_404("testrecord", viewer=world.users["manager"], pk=person.pk, log=False)


def test_sharing_with_a_line_manager_lapses_when_the_manager_leaves(world, membership_kind):
    from staffwell.organisations.hooks import structure_changed

    to_manager = _share_with_manager(world)
    world.memberships["manager"].leave()
    structure_changed(org=world.org)
    to_manager.refresh_from_db()
    assert not to_manager.is_live
