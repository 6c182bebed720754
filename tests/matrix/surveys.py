from tests.matrix import PERSONAS, Case, org_page, public, signed_in

PARTNERSHIP = {"lead", "rep"}


def _launched(w):
    if not hasattr(w, "_survey_launched"):
        from tests.surveys.helpers import make_campaign

        w._survey_launched = make_campaign(w, name="Matrix launched")
    return w._survey_launched


def _draft(w):
    if not hasattr(w, "_survey_draft"):
        from tests.surveys.helpers import make_campaign

        w._survey_draft = make_campaign(w, name="Matrix draft", launch=False)
    return w._survey_draft


def _campaign(w):
    return {"org": w.org.slug, "campaign_id": _launched(w).pk}


def _draft_campaign(w):
    return {"org": w.org.slug, "campaign_id": _draft(w).pk}


def _batch(w):
    from staffwell.surveys import services

    campaign = _launched(w)
    if not campaign.kiosk_batches.exists():
        w._survey_codes = services.create_kiosk_batch(campaign=campaign, unit=w.team, size=2, actor=w.users["lead"])
    return {"org": w.org.slug, "campaign_id": campaign.pk, "batch_id": campaign.kiosk_batches.first().pk}


def _own_instrument(w):
    from staffwell.surveys.models import Instrument

    if not hasattr(w, "_survey_instrument"):
        w._survey_instrument = Instrument.objects.create(organisation=w.org, key="matrix", name="Matrix set")
        w._survey_question = w._survey_instrument.questions.create(number=1, text="Free", kind="free_text")
    return w._survey_instrument


def _instrument(w):
    return {"org": w.org.slug, "instrument_id": _own_instrument(w).pk}


def _question(w):
    _own_instrument(w)
    return {"org": w.org.slug, "instrument_id": w._survey_instrument.pk, "question_id": w._survey_question.pk}


def _token(w, **extra):
    from staffwell.surveys import services

    invitation = _launched(w).invitations.get(membership=w.memberships["staff"])
    return {"token": services.invitation_token(invitation.secret), **extra}


def _code(w, **extra):
    _batch(w)
    return {"code": w._survey_codes[0].replace("-", ""), **extra}


def _everyone(status):
    return Case(dict.fromkeys(PERSONAS, status))


ENTRIES = {
    "surveys:campaigns": org_page(PARTNERSHIP),
    "surveys:campaign_create": org_page({"lead"}),
    "surveys:campaign": org_page(PARTNERSHIP, kwargs=_campaign),
    "surveys:campaign_edit": org_page({"lead"}, kwargs=_draft_campaign),
    "surveys:campaign_agree": org_page(PARTNERSHIP, kwargs=_draft_campaign, ok=405),
    "surveys:campaign_launch": org_page({"lead"}, kwargs=_draft_campaign, ok=405),
    "surveys:campaign_close": org_page({"lead"}, kwargs=_campaign, ok=405),
    "surveys:campaign_remind": org_page({"lead"}, kwargs=_campaign, ok=405),
    "surveys:kiosk_codes": org_page({"lead"}, kwargs=_campaign),
    "surveys:kiosk_void": org_page({"lead"}, kwargs=_batch, ok=405),
    "surveys:instruments": org_page(PARTNERSHIP),
    "surveys:instrument_create": org_page({"lead"}),
    "surveys:instrument": org_page(PARTNERSHIP, kwargs=_instrument),
    "surveys:question_add": org_page({"lead"}, kwargs=_instrument),
    "surveys:question_remove": org_page({"lead"}, kwargs=_question, ok=405),
    "surveys:instrument_agree": org_page(PARTNERSHIP, kwargs=_instrument, ok=405),
    "surveys:instrument_new_version": org_page({"lead"}, kwargs=_instrument, ok=405),
    "surveys:mine": signed_in(),
    # Answering: the link or code is the permission, whoever is (or is not) signed in.
    "surveys:respond_start": public(kwargs=_token),
    "surveys:respond_all": public(kwargs=_token),
    "surveys:respond_question": public(kwargs=lambda w: _token(w, number=1)),
    "surveys:respond_check": public(kwargs=_token),
    "surveys:respond_saved": public(kwargs=_token),
    "surveys:respond_done": public(kwargs=_token, status=302),  # not answered yet: back to the start
    "surveys:kiosk": public(),
    # A slip's code opens the start page, which swaps it for a handle in this browser's
    # session; every other kiosk page opens only with that handle (issue 12).
    "surveys:kiosk_start": public(kwargs=_code, status=302),
    "surveys:kiosk_all": public(kwargs=_code, status=404),
    "surveys:kiosk_question": public(kwargs=lambda w: _code(w, number=1), status=404),
    "surveys:kiosk_check": public(kwargs=_code, status=404),
    "surveys:kiosk_saved": public(kwargs=_code, status=404),
    "surveys:kiosk_done": public(kwargs=_code, status=404),
}
