"""A campaign's life: saving a draft, launching it (who is asked is fixed, invitations
made), closing it (its sealed responses are released as readable rows), and who has
answered. Both sides agree a draft first (``agreements``)."""

import secrets
from collections import Counter, defaultdict

from django.db import transaction
from django.utils import timezone

from staffwell.core import audit
from staffwell.suppression import min_group_size
from staffwell.surveys import agreements, sealing, signals
from staffwell.surveys.errors import SurveyError
from staffwell.surveys.models import Campaign, Draft, Invitation, Participation
from staffwell.surveys.scope import allowed_bands, bucket_for, coarsen, in_scope
from staffwell.surveys.tokens import invitation_token, sha

CAMPAIGN_FIELDS = (
    "name",
    "instrument",
    "opens_on",
    "closes_on",
    "invitation_message",
    "reminder_message",
    "remind_every_days",
    "ask_staff_group",
)


def save_campaign(*, campaign: Campaign, data: dict, actor, changed: list | None = None) -> Campaign:
    """Create or change a draft campaign from a form's cleaned data. Any change clears both
    sides' agreement: they agree what staff will be asked."""
    if campaign.pk and campaign.status != Campaign.Status.DRAFT:
        raise SurveyError("A survey cannot be changed once it has started.")
    created = campaign.pk is None
    with transaction.atomic():
        for field in CAMPAIGN_FIELDS:
            setattr(campaign, field, data[field])
        campaign.save()
        campaign.units.set(data["units"])
        agreements.campaign_changed(campaign=campaign, actor=actor)
        if created:
            audit.record("survey.campaign.created", actor=actor, organisation=campaign.organisation, obj=campaign)
        else:
            audit.record(
                "survey.campaign.changed",
                actor=actor,
                organisation=campaign.organisation,
                obj=campaign,
                data={"changed": changed or []},
            )
    return campaign


def launch(*, campaign: Campaign, actor, email_invitations: bool = True) -> None:
    """Fix who is in scope, how responses are coarsened, and create the invitations and
    participation records. Invitations are emailed by a background task on commit (at once
    if the campaign is open; otherwise by the daily ``run_survey_schedule`` command)."""
    if campaign.status != Campaign.Status.DRAFT:
        raise SurveyError("This campaign has already been launched.")
    if not campaign.instrument.is_usable:
        raise SurveyError("The question set has not been agreed by both sides yet.")
    if not campaign.is_agreed:
        raise SurveyError("Both the employer side and the staff side need to agree the campaign before it starts.")
    if campaign.closes_on < timezone.localdate():
        raise SurveyError("The closing date has passed. Change the dates before launching.")
    members = list(in_scope(campaign))
    if not members:
        raise SurveyError("There is nobody in the chosen units.")
    k = min_group_size(campaign.organisation)
    member_units = Counter(m.unit_id for m in members)
    mapping = coarsen(member_units=member_units, roots=list(campaign.units.all()), k=k)
    groups: dict[str, Counter] = defaultdict(Counter)
    for m in members:
        groups[bucket_for(mapping.get(m.unit_id))][m.staff_group] += 1
    with transaction.atomic():
        campaign.report_units = {str(u): s for u, s in mapping.items()}
        campaign.report_bands = {b: allowed_bands(c, k) for b, c in groups.items()} if campaign.ask_staff_group else {}
        campaign.in_scope_count = len(members)
        campaign.status = Campaign.Status.LAUNCHED
        campaign.launched_on = timezone.localdate()
        campaign.save()
        Participation.objects.bulk_create(
            [Participation(campaign=campaign, bucket=b, member_ids=[]) for b in sorted(groups)]
        )
        invitations = []
        for m in sorted(members, key=lambda m: m.pk):
            stored = mapping.get(m.unit_id)
            invitations.append(_new_invitation(campaign, m, stored, campaign.stored_band(stored, m.staff_group)))
        Invitation.objects.bulk_create(invitations, batch_size=1000)
        audit.record(
            "survey.campaign.launched",
            actor=actor,
            organisation=campaign.organisation,
            obj=campaign,
            data={"in_scope": len(members), "with_email": sum(1 for m in members if m.email)},
        )
        if campaign.is_open and email_invitations:
            transaction.on_commit(lambda: _enqueue_invitations(campaign.pk))


def _enqueue_invitations(campaign_id: int) -> None:
    from staffwell.surveys.tasks import send_invitations

    send_invitations.enqueue(campaign_id)


def _new_invitation(campaign, membership, stored_unit_id, band) -> Invitation:
    secret = secrets.token_hex(16)
    return Invitation(
        campaign=campaign,
        membership=membership,
        secret=secret,
        token_hash=sha("invitation", invitation_token(secret)),
        report_unit_id=stored_unit_id,
        report_band=band,
    )


def close(*, campaign: Campaign, actor) -> None:
    """Close the campaign and release its sealed responses (``sealing.release``): only now
    do readable answers exist, shuffled, in one transaction with the closing."""
    if campaign.status != Campaign.Status.LAUNCHED:
        raise SurveyError("Only a launched campaign can be closed.")
    with transaction.atomic():
        campaign.status = Campaign.Status.CLOSED
        campaign.closed_on = timezone.localdate()
        campaign.save(update_fields=["status", "closed_on"])
        Draft.objects.filter(campaign=campaign).delete()
        sealing.release(campaign)
        audit.record("survey.campaign.closed", actor=actor, organisation=campaign.organisation, obj=campaign)
    transaction.on_commit(lambda: signals.campaign_closed.send(sender=Campaign, campaign_id=campaign.pk))


def responders_count(campaign: Campaign) -> int:
    return sum(len(p.member_ids) for p in campaign.participation.all())


def non_responders(campaign: Campaign):
    responded: set[int] = set()
    for p in campaign.participation.all():
        responded |= set(p.member_ids)
    return campaign.invitations.exclude(membership_id__in=responded)
