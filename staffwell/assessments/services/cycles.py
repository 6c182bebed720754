"""Opening a cycle, who takes part, and each side's independent rating and submission."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from staffwell.assessments import kinds
from staffwell.assessments.models import (
    AgreedRating,
    Cycle,
    Participant,
    Rating,
    Side,
)
from staffwell.assessments.services.common import (
    Conflict,
    NotReady,
    _tell,
    _url,
    membership_of,
)
from staffwell.core import audit
from staffwell.partnership import services as partnership

# Opening and inviting ---------------------------------------------------------------


def open_cycle(*, org, framework, title: str, elements, participants: list[tuple], actor, opener) -> Cycle:
    """``participants``: (membership, side) pairs; the opener joins on the employer side."""
    if not any(side == Side.STAFF for _, side in participants):
        raise NotReady("Invite at least one staff-side rep: a cycle is run in partnership.")
    with transaction.atomic():
        cycle = Cycle.objects.create(organisation=org, framework=framework, title=title, opened_by=actor)
        cycle.elements.set(elements)
        everyone = {opener.pk: (opener, Side.EMPLOYER)}
        for membership, side in participants:
            everyone.setdefault(membership.pk, (membership, side))
        for membership, side in everyone.values():
            Participant.objects.create(cycle=cycle, membership=membership, side=side, invited_by=actor)
        statements = list(cycle.statements())
        Rating.objects.bulk_create(
            [Rating(cycle=cycle, statement=s, side=side) for s in statements for side in (Side.EMPLOYER, Side.STAFF)]
        )
        AgreedRating.objects.bulk_create([AgreedRating(cycle=cycle, statement=s) for s in statements])
        audit.record(
            "assessment.cycle.opened",
            actor=actor,
            organisation=org,
            obj=cycle,
            data={
                "framework": f"{framework.slug} v{framework.version}",
                "elements": [e.code for e in elements],
                "participants": [f"{m.full_name} ({side})" for m, side in everyone.values()],
            },
        )
        _tell(
            cycle,
            [m for m, _ in everyone.values() if m.pk != opener.pk],
            "You are invited to a wellbeing framework assessment",
            f"{actor.full_name} invited you to take part in '{title}'.\n\nOpen it: {_url('assessments:cycle', cycle)}\n",
        )
    return cycle


def invite(*, cycle: Cycle, membership, side: Side, actor) -> Participant:
    if cycle.is_locked:
        raise NotReady("This cycle is signed off. Open an amendment to change it.")
    if cycle.participants.active().filter(membership=membership).exists():
        raise NotReady(f"{membership.full_name} is already taking part.")
    # Someone removed earlier comes back on the same row; the audit log keeps both events.
    participant, _ = Participant.objects.update_or_create(
        cycle=cycle,
        membership=membership,
        defaults={
            "side": side,
            "invited_by": actor,
            "invited_at": timezone.now(),
            "removed_by": None,
            "removed_at": None,
        },
    )
    audit.record(
        "assessment.participant.invited",
        actor=actor,
        organisation=cycle.organisation,
        obj=cycle,
        data={"person": membership.full_name, "side": side},
    )
    _tell(
        cycle,
        [membership],
        "You are invited to a wellbeing framework assessment",
        f"{actor.full_name} invited you to take part in '{cycle.title}'.\n\nOpen it: {_url('assessments:cycle', cycle)}\n",
    )
    return participant


def drafts_of(participant: Participant):
    """Ratings the participant saved last on their side that the side has not submitted yet."""
    cycle = participant.cycle
    if (
        cycle.status != Cycle.Status.RATING
        or cycle.submitted_at(participant.side)
        or not participant.membership.user_id
    ):
        return Rating.objects.none()
    return (
        Rating.objects.filter(cycle=cycle, side=participant.side, updated_by_id=participant.membership.user_id)
        .exclude(level__isnull=True, note="")
        .select_related("statement")
    )


def removal_blocker(participant: Participant) -> str | None:
    """Why this participant cannot be removed now, in plain words, or None."""
    cycle = participant.cycle
    name = participant.membership.full_name
    if participant.removed_at:
        return f"{name} has already been removed from this assessment."
    if cycle.is_locked:
        return "This assessment is signed off. Open an amendment before changing who takes part."
    if not cycle.participants.active().filter(side=participant.side).exclude(pk=participant.pk).exists():
        if participant.side == Side.STAFF:
            return (
                f"{name} is the only staff-side rep taking part. An assessment is run in partnership, "
                "so invite another staff-side rep before removing them."
            )
        return (
            f"{name} is the only person taking part for the employer side. "
            "Invite another employer-side lead before removing them."
        )
    return None


def remove_participant(*, participant: Participant, actor) -> int:
    """Take someone out of a cycle. Returns how many of their unsubmitted draft ratings were discarded.

    What their side has submitted stays as it is: the record shows what the side rated. Drafts
    they saved last that their side has not submitted are cleared, so the people still taking
    part rate those statements themselves before the side submits.
    """
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=participant.cycle_id)
        participant = Participant.objects.select_related("membership__user").get(pk=participant.pk)
        participant.cycle = cycle
        blocker = removal_blocker(participant)
        if blocker:
            raise NotReady(blocker)
        now = timezone.now()
        drafts = list(drafts_of(participant).values_list("pk", "statement__code"))
        Rating.objects.filter(pk__in=[pk for pk, _ in drafts]).update(
            level=None, note="", version=F("version") + 1, updated_by=None, updated_at=now
        )
        participant.removed_at = now
        participant.removed_by = actor
        participant.save(update_fields=["removed_at", "removed_by"])
        # Statement codes only, never levels: the other side reads this log.
        audit.record(
            "assessment.participant.removed",
            actor=actor,
            organisation=cycle.organisation,
            obj=cycle,
            data={
                "person": participant.membership.full_name,
                "side": participant.side,
                "discarded_drafts": sorted(code for _, code in drafts),
            },
        )
        _tell(
            cycle,
            [participant.membership],
            "You are no longer taking part in a wellbeing framework assessment",
            f"{actor.full_name} removed you from '{cycle.title}'. What your side has already submitted "
            "stays in the record.\n",
        )
    return len(drafts)


# Independent rating -----------------------------------------------------------------


def save_rating(*, rating: Rating, level: int | None, note: str, expected_version: int, actor) -> Rating:
    cycle = rating.cycle
    if cycle.status != Cycle.Status.RATING or cycle.submitted_at(rating.side):
        raise NotReady("Your side has already submitted its ratings, so they can no longer be changed.")
    updated = Rating.objects.filter(pk=rating.pk, version=expected_version).update(
        level=level, note=note, version=F("version") + 1, updated_by=actor, updated_at=timezone.now()
    )
    rating.refresh_from_db()
    if not updated:
        raise Conflict(rating)
    # No level in the audit data: the other side can read the partnership log.
    audit.record(
        "assessment.rating.saved",
        actor=actor,
        organisation=cycle.organisation,
        obj=cycle,
        data={"statement": rating.statement.code, "side": rating.side},
    )
    return rating


def submit_side(*, cycle: Cycle, side: Side, actor) -> None:
    """One side submits its ratings: its agreement of kind ``assessment.ratings``. When the
    second side submits, the hook (agreements.ratings_submitted) opens agreeing."""
    side = Side(side)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.status != Cycle.Status.RATING:
            raise NotReady("Ratings have already been submitted by both sides.")
        if cycle.submitted_at(side):
            raise NotReady(f"The {side.label.lower()} has already submitted.")
        missing = cycle.ratings.filter(side=side, level__isnull=True).count()
        if missing:
            raise NotReady(
                f"{missing} statement{'s are' if missing != 1 else ' is'} not rated yet. "
                "Rate every statement before submitting."
            )
        try:
            # No levels in the terms: the other side can read the partnership log.
            partnership.agree(
                obj=cycle,
                kind=kinds.RATINGS,
                version=kinds.RATINGS_VERSION,
                membership=membership_of(cycle.organisation, actor),
                side=side,
                terms={"statements": cycle.ratings.filter(side=side).count()},
            )
        except partnership.AlreadyAgreed:
            raise NotReady(f"The {side.label.lower()} has already submitted.") from None
