"""Sealed responses: what a submission stores while its campaign is open, and their
release at close (ADR 0011, docs/survey-anonymity.md).

A submission writes one ``SealedResponse``: the stored unit, band, answers and free text,
encrypted with the application's keys (``staffwell.core.crypto``, never in the
database: AES-GCM with a random nonce, so nothing in the clear says when it was written)
and padded to one size for every response of the campaign's questions (``size_for``),
so the commit that marks a person as having answered carries nothing readable beside
the mark, in the tables or in the write-ahead log, and nothing that sets a long comment
apart. Drafts are padded the same way (``padded``). Readable rows exist only after close: ``release`` opens every sealed response of the
campaign, shuffles them, and writes ``Response``, ``Answer`` and ``FreeTextAnswer`` rows
in random order with random ids, dated to the day of release, in one transaction that
also deletes the sealed rows. The order readable rows appear in, and their ids, say
nothing about the order people answered in; free text is shuffled apart from the scored
answers, so a comment cannot be paired with its scores by position either.
"""

import json
import secrets

from django.db import connection, transaction
from django.utils import timezone

from staffwell.core import crypto
from staffwell.surveys.models import Answer, Campaign, FreeTextAnswer, Response, SealedResponse

PURPOSE = "sealed-response"  # its key in staffwell.core.crypto (crypto.SEALED)
FREE_TEXT_MAX = 2000  # characters in one free-text answer

# Every sealed response of a set of questions is padded to one size, the largest any answer
# to them can take, so its length says nothing about what was written (an attack found that
# 1 KiB steps set a long comment apart). Once ``clean``ed, a character takes at most four
# bytes of JSON; a scored answer is a question id and a value.
BLOCK = 1024
HEADER_BYTES = 512  # the stored unit, the band and the JSON around them
SCORED_BYTES = 32
TEXT_FRAMING = 32
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def size_for(questions, *, text_chars: int = FREE_TEXT_MAX) -> int:
    """The one plaintext size, in bytes, of every sealed response to ``questions`` (or of
    every draft, with its longer ``text_chars``)."""
    texts = sum(1 for q in questions if q.is_free_text)
    scored = len(questions) - texts
    need = HEADER_BYTES + SCORED_BYTES * scored + texts * (4 * text_chars + TEXT_FRAMING)
    return -(-need // BLOCK) * BLOCK


def clean(text: str) -> str:
    """Free text as stored: without control characters other than tab and line breaks (JSON
    writes them as six bytes each, and they mean nothing in a comment) and with any lone
    surrogate replaced, so every character takes at most four bytes."""
    return text.translate(_CONTROL).encode("utf-8", "replace").decode("utf-8")


def padded(data: dict, size: int) -> bytes:
    """``data`` as JSON of exactly ``size`` bytes (a ``"p"`` key of spaces makes up the rest)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    room = size - len(body) - len(b',"p":""')
    if room < 0:
        raise ValueError(f"{len(body)} bytes do not fit the padded size of {size}")
    return body[:-1] + b',"p":"' + b" " * room + b'"}'


def seal(*, unit_id: int | None, band: str, scored: list, texts: list, size: int) -> str:
    """The ciphertext of one response, padded to ``size`` (``size_for`` the campaign's
    questions) so that every response of the campaign has the same length."""
    data = {"u": unit_id, "b": band, "a": scored, "t": [[pk, clean(text)] for pk, text in texts]}
    return crypto.encrypt(padded(data, size).decode("utf-8"), purpose=PURPOSE)


def unseal(ciphertext: str) -> dict:
    data = json.loads(crypto.decrypt(ciphertext, purpose=PURPOSE))
    data.pop("p", None)
    return data


def _rng() -> secrets.SystemRandom:
    return secrets.SystemRandom()


def _id() -> str:
    return secrets.token_hex(16)


def release(campaign: Campaign) -> int:
    """Open, shuffle and write out every sealed response of ``campaign``; returns how many.
    One transaction: the sealed rows are deleted as the readable ones are written."""
    rng = _rng()
    day = connection.ops.adapt_datefield_value(campaign.closed_on or timezone.localdate())
    with transaction.atomic():
        sealed = list(SealedResponse.objects.filter(campaign=campaign).values_list("ciphertext", flat=True))
        if not sealed:
            return 0
        opened = [unseal(c) for c in sealed]
        del sealed
        rng.shuffle(opened)
        responses, answers, texts = [], [], []
        for data in opened:
            rid = _id()
            responses.append((rid, campaign.pk, data["u"], data["b"], day))
            answers += [(_id(), rid, qid, value) for qid, value in data["a"]]
            texts += [(_id(), campaign.pk, qid, data["u"], text) for qid, text in data["t"]]
        # Random ids, and rows written in the order of those ids: a random order that says
        # nothing about who answered first, nor which answers or comment came together.
        responses.sort()
        answers.sort()
        texts.sort()
        _insert(Response, ("id", "campaign_id", "unit_id", "staff_group", "submitted_on"), responses)
        _insert(Answer, ("id", "response_id", "question_id", "value"), answers)
        _insert(FreeTextAnswer, ("id", "campaign_id", "question_id", "unit_id", "text"), texts)
        SealedResponse.objects.filter(campaign=campaign).delete()
    return len(opened)


def _insert(model, columns: tuple, rows: list) -> None:
    if not rows:
        return
    table = model._meta.db_table
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(columns))
        raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608
