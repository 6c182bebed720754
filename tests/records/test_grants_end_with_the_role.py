"""Sharing ends with the role it was given to (found by an attack): a rep who stops being a rep,
or anyone who leaves the organisation, no longer sees what was shared with them as such."""

from django.urls import reverse

from staffwell.core.models import AuditEvent
from staffwell.organisations import hooks
from staffwell.records.models import Grant, Relationship
from tests.passports.helpers import passport_for, share


def _shared_with_rep(world):
    passport = passport_for(world.users["staff"])
    return share(passport, world.users["rep"], relationship=Relationship.STAFF_SIDE_REP), passport


def test_a_rep_whose_role_is_removed_no_longer_sees_what_was_shared_with_them_as_rep(world, client_for):
    grant, passport = _shared_with_rep(world)
    rep_page = reverse("passports:shared_detail", kwargs={"passport_id": passport.pk})
    assert client_for("rep").get(rep_page).status_code == 200
    rep = world.memberships["rep"]
    # The staff side ends its own reps' roles (organisations.staff_side): here the rep steps down.
    r = client_for("rep").post(f"/o/{world.org.slug}/staff-side/{rep.pk}/remove/")
    assert r.status_code == 302
    grant.refresh_from_db()
    assert grant.withdrawn_at is not None
    assert client_for("rep").get(rep_page).status_code == 404
    lapsed = AuditEvent.objects.get(action="records.grant.lapsed", owner=world.users["staff"])
    assert lapsed.data["why"] == "is no longer a staff-side rep"


def test_anyone_who_leaves_the_organisation_stops_seeing_what_was_shared_with_them(world):
    grant, passport = _shared_with_rep(world)
    trusted = share(passport, world.users["editor"], relationship=Relationship.TRUSTED_PERSON)
    world.memberships["editor"].is_active = False
    world.memberships["editor"].save()
    hooks.structure_changed(org=world.org)
    trusted.refresh_from_db()
    grant.refresh_from_db()
    assert trusted.withdrawn_at is not None and grant.withdrawn_at is None
    assert Grant.objects.live().filter(grantee=world.users["rep"]).exists()
