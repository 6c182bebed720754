from django.urls import path

from staffwell.surveys.views import campaigns, instruments, respond

app_name = "surveys"

ORG = "o/<slug:org>/surveys/"


def _respond(prefix: str, kind: str, secret: str, name: str) -> list:
    base = f"{prefix}/<str:{secret}>/"
    extra = {"kind": kind}
    return [
        path(base, respond.start, extra, name=f"{name}_start"),
        path(f"{base}all/", respond.all_questions, extra, name=f"{name}_all"),
        path(f"{base}q/<int:number>/", respond.question, extra, name=f"{name}_question"),
        path(f"{base}check/", respond.check, extra, name=f"{name}_check"),
        path(f"{base}saved/", respond.saved, extra, name=f"{name}_saved"),
        path(f"{base}done/", respond.done, extra, name=f"{name}_done"),
    ]


urlpatterns = [
    # Organisation pages
    path(ORG, campaigns.campaign_list, name="campaigns"),
    path(f"{ORG}new/", campaigns.campaign_create, name="campaign_create"),
    path(f"{ORG}<int:campaign_id>/", campaigns.campaign_detail, name="campaign"),
    path(f"{ORG}<int:campaign_id>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path(f"{ORG}<int:campaign_id>/agree/", campaigns.campaign_agree, name="campaign_agree"),
    path(f"{ORG}<int:campaign_id>/launch/", campaigns.campaign_launch, name="campaign_launch"),
    path(f"{ORG}<int:campaign_id>/close/", campaigns.campaign_close, name="campaign_close"),
    path(f"{ORG}<int:campaign_id>/remind/", campaigns.campaign_remind, name="campaign_remind"),
    path(f"{ORG}<int:campaign_id>/kiosk-codes/", campaigns.kiosk_codes, name="kiosk_codes"),
    path(f"{ORG}<int:campaign_id>/kiosk-codes/<int:batch_id>/void/", campaigns.kiosk_void, name="kiosk_void"),
    path(f"{ORG}question-sets/", instruments.instrument_list, name="instruments"),
    path(f"{ORG}question-sets/new/", instruments.instrument_create, name="instrument_create"),
    path(f"{ORG}question-sets/<int:instrument_id>/", instruments.instrument_detail, name="instrument"),
    path(
        f"{ORG}question-sets/<int:instrument_id>/questions/new/",
        instruments.question_add,
        name="question_add",
    ),
    path(
        f"{ORG}question-sets/<int:instrument_id>/questions/<int:question_id>/remove/",
        instruments.question_remove,
        name="question_remove",
    ),
    path(f"{ORG}question-sets/<int:instrument_id>/agree/", instruments.instrument_agree, name="instrument_agree"),
    path(
        f"{ORG}question-sets/<int:instrument_id>/new-version/",
        instruments.instrument_new_version,
        name="instrument_new_version",
    ),
    # Surveys for me (signed in): my open invitations
    path("my/surveys/", campaigns.my_surveys, name="mine"),
    # Answering: by personal link, or by kiosk code (public: the link or code is the permission)
    *_respond("s", "invite", "token", "respond"),
    path("kiosk/", respond.kiosk, name="kiosk"),
    *_respond("kiosk", "kiosk", "code", "kiosk"),
]
