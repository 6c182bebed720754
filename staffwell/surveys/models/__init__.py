"""Survey instruments, campaigns, and anonymous responses.

Two groups of tables, deliberately with nothing that joins them (docs/survey-anonymity.md):

* **About people** (who was asked, who has answered): ``Invitation``, ``Participation``,
  ``KioskBatch``/``KioskCode``. These know a person (or a printed code) but never an answer.
* **About answers** (what was said): ``Response``, ``Answer``, ``FreeTextAnswer``. These hold
  answers and a few coarse attributes, and never a person, a token, a code, a time finer
  than a day, an IP address or a user agent. Primary keys are random UUIDs.

``Draft`` holds an unfinished set of answers encrypted with a key derived from the
respondent's link or code, which the database never stores; it is deleted on submission.

For reporting (issue 6): read ``Response`` (one row per respondent: campaign, coarsened
``unit``, optional ``staff_group`` band, ``submitted_on``), its ``answers`` (one ``Answer``
per scored question, ``value`` as coded 1-5 *before* reverse scoring; use
``Answer.score`` or ``Question.score(value)`` for the scored value) and ``FreeTextAnswer``
(per campaign, question and unit; no link to a response, and a higher suppression bar).
"""

from staffwell.surveys.models.answers import Answer, ContributionPool, FreeTextAnswer, Response, SealedResponse
from staffwell.surveys.models.campaigns import (
    Campaign,
    CampaignQuerySet,
    Draft,
    Invitation,
    KioskBatch,
    KioskCode,
    Participation,
)
from staffwell.surveys.models.instruments import Instrument, InstrumentQuerySet, Question, ResponseSet, Scale
from staffwell.surveys.models.kinds import CAMPAIGN_AGREEMENT, CAMPAIGN_VERSION, QUESTION_SET_AGREEMENT

__all__ = [
    "CAMPAIGN_AGREEMENT",
    "CAMPAIGN_VERSION",
    "QUESTION_SET_AGREEMENT",
    "Answer",
    "Campaign",
    "CampaignQuerySet",
    "ContributionPool",
    "Draft",
    "FreeTextAnswer",
    "Instrument",
    "InstrumentQuerySet",
    "Invitation",
    "KioskBatch",
    "KioskCode",
    "Participation",
    "Question",
    "Response",
    "ResponseSet",
    "Scale",
    "SealedResponse",
]
