"""Given staff who recorded conversations, the organisation sees only a suppressed share;
its own support contacts are edited by the employer lead or admin."""

from django.urls import reverse
from django.utils import timezone

from staffwell.core.models import AuditEvent
from staffwell.wellbeing import services
from staffwell.wellbeing.models import Conversation, SupportContacts
from tests.factories import MembershipFactory, UserFactory


def _people_with_conversations(world, n_with: int, n_without: int):
    for i in range(n_with + n_without):
        user = UserFactory(email=f"p{i}@northgate-test.example")
        MembershipFactory(organisation=world.org, user=user, unit=world.team)
        if i < n_with:
            Conversation.objects.create(
                owner=user,
                organisation=world.org,
                with_kind="someone_else",
                with_name="A friend",
                status="held",
                held_on=timezone.localdate(),
            )


def test_the_share_who_had_a_conversation_is_withheld_below_the_minimum_group(world, client_for):
    _people_with_conversations(world, n_with=4, n_without=20)
    figures = services.conversation_figures(world.org)
    assert figures["had_conversation"].suppressed and figures["had_conversation_count"].suppressed
    html = client_for("lead").get(reverse("wellbeing:org_figures", kwargs={"org": world.org.slug})).content.decode()
    assert "Not shown" in html


def test_the_share_is_shown_when_enough_people_are_on_each_side(world, client_for):
    _people_with_conversations(world, n_with=12, n_without=12)
    figures = services.conversation_figures(world.org)
    assert not figures["had_conversation"].suppressed
    staff_total = 12 + 12 + 6  # plus the six org members of the cast
    assert figures["had_conversation"].value == round(100 * 12 / staff_total, 1)
    html = client_for("rep").get(reverse("wellbeing:org_figures", kwargs={"org": world.org.slug})).content.decode()
    assert f"{figures['had_conversation']}%" in html
    assert "A friend" not in html


def test_the_employer_lead_edits_the_support_contacts_with_specific_errors_and_an_audit_entry(world, client_for):
    url = reverse("wellbeing:support_contacts", kwargs={"org": world.org.slug})
    lead = client_for("lead")
    response = lead.post(url, {"oh_name": "OH", "oh_phone": "call us!", "eap_url": "not a url"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a phone number using digits, spaces and + only" in html
    assert "Enter a web address starting with https://." in html
    assert 'value="call us!"' in html
    response = lead.post(url, {"oh_name": "Northgate OH", "oh_phone": "0161 496 0000", "eap_name": "EAP"})
    assert response.status_code == 302
    contacts = SupportContacts.objects.get(organisation=world.org)
    assert (contacts.oh_phone, contacts.updated_by) == ("0161 496 0000", world.users["lead"])
    assert AuditEvent.objects.filter(action="wellbeing.support_contacts.changed", organisation=world.org).exists()
    assert client_for("manager").post(url, {"oh_name": "X"}).status_code == 403
    assert client_for("outsider").get(url).status_code == 404


def test_the_count_is_withheld_with_the_share_so_the_few_without_a_conversation_cannot_be_worked_out(world):
    _people_with_conversations(world, n_with=20, n_without=0)  # 26 staff, 20 had one, 6 did not
    figures = services.conversation_figures(world.org)
    assert not figures["staff"].suppressed
    assert figures["had_conversation"].suppressed
    assert figures["had_conversation_count"].suppressed
