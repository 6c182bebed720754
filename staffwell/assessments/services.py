"""The assessment workflow: open, rate, submit, agree, sign off, amend, and plan actions.

Every change is audited under ``assessment.*`` or ``actionplan.*`` (visible to both sides).
Audit data never carries one side's ratings before both sides have submitted, because the
partnership audit log is visible to the other side.
"""

import hashlib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from staffwell.assessments import kinds, notify
from staffwell.assessments.models import (
    Action,
    ActionUpdate,
    AgreedRating,
    Amendment,
    Cycle,
    Evidence,
    Participant,
    Rating,
    SharingSetting,
    Side,
)
from staffwell.core import audit
from staffwell.core.permissions import Perm
from staffwell.organisations.models import Membership
from staffwell.partnership import services as partnership
from staffwell.partnership.sides import side_of

__all__ = ["side_of"]


class Conflict(Exception):
    """Someone else saved this item since the form was opened."""

    def __init__(self, current):
        self.current = current
        super().__init__("changed by someone else")


class NotReady(Exception):
    """The step cannot happen yet; the message says why, in plain words."""


def participant_for(cycle: Cycle, membership) -> Participant | None:
    return cycle.participants.active().filter(membership=membership).first()


def fingerprint(*values) -> str:
    """A short digest of what a form showed, to tell whether the person changed it."""
    joined = "\x1f".join("" if v is None else str(v) for v in values)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def membership_of(org, actor) -> Membership:
    """The actor's membership of the organisation: the partnership records who agreed through it."""
    return Membership.objects.for_org(org).select_related("user").get(user=actor)


_url, _tell = notify.url, notify.tell


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


# Agreeing ratings -------------------------------------------------------------------


def save_agreed(*, agreed: AgreedRating, level: int, rationale: str, expected_version: int, actor) -> AgreedRating:
    cycle = agreed.cycle
    if not cycle.agreeing_open:
        raise NotReady(
            "This cycle is signed off. Open an amendment to change an agreed rating."
            if cycle.is_locked
            else "Agreed ratings can be recorded once both sides have submitted."
        )
    before = (agreed.level, agreed.rationale)
    updated = AgreedRating.objects.filter(pk=agreed.pk, version=expected_version).update(
        level=level, rationale=rationale, version=F("version") + 1, updated_by=actor, updated_at=timezone.now()
    )
    agreed.refresh_from_db()
    if not updated:
        raise Conflict(agreed)
    amendment = cycle.open_amendment()
    audit.record(
        "assessment.agreed.amended" if amendment else "assessment.agreed.saved",
        actor=actor,
        organisation=cycle.organisation,
        obj=cycle,
        data={
            "statement": agreed.statement.code,
            "level": level,
            "previous_level": before[0],
            "amendment": amendment.number if amendment else None,
        },
    )
    if amendment:
        # A change during an amendment needs both signatures again.
        partnership.clear(
            obj=cycle,
            kind=kinds.SIGNOFF,
            version=kinds.signoff_version(amendment),
            actor=actor,
            reason=f"agreed rating of {agreed.statement.code} changed",
        )
    return agreed


class Conflicts(Exception):
    """Some of many items were saved by someone else since the page was opened: nothing was saved."""

    def __init__(self, current: dict):
        self.current = current  # statement id -> the item as it is now
        super().__init__("changed by someone else")


def save_many_agreed(*, changes: list[tuple], actor) -> int:
    """Save several agreed ratings at once, all or none: ``changes`` are
    (agreed, level, rationale, expected_version). Returns how many were saved."""
    conflicts = {}
    with transaction.atomic():
        for agreed, level, rationale, expected_version in changes:
            try:
                save_agreed(
                    agreed=agreed, level=level, rationale=rationale, expected_version=expected_version, actor=actor
                )
            except Conflict as exc:
                conflicts[agreed.statement_id] = exc.current
        if conflicts:
            raise Conflicts(conflicts)
    return len(changes)


def add_evidence(*, cycle: Cycle, statement, kind: str, title: str, note: str, url: str, upload, actor) -> Evidence:
    if not cycle.agreeing_open:
        raise NotReady("Evidence can be added while ratings are being agreed or during an amendment.")
    evidence = Evidence(cycle=cycle, statement=statement, kind=kind, title=title, note=note, url=url, added_by=actor)
    if upload is not None:
        evidence.original_filename = upload.name[:255]
        evidence.content_type = getattr(upload, "staffwell_content_type", "") or "application/octet-stream"
        evidence.size = upload.size
        evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    audit.record(
        "assessment.evidence.added",
        actor=actor,
        organisation=cycle.organisation,
        obj=cycle,
        data={"statement": statement.code, "kind": kind, "title": title},
    )
    return evidence


# Sign-off and amendments ------------------------------------------------------------


def unagreed_count(cycle: Cycle) -> int:
    return cycle.agreed.filter(level__isnull=True).count()


def sign(*, cycle: Cycle, side: Side, actor, signatory_name: str, signatory_role: str):
    """One side signs the cycle or its open amendment: its agreement of kind
    ``assessment.signoff``. When both have signed, the hook (agreements.signed_by_both) locks it."""
    side = Side(side)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if not cycle.agreeing_open:
            raise NotReady(
                "This cycle is already signed off."
                if cycle.is_locked
                else "Both sides must submit their ratings first."
            )
        missing = unagreed_count(cycle)
        if missing:
            raise NotReady(f"{missing} statement{'s have' if missing != 1 else ' has'} no agreed rating yet.")
        amendment = cycle.open_amendment()
        try:
            state = partnership.agree(
                obj=cycle,
                kind=kinds.SIGNOFF,
                version=kinds.signoff_version(amendment),
                membership=membership_of(cycle.organisation, actor),
                side=side,
                terms={"name": signatory_name, "role": signatory_role},
            )
        except partnership.AlreadyAgreed:
            raise NotReady(f"The {side.label.lower()} has already signed.") from None
    return state.for_side(side)


def open_amendment(*, cycle: Cycle, reason: str, actor) -> Amendment:
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if not cycle.is_locked:
            raise NotReady("Only a signed-off cycle needs an amendment; this one can still be changed.")
        number = cycle.amendments.count() + 1
        amendment = Amendment.objects.create(cycle=cycle, number=number, reason=reason, opened_by=actor)
        cycle.status = Cycle.Status.AMENDING
        cycle.save(update_fields=["status"])
        audit.record(
            "assessment.amendment.opened",
            actor=actor,
            organisation=cycle.organisation,
            obj=cycle,
            data={"amendment": number, "reason": reason},
        )
    return amendment


# Action plan ------------------------------------------------------------------------


def plan_is_agreed(cycle: Cycle) -> bool:
    return cycle.plan_agreement().complete


def _plan_changed(cycle: Cycle) -> None:
    """A change to the plan's content needs both sides to agree it again."""
    Cycle.objects.filter(pk=cycle.pk).update(plan_revision=F("plan_revision") + 1)
    cycle.refresh_from_db(fields=["plan_revision"])


def save_action(*, action: Action, data: dict, expected_version: int | None, actor) -> Action:
    cycle = action.cycle
    fields = ["title", "description", "measure", "element", "statement", "employer_owner", "staff_owner", "due_date"]
    with transaction.atomic():
        if action.pk is None:
            for f in fields:
                setattr(action, f, data.get(f))
            action.created_by = actor
            action.save()
            audit.record(
                "actionplan.action.created",
                actor=actor,
                organisation=cycle.organisation,
                obj=action,
                data={"title": action.title, "due": str(action.due_date)},
            )
        else:
            changes = {f: data.get(f) for f in fields}
            updated = Action.objects.filter(pk=action.pk, version=expected_version).update(
                **changes, version=F("version") + 1
            )
            if not updated:
                action.refresh_from_db()
                raise Conflict(action)
            action.refresh_from_db()
            audit.record(
                "actionplan.action.changed",
                actor=actor,
                organisation=cycle.organisation,
                obj=action,
                data={"title": action.title, "due": str(action.due_date)},
            )
        _plan_changed(cycle)
    return action


def add_progress(*, action: Action, text: str, status: str, actor) -> ActionUpdate:
    with transaction.atomic():
        update = ActionUpdate.objects.create(
            action=action, text=text, status=status, author=actor, author_name=actor.full_name
        )
        if status != action.status:
            Action.objects.filter(pk=action.pk).update(status=status, version=F("version") + 1)
            action.refresh_from_db()
        audit.record(
            "actionplan.progress.added",
            actor=actor,
            organisation=action.cycle.organisation,
            obj=action,
            data={"status": status},
        )
    return update


def agree_plan(*, cycle: Cycle, side: Side, actor):
    """One side agrees the plan's current revision (kind ``assessment.plan``); any change to
    an action makes a new revision that needs both sides again."""
    side = Side(side)
    if not cycle.actions.exists():
        raise NotReady("Add at least one action before agreeing the plan.")
    cycle.refresh_from_db(fields=["plan_revision"])
    try:
        state = partnership.agree(
            obj=cycle,
            kind=kinds.PLAN,
            version=cycle.plan_revision,
            membership=membership_of(cycle.organisation, actor),
            side=side,
            terms={"actions": cycle.actions.count()},
        )
    except partnership.AlreadyAgreed:
        raise NotReady(f"The {side.label.lower()} has already agreed this version of the plan.") from None
    return state.for_side(side)


def notify_overdue(*, today=None) -> int:
    """Tell the owners of each overdue action, at most once a week per action. Returns how many were told."""
    today = today or timezone.localdate()
    told = 0
    overdue = Action.objects.overdue(today).select_related(
        "cycle__organisation", "employer_owner__user", "staff_owner__user"
    )
    for action in overdue:
        if action.last_reminded_on and (today - action.last_reminded_on).days < 7:
            continue
        owners = [m for m in (action.employer_owner, action.staff_owner) if m and m.is_active and m.user_id]
        emails = sorted({m.user.email for m in owners if m.user.email})
        if emails:
            link = settings.STAFFWELL_BASE_URL + reverse(
                "assessments:action",
                kwargs={"org": action.cycle.organisation.slug, "cycle_id": action.cycle_id, "action_id": action.pk},
            )
            send_mail(
                f"Overdue wellbeing action: {action.title}",
                f"The action '{action.title}' was due on {action.due_date:%d %B %Y} and is not marked done.\n\n"
                f"Add a progress update or agree a new date: {link}\n",
                None,
                emails,
                fail_silently=True,
            )
            told += 1
        Action.objects.filter(pk=action.pk).update(last_reminded_on=today)
        audit.record(
            "actionplan.action.overdue_notified",
            organisation=action.cycle.organisation,
            obj=action,
            data={"owners": [m.full_name for m in owners], "due": str(action.due_date)},
        )
    return told


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
