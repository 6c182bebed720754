"""Choice fields given what no browser sends (found by an attack): an id that is not a number,
one that does not exist, and one far too large for the database. Each gets a clear error on
the form, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from staffwell.library.models import CaseStudy, Resource
from staffwell.support.models import Walkthrough

HUGE = "99999999999999999999"


def _client(world, persona):
    c = Client(raise_request_exception=False)
    c.force_login(world.users[persona])
    return c


@pytest.mark.parametrize("field", ["person", "hr", "rep"])
@pytest.mark.parametrize("value", ["abc", "987654", HUGE, "-1", "1.5"])
def test_a_just_culture_walkthrough_with_a_made_up_person_is_refused_clearly(world, field, value):
    data = {
        "person": world.memberships["staff"].pk,
        "event": "Gave a second dose of a medicine",
        field: value,
    }
    r = _client(world, "lead").post(reverse("support:walkthrough_new", kwargs={"org": world.org.slug}), data)
    assert r.status_code == 400
    assert "from the list" in r.content.decode() or "valid choice" in r.content.decode()
    assert not Walkthrough.objects.exists()


RESOURCE = {
    "title": "Shift work and sleep",
    "slug": "shift-work-and-sleep",
    "provider": "A sleep charity",
    "url": "https://example.org/shift-sleep",
    "kind": "guide",
    "summary": "How to sleep well around night shifts.",
}


@pytest.mark.parametrize("field", ["topics", "audiences"])
@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "abc", "987654"])
def test_a_resource_with_a_made_up_topic_or_audience_is_refused_clearly(world, field, value):
    r = _client(world, "editor").post(
        reverse("library:editorial_create", kwargs={"kind": "resources"}), {**RESOURCE, field: [value]}
    )
    assert r.status_code == 400
    assert "valid choice" in r.content.decode() or "not a valid value" in r.content.decode()
    assert not Resource.objects.filter(slug="shift-work-and-sleep").exists()


@pytest.mark.parametrize("value", [HUGE, "abc"])
def test_a_case_study_with_a_made_up_topic_is_refused_clearly(world, value):
    r = _client(world, "editor").post(
        reverse("library:editorial_create", kwargs={"kind": "case-studies"}),
        {"title": "A ward that rests", "slug": "a-ward-that-rests", "topics": [value]},
    )
    assert r.status_code == 400
    assert not CaseStudy.objects.filter(slug="a-ward-that-rests").exists()
