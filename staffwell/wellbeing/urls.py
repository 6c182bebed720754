from django.urls import path

from staffwell.wellbeing.views import conversations, org, personal, plan, shared

app_name = "wellbeing"
urlpatterns = [
    path("my/wellbeing/", personal.home, name="home"),
    path("my/wellbeing/get-help/", personal.get_help, name="get_help"),
    path("my/wellbeing/check-in/", personal.checkin_new, name="checkin_new"),
    path("my/wellbeing/check-ins/", personal.checkins, name="checkins"),
    path("my/wellbeing/check-ins/<int:checkin_id>/", personal.checkin_detail, name="checkin"),
    path("my/wellbeing/check-ins/<int:checkin_id>/delete/", personal.checkin_delete, name="checkin_delete"),
    path("my/wellbeing/plan/", plan.plan, name="plan"),
    path("my/wellbeing/plan/edit/", plan.plan_edit, name="plan_edit"),
    path("my/wellbeing/plan/versions/", plan.plan_versions, name="plan_versions"),
    path("my/wellbeing/plan/versions/<int:number>/", plan.plan_version, name="plan_version"),
    path("my/wellbeing/conversations/", conversations.conversations, name="conversations"),
    path("my/wellbeing/conversations/new/", conversations.conversation_new, name="conversation_new"),
    path("my/wellbeing/conversations/<int:conversation_id>/", conversations.conversation_detail, name="conversation"),
    path(
        "my/wellbeing/conversations/<int:conversation_id>/edit/",
        conversations.conversation_edit,
        name="conversation_edit",
    ),
    path(
        "my/wellbeing/conversations/<int:conversation_id>/delete/",
        conversations.conversation_delete,
        name="conversation_delete",
    ),
    path("my/wellbeing/shared-with-me/", shared.shared_with_me, name="shared_with_me"),
    path("my/wellbeing/shared-with-me/plans/<int:plan_id>/", shared.shared_plan, name="shared_plan"),
    path("my/wellbeing/shared-with-me/check-ins/<int:checkin_id>/", shared.shared_checkin, name="shared_checkin"),
    path(
        "my/wellbeing/shared-with-me/conversations/<int:conversation_id>/",
        shared.shared_conversation,
        name="shared_conversation",
    ),
    path("o/<slug:org>/my-teams/", org.my_teams, name="my_teams"),
    path("o/<slug:org>/wellbeing/", org.figures, name="org_figures"),
    path("o/<slug:org>/wellbeing/support-contacts/", org.support_contacts, name="support_contacts"),
]
