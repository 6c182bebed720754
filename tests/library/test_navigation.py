"""The Editorial header item follows the same rule as the editorial pages: an editor through
any active membership sees it, and nobody sees an item that would answer 403."""

import pytest
from django.test import Client
from django.urls import reverse

from staffwell.core.navigation import items_for
from staffwell.core.permissions import Role
from tests.factories import MembershipFactory, RoleAssignmentFactory, UserFactory

EDITORIAL = f'href="{reverse("library:editorial")}"'


@pytest.fixture
def editor_elsewhere(world):
    """Staff at Northgate (first alphabetically, so their default organisation) and a content
    editor only through their membership of Southmoor."""
    user = UserFactory(email="dual@test.example", full_name="Dual Member")
    MembershipFactory(organisation=world.org, user=user, unit=world.team)
    southmoor = MembershipFactory(organisation=world.other_org, user=user, unit=world.other_org_team)
    RoleAssignmentFactory(membership=southmoor, role=Role.CONTENT_EDITOR)
    return user


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_an_editor_through_another_organisation_sees_the_editorial_item_everywhere(world, editor_elsewhere):
    client = _client(editor_elsewhere)
    assert client.get(reverse("library:editorial")).status_code == 200
    # Their default membership is Northgate, where they are plain staff.
    for path in ("/", reverse("library:index"), reverse("library:urgent_support")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert EDITORIAL in response.content.decode(), path


def test_the_home_page_card_and_header_agree_for_the_editor_elsewhere(world, editor_elsewhere):
    northgate = editor_elsewhere.memberships.get(organisation=world.org)
    assert "Editorial" in {item.text for item in items_for(editor_elsewhere, northgate)}


def test_whoever_sees_the_editorial_item_can_open_it_and_whoever_cannot_does_not_see_it(world, client_for):
    for persona in ("staff", "manager", "lead", "rep", "editor", "admin", "outsider", "platform"):
        client = client_for(persona)
        shown = EDITORIAL in client.get("/").content.decode()
        allowed = client.get(reverse("library:editorial")).status_code == 200
        assert shown == allowed, persona
        assert shown == (persona == "editor"), persona


def test_an_editor_whose_editor_membership_has_ended_loses_the_item_and_the_pages(world, editor_elsewhere):
    southmoor = editor_elsewhere.memberships.get(organisation=world.other_org)
    southmoor.is_active = False
    southmoor.save()
    client = _client(editor_elsewhere)
    assert EDITORIAL not in client.get("/").content.decode()
    assert client.get(reverse("library:editorial")).status_code == 403
