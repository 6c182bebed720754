"""The fixed cast every test uses.

``world`` is one organisation (with a small unit tree) and one person per role, plus an
outsider who works for another organisation and a platform admin. Tests read as sentences
about these people: "the staff-side rep sees the same report as the employer lead".
"""

import os
from dataclasses import dataclass, field

import pytest

from staffwell.core.permissions import Role
from tests.factories import (
    IcsFactory,
    MembershipFactory,
    OrganisationFactory,
    RoleAssignmentFactory,
    UnitFactory,
    UserFactory,
)

PERSONAS = ("anonymous", "staff", "manager", "lead", "rep", "editor", "admin", "platform", "outsider")

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# test body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class World:
    org: object
    other_org: object
    ics: object
    directorate: object
    team: object
    other_team: object
    other_org_team: object
    users: dict = field(default_factory=dict)
    memberships: dict = field(default_factory=dict)

    def user(self, persona: str):
        return self.users.get(persona)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _member(org, unit, persona: str, roles=(), manages=()):
    user = UserFactory(email=f"{persona}@{org.slug}.example", full_name=f"{persona.title()} Person")
    membership = MembershipFactory(organisation=org, user=user, unit=unit)
    for role in roles:
        RoleAssignmentFactory(membership=membership, role=role)
    for managed in manages:
        RoleAssignmentFactory(membership=membership, role=Role.LINE_MANAGER, unit=managed)
    return user, membership


@pytest.fixture
def world(db) -> World:
    ics = IcsFactory()
    org = OrganisationFactory(name="Northgate Test Hospitals NHS Trust", slug="northgate-test", ics=ics)
    other_org = OrganisationFactory(name="Southmoor Test Community Trust", slug="southmoor-test", ics=ics)
    directorate = UnitFactory(organisation=org, name="Medicine")
    team = UnitFactory(organisation=org, parent=directorate, name="Ward 7")
    other_team = UnitFactory(organisation=org, parent=directorate, name="Ward 8")
    other_org_team = UnitFactory(organisation=other_org, name="District Nursing")
    w = World(org, other_org, ics, directorate, team, other_team, other_org_team)
    cast = {
        "staff": (org, team, (), ()),
        "manager": (org, team, (), (team,)),
        "lead": (org, directorate, (Role.EMPLOYER_LEAD,), ()),
        "rep": (org, other_team, (Role.STAFF_SIDE_REP,), ()),
        "editor": (org, directorate, (Role.CONTENT_EDITOR,), ()),
        "admin": (org, directorate, (Role.ORG_ADMIN,), ()),
        "outsider": (other_org, other_org_team, (), ()),
    }
    for persona, (o, unit, roles, manages) in cast.items():
        w.users[persona], w.memberships[persona] = _member(o, unit, persona, roles, manages)
    w.users["platform"] = UserFactory(
        email="platform@test.example", full_name="Platform Person", is_platform_admin=True
    )
    w.users["anonymous"] = None
    return w


@pytest.fixture
def client_for(client, world):
    """A test client signed in as a persona (or anonymous)."""

    def make(persona: str):
        from django.test import Client

        c = Client()
        user = world.user(persona)
        if user is not None:
            c.force_login(user)
        return c

    return make
