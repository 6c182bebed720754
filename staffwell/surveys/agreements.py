"""Both sides agree a question set and a campaign, through the one partnership mechanism
(``staffwell.partnership``, ADR 0018).

* A question set (``surveys.question_set``) is agreed per version (``Instrument.version``).
  When both sides have agreed, the organisation's previous agreed version of the set is
  retired and this one becomes the agreed version campaigns can use.
* A campaign (``surveys.campaign``) is agreed while it is a draft; the employer-side lead
  then starts it (``campaigns.launch``).

Any change to what is agreed (a question added or removed, a campaign edited) clears the
agreements so far. ``partnership.agree`` locks the row, refuses a repeat, records who and
when, audits ``partnership.<kind>.agreed`` and runs the hook once.
"""

from django.db import transaction

from staffwell.partnership import services as partnership
from staffwell.surveys.errors import SurveyError
from staffwell.surveys.models import (
    CAMPAIGN_AGREEMENT,
    CAMPAIGN_VERSION,
    QUESTION_SET_AGREEMENT,
    Campaign,
    Instrument,
)


def register() -> None:
    """Called once from ``SurveysConfig.ready``."""
    partnership.register(QUESTION_SET_AGREEMENT, label="survey question set", on_agreed=question_set_agreed)
    partnership.register(CAMPAIGN_AGREEMENT, label="survey before it starts")


def _locked(model, obj):
    """The row as it is now, locked until the transaction ends."""
    return model.objects.select_for_update().get(pk=obj.pk)


def agree_question_set(*, instrument: Instrument, membership) -> partnership.AgreementState:
    with transaction.atomic():
        instrument = _locked(Instrument, instrument)
        if not instrument.is_editable:
            raise SurveyError("Only a draft question set can be agreed.")
        if not instrument.questions.exists():
            raise SurveyError("Add at least one question before agreeing the question set.")
        return partnership.agree(
            obj=instrument,
            kind=QUESTION_SET_AGREEMENT,
            version=instrument.version,
            membership=membership,
            terms={"name": instrument.name, "questions": list(instrument.questions.values_list("text", flat=True))},
        )


def question_set_agreed(instrument: Instrument, version: str, state) -> None:
    """Both sides agreed this version: it replaces the set's earlier agreed version."""
    Instrument.objects.filter(
        organisation=instrument.organisation, key=instrument.key, status=Instrument.Status.AGREED
    ).update(status=Instrument.Status.RETIRED)
    Instrument.objects.filter(pk=instrument.pk).update(status=Instrument.Status.AGREED)
    instrument.status = Instrument.Status.AGREED


def question_set_changed(*, instrument: Instrument, actor) -> None:
    partnership.clear(obj=instrument, kind=QUESTION_SET_AGREEMENT, actor=actor, reason="questions changed")


def agree_campaign(*, campaign: Campaign, membership) -> partnership.AgreementState:
    with transaction.atomic():
        campaign = _locked(Campaign, campaign)
        if campaign.status != Campaign.Status.DRAFT:
            raise SurveyError("Only a draft campaign can be agreed.")
        return partnership.agree(
            obj=campaign,
            kind=CAMPAIGN_AGREEMENT,
            version=CAMPAIGN_VERSION,
            membership=membership,
            terms={
                "name": campaign.name,
                "instrument": campaign.instrument_id,
                "opens_on": campaign.opens_on.isoformat(),
                "closes_on": campaign.closes_on.isoformat(),
            },
        )


def campaign_changed(*, campaign: Campaign, actor) -> None:
    """Any change to a draft campaign needs agreeing again."""
    partnership.clear(obj=campaign, kind=CAMPAIGN_AGREEMENT, actor=actor, reason="campaign changed")
