"""Tickets, the right to submit one response (a personal link or a kiosk code), and the
respondent's encrypted draft. The hot path when a whole trust answers at once: one small
query per page."""

import datetime
import json
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.utils import timezone

from staffwell.core import crypto
from staffwell.core.db import prepared_cursor
from staffwell.surveys import sealing
from staffwell.surveys.kiosk import normalise_code
from staffwell.surveys.models import (
    Campaign,
    Draft,
    Instrument,
    Invitation,
    KioskBatch,
    KioskCode,
    Participation,
    Question,
)
from staffwell.surveys.scope import bucket_for
from staffwell.surveys.sealing import FREE_TEXT_MAX
from staffwell.surveys.tokens import sha


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@dataclass
class Ticket:
    """The right to submit one response: a personal link or a kiosk code.

    Built from one small query (this is the hot path when a whole trust answers at once):
    what the answering pages need on every request is here; the full campaign is read
    only when a page shows it.
    """

    kind: str  # "invite" or "kiosk"
    secret: str  # the token or the normalised code; never stored
    campaign_id: int
    stored_unit_id: int | None
    band: str
    holder_id: int  # the invited membership (for participation), or the kiosk code
    campaign_status: str
    opens_on: datetime.date
    closes_on: datetime.date
    instrument_key: tuple  # (id, status, created_at): finds agreed questions in memory

    @cached_property
    def campaign(self) -> Campaign:
        return Campaign.objects.select_related("instrument", "organisation").get(pk=self.campaign_id)

    @property
    def is_open(self) -> bool:
        return Campaign.accepting_answers(self.campaign_status, self.opens_on, self.closes_on)

    def questions(self) -> list[Question]:
        instrument_id, status, created_at = self.instrument_key
        cached = Instrument.agreed_questions(instrument_id, status, created_at)
        return cached if cached is not None else self.campaign.instrument.ordered_questions()

    # A kiosk respondent's browser session: a random handle that stands for the code in
    # the page address (the code itself never is), and binds their draft to this browser.
    handle: str = ""

    @property
    def _draft_secret(self) -> str:
        return f"{self.secret}:{self.handle}" if self.handle else self.secret

    @property
    def draft_id(self) -> str:
        return sha(f"draft-{self.kind}", self._draft_secret)

    @property
    def draft_holder(self) -> str:
        """What, beside the application's keys, opens this respondent's draft (never stored)."""
        return f"{self.kind}:{self._draft_secret}"

    @property
    def url_kwargs(self) -> dict:
        return {"token": self.secret} if self.kind == "invite" else {"code": self.handle}

    def is_used(self) -> bool:
        if self.kind == "kiosk":
            return KioskCode.objects.filter(pk=self.holder_id, used=True).exists()
        part = Participation.objects.filter(
            campaign_id=self.campaign_id, bucket=bucket_for(self.stored_unit_id)
        ).first()
        return part is not None and self.holder_id in part.member_ids


def _ticket(kind: str, secret: str, *, holder: str, tables: str, where: str, params: list) -> Ticket | None:
    """One query for a ticket: the holder row ``h`` (with ``campaign_id`` and
    ``report_unit_id``; ``holder`` selects its id and band) joined to its campaign and
    instrument."""
    sql = (
        f"SELECT h.campaign_id, h.report_unit_id, {holder}, c.status, c.opens_on, c.closes_on, "  # noqa: S608
        f"i.id, i.status, i.created_at FROM {tables} JOIN {table(Campaign)} c ON c.id = h.campaign_id "
        f"JOIN {table(Instrument)} i ON i.id = c.instrument_id WHERE {where}"
    )
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    campaign_id, unit_id, holder_id, band, status, opens_on, closes_on, instrument_id, i_status, created_at = row
    if timezone.is_naive(created_at):  # SQLite keeps UTC without a zone; the ORM adds it back
        created_at = created_at.replace(tzinfo=datetime.UTC)
    return Ticket(
        kind=kind,
        secret=secret,
        campaign_id=campaign_id,
        stored_unit_id=unit_id,
        band=band,
        holder_id=holder_id,
        campaign_status=status,
        opens_on=opens_on,
        closes_on=closes_on,
        instrument_key=(instrument_id, i_status, created_at),
    )


def ticket_for_token(token: str) -> Ticket | None:
    return _ticket(
        "invite",
        token,
        holder="h.membership_id, h.report_band",
        tables=f"{table(Invitation)} h",
        where="h.token_hash = %s",
        params=[sha("invitation", token)],
    )


def ticket_for_code(code: str) -> Ticket | None:
    code = normalise_code(code)
    return _ticket(
        "kiosk",
        code,
        holder="k.id, ''",
        tables=f"{table(KioskCode)} k JOIN {table(KioskBatch)} h ON h.id = k.batch_id",
        where="k.code_hash = %s AND h.voided = %s",
        params=[sha("kiosk", code), False],
    )


# --------------------------------------------------------------------------- drafts

DRAFT_PURPOSE = "survey-draft"  # its key in staffwell.core.crypto (crypto.SEALED)


def load_draft(ticket: Ticket) -> dict:
    """The respondent's unfinished answers: {"answers": {number: value}, "free_text":
    {number: text}, "mode": "one"|"all", "band": str}."""
    empty = {"answers": {}, "free_text": {}, "mode": "", "band": ""}
    draft = Draft.objects.filter(pk=ticket.draft_id).first()
    if draft is None:
        return empty
    try:
        plain = crypto.unseal_for(
            ticket.draft_holder, draft.ciphertext, purpose=DRAFT_PURPOSE, context=ticket.draft_id.encode()
        )
        data = json.loads(plain)
    except (crypto.InvalidToken, ValueError):
        return empty
    data.pop("p", None)
    data["answers"] = {int(k): v for k, v in data.get("answers", {}).items()}
    data["free_text"] = {int(k): v for k, v in data.get("free_text", {}).items()}
    return {**empty, **data}


DRAFT_TEXT_MAX = 2 * FREE_TEXT_MAX  # a draft keeps an over-long answer this far, to be shortened


def save_draft(ticket: Ticket, data: dict) -> None:
    """Store the unfinished answers, padded to one size for every draft of the campaign
    (``sealing.size_for``): the submission deletes the draft in the commit that marks its
    person as having answered, so a draft's length must say nothing about its comment. A
    free-text answer is kept up to ``DRAFT_TEXT_MAX`` characters."""
    data = {
        **data,
        "free_text": {k: sealing.clean(v)[:DRAFT_TEXT_MAX] for k, v in data.get("free_text", {}).items()},
    }
    size = sealing.size_for(ticket.questions(), text_chars=DRAFT_TEXT_MAX) + sealing.BLOCK
    plain = sealing.padded(data, size)
    blob = crypto.seal_for(ticket.draft_holder, plain, purpose=DRAFT_PURPOSE, context=ticket.draft_id.encode())
    Draft.objects.update_or_create(
        pk=ticket.draft_id,
        defaults={"campaign_id": ticket.campaign_id, "ciphertext": blob, "saved_on": timezone.localdate()},
    )
