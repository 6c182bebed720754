from django.urls import path

from staffwell.voice.views import board, follow, posts, triage

app_name = "voice"
P = "o/<slug:org>/voice/"
Q = P + "posts/<uuid:post_id>/"
T = P + "triage/<uuid:post_id>/"
urlpatterns = [
    path(P, posts.index, name="index"),
    path(P + "new/", posts.new, name="new"),
    path(P + "mine/", posts.mine, name="mine"),
    path(Q, posts.detail, name="post"),
    path(Q + "support/", posts.support, name="support"),
    path(Q + "comment/", posts.comment, name="comment"),
    path(P + "follow/", follow.follow, name="follow"),
    path(P + "follow/reply/", follow.reply, name="follow_reply"),
    path(P + "you-said-we-did/", board.board, name="board"),
    path(P + "summary/", board.summary, name="summary"),
    path(P + "summary.pdf", board.summary_pdf, name="summary_pdf"),
    path(P + "triage/", triage.queue, name="triage"),
    path(T, triage.detail, name="triage_post"),
    path(T + "answer/", triage.answer, name="answer"),
    path(T + "moderate/", triage.moderate, name="moderate"),
    path(T + "merge/", triage.merge, name="merge"),
    path(T + "action/", triage.action, name="action"),
    path(P + "settings/", triage.settings_view, name="settings"),
]
