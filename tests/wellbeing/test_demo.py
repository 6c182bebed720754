from staffwell.wellbeing import demo
from staffwell.wellbeing.models import CheckIn, Conversation, Plan, SupportContacts
from tests.factories import MembershipFactory, UserFactory


def test_the_demo_gives_the_nurse_check_ins_a_plan_and_a_conversation_and_the_trust_its_contacts(world):
    nurse = UserFactory(email="nurse@northgate.example", full_name="Demo Nurse")
    manager = UserFactory(email="manager@northgate.example", full_name="Demo Manager")
    MembershipFactory(organisation=world.org, user=nurse, unit=world.team)
    MembershipFactory(organisation=world.org, user=manager, unit=world.team)
    demo.load(org=world.org, other_org=world.other_org)
    demo.load(org=world.org, other_org=world.other_org)  # loading twice adds nothing
    assert CheckIn.objects.filter(owner=nurse).count() == 12
    assert Plan.objects.get(owner=nurse).version == 1
    assert Conversation.objects.get(owner=nurse).with_user == manager
    assert SupportContacts.objects.get(organisation=world.org).oh_phone
