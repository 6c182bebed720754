"""Survey workflows: launching a campaign, invitations, kiosk codes, drafts and submission.

The anonymity design is in docs/survey-anonymity.md. In short: everything about a person
(invitation, participation) and everything about answers (response, answers, free text)
is written with nothing that joins the two, and submission is idempotent.
"""

import base64
import datetime
import hashlib
import hmac
import json
import secrets
import uuid
from collections import Counter, defaultdict
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cached_property

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from staffwell.core import audit
from staffwell.core.db import prepared_cursor
from staffwell.organisations.models import Membership, Unit
from staffwell.suppression import min_group_size
from staffwell.surveys import sealing, signals
from staffwell.surveys.errors import AlreadySubmitted, SurveyError
from staffwell.surveys.models import (
    Campaign,
    Draft,
    Instrument,
    Invitation,
    KioskBatch,
    KioskCode,
    Participation,
    Question,
    SealedResponse,
)

FREE_TEXT_MAX = 2000
KIOSK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
KIOSK_CODE_LENGTH = 12
KIOSK_MAX_BATCH = 2000


def _sha(prefix: str, value: str) -> str:
    return hashlib.sha256(f"{prefix}:{value}".encode()).hexdigest()


# --------------------------------------------------------------------------- scope and coarsening


def in_scope(campaign: Campaign):
    """Active members in the campaign's units and every unit below them."""
    units = list(campaign.units.all())
    ids: set[int] = set()
    for unit in units:
        ids |= set(Membership.objects.active().in_subtree(unit).values_list("pk", flat=True))
    return Membership.objects.filter(pk__in=ids).select_related("unit")


def coarsen(*, member_units: Counter, roots: list[Unit], k: int) -> dict[int, int | None]:
    """Map each member unit to the unit stored on responses.

    Bottom up, a unit keeps its own people (and those passed up from small units below it)
    if they number at least ``k``; otherwise they pass to its parent. People left over at a
    campaign root are merged with the whole root, and if the campaign's people left at
    organisation level are fewer than ``k``, everyone is stored at organisation level. So
    each stored unit stands for at least ``k`` invited people, or for nobody.
    """
    if not member_units:
        return {}
    units = {u.pk: u for r in roots for u in r.subtree()}
    children: dict[int, list[int]] = defaultdict(list)
    for u in units.values():
        if u.parent_id in units:
            children[u.parent_id].append(u.pk)
    top = [u.pk for u in units.values() if u.parent_id not in units]
    mapping: dict[int, int | None] = {}

    def subtree_ids(uid: int) -> list[int]:
        out = [uid]
        for c in children[uid]:
            out += subtree_ids(c)
        return out

    def visit(uid: int) -> list[int]:
        """Returns the member units whose people are still unassigned below and at uid."""
        pending = [] if not member_units.get(uid) else [uid]
        for c in children[uid]:
            pending += visit(c)
        if sum(member_units.get(p, 0) for p in pending) >= k:
            for p in pending:
                mapping[p] = uid
            return []
        return pending

    leftover_org: list[int] = []
    for uid in top:
        pending = visit(uid)
        if pending:
            everyone = [p for p in subtree_ids(uid) if member_units.get(p)]
            if sum(member_units[p] for p in everyone) >= k:
                for p in everyone:
                    mapping[p] = uid
            else:
                leftover_org += everyone
    for p in leftover_org:
        mapping[p] = None
    org_level = sum(member_units[p] for p in leftover_org)
    if 0 < org_level < k:
        mapping = dict.fromkeys(mapping, None)
    return mapping


def allowed_bands(groups: Counter, k: int) -> list[str]:
    """Staff groups that may be stored in one stored unit: each shared by at least ``k``
    invited people, and the people in the other groups (stored with no band) either none
    or at least ``k`` too."""
    allowed = sorted((g for g, n in groups.items() if g and n >= k), key=lambda g: -groups[g])
    while allowed:
        rest = sum(n for g, n in groups.items() if g not in allowed)
        if rest == 0 or rest >= k:
            break
        allowed.pop()  # the smallest allowed group joins the rest
    return sorted(allowed)


def bucket_for(stored_unit_id: int | None) -> str:
    return str(stored_unit_id) if stored_unit_id else "org"


# --------------------------------------------------------------------------- campaign workflow


def launch(*, campaign: Campaign, actor, email_invitations: bool = True) -> None:
    """Fix who is in scope, how responses are coarsened, and create the invitations and
    participation records. Invitations are emailed by a background task on commit (at once
    if the campaign is open; otherwise by the daily ``run_survey_schedule`` command)."""
    if campaign.status != Campaign.Status.DRAFT:
        raise SurveyError("This campaign has already been launched.")
    if not campaign.instrument.is_usable:
        raise SurveyError("The question set has not been agreed by both sides yet.")
    if not campaign.is_agreed:
        raise SurveyError("Both the employer side and the staff side need to agree the campaign before it starts.")
    if campaign.closes_on < timezone.localdate():
        raise SurveyError("The closing date has passed. Change the dates before launching.")
    members = list(in_scope(campaign))
    if not members:
        raise SurveyError("There is nobody in the chosen units.")
    k = min_group_size(campaign.organisation)
    member_units = Counter(m.unit_id for m in members)
    mapping = coarsen(member_units=member_units, roots=list(campaign.units.all()), k=k)
    groups: dict[str, Counter] = defaultdict(Counter)
    for m in members:
        groups[bucket_for(mapping.get(m.unit_id))][m.staff_group] += 1
    with transaction.atomic():
        campaign.report_units = {str(u): s for u, s in mapping.items()}
        campaign.report_bands = {b: allowed_bands(c, k) for b, c in groups.items()} if campaign.ask_staff_group else {}
        campaign.in_scope_count = len(members)
        campaign.status = Campaign.Status.LAUNCHED
        campaign.launched_on = timezone.localdate()
        campaign.save()
        Participation.objects.bulk_create(
            [Participation(campaign=campaign, bucket=b, member_ids=[]) for b in sorted(groups)]
        )
        invitations = []
        for m in sorted(members, key=lambda m: m.pk):
            stored = mapping.get(m.unit_id)
            invitations.append(_new_invitation(campaign, m, stored, campaign.stored_band(stored, m.staff_group)))
        Invitation.objects.bulk_create(invitations, batch_size=1000)
        audit.record(
            "survey.campaign.launched",
            actor=actor,
            organisation=campaign.organisation,
            obj=campaign,
            data={"in_scope": len(members), "with_email": sum(1 for m in members if m.email)},
        )
        if campaign.is_open and email_invitations:
            transaction.on_commit(lambda: _enqueue_invitations(campaign.pk))


def _enqueue_invitations(campaign_id: int) -> None:
    from staffwell.surveys.tasks import send_invitations

    send_invitations.enqueue(campaign_id)


def _new_invitation(campaign, membership, stored_unit_id, band) -> Invitation:
    secret = secrets.token_hex(16)
    return Invitation(
        campaign=campaign,
        membership=membership,
        secret=secret,
        token_hash=_sha("invitation", invitation_token(secret)),
        report_unit_id=stored_unit_id,
        report_band=band,
    )


def invitation_token(secret: str) -> str:
    """The token in a personal link: derived from the server's secret key and the
    invitation's own secret, so the database alone cannot produce it."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"staffwell.survey.invitation:{secret}".encode(), "sha256")
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")[:32]


def close(*, campaign: Campaign, actor) -> None:
    """Close the campaign and release its sealed responses (``sealing.release``): only now
    do readable answers exist, shuffled, in one transaction with the closing."""
    if campaign.status != Campaign.Status.LAUNCHED:
        raise SurveyError("Only a launched campaign can be closed.")
    with transaction.atomic():
        campaign.status = Campaign.Status.CLOSED
        campaign.closed_on = timezone.localdate()
        campaign.save(update_fields=["status", "closed_on"])
        Draft.objects.filter(campaign=campaign).delete()
        sealing.release(campaign)
        audit.record("survey.campaign.closed", actor=actor, organisation=campaign.organisation, obj=campaign)
    transaction.on_commit(lambda: signals.campaign_closed.send(sender=Campaign, campaign_id=campaign.pk))


def responders_count(campaign: Campaign) -> int:
    return sum(len(p.member_ids) for p in campaign.participation.all())


def non_responders(campaign: Campaign):
    responded: set[int] = set()
    for p in campaign.participation.all():
        responded |= set(p.member_ids)
    return campaign.invitations.exclude(membership_id__in=responded)


# --------------------------------------------------------------------------- kiosk codes


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
        KioskCode.objects.bulk_create([KioskCode(batch=batch, code_hash=_sha("kiosk", c)) for c in codes])
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


# --------------------------------------------------------------------------- tickets (who may answer)


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
        return _sha(f"draft-{self.kind}", self._draft_secret)

    @property
    def draft_key(self) -> bytes:
        return hmac.new(
            settings.SECRET_KEY.encode(), f"staffwell.survey.draft:{self.kind}:{self._draft_secret}".encode(), "sha256"
        ).digest()

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
        f"i.id, i.status, i.created_at FROM {tables} JOIN {_table(Campaign)} c ON c.id = h.campaign_id "
        f"JOIN {_table(Instrument)} i ON i.id = c.instrument_id WHERE {where}"
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
        tables=f"{_table(Invitation)} h",
        where="h.token_hash = %s",
        params=[_sha("invitation", token)],
    )


def ticket_for_code(code: str) -> Ticket | None:
    code = normalise_code(code)
    return _ticket(
        "kiosk",
        code,
        holder="k.id, ''",
        tables=f"{_table(KioskCode)} k JOIN {_table(KioskBatch)} h ON h.id = k.batch_id",
        where="k.code_hash = %s AND h.voided = %s",
        params=[_sha("kiosk", code), False],
    )


# --------------------------------------------------------------------------- drafts


def load_draft(ticket: Ticket) -> dict:
    """The respondent's unfinished answers: {"answers": {number: value}, "free_text":
    {number: text}, "mode": "one"|"all", "band": str}."""
    empty = {"answers": {}, "free_text": {}, "mode": "", "band": ""}
    draft = Draft.objects.filter(pk=ticket.draft_id).first()
    if draft is None:
        return empty
    blob = bytes(draft.ciphertext)
    try:
        data = json.loads(AESGCM(ticket.draft_key).decrypt(blob[:12], blob[12:], ticket.draft_id.encode()))
    except (InvalidTag, ValueError):
        return empty
    data["answers"] = {int(k): v for k, v in data.get("answers", {}).items()}
    data["free_text"] = {int(k): v for k, v in data.get("free_text", {}).items()}
    return {**empty, **data}


def save_draft(ticket: Ticket, data: dict) -> None:
    nonce = secrets.token_bytes(12)
    blob = nonce + AESGCM(ticket.draft_key).encrypt(
        nonce, json.dumps(data, sort_keys=True).encode(), ticket.draft_id.encode()
    )
    Draft.objects.update_or_create(
        pk=ticket.draft_id,
        defaults={"campaign_id": ticket.campaign_id, "ciphertext": blob, "saved_on": timezone.localdate()},
    )


# --------------------------------------------------------------------------- answering


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
    write = _submit_in_one_statement if connection.vendor == "postgresql" else _submit_in_transaction
    try:
        # Inside a caller's transaction (tests, management commands), a savepoint keeps it
        # usable after a refused duplicate; on its own, each write is its own transaction.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            return write(ticket, scored, texts)
    except (AlreadySubmitted, IntegrityError):
        return False


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _uuid() -> object:
    return SealedResponse._meta.pk.get_db_prep_value(uuid.uuid4(), connection)


def _sealed_row(ticket: Ticket, scored: list, texts: list) -> list:
    """The sealed response's columns (id, campaign_id, ciphertext): a random id, and the
    answers sealed with the application's keys (``sealing.seal``), so nothing readable
    is written beside the participation mark."""
    return [
        _uuid(),
        ticket.campaign_id,
        sealing.seal(unit_id=ticket.stored_unit_id, band=ticket.band, scored=scored, texts=texts),
    ]


def _submit_in_one_statement(ticket: Ticket, scored: list, texts: list) -> bool:
    """PostgreSQL: the whole submission as one statement, so one round trip that is its own
    transaction (this is the hot path when a whole trust answers at once).

    The first part claims the link or code: it adds the person to their unit's
    participation set (sorted, rewritten whole) or marks the kiosk code used, but only if
    not already done. The sealed response is inserted only for a successful claim. A
    second submit with the same link waits for the first's row lock, then finds the
    person already in the set and writes nothing.
    """
    if ticket.kind == "kiosk":
        claim = f"UPDATE {_table(KioskCode)} SET used = true WHERE id = %s AND NOT used RETURNING 1"  # noqa: S608
        params: list = [ticket.holder_id]
    else:
        claim = (
            f"UPDATE {_table(Participation)} SET member_ids = ("  # noqa: S608
            "SELECT jsonb_agg(m ORDER BY m) FROM jsonb_array_elements(member_ids || jsonb_build_array(%s::bigint)) m"
            ") WHERE campaign_id = %s AND bucket = %s AND NOT member_ids @> jsonb_build_array(%s::bigint) RETURNING 1"
        )
        params = [ticket.holder_id, ticket.campaign_id, bucket_for(ticket.stored_unit_id), ticket.holder_id]
    parts = [
        f"claim AS ({claim})",
        f"sealed AS (INSERT INTO {_table(SealedResponse)} (id, campaign_id, ciphertext) "  # noqa: S608
        "SELECT %s::uuid, %s::bigint, %s::text FROM claim)",
        f"draft AS (DELETE FROM {_table(Draft)} WHERE id = %s AND EXISTS (SELECT 1 FROM claim))",  # noqa: S608
    ]
    params += [*_sealed_row(ticket, scored, texts), ticket.draft_id]
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


def _submit_in_transaction(ticket: Ticket, scored: list, texts: list) -> bool:
    """Other databases (SQLite): the same rows in one transaction of a few statements. The
    participation row is locked last so the lock is held only briefly."""
    row = _sealed_row(ticket, scored, texts)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(SealedResponse)} (id, campaign_id, ciphertext) VALUES (%s, %s, %s)",  # noqa: S608
            row,
        )
        if ticket.kind == "kiosk":
            if not KioskCode.objects.filter(pk=ticket.holder_id, used=False).update(used=True):
                raise AlreadySubmitted
        else:
            _mark_participation(ticket)
        cursor.execute(f"DELETE FROM {_table(Draft)} WHERE id = %s", [ticket.draft_id])  # noqa: S608
    return True


def _mark_participation(ticket: Ticket) -> None:
    """Add the person to their unit's participation set (sorted, rewritten whole), or raise
    ``AlreadySubmitted``. The row is locked until the transaction ends."""
    field = Participation._meta.get_field("member_ids")
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, member_ids FROM {_table(Participation)} WHERE campaign_id = %s AND bucket = %s{lock}",  # noqa: S608
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
            f"UPDATE {_table(Participation)} SET member_ids = %s WHERE id = %s",  # noqa: S608
            [field.get_db_prep_save(sorted([*members, member_id]), connection), row[0]],
        )


# --------------------------------------------------------------------------- question sets


def new_version(*, instrument: Instrument, actor) -> Instrument:
    """A draft copy of an organisation's agreed question set, one version up."""
    if instrument.is_shipped:
        raise SurveyError("Shipped instruments cannot be changed. Build your own question set instead.")
    latest = (
        Instrument.objects.filter(organisation=instrument.organisation, key=instrument.key).order_by("-version").first()
    )
    if Instrument.objects.filter(
        organisation=instrument.organisation, key=instrument.key, status=Instrument.Status.DRAFT
    ).exists():
        raise SurveyError("There is already a draft of this question set.")
    with transaction.atomic():
        copy = Instrument.objects.create(
            organisation=instrument.organisation,
            key=instrument.key,
            version=latest.version + 1,
            name=instrument.name,
            summary=instrument.summary,
            recall_period=instrument.recall_period,
            status=Instrument.Status.DRAFT,
            created_by=actor,
        )
        sets = {}
        for rs in instrument.response_sets.all():
            sets[rs.pk] = copy.response_sets.create(key=rs.key, name=rs.name, options=rs.options)
        scales = {}
        for s in instrument.scales.all():
            scales[s.pk] = copy.scales.create(key=s.key, name=s.name, order=s.order)
        for q in instrument.questions.all():
            copy.questions.create(
                number=q.number,
                text=q.text,
                hint=q.hint,
                kind=q.kind,
                response_set=sets.get(q.response_set_id),
                scale=scales.get(q.scale_id),
                reverse_scored=q.reverse_scored,
                required=q.required,
            )
        audit.record(
            "instrument.version.created",
            actor=actor,
            organisation=instrument.organisation,
            obj=copy,
            data={"from_version": instrument.version},
        )
    return copy
