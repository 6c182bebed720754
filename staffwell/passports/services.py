"""Passport workflows: agreeing adjustments, confirming, reviews, following a change of
manager with consent. Export and import of signed passports are in ``transfer.py``; their names
are importable from here too."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from staffwell.core import audit
from staffwell.passports import signing
from staffwell.passports.models import (
    CONTENT_FIELDS,
    DECISION_DAYS,
    DECISIONS,
    REVIEW_MONTHS,
    Adjustment,
    AdjustmentStep,
    ManagerChange,
    Passport,
    Status,
    add_months,
)
from staffwell.records.models import Grant, Relationship

KIND_KEY = "passport"


class NotAllowed(Exception):
    pass


# Who is who --------------------------------------------------------------------------------


def owner_membership(user, org=None):
    from staffwell.organisations.models import Membership

    qs = Membership.objects.active().filter(user=user).select_related("organisation", "unit")
    if org is not None:
        qs = qs.filter(organisation=org)
    return qs.order_by("organisation__name").first()


def current_manager_ids(passport: Passport) -> set[int]:
    membership = owner_membership(passport.owner, passport.organisation)
    if membership is None:
        return set()
    return set(membership.line_managers().filter(user__isnull=False).values_list("user_id", flat=True))


def is_current_manager(passport: Passport, user) -> bool:
    return user.pk in current_manager_ids(passport)


def _role(passport: Passport, user) -> str:
    if user == passport.owner:
        return "passport holder"
    return "line manager"


# The person's own passport -------------------------------------------------------------------


def create_passport(*, owner, kind: str, content: dict) -> Passport:
    membership = owner_membership(owner)
    if membership is None:
        raise NotAllowed("You need to be a member of an organisation on staffwell to keep a passport.")
    passport = Passport.objects.create(owner=owner, organisation=membership.organisation, kind=kind, content=content)
    audit.record("passport.created", actor=owner, owner=owner, obj=passport, organisation=membership.organisation)
    return passport


def update_content(*, passport: Passport, content: dict, actor) -> None:
    passport.content = {k: content.get(k, "") for k, _, _ in CONTENT_FIELDS[passport.kind]}
    passport.save(update_fields=["content", "updated_at"])
    audit.record(
        "passport.updated", actor=actor, owner=passport.owner, obj=passport, organisation=passport.organisation
    )


def request_adjustment(*, passport: Passport, text: str, actor) -> Adjustment:
    now = timezone.now()
    with transaction.atomic():
        adj = Adjustment.objects.create(
            passport=passport,
            request=text,
            requested_at=now,
            decision_due=timezone.localdate() + dt.timedelta(days=DECISION_DAYS),
        )
        AdjustmentStep.objects.create(
            adjustment=adj,
            status=Status.REQUESTED,
            actor=actor,
            actor_name=actor.full_name,
            actor_role="passport holder",
            at=now,
        )
        if passport.owner_confirmed_at or passport.manager_confirmed_at:
            passport.unconfirm()
    audit.record(
        "passport.adjustment.requested", actor=actor, owner=passport.owner, obj=adj, organisation=passport.organisation
    )
    from staffwell.passports import manager_mail

    transaction.on_commit(lambda: manager_mail.request_waiting(adj))
    return adj


def move(*, adjustment: Adjustment, to: str, actor, agreed_text: str = "", reason: str = "") -> Adjustment:
    """Move an adjustment to its next status, recording who and when."""
    passport = adjustment.passport
    if to not in adjustment.next_steps():
        raise NotAllowed(
            f"An adjustment that is “{adjustment.get_status_display().lower()}” cannot become "
            f"“{Status(to).label.lower()}”."
        )
    is_owner = actor == passport.owner
    if to in DECISIONS and (is_owner or not is_current_manager(passport, actor)):
        raise NotAllowed("Only the person's current line manager can decide on an adjustment.")
    if not is_owner and not is_current_manager(passport, actor):
        raise NotAllowed("Only the passport holder or their current line manager can change an adjustment.")
    if is_owner and to != Status.IN_PLACE:
        raise NotAllowed(
            "Your line manager records decisions and reviews; you can mark an agreed adjustment as in place."
        )
    if to == Status.NOT_AGREED and not reason.strip():
        raise NotAllowed("Give the reason the adjustment is not agreed: the person will see it.")
    if to == Status.AGREED_WITH_CHANGES and not agreed_text.strip():
        raise NotAllowed("Say what is agreed instead.")
    now = timezone.now()
    with transaction.atomic():
        adjustment.status = to
        if to in DECISIONS:
            adjustment.decided_at = now
            adjustment.agreed_text = agreed_text.strip() if to == Status.AGREED_WITH_CHANGES else ""
            adjustment.reason = reason.strip()
        adjustment.save()
        AdjustmentStep.objects.create(
            adjustment=adjustment,
            status=to,
            actor=actor,
            actor_name=actor.full_name,
            actor_role=_role(passport, actor),
            note=reason.strip() or agreed_text.strip(),
            at=now,
        )
        if to in DECISIONS and (passport.owner_confirmed_at or passport.manager_confirmed_at):
            passport.unconfirm()
    audit.record(
        f"passport.adjustment.{to}",
        actor=actor,
        owner=passport.owner,
        obj=adjustment,
        organisation=passport.organisation,
    )
    return adjustment


def can_confirm(passport: Passport) -> str:
    """Blank if the passport can be confirmed now, otherwise why not."""
    adjustments = list(passport.adjustments.all())
    if not adjustments:
        return "Add at least one adjustment or arrangement before confirming."
    if any(a.status == Status.REQUESTED for a in adjustments):
        return "Every request needs a decision before the passport can be confirmed."
    return ""


def confirm(*, passport: Passport, actor) -> None:
    problem = can_confirm(passport)
    if problem:
        raise NotAllowed(problem)
    now = timezone.now()
    if actor == passport.owner:
        passport.owner_confirmed_at = now
        passport.save(update_fields=["owner_confirmed_at", "updated_at"])
    elif is_current_manager(passport, actor):
        membership = owner_membership(passport.owner, passport.organisation)
        passport.confirming_manager = actor
        passport.manager_confirmed_at = now
        passport.confirmed_unit_id = membership.unit_id if membership else None
        passport.save(update_fields=["confirming_manager", "manager_confirmed_at", "confirmed_unit_id", "updated_at"])
        passport.manager_changes.filter(state=ManagerChange.State.SHARED, new_manager=actor).update(
            state=ManagerChange.State.CONFIRMED, decided_at=now
        )
    else:
        raise NotAllowed("Only the passport holder and their current line manager can confirm it.")
    audit.record(
        "passport.confirmed", actor=actor, owner=passport.owner, obj=passport, organisation=passport.organisation
    )


def record_review(*, passport: Passport, actor) -> None:
    if actor != passport.owner and not is_current_manager(passport, actor):
        raise NotAllowed("Only the passport holder and their current line manager can record a review.")
    today = timezone.localdate()
    passport.last_reviewed_on = today
    passport.review_due = add_months(today, REVIEW_MONTHS)
    passport.save(update_fields=["last_reviewed_on", "review_due", "updated_at"])
    audit.record(
        "passport.reviewed", actor=actor, owner=passport.owner, obj=passport, organisation=passport.organisation
    )


def delete_passport(*, passport: Passport, actor) -> None:
    from staffwell.records import services as records

    with transaction.atomic():
        records.withdraw_all_for(passport, owner=actor)
        signing.withdraw(passport)
        audit.record("passport.deleted", actor=actor, owner=actor, organisation=passport.organisation)
        passport.delete()


# It travels: a change of line manager ----------------------------------------------------------


def review_manager_changes(*, org, actor=None) -> int:
    """Structure-changed listener: find confirmed passports whose confirming manager no longer
    manages the owner, and ask the owner whether to share with the new manager. Nothing is
    shared automatically, and the former manager's line-manager grant has lapsed already
    (records' listener, as for every record); who confirmed the passport, and when, stays
    in the passport. Queries passports (a few) and the organisation's manager assignments
    once, never every person."""
    from staffwell.organisations.hooks import ManagerMap

    passports = list(
        Passport.objects.for_org(org).in_use().filter(confirming_manager__isnull=False).select_related("owner")
    )
    if not passports:
        return 0
    managers = ManagerMap(org)
    memberships = managers.memberships({p.owner_id for p in passports})
    latest_changes: dict[int, ManagerChange] = {}
    for c in ManagerChange.objects.filter(passport__in=passports).order_by("detected_at", "id"):
        latest_changes[c.passport_id] = c  # the newest wins
    today = timezone.localdate()
    created = 0
    for passport in passports:
        membership = memberships.get(passport.owner_id)
        if membership is None:
            continue  # a leaver: their passport stays theirs; nobody new to ask about
        current = managers.manager_user_ids(membership)
        moved = passport.confirmed_unit_id is not None and membership.unit_id != passport.confirmed_unit_id
        if passport.confirming_manager_id in current:
            if moved:  # a new role or team under the same manager: review now, once
                passport.review_due = min(passport.review_due, today)
                passport.confirmed_unit_id = membership.unit_id
                passport.save(update_fields=["review_due", "confirmed_unit_id", "updated_at"])
            continue
        new_manager_id = min(current) if current else None
        change = latest_changes.get(passport.pk)
        if change is not None and change.is_open:
            if change.state == ManagerChange.State.ASKING_OWNER and change.new_manager_id != new_manager_id:
                change.new_manager_id = new_manager_id
                change.save(update_fields=["new_manager"])
            continue
        if (
            change is not None
            and change.state == ManagerChange.State.DECLINED
            and change.new_manager_id == new_manager_id
            and change.previous_manager_id == passport.confirming_manager_id
        ):
            continue  # the person already said no to sharing with this manager
        ManagerChange.objects.create(
            passport=passport, previous_manager_id=passport.confirming_manager_id, new_manager_id=new_manager_id
        )
        if passport.review_due > today:
            passport.review_due = today  # a change of manager makes the review due now
            passport.save(update_fields=["review_due", "updated_at"])
        audit.record("passport.manager_changed", actor=actor, owner=passport.owner, obj=passport, organisation=org)
        created += 1
    return created


def open_manager_change(passport: Passport) -> ManagerChange | None:
    return (
        passport.manager_changes.filter(state__in=[ManagerChange.State.ASKING_OWNER, ManagerChange.State.SHARED])
        .select_related("new_manager", "previous_manager")
        .first()
    )


def share_with_new_manager(*, change: ManagerChange, owner, stop_previous: bool) -> None:
    from staffwell.records import services as records

    passport = change.passport
    if passport.owner != owner:
        raise NotAllowed("Only the owner can share their passport.")
    candidate = next(
        (
            c
            for c in records.share_candidates(owner)
            if c.relationship == Relationship.LINE_MANAGER and c.user.pk == change.new_manager_id
        ),
        None,
    )
    if candidate is None:
        raise NotAllowed("That person is no longer your line manager. Share from the passport's sharing page instead.")
    with transaction.atomic():
        if not Grant.objects.live().for_object(passport).filter(grantee=candidate.user, section="").exists():
            records.grant(owner=owner, candidate=candidate, obj=passport, kind_key=KIND_KEY)
        if stop_previous and change.previous_manager_id:
            for g in Grant.objects.live().for_object(passport).filter(grantee_id=change.previous_manager_id):
                records.withdraw(owner=owner, grant=g)
        change.state = ManagerChange.State.SHARED
        change.decided_at = timezone.now()
        change.save(update_fields=["state", "decided_at"])
    audit.record(
        "passport.manager_change.shared", actor=owner, owner=owner, obj=passport, organisation=passport.organisation
    )


def decline_new_manager(*, change: ManagerChange, owner) -> None:
    if change.passport.owner != owner:
        raise NotAllowed("Only the owner can decide.")
    change.state = ManagerChange.State.DECLINED
    change.decided_at = timezone.now()
    change.save(update_fields=["state", "decided_at"])
    audit.record(
        "passport.manager_change.declined",
        actor=owner,
        owner=owner,
        obj=change.passport,
        organisation=change.passport.organisation,
    )


# The records registry: export and erase --------------------------------------------------------


def export_for_user(user) -> list[dict]:
    return [passport_data(p) for p in Passport.objects.filter(owner=user).select_related("confirming_manager", "owner")]


def erase_for_user(user) -> int:
    """Erase-all deletes every passport as deleting one does: its signed downloads are withdrawn
    first, so none of them verifies afterwards (found by an attack: they still did)."""
    passports = list(Passport.objects.filter(owner=user).select_related("organisation"))
    with transaction.atomic():
        for passport in passports:
            signing.withdraw(passport)
        return Passport.objects.filter(pk__in=[p.pk for p in passports]).delete()[1].get("passports.Passport", 0)


# Export and import live in transfer.py (they use NotAllowed and owner_membership from here).
from staffwell.passports.transfer import (  # noqa: E402, F401 - part of this module's interface
    adjustments_data,
    import_verified,
    passport_data,
    signed_bytes,
    signed_export,
)
