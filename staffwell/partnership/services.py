"""Agreeing, in one place: every "both sides must agree" in staffwell goes through here.

    partnership.register("voice.answer", label="answer to a staff voice post", on_agreed=publish)
    state = partnership.agree(obj=post, kind="voice.answer", version="3", membership=m, terms={...})

``agree`` locks the thing agreed, refuses a repeat by the same side, records one immutable
row and one audit event (``partnership.<kind>.agreed``) and, when both sides stand agreed to
the same version, calls the kind's ``on_agreed`` hook once, inside the same transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from staffwell.core import audit
from staffwell.partnership.models import Agreement
from staffwell.partnership.sides import Side, side_of


class PartnershipError(Exception):
    """Something about an agreement cannot happen; the message says why, in plain words."""


class NotPartner(PartnershipError):
    pass


class AlreadyAgreed(PartnershipError):
    pass


class NotAgreed(PartnershipError):
    pass


class OneSideEach(AlreadyAgreed):
    """The person already agreed for the other side: each side's agreement is a different
    person's (an admin who gave themselves each role in turn had agreed for both; found by an
    attack)."""


@dataclass(frozen=True)
class KindOfAgreement:
    kind: str
    label: str
    on_agreed: Callable | None = None


_KINDS: dict[str, KindOfAgreement] = {}


def register(kind: str, *, label: str, on_agreed: Callable | None = None) -> KindOfAgreement:
    """Declare a kind of thing both sides agree to. Call once, from an AppConfig.ready()."""
    if kind.count(".") < 1 or not all(kind.split(".")):
        raise ValueError(f"Agreement kind {kind!r} must be namespaced, like 'voice.answer'.")
    entry = KindOfAgreement(kind=kind, label=label, on_agreed=on_agreed)
    _KINDS[kind] = entry
    return entry


def kinds() -> dict[str, KindOfAgreement]:
    """Every kind of agreement: the list of what needs both sides."""
    return dict(_KINDS)


def _kind(kind: str) -> KindOfAgreement:
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"Agreement kind {kind!r} is not registered (partnership.register).") from None


@dataclass(frozen=True)
class AgreementState:
    kind: str
    version: str
    employer: Agreement | None
    staff: Agreement | None

    @property
    def complete(self) -> bool:
        return self.employer is not None and self.staff is not None

    @property
    def waiting_for(self) -> Side | None:
        if self.employer is None and self.staff is None:
            return None
        if self.employer is None:
            return Side.EMPLOYER
        if self.staff is None:
            return Side.STAFF
        return None

    def for_side(self, side) -> Agreement | None:
        return self.employer if Side(side) == Side.EMPLOYER else self.staff

    @property
    def agreements(self) -> list[Agreement]:
        return [a for a in (self.employer, self.staff) if a is not None]


def state(*, obj, kind: str, version) -> AgreementState:
    _kind(kind)
    version = str(version)
    rows = {a.side: a for a in Agreement.objects.for_object(obj, kind).current().filter(version=version)}
    return AgreementState(kind=kind, version=version, employer=rows.get(Side.EMPLOYER), staff=rows.get(Side.STAFF))


def history(*, obj, kind: str):
    """Every agreement ever recorded for the thing, withdrawn and cleared ones included."""
    return Agreement.objects.for_object(obj, kind).select_related("agreed_by")


def _content_type(obj) -> ContentType:
    return ContentType.objects.get_for_model(type(obj), for_concrete_model=False)


def _lock(obj):
    """Lock the thing agreed, so two sides agreeing at once are serialised."""
    type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).first()


def _organisation(obj, organisation):
    org = organisation or getattr(obj, "organisation", None)
    if org is None:
        raise ValueError("Pass organisation= for a thing that has no .organisation.")
    return org


def _side(membership, side=None) -> Side:
    """The side the membership acts for; ``side`` names it where the thing keeps its own
    record of who takes part on which side (an assessment's participants)."""
    own = side_of(membership)
    if own is None:
        raise NotPartner("Only the employer-side lead or a staff-side rep can agree to this.")
    return own if side is None else Side(side)


def agree(
    *, obj, kind: str, version, membership, terms: dict | None = None, organisation=None, side=None
) -> AgreementState:
    entry = _kind(kind)
    side = _side(membership, side)
    org = _organisation(obj, organisation)
    if membership.organisation_id != org.pk:
        raise NotPartner("Only a member of this organisation can agree to this.")
    version = str(version)
    user = membership.user
    with transaction.atomic():
        _lock(obj)
        if Agreement.objects.for_object(obj, kind).current().filter(version=version, side=side).exists():
            raise AlreadyAgreed(f"The {side.label.lower()} has already agreed to this.")
        if (
            Agreement.objects.for_object(obj, kind)
            .current()
            .filter(version=version, side=side.other, agreed_by=user)
            .exists()
        ):
            raise OneSideEach(
                f"You have already agreed for the {side.other.label.lower()}. The {side.label.lower()}'s "
                "agreement has to come from someone else."
            )
        try:
            with transaction.atomic():
                agreement = Agreement.objects.create(
                    organisation=org,
                    content_type=_content_type(obj),
                    object_id=str(obj.pk),
                    kind=kind,
                    version=version,
                    side=side,
                    agreed_by=user,
                    agreed_by_name=user.full_name,
                    terms=terms or {},
                )
        except IntegrityError:
            raise AlreadyAgreed(f"The {side.label.lower()} has already agreed to this.") from None
        audit.record(
            f"partnership.{kind}.agreed",
            actor=user,
            organisation=org,
            obj=obj,
            data={"side": side.value, "version": version, "kind": kind, "agreement": agreement.pk},
        )
        current = state(obj=obj, kind=kind, version=version)
        if current.complete and entry.on_agreed is not None:
            entry.on_agreed(obj, version, current)
    return current


def withdraw(*, obj, kind: str, version, membership, organisation=None, side=None) -> AgreementState:
    """A side takes its agreement back, before the other side has agreed too."""
    _kind(kind)
    side = _side(membership, side)
    org = _organisation(obj, organisation)
    version = str(version)
    with transaction.atomic():
        _lock(obj)
        current = state(obj=obj, kind=kind, version=version)
        mine = current.for_side(side)
        if mine is None:
            raise NotAgreed(f"The {side.label.lower()} has not agreed to this.")
        if current.complete:
            raise AlreadyAgreed("Both sides have agreed: an agreement cannot be withdrawn once it is complete.")
        Agreement.objects.filter(pk=mine.pk).update(
            ended_at=timezone.now(), ended=Agreement.Ended.WITHDRAWN, ended_by=membership.user
        )
        audit.record(
            f"partnership.{kind}.withdrawn",
            actor=membership.user,
            organisation=org,
            obj=obj,
            data={"side": side.value, "version": version, "kind": kind},
        )
        return state(obj=obj, kind=kind, version=version)


def clear(*, obj, kind: str, actor=None, organisation=None, reason: str = "", version=None) -> int:
    """End every standing agreement for the thing (it changed, or was abandoned), or only
    those to one ``version`` (the others stay on record as agreed)."""
    _kind(kind)
    org = _organisation(obj, organisation)
    with transaction.atomic():
        _lock(obj)
        standing = Agreement.objects.for_object(obj, kind).current()
        if version is not None:
            standing = standing.filter(version=str(version))
        ended = standing.update(ended_at=timezone.now(), ended=Agreement.Ended.CLEARED, ended_by=actor)
        if ended:
            audit.record(
                f"partnership.{kind}.cleared",
                actor=actor,
                organisation=org,
                obj=obj,
                data={"kind": kind, "ended": ended, "reason": reason[:200], "version": version},
            )
    return ended


def lapse_agreements_of_former_partners(*, org, actor=None) -> int:
    """An agreement waiting for the other side counts only while the person who made it
    still acts for the side they agreed for. Someone who left, lost the role or moved to
    the other side no longer speaks for it, so their unfinished agreements lapse (an
    attack had an agreement keep counting after its agreer's role was taken away).
    Agreements both sides completed stand: they were made by people who held the roles
    then, and what followed from them (a published answer, a released report) stays.

    Called after every change of roles or people in the organisation
    (``organisations.hooks.on_structure_changed``). Three queries when nothing lapses."""
    from staffwell.organisations.models import Membership

    standing = list(Agreement.objects.filter(organisation=org).current())
    if not standing:
        return 0
    sides_agreed: dict[tuple, set] = {}
    for a in standing:
        sides_agreed.setdefault((a.content_type_id, a.object_id, a.kind, a.version), set()).add(a.side)
    members = {
        m.user_id: m
        for m in Membership.objects.active()
        .for_org(org)
        .filter(user_id__in={a.agreed_by_id for a in standing})
        .select_related("user")
        .prefetch_related("role_assignments")
    }
    lapsed = 0
    with transaction.atomic():
        for a in standing:
            if len(sides_agreed[(a.content_type_id, a.object_id, a.kind, a.version)]) == 2:
                continue  # complete
            member = members.get(a.agreed_by_id)
            if member is not None and side_of(member) == a.side:
                continue
            Agreement.objects.filter(pk=a.pk, ended_at__isnull=True).update(
                ended_at=timezone.now(), ended=Agreement.Ended.LAPSED, ended_by=actor
            )
            audit.record(
                f"partnership.{a.kind}.lapsed",
                actor=actor,
                organisation=org,
                data={
                    "side": a.side,
                    "version": a.version,
                    "kind": a.kind,
                    "agreement": a.pk,
                    "agreed_by": a.agreed_by_name,
                    "object": f"{a.content_type_id}:{a.object_id}",
                },
            )
            lapsed += 1
    return lapsed
