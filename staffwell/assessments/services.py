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

from staffwell.assessments.models import (
    Action,
    ActionUpdate,
    AgreedRating,
    Amendment,
    Cycle,
    Evidence,
    Participant,
    PlanAgreement,
    Rating,
    SharingSetting,
    Side,
    SignOff,
)
from staffwell.core import audit
from staffwell.core.permissions import GRANTS, Perm
from staffwell.organisations.models import Membership


class Conflict(Exception):
    """Someone else saved this item since the form was opened."""

    def __init__(self, current):
        self.current = current
        super().__init__("changed by someone else")


class NotReady(Exception):
    """The step cannot happen yet; the message says why, in plain words."""


def side_of(membership) -> Side | None:
    """The side a person can take part on, from their permissions."""
    if membership.has_perm(Perm.LEAD_PARTNERSHIP_WORK):
        return Side.EMPLOYER
    if membership.has_perm(Perm.TAKE_PART_AS_STAFF_SIDE):
        return Side.STAFF
    return None


def participant_for(cycle: Cycle, membership) -> Participant | None:
    return cycle.participants.active().filter(membership=membership).first()


def fingerprint(*values) -> str:
    """A short digest of what a form showed, to tell whether the person changed it."""
    joined = "\x1f".join("" if v is None else str(v) for v in values)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def _url(name: str, cycle: Cycle) -> str:
    return settings.STAFFWELL_BASE_URL + reverse(name, kwargs={"org": cycle.organisation.slug, "cycle_id": cycle.pk})


def _tell(cycle: Cycle, memberships, subject: str, body: str) -> None:
    emails = sorted({m.user.email for m in memberships if m.user_id and m.user.email})
    if emails:
        transaction.on_commit(
            lambda: send_mail(f"{subject} – {cycle.organisation.name}", body, None, emails, fail_silently=True)
        )


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
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.status != Cycle.Status.RATING:
            raise NotReady("Ratings have already been submitted by both sides.")
        if cycle.submitted_at(side):
            raise NotReady(f"The {Side(side).label.lower()} has already submitted.")
        missing = cycle.ratings.filter(side=side, level__isnull=True).count()
        if missing:
            raise NotReady(
                f"{missing} statement{'s are' if missing != 1 else ' is'} not rated yet. "
                "Rate every statement before submitting."
            )
        now = timezone.now()
        if side == Side.EMPLOYER:
            cycle.employer_submitted_at = now
        else:
            cycle.staff_submitted_at = now
        if cycle.both_submitted:
            cycle.status = Cycle.Status.RECONCILING
            # Start the agreed rating from where both sides already agree.
            employer = dict(cycle.ratings.filter(side=Side.EMPLOYER).values_list("statement_id", "level"))
            staff = dict(cycle.ratings.filter(side=Side.STAFF).values_list("statement_id", "level"))
            for agreed in cycle.agreed.all():
                if employer.get(agreed.statement_id) == staff.get(agreed.statement_id):
                    agreed.level = employer[agreed.statement_id]
                    agreed.rationale = "Both sides gave the same rating."
                    agreed.save(update_fields=["level", "rationale", "updated_at"])
        cycle.save()
        audit.record(
            "assessment.ratings.submitted",
            actor=actor,
            organisation=cycle.organisation,
            obj=cycle,
            data={"side": side},
        )
        others = [p.membership for p in cycle.participants.active().select_related("membership__user")]
        if cycle.both_submitted:
            _tell(
                cycle,
                others,
                "Both sides have submitted their ratings",
                f"Both sides have rated '{cycle.title}'. You can now compare and agree ratings: "
                f"{_url('assessments:reconcile', cycle)}\n",
            )


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
        amendment.signoffs.all().delete()
    return agreed


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


def sign(*, cycle: Cycle, side: Side, actor, signatory_name: str, signatory_role: str) -> SignOff:
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
        if SignOff.objects.filter(cycle=cycle, amendment=amendment, side=side).exists():
            raise NotReady(f"The {Side(side).label.lower()} has already signed.")
        signoff = SignOff.objects.create(
            cycle=cycle,
            amendment=amendment,
            side=side,
            signed_by=actor,
            signatory_name=signatory_name,
            signatory_role=signatory_role,
        )
        audit.record(
            "assessment.amendment.signed" if amendment else "assessment.cycle.signed",
            actor=actor,
            organisation=cycle.organisation,
            obj=cycle,
            data={"side": side, "name": signatory_name, "amendment": amendment.number if amendment else None},
        )
        sides = set(SignOff.objects.filter(cycle=cycle, amendment=amendment).values_list("side", flat=True))
        if sides == {Side.EMPLOYER, Side.STAFF}:
            now = timezone.now()
            cycle.status = Cycle.Status.SIGNED_OFF
            if amendment:
                amendment.completed_at = now
                amendment.save(update_fields=["completed_at"])
            else:
                cycle.signed_off_at = now
            cycle.save(update_fields=["status", "signed_off_at"])
            audit.record(
                "assessment.amendment.completed" if amendment else "assessment.cycle.locked",
                actor=actor,
                organisation=cycle.organisation,
                obj=cycle,
                data={"amendment": amendment.number if amendment else None},
            )
    return signoff


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
    sides = set(cycle.plan_agreements.filter(revision=cycle.plan_revision).values_list("side", flat=True))
    return sides == {Side.EMPLOYER, Side.STAFF}


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


def agree_plan(*, cycle: Cycle, side: Side, actor) -> PlanAgreement:
    if not cycle.actions.exists():
        raise NotReady("Add at least one action before agreeing the plan.")
    agreement, created = PlanAgreement.objects.get_or_create(
        cycle=cycle, revision=cycle.plan_revision, side=side, defaults={"agreed_by": actor}
    )
    if not created:
        raise NotReady(f"The {Side(side).label.lower()} has already agreed this version of the plan.")
    audit.record(
        "actionplan.plan.agreed",
        actor=actor,
        organisation=cycle.organisation,
        obj=cycle,
        data={"side": side, "revision": cycle.plan_revision},
    )
    return agreement


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
    roles = [role.value for role, perms in GRANTS.items() if perm in perms]
    return (
        Membership.objects.for_org(org)
        .active()
        .filter(user__isnull=False, role_assignments__role__in=roles)
        .select_related("user")
        .distinct()
    )


def _locked_sharing(org) -> SharingSetting:
    SharingSetting.objects.get_or_create(organisation=org)
    return SharingSetting.objects.select_for_update().get(organisation=org)


def propose_sharing(*, org, side: Side, actor) -> SharingSetting:
    """One side proposes sharing; nothing is shared until the other side agrees."""
    side = Side(side)
    with transaction.atomic():
        setting = _locked_sharing(org)
        if setting.share_with_ics:
            raise NotReady("Your element profile is already shared with your integrated care system.")
        if setting.pending:
            raise NotReady(
                "Your side has already proposed sharing; it is waiting for the "
                f"{Side(setting.proposed_side).other.label.lower()} to agree."
                if setting.proposed_side == side
                else f"The {Side(setting.proposed_side).label.lower()} has already proposed sharing: "
                "agree to it or decline it instead."
            )
        setting.proposed_by = actor
        setting.proposed_by_name = actor.full_name
        setting.proposed_side = side
        setting.proposed_at = timezone.now()
        setting.agreed_by, setting.agreed_by_name, setting.agreed_side, setting.agreed_at = None, "", "", None
        setting.changed_by, setting.changed_at = actor, setting.proposed_at
        setting.save()
        audit.record("assessment.sharing.proposed", actor=actor, organisation=org, obj=setting, data={"side": side})
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
    return setting


def agree_sharing(*, org, side: Side, actor) -> SharingSetting:
    """The other side agrees to the proposal, and the profile is shared from now on."""
    side = Side(side)
    with transaction.atomic():
        setting = _locked_sharing(org)
        if setting.share_with_ics:
            raise NotReady("Your element profile is already shared with your integrated care system.")
        if not setting.pending:
            raise NotReady("There is no proposal to share to agree to. Either side can propose sharing.")
        if setting.proposed_side == side:
            raise NotReady(
                f"Your side proposed sharing, so the {side.other.label.lower()} must agree to it: "
                "one side cannot agree its own proposal."
            )
        now = timezone.now()
        setting.share_with_ics = True
        setting.agreed_by, setting.agreed_by_name, setting.agreed_side, setting.agreed_at = (
            actor,
            actor.full_name,
            side,
            now,
        )
        setting.changed_by, setting.changed_at = actor, now
        setting.save()
        audit.record(
            "assessment.sharing.agreed",
            actor=actor,
            organisation=org,
            obj=setting,
            data={"side": side, "proposed_by": setting.proposed_by_name, "proposed_side": setting.proposed_side},
        )
    return setting


def _clear_proposal(setting: SharingSetting, actor) -> None:
    setting.share_with_ics = False
    setting.proposed_by, setting.proposed_by_name, setting.proposed_side, setting.proposed_at = None, "", "", None
    setting.agreed_by, setting.agreed_by_name, setting.agreed_side, setting.agreed_at = None, "", "", None
    setting.changed_by, setting.changed_at = actor, timezone.now()
    setting.save()


def decline_sharing(*, org, side: Side, actor) -> SharingSetting:
    """Drop a proposal that is waiting: the proposing side takes it back or the other side declines."""
    side = Side(side)
    with transaction.atomic():
        setting = _locked_sharing(org)
        if not setting.pending:
            raise NotReady("There is no proposal to share waiting.")
        proposed_side = setting.proposed_side
        _clear_proposal(setting, actor)
        audit.record(
            "assessment.sharing.proposal_withdrawn" if proposed_side == side else "assessment.sharing.declined",
            actor=actor,
            organisation=org,
            obj=setting,
            data={"side": side},
        )
    return setting


def stop_sharing(*, org, side: Side, actor) -> SharingSetting:
    """Either side alone may stop sharing: it publishes less."""
    with transaction.atomic():
        setting = _locked_sharing(org)
        if not setting.share_with_ics:
            raise NotReady("Your element profile is not shared with your integrated care system.")
        _clear_proposal(setting, actor)
        audit.record("assessment.sharing.stopped", actor=actor, organisation=org, obj=setting, data={"side": side})
    return setting
