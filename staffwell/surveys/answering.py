"""Submitting a response: checked, then written as a sealed response together with the
participation mark (or the kiosk code's "used"), or not at all. Idempotent: a second
submit with the same link or code stores nothing (docs/survey-anonymity.md)."""

import json
import uuid
from contextlib import nullcontext

from django.db import IntegrityError, connection, transaction

from staffwell.core.db import prepared_cursor
from staffwell.surveys import sealing
from staffwell.surveys.errors import AlreadySubmitted, SurveyError
from staffwell.surveys.models import Draft, KioskCode, Participation, Question, SealedResponse
from staffwell.surveys.scope import bucket_for
from staffwell.surveys.sealing import FREE_TEXT_MAX
from staffwell.surveys.tickets import Ticket, table


def validate_answers(questions: list[Question], answers: dict[int, int], free_text: dict[int, str]) -> dict[int, str]:
    """Errors by question number (an empty dict when the answers can be submitted)."""
    errors: dict[int, str] = {}
    for q in questions:
        if q.is_free_text:
            text = free_text.get(q.number, "").strip()
            if q.required and not text:
                errors[q.number] = "Write an answer to this question"
            elif len(text) > FREE_TEXT_MAX:
                errors[q.number] = f"Keep your answer to {FREE_TEXT_MAX} characters or fewer"
        else:
            value = answers.get(q.number)
            if value is None:
                if q.required:
                    errors[q.number] = f"Choose an answer for question {q.number}"
            elif value not in q.response_set.values:
                errors[q.number] = f"Choose one of the answers offered for question {q.number}"
    return errors


def submit(*, ticket: Ticket, questions: list[Question], answers: dict[int, int], free_text: dict[int, str]) -> bool:
    """Store one response. Returns False (and stores nothing) if this link or code has
    already been used: double submission, retries and the back button are all safe.

    The response, its answers and the participation mark (or the kiosk code's "used") are
    written together or not at all, so a response is never stored without the mark nor the
    mark without the response.
    """
    if not ticket.is_open:
        raise SurveyError("This survey is closed.")
    if validate_answers(questions, answers, free_text):
        raise SurveyError("Some answers are missing or not valid.")
    scored = [(q.pk, answers[q.number]) for q in questions if not q.is_free_text and answers.get(q.number) is not None]
    texts = [
        (q.pk, free_text[q.number].strip()) for q in questions if q.is_free_text and free_text.get(q.number, "").strip()
    ]
    size = sealing.size_for(questions)
    write = _submit_in_one_statement if connection.vendor == "postgresql" else _submit_in_transaction
    try:
        # Inside a caller's transaction (tests, management commands), a savepoint keeps it
        # usable after a refused duplicate; on its own, each write is its own transaction.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            return write(ticket, scored, texts, size)
    except (AlreadySubmitted, IntegrityError):
        return False


def _uuid() -> object:
    return SealedResponse._meta.pk.get_db_prep_value(uuid.uuid4(), connection)


def _sealed_row(ticket: Ticket, scored: list, texts: list, size: int) -> list:
    """The sealed response's columns (id, campaign_id, ciphertext): a random id, and the
    answers sealed with the application's keys (``sealing.seal``), so nothing readable
    is written beside the participation mark."""
    return [
        _uuid(),
        ticket.campaign_id,
        sealing.seal(unit_id=ticket.stored_unit_id, band=ticket.band, scored=scored, texts=texts, size=size),
    ]


def _submit_in_one_statement(ticket: Ticket, scored: list, texts: list, size: int) -> bool:
    """PostgreSQL: the whole submission as one statement, so one round trip that is its own
    transaction (this is the hot path when a whole trust answers at once).

    The first part claims the link or code: it adds the person to their unit's
    participation set (sorted, rewritten whole) or marks the kiosk code used, but only if
    not already done. The sealed response is inserted only for a successful claim. A
    second submit with the same link waits for the first's row lock, then finds the
    person already in the set and writes nothing.
    """
    if ticket.kind == "kiosk":
        claim = f"UPDATE {table(KioskCode)} SET used = true WHERE id = %s AND NOT used RETURNING 1"  # noqa: S608
        params: list = [ticket.holder_id]
    else:
        claim = (
            f"UPDATE {table(Participation)} SET member_ids = ("  # noqa: S608
            "SELECT jsonb_agg(m ORDER BY m) FROM jsonb_array_elements(member_ids || jsonb_build_array(%s::bigint)) m"
            ") WHERE campaign_id = %s AND bucket = %s AND NOT member_ids @> jsonb_build_array(%s::bigint) RETURNING 1"
        )
        params = [ticket.holder_id, ticket.campaign_id, bucket_for(ticket.stored_unit_id), ticket.holder_id]
    parts = [
        f"claim AS ({claim})",
        f"sealed AS (INSERT INTO {table(SealedResponse)} (id, campaign_id, ciphertext) "  # noqa: S608
        "SELECT %s::uuid, %s::bigint, %s::text FROM claim)",
        f"draft AS (DELETE FROM {table(Draft)} WHERE id = %s AND EXISTS (SELECT 1 FROM claim))",  # noqa: S608
    ]
    params += [*_sealed_row(ticket, scored, texts, size), ticket.draft_id]
    with prepared_cursor() as cursor:
        cursor.execute("WITH " + ", ".join(parts) + " SELECT count(*) FROM claim", params)  # noqa: S608
        if cursor.fetchone()[0]:
            return True
    if ticket.kind == "invite" and not _participation_exists(ticket):
        raise SurveyError("This survey has no record of who has taken part.")
    return False


def _participation_exists(ticket: Ticket) -> bool:
    return Participation.objects.filter(
        campaign_id=ticket.campaign_id, bucket=bucket_for(ticket.stored_unit_id)
    ).exists()


def _submit_in_transaction(ticket: Ticket, scored: list, texts: list, size: int) -> bool:
    """Other databases (SQLite): the same rows in one transaction of a few statements. The
    participation row is locked last so the lock is held only briefly."""
    row = _sealed_row(ticket, scored, texts, size)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table(SealedResponse)} (id, campaign_id, ciphertext) VALUES (%s, %s, %s)",  # noqa: S608
            row,
        )
        if ticket.kind == "kiosk":
            if not KioskCode.objects.filter(pk=ticket.holder_id, used=False).update(used=True):
                raise AlreadySubmitted
        else:
            _mark_participation(ticket)
        cursor.execute(f"DELETE FROM {table(Draft)} WHERE id = %s", [ticket.draft_id])  # noqa: S608
    return True


def _mark_participation(ticket: Ticket) -> None:
    """Add the person to their unit's participation set (sorted, rewritten whole), or raise
    ``AlreadySubmitted``. The row is locked until the transaction ends."""
    field = Participation._meta.get_field("member_ids")
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, member_ids FROM {table(Participation)} WHERE campaign_id = %s AND bucket = %s{lock}",  # noqa: S608
            [ticket.campaign_id, bucket_for(ticket.stored_unit_id)],
        )
        row = cursor.fetchone()
        if row is None:
            raise SurveyError("This survey has no record of who has taken part.")
        members = json.loads(row[1]) if isinstance(row[1], str) else list(row[1])
        member_id = ticket.holder_id
        if member_id in members:
            raise AlreadySubmitted
        cursor.execute(
            f"UPDATE {table(Participation)} SET member_ids = %s WHERE id = %s",  # noqa: S608
            [field.get_db_prep_save(sorted([*members, member_id]), connection), row[0]],
        )
