"""Sharing, export and erasure workflows for staff-owned records."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from staffwell.core import audit
from staffwell.core.models import AuditEvent
from staffwell.core.permissions import Role
from staffwell.records import registry
from staffwell.records.models import Grant, Relationship


@dataclass(frozen=True)
class Candidate:
    """Someone the owner may share with."""

    user: object
    organisation: object
    relationship: str  # a Relationship value
    description: str  # "Tom Okafor, your line manager (Ward 7)"

    @property
    def key(self) -> str:
        return f"{self.relationship}:{self.user.pk}"


def _memberships(user):
    from staffwell.organisations.models import Membership

    return Membership.objects.active().filter(user=user).select_related("organisation", "unit")


def share_candidates(owner) -> list[Candidate]:
    """The owner's line managers and the staff-side reps of their organisations."""
    from staffwell.organisations.models import Membership

    found: dict[str, Candidate] = {}
    for membership in _memberships(owner):
        for manager in membership.line_managers().filter(user__isnull=False, user__is_active=True):
            c = Candidate(
                manager.user,
                membership.organisation,
                Relationship.LINE_MANAGER,
                f"{manager.full_name}, your line manager",
            )
            found.setdefault(c.key, c)
        reps = (
            Membership.objects.active()
            .for_org(membership.organisation)
            .filter(role_assignments__role=Role.STAFF_SIDE_REP, user__isnull=False, user__is_active=True)
            .exclude(user=owner)
            .distinct()
        )
        for rep in reps:
            c = Candidate(
                rep.user, membership.organisation, Relationship.STAFF_SIDE_REP, f"{rep.full_name}, staff-side rep"
            )
            found.setdefault(c.key, c)
    return list(found.values())


def find_colleague(owner, email: str) -> Candidate | None:
    """Someone with a sign-in account in one of the owner's organisations, by email."""
    from staffwell.organisations.models import Membership

    email = (email or "").strip().lower()
    if not email:
        return None
    orgs = [m.organisation for m in _memberships(owner)]
    match = (
        Membership.objects.active()
        .filter(organisation__in=orgs, user__email__iexact=email, user__is_active=True)
        .exclude(user=owner)
        .select_related("user", "organisation")
        .first()
    )
    if match is None:
        return None
    return Candidate(
        match.user, match.organisation, Relationship.TRUSTED_PERSON, f"{match.full_name}, someone you trust"
    )


class AlreadyShared(Exception):
    pass


def grant(*, owner, candidate: Candidate, obj, kind_key: str, section: str = "") -> Grant:
    """The owner shares ``obj`` (or one section of it) with the candidate."""
    kind = registry.kind(kind_key)
    if getattr(obj, kind.owner_field) != owner:
        raise PermissionError("Only the owner can share a record.")
    if section and section not in dict(kind.sections(obj)):
        raise ValueError(f"{kind.noun} has no section {section!r}.")
    from django.contrib.contenttypes.models import ContentType

    try:
        with transaction.atomic():
            g = Grant.objects.create(
                owner=owner,
                grantee=candidate.user,
                organisation=candidate.organisation,
                kind=kind.key,
                record_type=ContentType.objects.get_for_model(obj),
                record_id=obj.pk,
                section=section,
                label=kind.label(obj, section)[:200],
                relationship=candidate.relationship,
            )
    except IntegrityError:
        raise AlreadyShared(f"You already share this with {candidate.user.full_name}.") from None
    audit.record(
        "records.grant.created",
        actor=owner,
        owner=owner,
        obj=g,
        organisation=candidate.organisation,
        data={"kind": kind.key, "what": g.label, "with": candidate.user.full_name},
    )
    if kind.on_shared is not None:  # e.g. passports: the manager has 28 days to decide
        transaction.on_commit(lambda: kind.on_shared(g))
    return g


def withdraw(*, owner, grant: Grant) -> None:
    if grant.owner_id != owner.pk:
        raise PermissionError("Only the owner can withdraw a grant.")
    if grant.withdrawn_at is not None:
        return
    grant.withdraw()
    audit.record(
        "records.grant.withdrawn",
        actor=owner,
        owner=owner,
        obj=grant,
        organisation=grant.organisation,
        data={"kind": grant.kind, "what": grant.label, "with": grant.grantee.full_name},
    )


def lapse_grants_to_former_managers(*, org, actor=None) -> int:
    """Structure-changed listener: something shared with someone *as the owner's line
    manager* stops being shared once they no longer manage the owner, whether the owner
    moved, the manager moved, or either left. Sharing with the new manager is the owner's
    choice, as ever; nothing is shared automatically. Returns how many grants lapsed."""
    from staffwell.organisations.hooks import ManagerMap

    # Every kind, passports included (confirmed or not): a passport's confirmation history
    # stays in the passport, and the owner is asked separately whether to share it with the
    # new manager (passports.services.review_manager_changes). Found by an attack: a former
    # manager who had confirmed a passport went on reading it indefinitely.
    grants = list(
        Grant.objects.live()
        .filter(organisation=org, relationship=Relationship.LINE_MANAGER)
        .select_related("owner", "grantee")
    )
    if not grants:
        return 0
    managers = ManagerMap(org)
    memberships = managers.memberships({g.owner_id for g in grants})
    lapsed = 0
    for g in grants:
        owner_membership = memberships.get(g.owner_id)
        if owner_membership is not None and g.grantee_id in managers.manager_user_ids(owner_membership):
            continue
        g.withdraw()
        audit.record(
            "records.grant.lapsed",
            owner=g.owner,
            obj=g,
            organisation=org,
            data={"kind": g.kind, "what": g.label, "with": g.grantee.full_name, "why": "no longer your line manager"},
        )
        lapsed += 1
    return lapsed


def lapse_grants_to_leavers_and_former_reps(*, org, actor=None) -> int:
    """Structure-changed listener: what an owner shared with someone at ``org`` stops being
    shared once that person leaves ``org`` (whatever the grant was made to them as), and what
    was shared with a staff-side rep stops once they are no longer a rep there. The owner shared
    with a colleague in a role; they would expect it to end with the role. Three queries."""
    from staffwell.organisations.models import Membership, RoleAssignment

    grants = list(Grant.objects.live().filter(organisation=org).select_related("owner", "grantee"))
    if not grants:
        return 0
    members = set(Membership.objects.active().filter(organisation=org).values_list("user_id", flat=True))
    reps = set(
        RoleAssignment.objects.filter(
            membership__organisation=org, membership__is_active=True, role=Role.STAFF_SIDE_REP
        ).values_list("membership__user_id", flat=True)
    )
    lapsed = 0
    for g in grants:
        if g.grantee_id not in members:
            why = "has left the organisation"
        elif g.relationship == Relationship.STAFF_SIDE_REP and g.grantee_id not in reps:
            why = "is no longer a staff-side rep"
        else:
            continue
        g.withdraw()
        audit.record(
            "records.grant.lapsed",
            owner=g.owner,
            obj=g,
            organisation=org,
            data={"kind": g.kind, "what": g.label, "with": g.grantee.full_name, "why": why},
        )
        lapsed += 1
    return lapsed


def withdraw_all_for(obj, *, owner) -> int:
    """Withdraw every live grant on a record (used when the record is deleted)."""
    n = 0
    for g in Grant.objects.live().for_object(obj).filter(owner=owner).select_related("grantee"):
        withdraw(owner=owner, grant=g)
        n += 1
    return n


def label_for_owner(grants) -> None:
    """Set ``shown_label`` on each of one owner's grants: the stored label is the kind, date
    and section only; the owner's own pages and export say more (a conversation names the
    other person), decrypted now, for the owner only. One query per kind."""
    grants = list(grants)
    kinds = registry.kinds()
    by_kind: dict[str, set[int]] = {}
    for g in grants:
        by_kind.setdefault(g.kind, set()).add(g.record_id)
    records = {}
    for key, ids in by_kind.items():
        kind = kinds.get(key)
        if kind is not None and kind.owner_title is not None:
            records.update({(key, obj.pk): obj for obj in kind.model._default_manager.filter(pk__in=ids)})
    for g in grants:
        obj = records.get((g.kind, g.record_id))
        if obj is None or getattr(obj, kinds[g.kind].owner_field + "_id", None) != g.owner_id:
            g.shown_label = g.label
            continue
        kind = kinds[g.kind]
        title = kind.title_for_owner(obj)
        g.shown_label = f"{title}: {kind.section_label(obj, g.section)}" if g.section else title


def why_lapsed(grants, *, owner) -> None:
    """Set ``why_lapsed`` on each grant that stopped without the owner withdrawing it ("no
    longer your line manager"), from the owner's audit events. One query."""
    reasons = {
        e.object_id: e.data.get("why", "")
        for e in AuditEvent.objects.filter(owner=owner, action="records.grant.lapsed", object_type="records.grant")
    }
    for g in grants:
        g.why_lapsed = reasons.get(str(g.pk), "")


def access_log(user):
    """Reads of the person's records by anyone else, newest first."""
    return AuditEvent.objects.about_records_of(user).filter(action__endswith=".viewed").select_related("actor")


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def export_all(user) -> dict:
    """Everything staffwell holds that the person owns, as JSON-able data."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "person": {"name": user.full_name, "email": user.email},
        "sections": {},
    }
    for od in registry.owner_data():
        data["sections"][od.key] = {"title": od.title, "data": od.export(user)}
    grants = list(Grant.objects.owned_by(user).select_related("grantee"))
    label_for_owner(grants)
    data["sharing"] = [
        {
            "what": g.shown_label,
            "with": g.grantee.full_name,
            "relationship": g.get_relationship_display(),
            "shared_on": _iso(g.created_at),
            "withdrawn_on": _iso(g.withdrawn_at),
        }
        for g in grants
    ]
    data["access_log"] = [
        {
            "who": e.actor.full_name if e.actor else e.actor_label,
            "relationship": e.data.get("relationship", ""),
            "what": e.data.get("what", ""),
            "sections": e.data.get("sections", []),
            "when": _iso(e.created_at),
        }
        for e in access_log(user)
    ]
    return data


def erase_all(user) -> dict[str, int]:
    """Erase every staff-owned record the person has, and every grant they gave. Audited
    (with counts only: no content, no labels)."""
    erased: dict[str, int] = {}
    with transaction.atomic():
        for od in registry.owner_data():
            erased[od.key] = int(od.erase(user) or 0)
        erased["grants"] = Grant.objects.owned_by(user).delete()[0]
        # Events about the person's records name what was shared and with whom: keep only
        # the fact that an erasure happened.
        erased["access_log_entries"] = AuditEvent.objects.filter(owner=user).delete()[0]
        audit.record("records.erasure.completed", actor=user, owner=user, data={"counts": erased})
    return erased
