import pytest
from django.core.cache import cache

from staffwell.library.models import Status
from tests.factories import MembershipFactory, RoleAssignmentFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def second_editor(world):
    """Another content editor, in the other organisation: the library is shared."""
    user = UserFactory(email="editor2@southmoor-test.example", full_name="Second Editor")
    membership = MembershipFactory(organisation=world.other_org, user=user, unit=world.other_org_team)
    RoleAssignmentFactory(membership=membership, role="content_editor")
    return user


@pytest.fixture
def editor_client(client_for):
    return client_for("editor")


@pytest.fixture
def second_editor_client(second_editor):
    from django.test import Client

    c = Client()
    c.force_login(second_editor)
    return c


def published(item):
    return item.status == Status.PUBLISHED
