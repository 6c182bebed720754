import pytest
from django.urls import reverse

from staffwell.organisations.models import Membership
from staffwell.records import registry


@pytest.fixture
def membership_kind(monkeypatch):
    """A record kind over Membership (owned by its ``user``), so the machinery is tested on
    a real table without depending on any one staff-owned app."""
    kind = registry.Kind(
        key="testrecord",
        model=Membership,
        noun="test record",
        sections=lambda obj: [("first", "First section"), ("second", "Second section")],
        describe=lambda obj: "Test record",
        owner_field="user",
        detail_url=lambda obj: reverse("records:my_data"),
    )
    monkeypatch.setitem(registry._KINDS, kind.key, kind)
    return kind


@pytest.fixture
def erased_log():
    return []


@pytest.fixture
def test_owner_data(monkeypatch, erased_log):
    data = registry.OwnerData(
        key="testapp",
        title="My test things",
        export=lambda user: {"things": [{"note": f"note of {user.full_name}"}]},
        erase=lambda user: erased_log.append(user.pk) or 3,
    )
    monkeypatch.setitem(registry._OWNER_DATA, data.key, data)
    return data
