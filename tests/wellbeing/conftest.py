import pytest

from staffwell.records import services as records
from staffwell.wellbeing import services


@pytest.fixture
def manager_candidate(world):
    return next(c for c in records.share_candidates(world.users["staff"]) if c.relationship == "line_manager")


@pytest.fixture
def staff_plan(world):
    return services.save_plan(
        owner=world.users["staff"],
        answers={
            "keeps_well": "Swimming on Tuesdays",
            "gets_in_way": "Back-to-back night shifts",
            "early_signs": "I stop eating breakfast",
            "what_helps": "Talking to my sister",
            "from_manager": "Fewer nights in a row",
            "i_will": "Book leave early",
            "topics": ["sleep"],
            "right_now": "ok",
        },
        review_on=None,
    )


@pytest.fixture
def staff_conversation(world):
    from staffwell.wellbeing.models import Conversation

    return services.save_conversation(
        owner=world.users["staff"],
        conversation=None,
        with_kind=Conversation.With.LINE_MANAGER,
        with_user=world.users["manager"],
        with_name="",
        status=Conversation.Status.HELD,
        booked_for=None,
        held_on=__import__("django.utils.timezone", fromlist=["localdate"]).localdate(),
        details={"place": "Office", "summary": "Rota worries", "notes": "Private thought about my rota"},
        actions=[
            {"side": "mine", "text": "Try the sleep guide"},
            {"side": "theirs", "text": "Space out my night shifts"},
        ],
        share_their_actions=True,
    )
