"""Sealed responses: what a submission stores while its campaign is open, and their
release at close (ADR 0011, docs/survey-anonymity.md).

A submission writes one ``SealedResponse``: the stored unit, band, answers and free text,
encrypted with the application's keys (``staffwell.core.crypto``, never in the
database: AES-GCM with a random nonce, so nothing in the clear says when it was written)
and padded to a fixed block, so the commit that marks a person as having
answered carries nothing readable beside the mark, in the tables or in the write-ahead
log. Readable rows exist only after close: ``release`` opens every sealed response of the
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

BLOCK = 1024  # plaintext is padded to a multiple of this many bytes
PURPOSE = "sealed-response"  # its key in staffwell.core.crypto (crypto.SEALED)


def seal(*, unit_id: int | None, band: str, scored: list, texts: list) -> str:
    """The ciphertext of one response. Padding hides how long its free text is, to the
    nearest block."""
    body = json.dumps({"u": unit_id, "b": band, "a": scored, "t": texts}, separators=(",", ":"))
    padding = -(len(body.encode()) + 7) % BLOCK
    return crypto.encrypt(body[:-1] + ',"p":"' + " " * padding + '"}', purpose=PURPOSE)


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
