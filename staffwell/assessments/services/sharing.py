"""Sharing the element profile with the integrated care system (kind ``assessment.sharing``)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from staffwell.assessments import kinds
from staffwell.assessments.models import (
    SharingSetting,
    Side,
)
from staffwell.assessments.services.common import (
    NotReady,
    membership_of,
)
from staffwell.core import audit
from staffwell.core.permissions import Perm
from staffwell.organisations.models import Membership
from staffwell.partnership import services as partnership

# Sharing with the integrated care system --------------------------------------------


def sharing_of(org) -> SharingSetting:
    """The organisation's sharing record (unsaved and not shared if it has never been set)."""
    return SharingSetting.objects.filter(organisation=org).first() or SharingSetting(organisation=org)


def _people_on(org, side: Side):
    perm = Perm.LEAD_PARTNERSHIP_WORK if side == Side.EMPLOYER else Perm.TAKE_PART_AS_STAFF_SIDE
    return Membership.objects.for_org(org).holding(perm).filter(user__isnull=False).select_related("user")


def _locked_sharing(org) -> SharingSetting:
    SharingSetting.objects.get_or_create(organisation=org)
    return SharingSetting.objects.select_for_update().get(organisation=org)


def _sharing_agree(setting: SharingSetting, side: Side, actor):
    return partnership.agree(
        obj=setting,
        kind=kinds.SHARING,
        version=kinds.SHARING_VERSION,
        membership=membership_of(setting.organisation, actor),
        side=side,
    )


def propose_sharing(*, org, side: Side, actor) -> SharingSetting:
    """One side proposes sharing (its agreement); nothing is shared until the other side agrees."""
    side = Side(side)
    with transaction.atomic():
        setting = _locked_sharing(org)
        if setting.share_with_ics:
            raise NotReady("Your element profile is already shared with your integrated care system.")
        if setting.pending:
            proposed_side = Side(setting.proposal.side)
            raise NotReady(
                "Your side has already proposed sharing; it is waiting for the "
                f"{proposed_side.other.label.lower()} to agree."
                if proposed_side == side
                else f"The {proposed_side.label.lower()} has already proposed sharing: "
                "agree to it or decline it instead."
            )
        _sharing_agree(setting, side, actor)
        SharingSetting.objects.filter(pk=setting.pk).update(changed_by=actor, changed_at=timezone.now())
        emails = sorted({m.user.email for m in _people_on(org, side.other) if m.user.email})
        if emails:
            link = settings.STAFFWELL_BASE_URL + reverse("assessments:sharing", kwargs={"org": org.slug})
            transaction.on_commit(
                lambda: send_mail(
                    f"Agree to share your assessment profile? – {org.name}",
                    f"{actor.full_name} ({side.label.lower()}) proposes sharing {org.name}'s latest signed-off "
                    "element profile with your integrated care system. Nothing is shared until the "
                    f"{side.other.label.lower()} agrees.\n\nAgree or decline: {link}\n",
                    None,
                    emails,
                    fail_silently=True,
                )
            )
    return sharing_of(org)


def agree_sharing(*, org, side: Side, actor) -> SharingSetting:
    """The other side agrees to the proposal; the hook (agreements.sharing_agreed) shares."""
    side = Side(side)
    with transaction.atomic():
        setting = _locked_sharing(org)
        if setting.share_with_ics:
            raise NotReady("Your element profile is already shared with your integrated care system.")
        if not setting.pending:
            raise NotReady("There is no proposal to share to agree to. Either side can propose sharing.")
        if setting.proposal.side == side:
            raise NotReady(
                f"Your side proposed sharing, so the {side.other.label.lower()} must agree to it: "
                "one side cannot agree its own proposal."
            )
        _sharing_agree(setting, side, actor)
    return sharing_of(org)


def decline_sharing(*, org, side: Side, actor) -> SharingSetting:
    """Drop a proposal that is waiting: the proposing side withdraws it or the other side declines."""
    side = Side(side)
    with transaction.atomic():
        setting = _locked_sharing(org)
        if not setting.pending:
            raise NotReady("There is no proposal to share waiting.")
        if setting.proposal.side == side:
            partnership.withdraw(
                obj=setting,
                kind=kinds.SHARING,
                version=kinds.SHARING_VERSION,
                membership=membership_of(org, actor),
                side=side,
            )
        else:
            partnership.clear(
                obj=setting, kind=kinds.SHARING, actor=actor, reason=f"declined by the {side.label.lower()}"
            )
        SharingSetting.objects.filter(pk=setting.pk).update(changed_by=actor, changed_at=timezone.now())
    return sharing_of(org)


def stop_sharing(*, org, side: Side, actor) -> SharingSetting:
    """Either side alone may stop sharing: it publishes less. Both agreements are cleared."""
    with transaction.atomic():
        setting = _locked_sharing(org)
        if not setting.share_with_ics:
            raise NotReady("Your element profile is not shared with your integrated care system.")
        SharingSetting.objects.filter(pk=setting.pk).update(
            share_with_ics=False, changed_by=actor, changed_at=timezone.now()
        )
        partnership.clear(obj=setting, kind=kinds.SHARING, actor=actor, reason="sharing stopped")
        audit.record("assessment.sharing.stopped", actor=actor, organisation=org, obj=setting, data={"side": side})
    return sharing_of(org)
