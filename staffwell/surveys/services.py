"""Survey workflows, by the names the rest of staffwell uses. Each lives in a module of
its own; this module only gathers them:

* ``scope``: who a campaign asks and how stored units are coarsened
* ``campaigns``: saving, launching and closing a campaign; who has answered
* ``agreements``: both sides agree a question set and a campaign (``staffwell.partnership``)
* ``question_sets``: an organisation's own question sets and their versions
* ``kiosk``: printed single-use codes
* ``tickets``: who may answer (a link or a code) and their encrypted draft
* ``answering``: checking and submitting a response

The anonymity design is in docs/survey-anonymity.md. In short: everything about a person
(invitation, participation) and everything about answers (response, answers, free text)
is written with nothing that joins the two, and submission is idempotent.
"""

from staffwell.surveys.answering import FREE_TEXT_MAX, submit, validate_answers
from staffwell.surveys.campaigns import close, launch, non_responders, responders_count, save_campaign
from staffwell.surveys.errors import AlreadySubmitted, SurveyError
from staffwell.surveys.kiosk import (
    KIOSK_ALPHABET,
    KIOSK_CODE_LENGTH,
    KIOSK_MAX_BATCH,
    create_kiosk_batch,
    format_code,
    normalise_code,
    void_kiosk_batch,
)
from staffwell.surveys.question_sets import new_version
from staffwell.surveys.scope import allowed_bands, bucket_for, coarsen, in_scope
from staffwell.surveys.tickets import Ticket, load_draft, save_draft, ticket_for_code, ticket_for_token
from staffwell.surveys.tokens import invitation_token

__all__ = [
    "FREE_TEXT_MAX",
    "KIOSK_ALPHABET",
    "KIOSK_CODE_LENGTH",
    "KIOSK_MAX_BATCH",
    "AlreadySubmitted",
    "SurveyError",
    "Ticket",
    "allowed_bands",
    "bucket_for",
    "close",
    "coarsen",
    "create_kiosk_batch",
    "format_code",
    "in_scope",
    "invitation_token",
    "launch",
    "load_draft",
    "new_version",
    "non_responders",
    "normalise_code",
    "responders_count",
    "save_campaign",
    "save_draft",
    "submit",
    "ticket_for_code",
    "ticket_for_token",
    "validate_answers",
    "void_kiosk_batch",
]
