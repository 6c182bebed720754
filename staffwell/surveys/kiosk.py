"""Printed single-use codes for staff without email: made in batches for one unit, shown
once, stored only as hashes, and stopped as a batch."""

import secrets

from django.db import transaction

from staffwell.core import audit
from staffwell.organisations.models import Unit
from staffwell.surveys.errors import SurveyError
from staffwell.surveys.models import Campaign, KioskBatch, KioskCode
from staffwell.surveys.tokens import sha

KIOSK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
KIOSK_CODE_LENGTH = 12
KIOSK_MAX_BATCH = 2000


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def create_kiosk_batch(*, campaign: Campaign, unit: Unit, size: int, actor) -> list[str]:
    """Make ``size`` single-use codes for a unit; returns them (only this once)."""
    if campaign.from_checkins:
        raise SurveyError("The check-in pulse has no codes: its answers come from check-ins people chose to add.")
    if campaign.status != Campaign.Status.LAUNCHED:
        raise SurveyError("Codes can be made once the campaign is launched and until it closes.")
    if not 1 <= size <= KIOSK_MAX_BATCH:
        raise SurveyError(f"Make between 1 and {KIOSK_MAX_BATCH} codes at a time.")
    if str(unit.pk) not in campaign.report_units:
        raise SurveyError("Choose a unit with people in this campaign.")
    codes = ["".join(secrets.choice(KIOSK_ALPHABET) for _ in range(KIOSK_CODE_LENGTH)) for _ in range(size)]
    with transaction.atomic():
        batch = KioskBatch.objects.create(
            campaign=campaign, unit=unit, report_unit_id=campaign.stored_unit_id(unit.pk), size=size, created_by=actor
        )
        KioskCode.objects.bulk_create([KioskCode(batch=batch, code_hash=sha("kiosk", c)) for c in codes])
        audit.record(
            "survey.kiosk_codes.created",
            actor=actor,
            organisation=campaign.organisation,
            obj=campaign,
            data={"unit": unit.name, "codes": size},
        )
    return [format_code(c) for c in codes]


def void_kiosk_batch(*, batch: KioskBatch, actor) -> None:
    """Stop a batch's codes. Nothing records how many were used: beside the batch size (in
    the audit log both sides read) it would count the unit's kiosk respondents."""
    with transaction.atomic():
        batch.voided = True
        batch.save(update_fields=["voided"])
        audit.record(
            "survey.kiosk_codes.voided",
            actor=actor,
            organisation=batch.campaign.organisation,
            obj=batch.campaign,
            data={"unit": batch.unit.name, "batch": batch.pk},
        )
