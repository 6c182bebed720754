from staffwell.library import demo
from staffwell.library.models import Resource, Status


def test_the_demo_gives_the_editor_something_to_review_and_something_stale(world):
    demo.load(org=world.org, other_org=world.other_org)
    demo.load(org=world.org, other_org=world.other_org)  # twice is harmless
    money = Resource.objects.get(slug="turn2us")
    assert money.status == Status.IN_REVIEW and world.user("editor").pk not in money.authors()
    assert Resource.objects.get(slug="head-first").is_stale()
