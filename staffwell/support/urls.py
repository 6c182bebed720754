from django.urls import path

from staffwell.support.views import mine, org, peer, walkthroughs

app_name = "support"
M = "my/support/"
ORG = "o/<slug:org>/support/"
J = ORG + "just-culture/<int:walkthrough_id>/"
urlpatterns = [
    path(M, mine.home, name="home"),
    path(M + "new/", mine.new, name="new"),
    path(M + "guidance/", mine.guidance, name="guidance"),
    path(M + "<int:request_id>/", mine.detail, name="detail"),
    path(M + "<int:request_id>/refer/", mine.refer, name="refer"),
    path(M + "<int:request_id>/close/", mine.close, name="close"),
    path(M + "<int:request_id>/delete/", mine.delete, name="delete"),
    path(M + "shared-with-me/<int:request_id>/", mine.shared, name="shared"),
    path("support/case-study/", mine.case_study, name="case_study"),
    path(ORG + "peer/", peer.queue, name="queue"),
    path(ORG + "peer/<int:request_id>/", peer.peer_request, name="peer_request"),
    path(ORG + "peer/<int:request_id>/accept/", peer.accept, name="accept"),
    path(ORG + "peer/<int:request_id>/follow-ups/<int:followup_id>/done/", peer.followup_done, name="followup_done"),
    path(ORG + "supporters/", org.supporters, name="supporters"),
    path(ORG + "supporters/<int:supporter_id>/remove/", org.supporter_remove, name="supporter_remove"),
    path(ORG + "programme/", org.programme, name="programme"),
    path(ORG + "programme/agree/", org.programme_agree, name="programme_agree"),
    path(ORG + "figures/", org.figures, name="figures"),
    path(ORG + "just-culture/", walkthroughs.index, name="walkthroughs"),
    path(ORG + "just-culture/new/", walkthroughs.new, name="walkthrough_new"),
    path(J, walkthroughs.detail, name="walkthrough"),
    path(J + "answer/", walkthroughs.answer, name="walkthrough_answer"),
    path(J + "back/", walkthroughs.back, name="walkthrough_back"),
    path(J + "finish/", walkthroughs.finish, name="walkthrough_finish"),
    path(J + "outcome/", walkthroughs.outcome, name="walkthrough_outcome"),
    path(J + "restorative/new/", walkthroughs.restorative_new, name="restorative_new"),
]
