"""Sharing the element profile with the integrated care system needs both sides: one side
proposes, the other agrees. Either side may stop sharing alone, since that publishes less."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from staffwell.assessments import services
from staffwell.assessments.models import SharingSetting, Side
from staffwell.core.models import AuditEvent
from staffwell.core.permissions import Role
from tests.assessments import helpers
from tests.factories import MembershipFactory, OrganisationFactory, RoleAssignmentFactory


def sharing_url(world):
    return reverse("assessments:sharing", kwargs={"org": world.org.slug})


def setting(world) -> SharingSetting:
    return SharingSetting.objects.get(organisation=world.org)


@pytest.fixture
def icb_lead(world):
    icb = OrganisationFactory(kind="icb", ics=world.ics, slug="icb-test")
    membership = MembershipFactory(organisation=icb)
    RoleAssignmentFactory(membership=membership, role=Role.EMPLOYER_LEAD)
    c = Client()
    c.force_login(membership.user)
    return c, reverse("assessments:system", kwargs={"org": icb.slug})


def test_a_proposal_by_one_side_shares_nothing_until_the_other_side_agrees(
    world, client_for, icb_lead, mailoutbox, django_capture_on_commit_callbacks
):
    cycle = helpers.signed_cycle(world)
    icb, system_url = icb_lead
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("rep").post(sharing_url(world), {"action": "propose"}).status_code == 302
    s = setting(world)
    assert not s.share_with_ics and s.pending and s.proposal.side == Side.STAFF
    assert world.org.name not in icb.get(system_url).content.decode()
    # The employer side is told, and sees the proposal waiting for them.
    assert [m.to for m in mailoutbox] == [[world.users["lead"].email]]
    page = client_for("lead").get(sharing_url(world)).content.decode()
    assert "Agree to share for the employer side" in page and world.users["rep"].full_name in page

    assert client_for("lead").post(sharing_url(world), {"action": "agree"}).status_code == 302
    s = setting(world)
    assert s.share_with_ics
    assert (s.proposal.agreed_by, s.proposal.side, s.acceptance.agreed_by, s.acceptance.side) == (
        world.users["rep"],
        Side.STAFF,
        world.users["lead"],
        Side.EMPLOYER,
    )
    assert s.proposal.agreed_at <= s.acceptance.agreed_at <= timezone.now()
    body = icb.get(system_url).content.decode()
    assert world.org.name in body and cycle.title in body
    # The record shows who proposed and who agreed, to both sides.
    index = client_for("rep").get(reverse("assessments:index", kwargs={"org": world.org.slug})).content.decode()
    assert f"proposed by {world.users['rep'].full_name}" in index
    assert f"agreed by {world.users['lead'].full_name}" in index
    actions = list(
        AuditEvent.objects.filter(action__startswith="partnership.assessment.sharing.", partnership=True)
        .order_by("pk")
        .values_list("action", "actor", "data__side")
    )
    assert actions == [
        ("partnership.assessment.sharing.agreed", world.users["rep"].pk, "staff"),
        ("partnership.assessment.sharing.agreed", world.users["lead"].pk, "employer"),
    ]


def test_the_side_that_proposed_cannot_agree_its_own_proposal(world, client_for):
    client_for("lead").post(sharing_url(world), {"action": "propose"})
    response = client_for("lead").post(sharing_url(world), {"action": "agree"})
    assert response.status_code == 400
    assert "one side cannot agree its own proposal" in response.content.decode()
    # Nor can someone else on the same side.
    other_lead = MembershipFactory(organisation=world.org)
    RoleAssignmentFactory(membership=other_lead, role=Role.EMPLOYER_LEAD)
    c = Client()
    c.force_login(other_lead.user)
    assert c.post(sharing_url(world), {"action": "agree"}).status_code == 400
    assert not setting(world).share_with_ics
    assert AuditEvent.objects.filter(action="partnership.assessment.sharing.agreed").count() == 1


def test_either_side_alone_can_stop_sharing(world, client_for):
    for stopper in ("lead", "rep"):
        services.propose_sharing(org=world.org, side=Side.EMPLOYER, actor=world.users["lead"])
        services.agree_sharing(org=world.org, side=Side.STAFF, actor=world.users["rep"])
        assert setting(world).share_with_ics
        assert client_for(stopper).post(sharing_url(world), {"action": "stop"}).status_code == 302
        s = setting(world)
        assert not s.share_with_ics and not s.pending and s.changed_by == world.users[stopper]
        event = AuditEvent.objects.filter(action="assessment.sharing.stopped").latest("pk")
        assert event.actor == world.users[stopper]


def test_the_other_side_can_decline_and_the_proposer_can_withdraw(world, client_for):
    client_for("lead").post(sharing_url(world), {"action": "propose"})
    assert client_for("rep").post(sharing_url(world), {"action": "decline"}).status_code == 302
    assert not setting(world).pending
    client_for("rep").post(sharing_url(world), {"action": "propose"})
    assert client_for("rep").post(sharing_url(world), {"action": "decline"}).status_code == 302
    s = setting(world)
    assert not s.pending and not s.share_with_ics
    assert list(
        AuditEvent.objects.filter(
            action__in=["partnership.assessment.sharing.cleared", "partnership.assessment.sharing.withdrawn"]
        )
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["partnership.assessment.sharing.cleared", "partnership.assessment.sharing.withdrawn"]


def test_agreeing_with_nothing_proposed_is_refused_with_a_clear_message(world, client_for):
    response = client_for("rep").post(sharing_url(world), {"action": "agree"})
    assert response.status_code == 400
    assert "There is no proposal to share to agree to" in response.content.decode()
    assert not SharingSetting.objects.filter(organisation=world.org, share_with_ics=True).exists()


def test_an_unknown_sharing_step_is_refused(world, client_for):
    response = client_for("lead").post(sharing_url(world), {"action": "share-now"})
    assert response.status_code == 400
    assert "Choose one of the buttons on this page" in response.content.decode()
    assert not SharingSetting.objects.filter(organisation=world.org, share_with_ics=True).exists()


def test_sharing_is_set_only_by_both_sides_agreements_and_a_repeat_is_refused(world):
    from staffwell.partnership import services as partnership

    services.propose_sharing(org=world.org, side=Side.EMPLOYER, actor=world.users["lead"])
    s = setting(world)
    # The proposer's side agreeing again through the mechanism itself is refused too.
    with pytest.raises(partnership.AlreadyAgreed), transaction.atomic():
        partnership.agree(
            obj=s, kind="assessment.sharing", version="1", membership=world.memberships["lead"], side=Side.EMPLOYER
        )
    assert not setting(world).share_with_ics
    services.agree_sharing(org=world.org, side=Side.STAFF, actor=world.users["rep"])
    assert setting(world).share_with_ics
    with pytest.raises(services.NotReady, match="already shared"):
        services.agree_sharing(org=world.org, side=Side.STAFF, actor=world.users["rep"])


def test_an_outsider_cannot_see_or_change_sharing(world, client_for):
    assert client_for("outsider").post(sharing_url(world), {"action": "propose"}).status_code == 404
    assert not SharingSetting.objects.filter(organisation=world.org).exists()
