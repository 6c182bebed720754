"""Given a conversation the staff member recorded with their manager, when the manager
looks, then they see only their own actions and what was shared with them."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from staffwell.core.models import AuditEvent
from staffwell.records import services as records
from staffwell.records.models import Grant
from staffwell.wellbeing.models import Conversation


def _shared_url(c):
    return reverse("wellbeing:shared_conversation", kwargs={"conversation_id": c.pk})


def test_the_staff_member_records_a_conversation_with_their_manager(world, client_for):
    manager_key = f"manager:{world.users['manager'].pk}"
    response = client_for("staff").post(
        reverse("wellbeing:conversation_new"),
        {
            "who": manager_key,
            "status": "held",
            "date": timezone.localdate().strftime("%d/%m/%Y"),
            "summary": "Rota",
            "notes": "My own private thoughts",
            "mine_0_text": "Book leave",
            "theirs_0_text": "Look at the rota",
            "share_their_actions": "on",
        },
    )
    assert response.status_code == 302
    c = Conversation.objects.get()
    assert (c.with_user, c.status, c.organisation) == (world.users["manager"], "held", world.org)
    assert [(a.side, a.text) for a in c.actions.all()] == [("mine", "Book leave"), ("theirs", "Look at the rota")]
    assert Grant.objects.live().get().section == "their_actions"


def test_booking_needs_a_future_date_and_a_time_and_recording_a_past_one(world, client_for):
    staff = client_for("staff")
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    html = staff.post(
        reverse("wellbeing:conversation_new"),
        {"who": "someone_else", "name": "Sam", "status": "booked", "date": yesterday},
    ).content.decode()
    assert "Enter a date today or in the future for a booked conversation." in html
    html = staff.post(
        reverse("wellbeing:conversation_new"),
        {"who": "someone_else", "name": "Sam", "status": "booked", "date": tomorrow},
    ).content.decode()
    assert "Enter the time the conversation is booked for." in html
    html = staff.post(
        reverse("wellbeing:conversation_new"),
        {"who": "someone_else", "name": "Sam", "status": "held", "date": tomorrow},
    ).content.decode()
    assert "A conversation that has happened must have a date today or in the past." in html
    html = staff.post(reverse("wellbeing:conversation_new"), {"who": "someone_else", "status": "held"}).content.decode()
    assert "Enter the name of the person you are having the conversation with." in html
    assert not Conversation.objects.exists()
    response = staff.post(
        reverse("wellbeing:conversation_new"),
        {"who": "someone_else", "name": "Sam", "status": "booked", "date": tomorrow, "time": "14:30"},
    )
    assert response.status_code == 302
    c = Conversation.objects.get()
    assert timezone.localtime(c.booked_for).strftime("%H:%M") == "14:30" and c.with_name == "Sam"


def test_the_manager_sees_only_their_own_actions_and_the_read_is_logged(world, client_for, staff_conversation):
    html = client_for("manager").get(_shared_url(staff_conversation)).content.decode()
    assert "Space out my night shifts" in html
    for private in ("Private thought about my rota", "Try the sleep guide", "Rota worries"):
        assert private not in html
    event = AuditEvent.objects.get(action="records.conversation.viewed")
    assert event.owner == world.users["staff"] and event.actor == world.users["manager"]


def test_sharing_the_notes_shows_them_and_withdrawing_hides_them_at_once(
    world, client_for, staff_conversation, manager_candidate
):
    g = records.grant(
        owner=world.users["staff"],
        candidate=manager_candidate,
        obj=staff_conversation,
        kind_key="conversation",
        section="notes",
    )
    manager = client_for("manager")
    assert "Private thought about my rota" in manager.get(_shared_url(staff_conversation)).content.decode()
    records.withdraw(owner=world.users["staff"], grant=g)
    assert "Private thought about my rota" not in manager.get(_shared_url(staff_conversation)).content.decode()


def test_unticking_share_their_actions_withdraws_it(world, client_for, staff_conversation):
    client_for("staff").post(
        reverse("wellbeing:conversation_edit", kwargs={"conversation_id": staff_conversation.pk}),
        {
            "who": f"manager:{world.users['manager'].pk}",
            "status": "held",
            "date": timezone.localdate().strftime("%d/%m/%Y"),
            "theirs_0_text": "Space out my night shifts",
        },
    )
    assert client_for("manager").get(_shared_url(staff_conversation)).status_code == 404


def test_nobody_else_can_open_the_conversation_by_its_id(world, client_for, staff_conversation):
    for persona in ("lead", "rep", "admin", "editor", "outsider", "platform"):
        c = client_for(persona)
        for name in ("wellbeing:conversation", "wellbeing:conversation_edit", "wellbeing:shared_conversation"):
            assert c.get(reverse(name, kwargs={"conversation_id": staff_conversation.pk})).status_code == 404, (
                persona,
                name,
            )
    assert (
        client_for("manager")
        .get(reverse("wellbeing:conversation", kwargs={"conversation_id": staff_conversation.pk}))
        .status_code
        == 404
    )


def test_the_conversation_is_listed_for_the_manager_under_shared_with_me(world, client_for, staff_conversation):
    html = client_for("manager").get(reverse("wellbeing:shared_with_me")).content.decode()
    assert "Staff Person" in html and "Wellbeing conversation on " in html
    assert "Wellbeing conversation with" not in html  # the label names the kind and date, never who
    assert ": What they will do" in html
    assert "Staff Person" not in client_for("lead").get(reverse("wellbeing:shared_with_me")).content.decode()


def test_a_new_conversation_shares_nothing_unless_the_person_ticks_it(world, client_for):
    html = client_for("staff").get(reverse("wellbeing:conversation_new")).content.decode()
    box = html[html.index('name="share_their_actions"') - 200 : html.index('name="share_their_actions"') + 200]
    assert "checked" not in box
