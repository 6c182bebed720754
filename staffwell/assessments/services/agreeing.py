"""Agreeing ratings, evidence, sign-off (kind ``assessment.signoff``) and amendments."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from staffwell.assessments import kinds
from staffwell.assessments.models import (
    AgreedRating,
    Amendment,
    Cycle,
    Evidence,
    Side,
)
from staffwell.assessments.services.common import (
    Conflict,
    Conflicts,
    NotReady,
    membership_of,
)
from staffwell.core import audit
from staffwell.partnership import services as partnership

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
